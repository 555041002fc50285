"""Broadcasts: who an audience is, the preview, sending once, bad input, scope; the pages and
the API for the right roles only."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from seva.notify import broadcasts
from seva.notify.choices import Audience, BroadcastStatus, Channel, Status
from seva.notify.models import Broadcast, Notification
from seva.notify.sms import outbox as sms_outbox
from seva.people.choices import PortalRole, WorkerRole
from seva.people.services import user_create
from tasks17.models import Donor
from tests.factories import WorkerFactory, district

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2021, 5, 1)


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings):
    """Whatever the hour the suite runs at, SMS go at once."""
    settings.SEVA_QUIET_HOURS = (0, 0)
    sms_outbox.clear()


def worker(code="patna", consent=True, **kwargs):
    return WorkerFactory(
        district=district(code),
        consent_to_contact=consent,
        consent_date=TODAY if consent else None,
        **kwargs,
    )


def donor(code="patna", n=0, **kwargs):
    return Donor.objects.create(
        name=f"Donor {code} {n}",
        phone=f"+9197000{n:05d}",
        blood_group="O+",
        district=district(code),
        consent_to_contact=True,
        consent_at=timezone.now(),
        **kwargs,
    )


def coordinator(username, code, email=""):
    return user_create(
        username=username,
        password=None,
        role=PortalRole.DISTRICT_COORDINATOR,
        district=district(code),
        email=email or f"{username}@example.org",
    )


def ids(*codes):
    return [district(code).pk for code in codes]


# --- Who an audience is ------------------------------------------------------------------------


def test_coordinators_are_the_users_of_the_chosen_districts(dc_patna, dc_gaya, state_staff):
    people = broadcasts.audience_recipients(Audience.COORDINATORS, ids("patna"))
    assert [p.user_id for p in people] == [dc_patna.pk]
    both = broadcasts.audience_recipients(Audience.COORDINATORS, ids("patna", "gaya"))
    assert {p.user_id for p in both} == {dc_patna.pk, dc_gaya.pk}


def test_booth_presidents_are_workers_of_that_role_in_the_districts(db):
    president = worker(role=WorkerRole.BOOTH_PRESIDENT)
    worker(role=WorkerRole.VOLUNTEER)
    worker("gaya", role=WorkerRole.BOOTH_PRESIDENT)
    people = broadcasts.audience_recipients(Audience.BOOTH_PRESIDENTS, ids("patna"))
    assert [p.worker_id for p in people] == [president.pk]


def test_workers_with_a_skill_are_active_workers_whose_skills_mention_it(db):
    driver = worker(skills="Driver, cook")
    worker(skills="nurse")
    worker(skills="driver", is_active=False)
    everyone = broadcasts.audience_recipients(Audience.WORKERS, ids("patna"))
    assert len(everyone) == 2
    drivers = broadcasts.audience_recipients(Audience.WORKERS, ids("patna"), "  DRIVER ")
    assert [p.worker_id for p in drivers] == [driver.pk]


def test_donors_are_those_who_agreed_and_did_not_opt_out(db):
    yes = donor(n=1)
    donor(n=2, opted_out_at=timezone.now())
    Donor.objects.create(name="No", phone="+919700099999", blood_group="A+", district=district("patna"))
    donor("gaya", n=3)
    people = broadcasts.audience_recipients(Audience.DONORS, ids("patna"))
    assert [p.donor_id for p in people] == [yes.pk]


def test_workers_are_read_without_a_query_per_person(django_assert_max_num_queries):
    for _ in range(30):
        worker()
    with django_assert_max_num_queries(2):
        people = broadcasts.audience_recipients(Audience.WORKERS, ids("patna"))
    assert len(people) == 30


# --- Preview -----------------------------------------------------------------------------------


def test_the_preview_counts_by_channel_and_says_why_some_would_not_get_it(state_staff):
    worker(email="")  # SMS
    worker(email="")
    worker(consent=False)  # not sent: no consent
    before = Notification.objects.count()
    preview = broadcasts.broadcast_preview(
        by=state_staff, text="Camp tomorrow", audience=Audience.WORKERS, districts=ids("patna")
    )
    assert preview.total == 3
    assert preview.by_channel == {Channel.SMS: 2}
    assert preview.to_send == 2
    assert preview.not_sent == 1
    assert preview.reasons == [("has not agreed to be contacted", 1)]
    assert Notification.objects.count() == before  # a preview writes nothing
    assert not Broadcast.objects.exists()


def test_the_preview_of_coordinators_goes_by_email_without_a_phone(state_staff, dc_patna):
    preview = broadcasts.broadcast_preview(
        by=state_staff, text="Report by 7", audience=Audience.COORDINATORS, districts=ids("patna")
    )
    assert preview.by_channel == {Channel.EMAIL: 1}


# --- Sending -----------------------------------------------------------------------------------


def test_sending_writes_one_row_per_recipient_and_delivers_them(
    state_staff, dc_patna, dc_gaya, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = broadcasts.broadcast_send(
            by=state_staff,
            text="Meeting at 5",
            audience=Audience.COORDINATORS,
            districts=ids("patna", "gaya"),
        )
    rows = Notification.objects.filter(broadcast=broadcast)
    assert rows.count() == 2
    assert set(rows.values_list("kind", flat=True)) == {"broadcast"}
    assert set(rows.values_list("body", flat=True)) == {"Meeting at 5"}
    assert set(rows.values_list("status", flat=True)) == {Status.SENT}
    assert len(mail.outbox) == 2
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DONE
    assert broadcast.recipients == 2
    assert set(broadcast.districts.values_list("code", flat=True)) == {"patna", "gaya"}


def test_a_second_write_of_the_same_broadcast_writes_nothing_new(
    state_staff, django_capture_on_commit_callbacks
):
    for _ in range(3):
        worker(email="")
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = broadcasts.broadcast_send(
            by=state_staff, text="Masks at the booth", audience=Audience.WORKERS, districts=ids("patna")
        )
    assert Notification.objects.filter(broadcast=broadcast).count() == 3
    assert len(sms_outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert broadcasts.broadcast_write(broadcast_id=broadcast.pk) == 0
    assert Notification.objects.filter(broadcast=broadcast).count() == 3
    assert len(sms_outbox) == 3


def test_the_message_goes_in_the_language_it_was_written_in(state_staff):
    worker(email="", language="en")
    text = "कल रक्तदान शिविर है"
    broadcast = broadcasts.broadcast_send(
        by=state_staff, text=text, audience=Audience.WORKERS, districts=ids("patna")
    )
    assert Notification.objects.get(broadcast=broadcast).body == text


def test_a_large_audience_is_written_by_the_celery_task(
    state_staff, settings, django_capture_on_commit_callbacks
):
    settings.SEVA_BROADCAST_INLINE_MAX = 2
    for _ in range(3):
        worker(email="")
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = broadcasts.broadcast_send(
            by=state_staff, text="Camp", audience=Audience.WORKERS, districts=ids("patna")
        )
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DONE
    assert Notification.objects.filter(broadcast=broadcast).count() == 3


# --- Bad input ---------------------------------------------------------------------------------


def _refused(user, field, **kwargs):
    data = {"text": "Hello", "audience": Audience.COORDINATORS, "districts": ids("patna"), **kwargs}
    with pytest.raises(ValidationError) as caught:
        broadcasts.broadcast_send(by=user, **data)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert not Broadcast.objects.exists()
    assert not Notification.objects.exists()
    return caught.value.message_dict[field]


def test_an_empty_message_is_refused(state_staff, dc_patna):
    _refused(state_staff, "text", text="   ")


def test_a_message_to_nobody_is_refused(state_staff):
    _refused(state_staff, "audience")


def test_a_message_longer_than_three_sms_parts_is_refused(state_staff, dc_patna):
    # Hindi: 70 characters in one part, 67 a part beyond; three parts hold 201.
    [message] = _refused(state_staff, "text", text="क" * 202)
    assert "4" in message


def test_three_hindi_parts_are_accepted(state_staff, dc_patna):
    broadcast = broadcasts.broadcast_send(
        by=state_staff, text="क" * 201, audience=Audience.COORDINATORS, districts=ids("patna")
    )
    assert broadcast.pk


def test_the_limit_of_parts_is_a_setting(state_staff, dc_patna, settings):
    settings.SEVA_BROADCAST_MAX_SMS_PARTS = 1
    _refused(state_staff, "text", text="a" * 161)


def test_state_staff_must_choose_a_district(state_staff, dc_patna):
    _refused(state_staff, "districts", districts=[])


def test_a_coordinator_may_not_send_to_another_district(dc_patna, dc_gaya):
    _refused(dc_patna, "districts", districts=ids("gaya"))
    _refused(dc_patna, "districts", districts=ids("patna", "gaya"))


def test_errors_come_in_the_users_language(state_staff):
    with translation.override("hi"):
        [message] = _refused(state_staff, "text", text="")
        assert message != "Write the message."


def test_a_coordinator_is_held_to_his_own_district(dc_patna, dc_gaya):
    worker(email="")
    worker("gaya", email="")
    broadcast = broadcasts.broadcast_send(by=dc_patna, text="Hello", audience=Audience.WORKERS, districts=[])
    assert list(broadcast.districts.values_list("code", flat=True)) == ["patna"]
    rows = Notification.objects.filter(broadcast=broadcast)
    assert {row.district.code for row in rows} == {"patna"}


def test_a_helpline_operator_may_not_broadcast(helpline_patna, dc_patna):
    with pytest.raises(PermissionDenied):
        broadcasts.broadcast_send(
            by=helpline_patna, text="Hi", audience=Audience.COORDINATORS, districts=ids("patna")
        )
    assert not Broadcast.objects.exists()


def test_a_large_broadcast_is_written_even_with_the_broker_down(
    state_staff, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from celery import current_app

    from seva.notify import tasks

    settings.SEVA_BROADCAST_INLINE_MAX = 1
    for _ in range(2):
        worker(email="")

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.send_broadcast, "delay", broker_down)
    current_app.conf.task_always_eager = False  # conftest's fixture puts it back
    monkeypatch.setattr(tasks.deliver_batch, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = broadcasts.broadcast_send(
            by=state_staff, text="Camp", audience=Audience.WORKERS, districts=ids("patna")
        )
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DONE
    rows = Notification.objects.filter(broadcast=broadcast)
    assert rows.count() == 2
    assert set(rows.values_list("status", flat=True)) == {Status.QUEUED}  # the re-queue delivers them
