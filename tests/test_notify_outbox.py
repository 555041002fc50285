"""The outbox: one row per message, never two; suppressed with a reason; held in quiet hours;
delivered once, retried with backoff, failed with the reason; a stale send checked, not resent
blindly (seva/notify/outbox.py, delivery.py)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from seva.notify import delivery, outbox, recipients, sms
from seva.notify.choices import Channel, Status
from seva.notify.models import Notification
from seva.notify.outbox import Draft
from seva.notify.sms import Result, SmsBackend
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

IST = zoneinfo.ZoneInfo("Asia/Kolkata")
NOON = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=IST)
NIGHT = datetime.datetime(2026, 11, 26, 23, 0, tzinfo=IST)


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _at_noon():
    """Quiet hours depend on the clock: the tests run at noon unless they say otherwise."""
    with time_machine.travel(NOON, tick=True):
        yield


@pytest.fixture(autouse=True)
def _on_commit_at_once(monkeypatch):
    """The test's transaction never commits: run what waits for the commit at once (the
    integration tests, tests/test_notify_worker.py, commit for real)."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())


def _worker(**fields):
    return WorkerFactory(consent_to_contact=True, consent_date=datetime.date(2026, 1, 1), **fields)


def _draft(person, about="x", **extra):
    return Draft(recipients.from_worker(person), "test", about, "Seva: test message", **extra)


def test_a_message_is_written_once_and_delivered_once():
    person = _worker()
    first = outbox.write([_draft(person)], now=NOON)
    second = outbox.write([_draft(person)], now=NOON)
    assert (first.written, second.written, second.already) == (1, 0, 1)
    row = Notification.objects.get()
    assert (row.status, row.channel, row.address, row.attempts) == (
        Status.SENT,
        Channel.SMS,
        str(person.phone),
        1,
    )
    assert [m.to for m in sms.outbox] == [str(person.phone)]
    assert sms.outbox[0].reference == row.dedup_key


def test_a_dry_run_plans_and_writes_nothing():
    result = outbox.write([_draft(_worker())], dry_run=True, now=NOON)
    assert result.counts() == {(Channel.SMS, Status.QUEUED): 1}
    assert not Notification.objects.exists()


def test_without_consent_or_address_nothing_goes_and_the_row_says_why():
    refused = WorkerFactory(consent_to_contact=False)
    inactive = _worker(is_active=False)
    nobody = recipients.Recipient(name="No address", language="en")
    outbox.write(
        [_draft(refused), _draft(inactive), Draft(nobody, "test", "x", "Seva: hello")],
        now=NOON,
    )
    reasons = dict(Notification.objects.values_list("name", "reason"))
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SUPPRESSED}
    assert reasons[refused.name] == "has not agreed to be contacted"
    assert reasons[inactive.name] == "inactive"
    assert reasons["No address"] == "no valid mobile number or e-mail address"
    assert sms.outbox == []


def test_e_mail_where_there_is_no_phone():
    person = recipients.Recipient(name="Mail only", email="someone@example.org", language="en")
    outbox.write([Draft(person, "test", "x", "Seva: hello", subject="Hello")], now=NOON)
    row = Notification.objects.get()
    assert (row.channel, row.status) == (Channel.EMAIL, Status.SENT)
    assert mail.outbox[0].to == ["someone@example.org"]
    assert mail.outbox[0].subject == "Hello"


def test_quiet_hours_hold_an_sms_till_morning_but_not_an_urgent_one():
    person = _worker()
    with time_machine.travel(NIGHT, tick=True):
        outbox.write([_draft(person, "calm"), _draft(person, "urgent", urgent=True)])
    calm = Notification.objects.get(dedup_key__endswith=":calm")
    urgent = Notification.objects.get(dedup_key__endswith=":urgent")
    assert calm.status == Status.QUEUED
    assert timezone.localtime(calm.send_after).hour == 7
    assert timezone.localtime(calm.send_after).date() == datetime.date(2026, 11, 27)
    assert urgent.status == Status.SENT
    # The morning: the re-queue job hands it over.
    with time_machine.travel(NIGHT + datetime.timedelta(hours=9), tick=True):
        assert outbox.requeue_due() == 1
    calm.refresh_from_db()
    assert calm.status == Status.SENT


@override_settings(SEVA_DAILY_MESSAGE_CAP=2)
def test_the_daily_cap_suppresses_the_third_message_but_not_an_urgent_one():
    person = _worker()
    outbox.write([_draft(person, str(n)) for n in range(3)] + [_draft(person, "u", urgent=True)], now=NOON)
    statuses = dict(Notification.objects.values_list("dedup_key", "status"))
    assert sorted(statuses.values()) == [Status.SENT, Status.SENT, Status.SENT, Status.SUPPRESSED]
    assert statuses[_draft(person, "u").dedup_key] == Status.SENT
    assert (
        Notification.objects.get(status=Status.SUPPRESSED).reason
        == "the daily limit of 2 messages was reached"
    )


def test_hindi_sms_parts_are_counted_at_70_characters():
    assert sms.sms_parts("a" * 160) == 1
    assert sms.sms_parts("a" * 161) == 2
    assert sms.sms_parts("क" * 70) == 1
    assert sms.sms_parts("क" * 71) == 2
    assert sms.sms_parts("क" * 134) == 2
    assert sms.sms_parts("क" * 135) == 3


class Flaky(SmsBackend):
    """Fails while ``failures`` lasts, retriably or not."""

    failures = 0
    retry = True

    def send(self, messages):
        if Flaky.failures:
            Flaky.failures -= 1
            return [Result(ok=False, error="gateway answered 503", retry=Flaky.retry) for _ in messages]
        sms.outbox.extend(messages)
        return [Result(ok=True, provider_id="gw-1") for _ in messages]


@override_settings(SMS_BACKEND="tests.test_notify_outbox.Flaky", SEVA_NOTIFY_MAX_ATTEMPTS=3)
def test_a_failing_gateway_is_retried_with_backoff_then_marked_failed():
    Flaky.failures, Flaky.retry = 1, True
    outbox.write([_draft(_worker())], now=NOON)
    row = Notification.objects.get()
    assert (row.status, row.attempts, row.last_error) == (Status.QUEUED, 1, "gateway answered 503")
    assert row.send_after > timezone.now()
    # Its time comes: the second attempt goes through, with the gateway's reference.
    Notification.objects.filter(pk=row.pk).update(send_after=timezone.now())
    delivery.deliver([row.pk])
    row.refresh_from_db()
    assert (row.status, row.attempts, row.provider_id, row.last_error) == (Status.SENT, 2, "gw-1", "")

    Flaky.failures = 10
    outbox.write([_draft(_worker(), "again")], now=NOON)
    row = Notification.objects.get(dedup_key__endswith=":again")
    for _ in range(5):
        Notification.objects.filter(pk=row.pk, status=Status.QUEUED).update(send_after=timezone.now())
        delivery.deliver([row.pk])
    row.refresh_from_db()
    assert (row.status, row.attempts, row.reason) == (Status.FAILED, 3, "gateway answered 503")


@override_settings(SMS_BACKEND="tests.test_notify_outbox.Flaky")
def test_a_refusal_is_not_retried():
    Flaky.failures, Flaky.retry = 1, False
    outbox.write([_draft(_worker())], now=NOON)
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    Flaky.retry = True


def test_backoff_grows_and_is_jittered():
    waits = [delivery.backoff(n) for n in (1, 2, 3, 4)]
    assert all(15 <= waits[0] <= 30 for _ in range(3))
    assert 60 <= waits[2] <= 120
    assert len({round(delivery.backoff(3), 3) for _ in range(20)}) > 1


def test_a_row_is_claimed_by_one_sender_only():
    person = _worker()
    with time_machine.travel(NIGHT, tick=True):  # held till morning: nothing sends it yet
        outbox.write([_draft(person)])
    row = Notification.objects.get()
    Notification.objects.filter(pk=row.pk).update(send_after=None)
    first = delivery.claim([row.pk])
    second = delivery.claim([row.pk])
    assert [r.pk for r in first] == [row.pk]
    assert second == []


def _stale_row():
    outbox.write([_draft(_worker())], now=NOON)
    row = Notification.objects.get()
    Notification.objects.filter(pk=row.pk).update(
        status=Status.SENDING, sending_at=timezone.now() - datetime.timedelta(hours=1)
    )
    return row


def test_a_send_left_half_done_is_shown_to_check_not_resent():
    row = _stale_row()
    sms.outbox.clear()
    assert delivery.recover_stale() == {"requeued": 0, "uncertain": 1}
    row.refresh_from_db()
    assert row.status == Status.UNCERTAIN
    assert "check" in row.reason
    assert sms.outbox == []
    # The state admin checked: resending is a new attempt on the same row.
    assert delivery.resend([row.pk]) == 1
    row.refresh_from_db()
    assert (row.status, Notification.objects.count()) == (Status.SENT, 1)


class Idempotent(SmsBackend):
    idempotent = True

    def send(self, messages):
        sms.outbox.extend(messages)
        return [Result(ok=True) for _ in messages]


@override_settings(SMS_BACKEND="tests.test_notify_outbox.Idempotent")
def test_through_a_gateway_that_drops_repeats_a_stale_send_is_resent_with_its_key():
    row = _stale_row()
    sms.outbox.clear()
    assert delivery.recover_stale() == {"requeued": 1, "uncertain": 0}
    outbox.requeue_due()
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert [m.reference for m in sms.outbox] == [row.dedup_key]


def test_with_the_broker_down_rows_wait_and_are_handed_over_later(monkeypatch):
    from celery.exceptions import OperationalError

    from seva.celery import app
    from seva.notify import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(tasks.deliver_batch, "delay", broker_down)
        app.conf.task_always_eager = False
        try:
            outbox.write([_draft(_worker())], now=NOON)
        finally:
            app.conf.task_always_eager = True
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (Status.QUEUED, 0)
    # Handed over again only once the re-queue delay has passed.
    assert outbox.requeue_due() == 0
    later = timezone.now() + datetime.timedelta(minutes=5)
    assert outbox.requeue_due(now=later) == 1
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_http_gateway_payload_and_answers(monkeypatch):
    from seva.notify.sms.backends import HttpGatewayBackend

    calls = []

    class Answer:
        def __init__(self, status, body):
            self.status_code, self._body, self.text = status, body, str(body)

        def json(self):
            return self._body

    answers = [Answer(200, {"message_id": "abc"}), Answer(503, {}), Answer(400, {"error": "bad"})]

    def post(url, data, headers, timeout):
        calls.append((url, data, headers))
        return answers.pop(0)

    with override_settings(
        SMS_GATEWAY_URL="https://sms.example.in/send",
        SMS_DLT_ENTITY_ID="1101",
        SMS_DLT_TEMPLATES={"test": "1107"},
    ):
        backend = HttpGatewayBackend()
        monkeypatch.setattr(backend.session, "post", post)
        results = backend.send([sms.SmsMessage("+919800000001", "नमस्ते", "k1", "test")] * 3)
    assert [(r.ok, r.retry) for r in results] == [(True, False), (False, True), (False, False)]
    assert results[0].provider_id == "abc"
    url, data, headers = calls[0]
    assert url == "https://sms.example.in/send"
    assert data["dlt_template_id"] == "1107" and data["dlt_entity_id"] == "1101" and data["unicode"] == "1"
    assert headers == {"Idempotency-Key": "k1"}
