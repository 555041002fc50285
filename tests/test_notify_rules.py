"""Each reminder rule writes the right messages, in each recipient's language, and a second run
writes nothing new (seva/notify/rules.py)."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from helplines import services as helpline_services
from helplines.choices import Urgency
from helplines.models import HelpRequest, Shift
from seva.notify import rules, sms
from seva.notify.choices import Channel, Status
from seva.notify.models import Notification, RuleState
from seva.people.choices import Language, WorkerRole
from tasks17 import services as task_services
from tasks17.choices import CampKind
from tasks17.records import services as records
from tests.factories import BoothFactory, WorkerFactory, district, seat_in
from tests.factories_helplines import open_request
from tests.factories_tasks import campaign_around_today, report, task

pytestmark = pytest.mark.django_db

IST = zoneinfo.ZoneInfo("Asia/Kolkata")
EVENING = datetime.datetime(2026, 11, 26, 19, 0, tzinfo=IST)


@pytest.fixture(autouse=True)
def _evening_and_commit_at_once(monkeypatch):
    sms.outbox.clear()
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
    with time_machine.travel(EVENING, tick=True):
        yield
    sms.outbox.clear()


def _to(kind):
    return {row.name: row for row in Notification.objects.filter(kind=kind)}


def _consenting(**fields):
    return WorkerFactory(consent_to_contact=True, consent_date=datetime.date(2026, 1, 1), **fields)


def test_the_evening_reminder_goes_to_districts_without_a_report_today(dc_patna, dc_gaya):
    report(dc_patna)
    result = rules.run("evening_report_reminder")
    assert result.written == 1
    row = Notification.objects.get(kind="evening_report_reminder")
    assert (row.user, row.channel, row.address, row.status) == (
        dc_gaya,
        Channel.EMAIL,
        dc_gaya.email,
        Status.SENT,
    )
    assert row.language == Language.HINDI
    assert "आज" in row.body  # Hindi by default
    assert rules.run("evening_report_reminder").written == 0
    assert Notification.objects.filter(kind="evening_report_reminder").count() == 1


def test_booth_presidents_only_when_the_state_office_turns_it_on(dc_patna):
    booth = BoothFactory(assembly_seat=seat_in("gaya"))
    president = _consenting(
        role=WorkerRole.BOOTH_PRESIDENT, district=district("gaya"), booth=booth, language=Language.ENGLISH
    )
    rules.run("evening_report_reminder")
    assert not Notification.objects.filter(worker=president).exists()
    RuleState.objects.filter(code="evening_report_reminder").update(options={"booth_presidents": True})
    rules.run("evening_report_reminder")
    row = Notification.objects.get(worker=president)
    assert (row.channel, row.status) == (Channel.SMS, Status.SENT)
    assert row.body == "Seva: no report from your booth today. Please send today's work."


def test_the_weekly_nudge_names_the_tasks_below_half(dc_patna, dc_gaya, state_admin):
    campaign_around_today()
    masks = task("masks-sanitiser")
    today = timezone.localdate()
    for code in ("patna", "gaya"):
        task_services.target_create(
            by=state_admin,
            task=masks,
            metric=masks.metrics.get(code="masks"),
            district=district(code),
            period_start=today - datetime.timedelta(days=9),
            period_end=today + datetime.timedelta(days=10),
            value=1000,
        )
    report(dc_gaya, code="gaya", values={"masks": 600, "sanitiser": 1})
    rules.run("weekly_lag_nudge")
    rows = _to("weekly_lag_nudge")
    assert list(rows) == [dc_patna.get_full_name() or dc_patna.username]
    assert masks.title_hi in rows[dc_patna.get_full_name() or dc_patna.username].body
    assert rules.run("weekly_lag_nudge").written == 0


def test_the_camp_reminder_reaches_the_organiser_and_consenting_donors(dc_patna):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    records.camp_create(
        by=dc_patna,
        kind=CampKind.BLOOD,
        district=district("patna"),
        venue="Gandhi Maidan",
        date=tomorrow,
        organiser="Ramesh",
        organiser_phone="+919811111111",
    )
    willing = records.donor_register(
        by=dc_patna,
        name="Willing",
        phone="+919822222222",
        blood_group="O+",
        district=district("patna"),
        consent_to_contact=True,
        language=Language.ENGLISH,
    )
    records.donor_register(
        by=dc_patna, name="Unwilling", phone="+919833333333", blood_group="O+", district=district("patna")
    )
    rules.run("camp_reminder")
    rows = _to("camp_reminder")
    assert set(rows) == {"Ramesh", "Willing"}
    assert rows["Willing"].donor == willing
    assert (
        rows["Willing"].body.startswith("Seva: Blood donation camp tomorrow")
        or "Gandhi Maidan" in rows["Willing"].body
    )
    assert {m.to for m in sms.outbox} == {"+919811111111", "+919822222222"}
    assert rules.run("camp_reminder").written == 0


def test_the_shift_reminder_half_an_hour_before(operator, patna_line):
    now = timezone.now()
    soon = Shift.objects.create(
        helpline=patna_line,
        operator=operator,
        start=now + datetime.timedelta(minutes=20),
        end=now + datetime.timedelta(hours=8),
    )
    Shift.objects.create(
        helpline=patna_line,
        operator=operator,
        start=now + datetime.timedelta(hours=3),
        end=now + datetime.timedelta(hours=11),
    )
    rules.run("shift_reminder")
    row = Notification.objects.get(kind="shift_reminder")
    assert row.user == operator and row.dedup_key.endswith(f"shift{soon.pk}")
    assert rules.run("shift_reminder").written == 0


def test_an_untouched_request_escalates_once_per_step_and_urgently(operator, lead, patna_line, dc_patna):
    request = open_request(operator, patna_line, urgency=Urgency.HIGH)  # 60 minutes
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    assert rules.run("escalation").written == 0
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=70)
    )
    assert rules.run("escalation").written == 2
    assert rules.run("escalation").written == 0
    assert {row.user for row in Notification.objects.filter(kind="escalation")} == {lead, dc_patna}
    assert all(row.urgent for row in Notification.objects.filter(kind="escalation"))
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=125)
    )
    assert rules.run("escalation").written == 2
    keys = Notification.objects.filter(kind="escalation").values_list("dedup_key", flat=True)
    assert sorted(key.rsplit(":", 1)[1] for key in keys) == ["step1", "step1", "step2", "step2"]
    # Acted on: no more.
    helpline_services.request_note(by=operator, request=request, note="Called the hospital")
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=200)
    )
    assert rules.run("escalation").written == 0


def test_escalations_go_out_in_quiet_hours(operator, lead, patna_line):
    lead.email = "lead@example.org"
    lead.save()
    request = open_request(operator, patna_line, urgency=Urgency.CRITICAL)
    with time_machine.travel(datetime.datetime(2026, 11, 26, 23, 30, tzinfo=IST), tick=True):
        HelpRequest.objects.filter(pk=request.pk).update(
            created_at=timezone.now() - datetime.timedelta(minutes=20)
        )
        rules.run("escalation")
    assert set(Notification.objects.filter(kind="escalation").values_list("status", flat=True)) == {
        Status.SENT
    }


def test_the_assigned_worker_gets_the_request_and_the_phone_only_if_the_caller_agreed(operator, patna_line):
    worker = _consenting(language=Language.ENGLISH)
    private = open_request(operator, patna_line)
    shared = open_request(operator, patna_line, caller_phone="+919876500000", caller_shares_phone=True)
    helpline_services.request_assign(by=operator, request=private, worker=worker)
    helpline_services.request_assign(by=operator, request=shared, worker=worker)
    rules.run("assignment")
    bodies = {row.dedup_key.split(":")[2]: row.body for row in Notification.objects.filter(kind="assignment")}
    assert private.reference in bodies and shared.reference in bodies
    assert "+91" not in bodies[private.reference]
    assert "+919876500000" in bodies[shared.reference]
    assert bodies[shared.reference].startswith(f"Seva: help request {shared.reference} is yours")
    assert rules.run("assignment").written == 0


def test_a_rejected_report_is_explained_to_its_reporter(dc_patna, state_staff):
    activity = report(dc_patna)
    task_services.activity_reject(by=state_staff, activity=activity, reason="Numbers do not match the stock")
    rules.run("report_sent_back")
    row = Notification.objects.get(kind="report_sent_back")
    assert row.user == dc_patna
    assert "Numbers do not match the stock" in row.body
    assert rules.run("report_sent_back").written == 0


def test_the_morning_digest_is_an_e_mail_to_the_state_office(state_staff, state_admin, dc_patna):
    report(dc_patna, days_ago=1)
    rules.run("morning_digest")
    rows = Notification.objects.filter(kind="morning_digest")
    assert {row.user for row in rows} == {state_staff, state_admin}
    assert {row.channel for row in rows} == {Channel.EMAIL}
    assert all(row.subject for row in rows)
    # With the daily review pack (the report centre's printable state pack).
    assert all("http://127.0.0.1:8000/reports/state-pack/" in row.body for row in rows)


def test_run_reminders_dry_run_prints_and_writes_nothing(dc_gaya):
    out = io.StringIO()
    call_command("run_reminders", "evening_report_reminder", "--dry-run", stdout=out)
    assert "would write 1" in out.getvalue()
    assert "dc_gaya@example.org" in out.getvalue()
    assert not Notification.objects.exists()
    call_command("run_reminders", "evening_report_reminder", stdout=io.StringIO())
    assert Notification.objects.count() == 1


def test_the_schedule_is_in_the_database_for_every_rule():
    import importlib

    from django.apps import apps

    # Made by the migration; a transactional test earlier in this process may have emptied the
    # tables, so make it again (it keeps rows that exist).
    importlib.import_module("seva.notify.migrations.0002_beat_schedule").make_schedule(apps, None)
    scheduled = set(
        PeriodicTask.objects.filter(task="seva.notify.tasks.run_rule").values_list("args", flat=True)
    )
    assert {f'["{code}"]' for code in rules.RULES} == scheduled
    assert PeriodicTask.objects.filter(task="seva.notify.tasks.requeue_due", enabled=True).exists()
