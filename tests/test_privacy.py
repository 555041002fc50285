"""Personal data (DPDP Act 2023, docs/privacy.md): the privacy notice, consent records, erasing a
person across every table, and the retention of callers' and patients' details."""

import datetime
import uuid
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from helplines import selectors as helpline_selectors
from helplines import services as helpline_services
from helplines.choices import Outcome
from helplines.models import HelpRequest, RequestEvent
from seva.monitoring import selectors as dashboard
from seva.notify import rules
from seva.notify.inbound_models import InboundSms
from seva.notify.models import Notification
from seva.people.models import Worker
from seva.people.services import worker_create, worker_update
from seva.privacy import services as privacy
from seva.privacy.choices import ConsentPurpose, SubjectKind
from seva.privacy.erasers import ERASED_NAME, ERASERS
from seva.privacy.models import ConsentRecord, PrivacyNotice
from tasks17.models import Activity, Donor
from tasks17.records.services.donors import donor_opt_out, donor_register, donor_update
from tasks17.selectors import campaign_period, figures
from tests.factories import WorkerFactory, district
from tests.factories_helplines import open_request
from tests.factories_tasks import campaign_around_today, report

PHONE = "+919835012345"
NATIONAL = "9835012345"
NAME = "Rameshwar Prasad Yadav"
OLD_NAME = "Rameshwar Yadav"
PATIENT = "Kamla Devi Yadav"


# --- the notice ------------------------------------------------------------------------------


def test_the_first_notice_is_published_in_both_languages(db):
    notice = PrivacyNotice.objects.current()
    assert notice.version == 1
    for words in ("mobile", "blood group", "Data Protection Board", "180 days", "erase"):
        assert words in notice.text_en
    for words in ("मोबाइल", "रक्त समूह", "डेटा संरक्षण बोर्ड", "180 दिन", "मिटा"):
        assert words in notice.text_hi


def test_the_notice_page_needs_no_sign_in_and_speaks_hindi(client, db, settings):
    settings.SEVA_GRIEVANCE_EMAIL = "shikayat@example.org"
    page = client.get(reverse("privacy:notice"))
    assert page.status_code == 200
    assert "Data Protection Board" in page.content.decode()
    assert "shikayat@example.org" in page.content.decode()
    hindi = client.get(reverse("privacy:notice"), HTTP_ACCEPT_LANGUAGE="hi")
    assert "डेटा संरक्षण बोर्ड" in hindi.content.decode()
    assert "गोपनीयता सूचना" in hindi.content.decode()


def test_past_versions_are_listed_and_kept(client, db):
    PrivacyNotice.objects.create(
        version=2, published_on=timezone.localdate(), text_en="Second text", text_hi="दूसरा पाठ"
    )
    PrivacyNotice.objects.create(
        version=3,
        published_on=timezone.localdate() + datetime.timedelta(days=5),
        text_en="Future",
        text_hi="भविष्य",
    )
    page = client.get(reverse("privacy:notice")).content.decode()
    assert "Second text" in page
    assert reverse("privacy:notice-version", args=[1]) in page
    assert "Future" not in page  # not yet published
    old = client.get(reverse("privacy:notice-version", args=[1]))
    assert old.status_code == 200
    assert "Data Protection Board" in old.content.decode()
    assert "earlier version" in old.content.decode()
    assert client.get(reverse("privacy:notice-version", args=[3])).status_code == 404
    assert client.get(reverse("privacy:notice-version", args=[99])).status_code == 404


def test_every_page_links_the_notice_in_its_footer(client, db):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("privacy:notice")}"' in page


@pytest.mark.parametrize("persona", ["state_admin", "state_staff", "dc_gaya", "helpline_patna"])
def test_everybody_signed_in_reads_the_notice_too(db, client_as, persona, request):
    user = request.getfixturevalue(persona)
    assert client_as(user).get(reverse("privacy:notice")).status_code == 200


# --- consent records -------------------------------------------------------------------------


def test_a_donors_consent_and_opt_out_are_recorded_with_the_notice(dc_patna, patna):
    donor = donor_register(
        by=dc_patna,
        name="Asha",
        phone="9835011111",
        blood_group="B+",
        district=patna,
        consent_to_contact=True,
    )
    donor_opt_out(by=dc_patna, donor=donor)
    records = list(ConsentRecord.objects.of(SubjectKind.DONOR, donor.pk))
    assert [r.given for r in records] == [False, True]
    assert {r.purpose for r in records} == {ConsentPurpose.DONATION_MATCHING}
    assert all(r.notice.version == 1 and r.recorded_by == dc_patna for r in records)


def test_a_donor_without_consent_has_no_record_until_he_gives_it(dc_patna, patna):
    donor = donor_register(by=dc_patna, name="Asha", phone="9835011111", blood_group="B+", district=patna)
    assert not ConsentRecord.objects.of(SubjectKind.DONOR, donor.pk).exists()
    donor_update(by=dc_patna, donor=donor, data={"consent_to_contact": True})
    donor_update(by=dc_patna, donor=donor, data={"notes": "evenings"})  # no change of consent
    assert [r.given for r in ConsentRecord.objects.of(SubjectKind.DONOR, donor.pk)] == [True]


def test_a_workers_consent_given_and_withdrawn_is_recorded(dc_patna, patna):
    worker = worker_create(
        by=dc_patna,
        data={
            "name": "Vikas",
            "phone": "9835022222",
            "role": "volunteer",
            "district": patna,
            "consent_to_contact": True,
            "consent_date": timezone.localdate(),
        },
    )
    worker_update(by=dc_patna, worker=worker, data={"consent_to_contact": False, "consent_date": None})
    records = list(ConsentRecord.objects.of(SubjectKind.WORKER, worker.pk))
    assert [(r.given, r.purpose) for r in records] == [
        (False, ConsentPurpose.CAMPAIGN_CONTACT),
        (True, ConsentPurpose.CAMPAIGN_CONTACT),
    ]


def test_a_caller_who_shares_his_number_is_recorded_from_the_call(operator, patna_line):
    shared = open_request(operator, patna_line, caller_shares_phone=True)
    kept = open_request(operator, patna_line, caller_phone="+919835033333")
    record = ConsentRecord.objects.of(SubjectKind.CALLER, shared.pk).get()
    assert record.given and record.channel == "phone_call" and record.recorded_by == operator
    assert record.purpose == ConsentPurpose.CALLER_PHONE_SHARED
    assert not ConsentRecord.objects.of(SubjectKind.CALLER, kept.pk).exists()


def test_the_persons_page_lists_his_consents_and_gaya_sees_nothing(client_as, dc_patna, dc_gaya, patna):
    donor = donor_register(
        by=dc_patna,
        name="Asha",
        phone="9835011111",
        blood_group="B+",
        district=patna,
        consent_to_contact=True,
    )
    url = reverse("tasks17:record-donor-update", args=[donor.pk])
    page = client_as(dc_patna).get(url)
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="consent-row"') == 1
    assert client_as(dc_gaya).get(url).status_code == 404


def test_the_workers_and_the_requests_pages_show_consent(client_as, dc_patna, operator, patna_line, patna):
    worker = WorkerFactory(district=patna)
    page = client_as(dc_patna).get(reverse("people:worker-update", args=[worker.pk]))
    assert "No consent recorded yet." in page.content.decode()
    request = open_request(operator, patna_line, caller_shares_phone=True)
    page = client_as(operator).get(reverse("helplines:request-detail", args=[request.pk]))
    assert page.content.decode().count('data-testid="consent-row"') == 1


# --- erasure ---------------------------------------------------------------------------------


def _person_everywhere(dc_patna, operator, patna_line, patna):
    """The person with PHONE in every place personal data lives, and others beside him."""
    other = WorkerFactory(district=patna, name="Suresh Kumar Sinha")
    him = worker_create(
        by=dc_patna,
        data={
            "name": OLD_NAME,
            "phone": "98350 12345",
            "role": "volunteer",
            "district": patna,
            "consent_to_contact": True,
            "consent_date": timezone.localdate(),
            "email": "rp@example.org",
        },
    )
    worker_update(by=dc_patna, worker=him, data={"name": NAME})  # the old name stays in the history
    donor = donor_register(
        by=dc_patna,
        name=NAME,
        phone=PHONE,
        blood_group="O+",
        district=patna,
        consent_to_contact=True,
        notes=f"call {NATIONAL} after 6",
    )
    # He called the helpline for his mother, agreed to share his number; the request was
    # assigned to another worker (whose message carries his number) and closed.
    call = open_request(
        operator,
        patna_line,
        caller_name=NAME,
        caller_phone=PHONE,
        patient_name=PATIENT,
        caller_shares_phone=True,
        details=f"son {NAME} on {NATIONAL}",
    )
    helpline_services.request_assign(by=operator, request=call, worker=other)
    helpline_services.request_note(by=operator, request=call, note=f"{NAME} says oxygen at 85")
    # Another caller's request was assigned to him (the timeline names him).
    theirs = open_request(operator, patna_line, caller_phone="+919835044444", caller_name="Geeta Kumari")
    helpline_services.request_assign(by=operator, request=theirs, worker=him)
    rules.run("assignment", now=timezone.now() + datetime.timedelta(seconds=1))
    helpline_services.request_resolve(by=operator, request=call, outcome=Outcome.BED_ARRANGED)
    InboundSms.objects.create(
        message_id="gw-1",
        phone="919835012345",
        text="MASK 40",
        worker=him,
        district=patna,
        outcome="recorded",
        reply=f"Thank you {NAME}",
    )
    Notification.objects.create(
        channel="sms",
        address=PHONE,
        name=NAME,
        language="hi",
        kind="broadcast",
        body="Camp tomorrow",
        dedup_key=f"broadcast:a{PHONE}:1",
    )
    report(dc_patna, notes=f"Met {NAME} ({NATIONAL}) at the camp")
    return him, donor, call, theirs, other


def _figures(patna):
    cache.clear()
    period = campaign_period()
    district_board = dashboard.district_dashboard(district=patna, period=period)
    return {
        "rollups": sorted(
            (row["task_id"], row["metric_id"], row["reported"], row["reports"])
            for row in figures(start=period.start, end=period.end)
        ),
        "helplines": helpline_selectors.helpline_figures(),
        "active_workers": district_board.active_workers,
        "requests": sorted(HelpRequest.objects.values_list("status", "category", "district_id")),
        "donors": sorted(Donor.objects.values_list("blood_group", "district_id", "consent_to_contact")),
        "counts": {
            model._meta.label: model._base_manager.count()
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        },
    }


def _tables_holding(*needles: str) -> list[str]:
    """Every column of every table in the database holding one of ``needles`` (any case)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                for needle in needles:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608
                        f"WHERE LOWER(CAST({name} AS TEXT)) LIKE %s",
                        [f"%{needle.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column.name} ~ {needle}")
    return found


@pytest.fixture
def campaign(db):
    return campaign_around_today()


def test_erasing_a_person_leaves_no_trace_and_keeps_the_figures(
    campaign, dc_patna, operator, patna_line, patna, state_admin
):
    him, donor, call, theirs, other = _person_everywhere(dc_patna, operator, patna_line, patna)
    needles = (NATIONAL, NAME, OLD_NAME, PATIENT, "rp@example.org")
    # The search can fail: before, the person is in many tables (history included).
    before_tables = _tables_holding(*needles)
    assert any("historical" in hit for hit in before_tables), before_tables
    assert any("notification" in hit for hit in before_tables), before_tables
    before = _figures(patna)

    report_ = privacy.person_erase(phone="098350-12345", by=state_admin)

    assert _tables_holding(*needles) == []
    assert _figures(patna) == before
    assert report_.names_found >= 2 and report_.counts["workers"] >= 3
    him.refresh_from_db()
    donor.refresh_from_db()
    call.refresh_from_db()
    assert him.name == donor.name == call.caller_name == call.patient_name == ERASED_NAME
    assert str(him.phone).startswith("erased-") and str(donor.phone).startswith("erased-")
    # Others are untouched: the other worker, the other caller.
    other.refresh_from_db()
    theirs.refresh_from_db()
    assert other.name == "Suresh Kumar Sinha" and theirs.caller_name == "Geeta Kumari"
    # Consent records stay counted, no longer pointing at him.
    assert ConsentRecord.objects.filter(subject_id=None).count() == 3
    # The pages still open on the anonymised rows.
    assert_pages_open = [
        reverse("tasks17:record-donor-update", args=[donor.pk]),
        reverse("people:worker-update", args=[him.pk]),
        reverse("people:worker-list"),
        reverse("tasks17:record-donor-list"),
    ]
    from django.test import Client

    client = Client()
    client.force_login(dc_patna, backend="django.contrib.auth.backends.ModelBackend")
    for url in assert_pages_open:
        assert client.get(url).status_code == 200, url
    for url in ("/api/v1/workers/", "/api/v1/donors/", "/api/v1/help-requests/"):
        assert client.get(url).status_code == 200, url
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("helplines:request-detail", args=[call.pk])).status_code == 200
    assert client.get(f"/api/v1/help-requests/{call.pk}/").json()["caller_name"] == ERASED_NAME


def test_erasing_twice_changes_nothing_more(campaign, dc_patna, operator, patna_line, patna, state_admin):
    _person_everywhere(dc_patna, operator, patna_line, patna)
    privacy.person_erase(phone=PHONE, by=state_admin)
    again = privacy.person_erase(phone=PHONE, by=state_admin)
    assert again.total == 0 and again.names_found == 0


def test_a_dry_run_counts_and_changes_nothing(campaign, dc_patna, operator, patna_line, patna):
    him, *_ = _person_everywhere(dc_patna, operator, patna_line, patna)
    before = _tables_holding(NATIONAL, NAME)
    out = StringIO()
    call_command("erase_person", "--phone", PHONE, "--dry-run", stdout=out)
    assert "Would change" in out.getvalue() and "workers: " in out.getvalue()
    assert _tables_holding(NATIONAL, NAME) == before
    him.refresh_from_db()
    assert him.name == NAME
    call_command("erase_person", "--phone", PHONE, stdout=StringIO())
    assert _tables_holding(NATIONAL, NAME) == []


def test_the_command_refuses_what_is_not_a_mobile_number(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("erase_person", "--phone", "0612-2200100", stdout=StringIO())


def test_only_the_state_admin_erases(dc_patna, state_staff, patna):
    for user in (dc_patna, state_staff):
        with pytest.raises(PermissionDenied):
            privacy.person_erase(phone=PHONE, by=user)
    with pytest.raises(ValidationError):
        privacy.person_erase(phone="12345", by=None)


def test_a_failing_eraser_leaves_nothing_half_erased(
    campaign, dc_patna, operator, patna_line, patna, monkeypatch
):
    him, *_ = _person_everywhere(dc_patna, operator, patna_line, patna)

    def broken(person):
        raise RuntimeError("disk full")

    monkeypatch.setattr("seva.privacy.erasers.ERASERS", [*ERASERS[:3], ("broken", broken)])
    with pytest.raises(RuntimeError):
        privacy.person_erase(phone=PHONE)
    him.refresh_from_db()
    assert him.name == NAME and str(him.phone) == PHONE


def test_the_admin_action_erases_the_selected_donors(client_as, state_admin, dc_patna, patna):
    donor = donor_register(by=dc_patna, name=NAME, phone=PHONE, blood_group="A+", district=patna)
    keep = donor_register(
        by=dc_patna, name="Asha Kumari", phone="9835011111", blood_group="A+", district=patna
    )
    url = reverse("admin:tasks17_donor_changelist")
    answer = client_as(state_admin).post(
        url, {"action": "erase_people", "_selected_action": [donor.pk]}, follow=True
    )
    assert answer.status_code == 200
    assert "1 person erased." in answer.content.decode()
    donor.refresh_from_db()
    keep.refresh_from_db()
    assert donor.name == ERASED_NAME and keep.name == "Asha Kumari"


@pytest.mark.parametrize("changelist", ["people_worker", "tasks17_donor", "helplines_helprequest"])
def test_the_erase_action_is_offered_to_the_state_admin_only(
    client_as, state_admin, state_staff, operator, patna_line, changelist
):
    # The admin shows actions only above a list with rows.
    WorkerFactory(district=district("patna"))
    Donor.objects.create(name="Asha", phone="+919835011111", blood_group="A+", district=district("patna"))
    open_request(operator, patna_line)
    url = reverse(f"admin:{changelist}_changelist")
    assert 'value="erase_people"' in client_as(state_admin).get(url).content.decode()
    staff_page = client_as(state_staff).get(url)
    assert 'value="erase_people"' not in staff_page.content.decode()


# --- retention -------------------------------------------------------------------------------


def test_callers_are_anonymised_after_the_retention_period_once(campaign, operator, patna_line, settings):
    settings.SEVA_HELP_REQUEST_RETENTION_DAYS = 30
    start = timezone.now()
    old = open_request(operator, patna_line, caller_name=NAME, caller_phone=PHONE, caller_shares_phone=True)
    helpline_services.request_note(by=operator, request=old, note=f"{NAME} will call back")
    helper = WorkerFactory(district=district("patna"), consent_to_contact=True)
    helpline_services.request_assign(by=operator, request=old, worker=helper)
    rules.run("assignment", now=timezone.now() + datetime.timedelta(seconds=1))
    assert Notification.objects.filter(body__contains=NATIONAL).count() == 1
    helpline_services.request_resolve(by=operator, request=old, outcome=Outcome.BED_ARRANGED)
    still_open = open_request(operator, patna_line, caller_name="Geeta Kumari", caller_phone="+919835044444")
    with time_machine.travel(start + datetime.timedelta(days=29)):
        assert privacy.help_requests_expire() == 0
        recent = open_request(operator, patna_line, caller_name="Kiran Bala", caller_phone="+919835055555")
        helpline_services.request_resolve(by=operator, request=recent, outcome=Outcome.ADVICE_GIVEN)
    with time_machine.travel(start + datetime.timedelta(days=31)):
        figures_before = helpline_selectors.helpline_figures()
        assert privacy.help_requests_expire(batch=1) == 1
        assert privacy.help_requests_expire() == 0  # idempotent
        assert helpline_selectors.helpline_figures() == figures_before
    old.refresh_from_db()
    still_open.refresh_from_db()
    recent.refresh_from_db()
    assert old.caller_name == ERASED_NAME and old.details == "" and str(old.caller_phone) == "erased"
    assert not RequestEvent.objects.filter(request=old).exclude(note="").exists()
    assert not Notification.objects.filter(body__contains=NATIONAL).exists()
    assert still_open.caller_name == "Geeta Kumari" and recent.caller_name == "Kiran Bala"
    assert Activity.objects.filter(pk=old.activity_id).exists()


def test_the_retention_job_is_on_beats_schedule(db):
    task = PeriodicTask.objects.get(task="seva.privacy.tasks.help_requests_expire")
    assert task.enabled and task.crontab.timezone.key == "Asia/Kolkata"


def test_the_retention_task_runs_through_celery(campaign, operator, patna_line, settings):
    from seva.privacy.tasks import help_requests_expire

    settings.SEVA_HELP_REQUEST_RETENTION_DAYS = 1
    old = open_request(operator, patna_line)
    helpline_services.request_resolve(by=operator, request=old, outcome=Outcome.BED_ARRANGED)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert help_requests_expire.delay().get() == 1


def test_erasure_reaches_a_model_given_a_history_later(db):
    # Generic: every model with a ``history`` manager has its history rows erased too.
    from seva.privacy.erasers import history_model

    assert history_model(Worker) is not None and history_model(Donor) is not None
    assert history_model(uuid.UUID) is None


def test_a_district_id_is_no_help_to_gaya(client_as, dc_gaya, dc_patna, patna):
    # The consent list is only on pages that are already scoped: Gaya gets 404 for Patna's worker.
    worker = WorkerFactory(district=district("patna"))
    assert client_as(dc_gaya).get(reverse("people:worker-update", args=[worker.pk])).status_code == 404
