"""DPDP: withdrawing consent by SMS. ``STOP`` (or ``SEVA STOP``, ``रोकें``, ``बंद``…) from a
number opts its donor out and withdraws its worker's consent, with a consent record of channel
``sms``; the confirmation reaches him although he has just withdrawn; nothing else does."""

import datetime

import pytest

from seva.notify import inbound, outbox, recipients
from seva.notify.choices import Status
from seva.notify.models import InboundOutcome, InboundSms, Notification
from seva.privacy.choices import ConsentChannel, ConsentPurpose, ConsentSubject
from seva.privacy.models import ConsentRecord, PrivacyNotice
from tasks17.models import Activity, Donor
from tasks17.records.services.donors import donor_register
from tests.factories import BoothFactory, WorkerFactory, seat_in

URL = "/api/v1/sms/inbound/"
SECRET = "gateway-shared-secret-2021"
WORKER_PHONE = "+919812345678"
DONOR_PHONE = "+919835011111"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.SMS_INBOUND_SECRET = SECRET
    inbound.forget()


@pytest.fixture
def worker(db):
    booth = BoothFactory(assembly_seat=seat_in("patna"), number=45)
    return WorkerFactory(
        phone=WORKER_PHONE,
        booth=booth,
        assembly_seat=booth.assembly_seat,
        consent_to_contact=True,
        consent_date=datetime.date(2021, 5, 1),
    )


@pytest.fixture
def donor(dc_patna, patna):
    donor = donor_register(
        by=dc_patna, name="Asha", phone=DONOR_PHONE, blood_group="B+", district=patna, consent_to_contact=True
    )
    Donor.objects.filter(pk=donor.pk).update(language="en")
    donor.refresh_from_db()
    return donor


_ids = iter(range(1, 10**6))


def send(api, text, *, phone, message_id=None, secret=SECRET):
    body = {"message_id": message_id or f"stop-{next(_ids)}", "from": phone, "text": text}
    headers = {"HTTP_X_SEVA_SMS_SECRET": secret} if secret is not None else {}
    return api.post(URL, body, format="json", **headers)


def records(kind, pk):
    return list(ConsentRecord.objects.of(kind, pk))


def test_stop_from_a_donors_number_opts_him_out_and_the_outbox_then_suppresses_him(api, donor):
    response = send(api, "STOP", phone="9835011111")  # ten digits, as some gateways post it

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "recorded"
    donor.refresh_from_db()
    assert donor.opted_out_at is not None and not donor.consent_to_contact and donor.consent_at is None
    withdrawal = records(ConsentSubject.DONOR, donor.pk)[0]
    assert not withdrawal.given and withdrawal.channel == ConsentChannel.SMS
    assert withdrawal.purpose == ConsentPurpose.DONATION_MATCHING and withdrawal.recorded_by is None
    assert withdrawal.notice == PrivacyNotice.objects.current()
    sms = InboundSms.objects.get()
    assert sms.outcome == InboundOutcome.OPTED_OUT and sms.district == donor.district
    # His confirmation goes, in his language, although he has just opted out...
    confirmation = Notification.objects.get(kind=outbox.STOP_CONFIRMATION_KIND)
    assert confirmation.status == Status.QUEUED and confirmation.donor == donor
    assert confirmation.address == DONOR_PHONE and confirmation.language == "en" and confirmation.urgent
    assert "no more messages" in confirmation.body and "district office" in confirmation.body
    assert confirmation.body == response.json()["reply"] == sms.reply
    # ...and any other message to him is suppressed with the opt-out as the reason.
    outbox.write(
        [outbox.Draft(recipients.from_donor(donor), kind="donor_call", about="camp-1", body="Camp on Sunday")]
    )
    row = Notification.objects.get(kind="donor_call")
    assert row.status == Status.SUPPRESSED and row.reason == "opted out"


def test_stop_from_a_workers_number_withdraws_his_consent_with_an_sms_record(api, worker):
    response = send(api, "SEVA STOP", phone=WORKER_PHONE)

    assert response.json()["status"] == "recorded"
    worker.refresh_from_db()
    assert not worker.consent_to_contact and worker.consent_date is None
    (record,) = records(ConsentSubject.WORKER, worker.pk)
    assert (record.given, record.channel, record.purpose) == (
        False,
        ConsentChannel.SMS,
        ConsentPurpose.CAMPAIGN_CONTACT,
    )
    assert record.notice.version == PrivacyNotice.objects.current().version and record.recorded_by is None
    sms = InboundSms.objects.get()
    assert (
        sms.outcome == InboundOutcome.OPTED_OUT and sms.worker == worker and sms.district == worker.district
    )
    confirmation = Notification.objects.get(kind=outbox.STOP_CONFIRMATION_KIND)
    assert confirmation.worker == worker and confirmation.status == Status.QUEUED
    assert confirmation.language == "hi" and "जिला कार्यालय" in confirmation.body
    # A reminder to him now is suppressed for want of consent.
    outbox.write(
        [outbox.Draft(recipients.from_worker(worker), kind="daily_reminder", about="d1", body="Report today")]
    )
    assert Notification.objects.get(kind="daily_reminder").status == Status.SUPPRESSED


def test_a_number_that_is_both_a_worker_and_a_donor_withdraws_both(api, worker, dc_patna, patna):
    both = donor_register(
        by=dc_patna,
        name="Vikas",
        phone=WORKER_PHONE,
        blood_group="O+",
        district=patna,
        consent_to_contact=True,
    )
    send(api, "stop", phone=WORKER_PHONE)
    worker.refresh_from_db()
    both.refresh_from_db()
    assert not worker.consent_to_contact and both.opted_out_at is not None
    assert records(ConsentSubject.DONOR, both.pk)[0].channel == ConsentChannel.SMS
    assert Notification.objects.filter(kind=outbox.STOP_CONFIRMATION_KIND).count() == 1


@pytest.mark.parametrize("text", ["रोकें", "बंद", "सेवा बंद", "  Stop. ", "seva, stop", "रोको"])
def test_the_stop_words_in_either_language_and_any_case(api, worker, text):
    response = send(api, text, phone=WORKER_PHONE)
    assert response.json()["status"] == "recorded", text
    worker.refresh_from_db()
    assert not worker.consent_to_contact
    assert InboundSms.objects.get().outcome == InboundOutcome.OPTED_OUT


@pytest.mark.parametrize("text", ["STOP 500", "SEVA STOP STOP", "STOPPED", "please stop", "SEVA MASKS STOP"])
def test_a_stop_word_among_other_words_is_not_a_stop(api, worker, text):
    send(api, text, phone=WORKER_PHONE)
    worker.refresh_from_db()
    assert worker.consent_to_contact
    assert InboundSms.objects.get().outcome != InboundOutcome.OPTED_OUT


def test_a_second_stop_changes_and_records_nothing(api, worker, donor):
    send(api, "STOP", phone=WORKER_PHONE)
    send(api, "STOP", phone=DONOR_PHONE)
    donor.refresh_from_db()
    opted_out_at = donor.opted_out_at
    counts = ConsentRecord.objects.count()

    again = send(api, "बंद", phone=DONOR_PHONE)
    send(api, "STOP", phone=WORKER_PHONE)

    assert again.json()["status"] == "recorded"
    donor.refresh_from_db()
    assert donor.opted_out_at == opted_out_at
    assert ConsentRecord.objects.count() == counts
    assert InboundSms.objects.filter(outcome=InboundOutcome.OPTED_OUT).count() == 4


def test_the_same_stop_message_posted_twice_is_one_row_and_one_reply(api, donor):
    send(api, "STOP", phone=DONOR_PHONE, message_id="gw-77")
    send(api, "STOP", phone=DONOR_PHONE, message_id="gw-77")
    assert InboundSms.objects.count() == 1
    assert Notification.objects.filter(kind=outbox.STOP_CONFIRMATION_KIND).count() == 1
    assert len(records(ConsentSubject.DONOR, donor.pk)) == 2  # given at registration, withdrawn


def test_stop_from_a_number_nobody_has_is_stored_and_changes_nothing(api, worker, donor):
    before = ConsentRecord.objects.count()
    response = send(api, "STOP", phone="+919700000001")

    assert response.json()["status"] == "refused"
    sms = InboundSms.objects.get()
    assert sms.outcome == InboundOutcome.STOP_UNKNOWN and sms.worker is None and sms.district is None
    assert sms.get_outcome_display() == "STOP from an unknown number"
    assert ConsentRecord.objects.count() == before
    worker.refresh_from_db()
    donor.refresh_from_db()
    assert worker.consent_to_contact and donor.opted_out_at is None
    reply = Notification.objects.get(kind=inbound.REPLY_KIND)
    assert reply.address == "+919700000001" and reply.language == "hi" and reply.status == Status.QUEUED


def test_an_inactive_worker_who_is_not_a_user_may_still_stop(api, worker):
    worker.is_active = False
    worker.save()
    send(api, "STOP", phone=WORKER_PHONE)
    worker.refresh_from_db()
    assert not worker.consent_to_contact
    assert Notification.objects.get(kind=outbox.STOP_CONFIRMATION_KIND).status == Status.QUEUED


def test_only_the_stop_confirmation_passes_a_refusal(worker):
    worker.consent_to_contact = False
    worker.save()
    recipient = recipients.from_worker(worker)
    planned = outbox.plan(
        [
            outbox.Draft(recipient, kind=outbox.STOP_CONFIRMATION_KIND, about="m1", body="ok", urgent=True),
            outbox.Draft(recipient, kind=inbound.REPLY_KIND, about="m1", body="ok", urgent=True),
        ]
    )
    assert [p.status for p in planned] == [Status.QUEUED, Status.SUPPRESSED]


def test_a_report_sms_still_works_as_before(api, worker):
    response = send(api, "SEVA MASKS 500", phone=WORKER_PHONE)
    assert response.json()["status"] == "recorded"
    assert Activity.objects.get().numbers == {"masks": 500}
    assert InboundSms.objects.get().outcome == InboundOutcome.RECORDED
    worker.refresh_from_db()
    assert worker.consent_to_contact
    assert not Notification.objects.filter(kind=outbox.STOP_CONFIRMATION_KIND).exists()


@pytest.mark.parametrize("secret", [None, "wrong"])
def test_a_stop_without_the_gateways_secret_is_403_and_changes_nothing(api, worker, secret):
    response = send(api, "STOP", phone=WORKER_PHONE, secret=secret)
    assert response.status_code == 403
    worker.refresh_from_db()
    assert worker.consent_to_contact and not InboundSms.objects.exists()
    assert not ConsentRecord.objects.filter(channel=ConsentChannel.SMS).exists()


def test_a_stop_accepted_at_once_is_read_by_the_worker(api, worker, settings, monkeypatch):
    """Production's way: the webhook keeps the message, a worker reads it after the commit."""
    settings.SMS_INBOUND_ASYNC = True
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
    response = send(api, "STOP", phone=WORKER_PHONE)
    assert response.status_code == 200
    # Celery runs in process in the tests: the message has been read by now.
    worker.refresh_from_db()
    assert not worker.consent_to_contact
    assert InboundSms.objects.get().outcome == InboundOutcome.OPTED_OUT


def test_a_stop_word_cannot_be_a_catalogue_keyword(db):
    from django.core.exceptions import ValidationError

    from tasks17.models import _validate_sms_keyword

    for word in ("stop", "बंद", "रोकें"):
        with pytest.raises(ValidationError):
            _validate_sms_keyword(word)


def test_the_opted_out_outcome_is_shown_in_hindi():
    from django.utils.translation import override

    with override("hi"):
        assert str(InboundOutcome.OPTED_OUT.label) != "Opted out by SMS"
        assert str(InboundOutcome.STOP_UNKNOWN.label) != "STOP from an unknown number"


def test_the_admin_lists_the_outcome(client_as, state_admin, worker):
    inbound.receive(message_id="adm-1", phone=WORKER_PHONE, text="STOP")
    page = client_as(state_admin).get("/admin/notify/inboundsms/?outcome=opted_out")
    assert page.status_code == 200
    assert "Opted out by SMS" in page.content.decode() and "+919812345678" in page.content.decode()
