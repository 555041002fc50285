"""The outbox with a real Celery worker and a real Redis (CI runs these with REDIS_URL set):
every message delivered exactly once, also when the broker dies mid-run and comes back.

The broker here is a throwaway ``redis-server`` this test starts on a port of its own, never
the shared one; the worker runs in a thread of this process (celery.contrib.testing), so the
locmem SMS backend's outbox shows what it sent."""

import os
import shutil
import socket
import subprocess
import time
from collections import Counter

import pytest
from django.test import override_settings
from django.utils import timezone

from seva.celery import app
from seva.notify import outbox, recipients, rules, sms
from seva.notify.choices import Status
from seva.notify.models import Notification
from seva.notify.outbox import Draft

pytestmark = [
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: runs against Redis in CI"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
    pytest.mark.django_db(transaction=True),
]


class ThrowawayRedis:
    def __init__(self, folder):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.folder = folder
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command
            [  # noqa: S607 - redis-server from PATH, as CI installs it
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError("the throwaway redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


def _use_broker(url):
    """Point the app's producers at ``url`` (its connection pools are made lazily)."""
    app.conf.broker_url = url
    # Not closed: kombu keeps one pool per broker address for the whole process, and a pool
    # closed here would be handed back, closed, to the next test that sends to that broker.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(tmp_path):
    redis = ThrowawayRedis(tmp_path)
    redis.start()
    previous = app.conf.broker_url
    _use_broker(redis.url)
    app.conf.task_always_eager = False
    sms.outbox.clear()
    yield redis
    redis.stop()
    _use_broker(previous)
    sms.outbox.clear()


def _drafts(n, about="run"):
    people = [
        recipients.Recipient(name=f"Worker {i}", phone=f"+9198{i:08d}", language="hi") for i in range(n)
    ]
    return [Draft(person, "test", about, "सेवा: परीक्षण संदेश", urgent=True) for person in people]


def _wait_until_all_sent(expected, seconds=60):
    deadline = time.monotonic() + seconds
    while Notification.objects.filter(status=Status.SENT).count() < expected:
        if time.monotonic() > deadline:
            counts = Counter(Notification.objects.values_list("status", flat=True))
            raise AssertionError(f"not all sent within {seconds} s: {dict(counts)}")
        time.sleep(0.2)


def _worker():
    from celery.contrib.testing.worker import start_worker

    return start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING")


@override_settings(SEVA_NOTIFY_BATCH=50)
def test_a_real_worker_delivers_each_message_once(broker):
    with _worker():
        outbox.write(_drafts(400))
        _wait_until_all_sent(400)
        # The same messages written again (a rule run twice, two beat processes): nothing new.
        assert outbox.write(_drafts(400)).written == 0
        time.sleep(1)
    assert Notification.objects.count() == 400
    sent = Counter(message.reference for message in sms.outbox)
    assert len(sent) == 400 and set(sent.values()) == {1}


@override_settings(SEVA_NOTIFY_BATCH=20)
def test_the_broker_dies_mid_run_and_every_message_still_goes_exactly_once(broker):
    with _worker():
        outbox.write(_drafts(600))
        # Some batches are delivered, the rest die with the broker (no persistence: lost).
        deadline = time.monotonic() + 30
        while not Notification.objects.filter(status=Status.SENT).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        broker.stop()
        sent_before = Notification.objects.filter(status=Status.SENT).count()
        assert sent_before < 600, "all went before the broker stopped: nothing was tested"
        time.sleep(1)
        broker.start()
        # The re-queue job (beat runs it every minute) hands over what waits.
        deadline = time.monotonic() + 60
        while Notification.objects.filter(status=Status.SENT).count() < 600:
            outbox.requeue_due(now=timezone.now() + timezone.timedelta(minutes=5))
            if time.monotonic() > deadline:
                raise AssertionError(dict(Counter(Notification.objects.values_list("status", flat=True))))
            time.sleep(1)
    sent = Counter(message.reference for message in sms.outbox)
    assert len(sent) == 600
    assert set(sent.values()) == {1}, "a message went twice"
    assert Notification.objects.exclude(status=Status.SENT).count() == 0


def test_a_rule_beat_would_run_goes_through_the_worker(geography, broker, dc_gaya):
    from seva.notify.tasks import run_rule

    with _worker():
        run_rule.delay("evening_report_reminder")
        deadline = time.monotonic() + 30
        while not Notification.objects.filter(kind="evening_report_reminder", status=Status.SENT).exists():
            assert time.monotonic() < deadline, "the rule did not run on the worker"
            time.sleep(0.2)
    assert rules.run("evening_report_reminder").written == 0
