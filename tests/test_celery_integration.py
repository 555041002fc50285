"""With REDIS_URL set (as in CI), a task goes through the real broker to a real worker."""

import os
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from seva.celery import app
from seva.tasks import clear_expired_sessions

pytestmark = [
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: runs against Redis in CI"),
    pytest.mark.django_db(transaction=True),
]


def test_a_task_runs_on_a_real_worker_through_redis():
    from celery.contrib.testing.worker import start_worker

    Session.objects.create(
        session_key="old", session_data="x", expire_date=timezone.now() - timedelta(days=1)
    )
    Session.objects.create(
        session_key="new", session_data="x", expire_date=timezone.now() + timedelta(days=1)
    )
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # No result backend (the outbox rows are the results): wait for the effect instead.
        clear_expired_sessions.delay()
        _wait_until_gone()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]


def _wait_until_gone() -> None:
    import time

    deadline = time.monotonic() + 20
    while Session.objects.filter(session_key="old").exists():
        if time.monotonic() > deadline:
            raise AssertionError("the worker did not run the task within 20 s")
        time.sleep(0.2)
