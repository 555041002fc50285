"""Issue 14's other records through the bulk path (seva/reports/bulk_records.py,
bulk_activities.py, bulk_exports.py): targets, camps, donors and activity reports imported
(checked whole, all or nothing, the same file twice changes nothing, history kept) and
exported in the columns the import reads; districts, seats, facilities and help requests
exported only, personal data masked; scope and the export log."""

import csv
import datetime
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from seva.geo.models import Booth
from seva.reports.bulk_activities import ActivityImport, row_uuid
from seva.reports.bulk_records import CampImport, DonorImport, TargetImport
from seva.reports.models import ExportLog, ImportJob, ImportStatus
from tasks17.choices import CampKind, CampStatus
from tasks17.models import Activity, ActivityValue, DailyRollup, DonationCamp, Donor, Target
from tasks17.records.services import camp_create, camp_hold, donor_register
from tests.factories import district, seat_in
from tests.factories_helplines import facility, helpline, member, open_request
from tests.factories_tasks import campaign_around_today, report


def _today():
    return timezone.localdate()


def _run(importer, text, *, dry_run=False):
    return importer.run(io.BytesIO(text.encode()), "csv", dry_run=dry_run)


def _errors(result):
    return [(error.line, error.column) for error in result.errors]


def _export(client, kind, **params):
    response = client.get(reverse("reports:import-export", args=[kind]), params)
    assert response.status_code == 200, response.status_code
    if response.streaming:  # read to the end, as a browser would
        plain = HttpResponse(b"".join(part.encode() if isinstance(part, str) else part for part in response))
        plain["Content-Disposition"] = response["Content-Disposition"]
        return plain
    return response


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _csv_text(response):
    return response.content.decode("utf-8-sig")


def _history_counts():
    return (
        Target.history.count(),
        DonationCamp.history.count(),
        Donor.history.count(),
        Activity.history.count(),
    )


# --- Targets ---------------------------------------------------------------------------------

TARGETS = (
    "task,metric,district,period_start,period_end,value\n"
    "masks-sanitiser,masks,patna,2021-05-01,2021-05-31,5000\n"
    "masks-sanitiser,sanitiser,patna,2021-05-01,2021-05-31,700\n"
    'meals,meals,gaya,2021-05-01,2021-05-31,"1,200"\n'
)


def test_targets_are_added_with_history_and_the_same_file_twice_changes_nothing(state_staff):
    result = _run(TargetImport(state_staff), TARGETS)
    assert result.ok and len(result.added) == 3
    assert Target.objects.count() == 3 and Target.history.count() == 3
    assert {h.history_user for h in Target.history.all()} == {state_staff}
    assert Target.objects.get(metric__code="meals").value == 1200
    again = _run(TargetImport(state_staff), TARGETS)
    assert again.ok and again.unchanged == 3 and not again.added and not again.changed
    assert Target.history.count() == 3


def test_a_target_imported_with_a_new_number_is_corrected_and_its_history_keeps_the_old(state_staff):
    _run(TargetImport(state_staff), TARGETS)
    result = _run(TargetImport(state_staff), TARGETS.replace("5000", "6000"))
    assert result.ok and len(result.changed) == 1 and result.unchanged == 2
    target = Target.objects.get(metric__code="masks")
    assert target.value == 6000
    assert [h.value for h in target.history.order_by("history_date")] == [5000, 6000]
    assert target.history.latest().history_type == "~"


def test_a_bad_targets_file_lists_every_bad_row_and_writes_nothing(state_staff):
    text = (
        "task,metric,district,period_start,period_end,value\n"
        "nosuch,masks,patna,2021-05-01,2021-05-31,10\n"
        "masks-sanitiser,meals,patna,2021-05-01,2021-05-31,10\n"
        "masks-sanitiser,masks,atlantis,2021-05-01,2021-05-31,10\n"
        "masks-sanitiser,masks,patna,2021-05-31,2021-05-01,10\n"
        "masks-sanitiser,masks,patna,2021-05-01,2021-05-31,0\n"
        "masks-sanitiser,masks,patna,01/05/2021,2021-05-31,10\n"
        "masks-sanitiser,sanitiser,patna,2021-05-01,2021-05-31,10\n"
        "masks-sanitiser,sanitiser,patna,2021-05-01,2021-05-31,20\n"
    )
    result = _run(TargetImport(state_staff), text)
    assert not result.ok
    assert _errors(result) == [
        (2, "task"),
        (3, "metric"),
        (4, "district"),
        (5, "period_end"),
        (6, "value"),
        (7, "period_start"),
        (9, "metric"),
    ]
    assert "Task “masks-sanitiser” has no metric “meals”." in result.errors[1].message
    assert Target.objects.count() == 0 and Target.history.count() == 0


def test_a_coordinator_cannot_import_targets_and_another_district_is_no_district(
    client_as, dc_gaya, state_staff
):
    client = client_as(dc_gaya)
    assert client.get(reverse("reports:import-upload", args=["targets"])).status_code == 403
    result = _run(TargetImport(dc_gaya), TARGETS)
    assert [error.line for error in result.errors] == [2, 3]  # Patna's rows; Gaya's is fine
    assert "No district with code “patna”." in result.errors[0].message
    assert Target.objects.count() == 0


def test_targets_export_and_import_back_changes_nothing(client_as, state_staff, dc_gaya):
    _run(TargetImport(state_staff), TARGETS)
    response = _export(client_as(state_staff), "targets")
    rows = _csv_rows(response)
    assert rows[0] == ["task", "metric", "district", "period_start", "period_end", "value"]
    assert ["masks-sanitiser", "masks", "patna", "2021-05-01", "2021-05-31", "5000"] in rows
    again = _run(TargetImport(state_staff), _csv_text(response))
    assert again.ok and again.unchanged == 3 and not again.added and not again.changed
    # Gaya's coordinator sees only Gaya's target.
    gaya_rows = _csv_rows(_export(client_as(dc_gaya), "targets"))
    assert [row[2] for row in gaya_rows[1:]] == ["gaya"]


def test_hindi_headers_are_read_back(client_as, state_staff):
    _run(TargetImport(state_staff), TARGETS)
    response = _export(client_as(state_staff), "targets", format="xlsx", headers="hi")
    book = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in book.active[1]] == ["कार्य", "मापक", "जिला", "से", "तक", "लक्ष्य"]
    again = TargetImport(state_staff).run(io.BytesIO(response.content), "xlsx")
    assert again.ok and again.unchanged == 3


# --- Camps -----------------------------------------------------------------------------------


def _camps_text(day):
    seat = seat_in("patna").number
    return (
        "kind,district,assembly_seat,venue,date,organiser,organiser_phone,notes\n"
        f"blood,patna,{seat},Town Hall,{day},Ravi Kumar,98765 43210,\n"
        f"plasma,patna,,PMCH,{day},Dr Sinha,,bring ID\n"
    )


def test_camps_come_in_planned_with_their_maker_and_twice_change_nothing(dc_patna):
    day = _today() + datetime.timedelta(days=7)
    result = _run(CampImport(dc_patna), _camps_text(day))
    assert result.ok and len(result.added) == 2
    camp = DonationCamp.objects.get(venue="Town Hall")
    assert (camp.status, camp.created_by, camp.date, camp.kind) == (
        CampStatus.PLANNED,
        dc_patna,
        day,
        "blood",
    )
    assert camp.organiser_phone == "+919876543210" and camp.assembly_seat == seat_in("patna")
    assert DonationCamp.history.count() == 2
    assert {h.history_user for h in DonationCamp.history.all()} == {dc_patna}
    again = _run(CampImport(dc_patna), _camps_text(day))
    assert again.ok and again.unchanged == 2 and DonationCamp.history.count() == 2
    changed = _run(CampImport(dc_patna), _camps_text(day).replace("Ravi Kumar", "Ravi K."))
    assert changed.ok and len(changed.changed) == 1
    assert DonationCamp.objects.get(venue="Town Hall").organiser == "Ravi K."
    assert DonationCamp.history.count() == 3


def test_a_bad_camps_file_writes_nothing(dc_patna):
    gaya_seat = seat_in("gaya").number
    day = _today()
    text = (
        "kind,district,assembly_seat,venue,date,organiser,organiser_phone,status,donors\n"
        f"blood,patna,{gaya_seat},Hall,{day},Ravi,,,\n"  # a Gaya seat in Patna
        f"milk,patna,,Hall,{day},Ravi,,,\n"  # no such kind
        f"blood,gaya,,Hall,{day},Ravi,,,\n"  # not his district
        f"blood,patna,,Hall,{day},Ravi,12345,,\n"  # not a mobile
        f"blood,patna,,Hall,{day},Ravi,,held,40\n"  # held in a sheet
        f"blood,patna,,Hall,{day},,,,\n"  # no organiser
        f"blood,patna,,Good,{day},Ravi,,,\n"
        f"blood,patna,,good,{day},Ravi,,,\n"  # the same camp again
    )
    result = _run(CampImport(dc_patna), text)
    assert _errors(result) == [
        (2, "assembly_seat"),
        (3, "kind"),
        (4, "district"),
        (5, "organiser_phone"),
        (7, "organiser"),
        (9, "venue"),
        (6, "status"),
    ]
    assert DonationCamp.objects.count() == 0 and DonationCamp.history.count() == 0


def test_a_held_camp_exported_and_imported_back_is_left_as_it_is(client_as, dc_patna):
    camp = camp_create(
        by=dc_patna,
        kind=CampKind.BLOOD,
        district=district("patna"),
        venue="Gandhi Maidan",
        date=_today(),
        organiser="Red Cross",
    )
    camp_hold(by=dc_patna, camp=camp, donors=40, units=38)
    response = _export(client_as(dc_patna), "camps")
    rows = _csv_rows(response)
    assert rows[1][3:10] == ["Gandhi Maidan", _today().isoformat(), "Red Cross", "", "held", "40", "38"]
    before = _history_counts()
    again = _run(CampImport(dc_patna), _csv_text(response))
    assert again.ok and again.unchanged == 1 and _history_counts() == before
    changed = _run(CampImport(dc_patna), _csv_text(response).replace("Red Cross", "Someone else"))
    assert _errors(changed) == [(2, "status")] and "only a planned camp changes" in changed.errors[0].message
    assert DonationCamp.objects.get().organiser == "Red Cross"


# --- Donors ----------------------------------------------------------------------------------

DONORS = (
    "name,phone,blood_group,district,last_donated_on,consent_to_contact,language,notes\n"
    "Asha Devi,98765 43210,O+,patna,2021-03-01,yes,hi,\n"
    "Bimal Singh,+91 91234 56789,B-,patna,,no,en,evenings\n"
)


def test_donors_are_registered_with_consent_and_history_and_twice_change_nothing(dc_patna):
    result = _run(DonorImport(dc_patna), DONORS)
    assert result.ok and len(result.added) == 2
    asha = Donor.objects.get(phone="+919876543210")
    assert asha.consent_to_contact and asha.consent_at is not None and asha.district == district("patna")
    assert asha.last_donated_on == datetime.date(2021, 3, 1)
    assert Donor.history.filter(history_type="+").count() == 2
    assert {h.history_user for h in Donor.history.all()} == {dc_patna}
    again = _run(DonorImport(dc_patna), DONORS)
    assert again.ok and again.unchanged == 2 and Donor.history.count() == 2


def test_consent_taken_back_in_a_sheet_is_an_opt_out_which_a_sheet_cannot_undo(dc_patna):
    _run(DonorImport(dc_patna), DONORS)
    result = _run(DonorImport(dc_patna), DONORS.replace(",yes,hi", ",no,hi"))
    assert result.ok and len(result.changed) == 1
    asha = Donor.objects.get(phone="+919876543210")
    assert not asha.consent_to_contact and asha.opted_out_at is not None and asha.consent_at is None
    back = _run(DonorImport(dc_patna), DONORS)
    assert _errors(back) == [(2, "consent_to_contact")]
    assert Donor.objects.get(phone="+919876543210").opted_out_at is not None


def test_consent_given_and_taken_back_in_a_sheet_is_recorded_as_the_donor_pages_record_it(dc_patna):
    from seva.privacy.models import ConsentRecord

    _run(DonorImport(dc_patna), DONORS)
    asha = Donor.objects.get(phone="+919876543210")
    first = ConsentRecord.objects.get()  # Asha consents; Bimal does not: nothing to record
    assert (first.subject_kind, first.subject_id, first.given, first.purpose) == (
        "donor",
        asha.pk,
        True,
        "donation_matching",
    )
    assert first.recorded_by == dc_patna and first.notice is not None
    _run(DonorImport(dc_patna), DONORS.replace(",yes,hi", ",no,hi"))
    assert list(ConsentRecord.objects.order_by("pk").values_list("subject_id", "given")) == [
        (asha.pk, True),
        (asha.pk, False),
    ]
    _run(DonorImport(dc_patna), DONORS.replace(",yes,hi", ",no,hi"))  # the same sheet: nothing new
    assert ConsentRecord.objects.count() == 2


def test_a_bad_donors_file_writes_nothing(dc_patna, dc_gaya):
    donor_register(
        by=dc_gaya, name="Gaya donor", phone="9000000001", blood_group="A+", district=district("gaya")
    )
    tomorrow = _today() + datetime.timedelta(days=1)
    text = (
        "name,phone,blood_group,district,last_donated_on,consent_to_contact\n"
        "Good,9876543210,O+,patna,,no\n"
        "Bad phone,12345,O+,patna,,no\n"
        "Twice,98765-43210,O+,patna,,no\n"
        "Bad group,9876500000,Z+,patna,,no\n"
        f"Future,9876500001,O+,patna,{tomorrow},no\n"
        "Other district,9000000001,A+,patna,,no\n"  # registered in Gaya: not revealed
        "Gaya row,9876500002,O+,gaya,,no\n"
        "Consent,9876500003,O+,patna,,maybe\n"
    )
    result = _run(DonorImport(dc_patna), text)
    assert _errors(result) == [
        (3, "phone"),
        (4, "phone"),
        (5, "blood_group"),
        (6, "last_donated_on"),
        (8, "district"),
        (9, "consent_to_contact"),
        (7, "phone"),
    ]
    assert result.errors[-1].message == "This mobile number cannot be registered here."
    assert Donor.objects.count() == 1 and Donor.history.count() == 1


def test_donors_phones_are_masked_for_those_who_may_not_see_them_and_a_masked_file_imports_nothing(
    client_as, dc_patna, state_admin
):
    _run(DonorImport(dc_patna), DONORS)
    masked = _export(client_as(dc_patna), "donors")
    assert 'filename="donors-masked.csv"' in masked["Content-Disposition"]
    rows = _csv_rows(masked)
    assert rows[1][:2] == ["Asha Devi", "•••••••210"] and "9876543210" not in _csv_text(masked)
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.rows, log.masked) == (dc_patna, "donors", 2, True)
    result = _run(DonorImport(dc_patna), _csv_text(masked))
    assert _errors(result) == [(2, "phone"), (3, "phone")] and "masked" in result.errors[0].message
    assert Donor.history.count() == 2
    full = _export(client_as(state_admin), "donors")
    assert 'filename="donors.csv"' in full["Content-Disposition"]
    assert _csv_rows(full)[1][:2] == ["Asha Devi", "'+919876543210"]  # escaped, read back as +91…
    again = _run(DonorImport(state_admin), _csv_text(full))
    assert again.ok and again.unchanged == 2 and Donor.history.count() == 2
    assert ExportLog.objects.filter(user=state_admin, masked=False, rows=2).exists()


def test_a_formula_in_a_name_is_stored_as_text_and_escaped_again_on_export(client_as, state_admin):
    text = (
        'name,phone,blood_group,district\n"\'=cmd()",9876543210,O+,patna\n=HYPERLINK(1),9876543211,A+,patna\n'
    )
    assert _run(DonorImport(state_admin), text).ok
    assert set(Donor.objects.values_list("name", flat=True)) == {"=cmd()", "=HYPERLINK(1)"}
    exported = _csv_text(_export(client_as(state_admin), "donors"))
    assert "'=cmd()" in exported and "'=HYPERLINK(1)" in exported
    book = load_workbook(io.BytesIO(_export(client_as(state_admin), "donors", format="xlsx").content))
    names = [row[0] for row in book.active.iter_rows(min_row=2)]
    assert {cell.value for cell in names} == {"=cmd()", "=HYPERLINK(1)"}
    assert {cell.data_type for cell in names} == {"s"}  # text, never a formula
    again = _run(DonorImport(state_admin), exported)
    assert again.ok and again.unchanged == 2


def test_gaya_cannot_export_or_import_patnas_donors(client_as, dc_patna, dc_gaya):
    _run(DonorImport(dc_patna), DONORS)
    rows = _csv_rows(_export(client_as(dc_gaya), "donors"))
    assert rows[1:] == []
    result = _run(DonorImport(dc_gaya), DONORS.replace(",patna,", ",gaya,"))
    assert [error.message for error in result.errors] == ["This mobile number cannot be registered here."] * 2
    assert not Donor.objects.filter(district=district("gaya")).exists()


# --- Activity reports ------------------------------------------------------------------------


@pytest.fixture
def campaign(db):
    return campaign_around_today(days_before=60, days_after=30)


def _activities_text(day, masks=100):
    seat = seat_in("patna")
    booth = Booth.objects.create(assembly_seat=seat, number=45, name="Primary school")
    return (
        "district,assembly_seat,booth,task,date,masks,sanitiser,meals,families\n"
        f"patna,{seat.number},{booth.number},masks-sanitiser,{day},{masks},10,,\n"
        f"patna,,,meals,{day},,,300,60\n"
    ), booth


def test_activities_go_through_the_report_service_and_a_reimport_is_stored_once(campaign, dc_patna):
    text, booth = _activities_text(_today())
    result = _run(ActivityImport(dc_patna), text)
    assert result.ok and len(result.added) == 2, result.errors
    report_ = Activity.objects.get(task__code="masks-sanitiser")
    assert report_.booth == booth and report_.assembly_seat == booth.assembly_seat
    assert report_.reported_by == dc_patna and report_.numbers == {"masks": 100, "sanitiser": 10}
    assert report_.client_uuid == row_uuid(
        district="patna",
        seat=booth.assembly_seat.number,
        mandal="",
        booth=45,
        task="masks-sanitiser",
        date=_today(),
    )
    assert ActivityValue.objects.count() == 4
    # The rollups hold the imported numbers, as for any report.
    masks = DailyRollup.objects.filter(metric__code="masks", district=district("patna"), date=_today())
    assert sum(row.reported for row in masks) >= 100
    again = _run(ActivityImport(dc_patna), text)
    assert again.ok and again.unchanged == 2 and not again.added
    assert Activity.objects.count() == 2 and Activity.history.count() == 2


def test_a_reimport_with_other_numbers_is_a_bad_row_not_a_second_report(campaign, dc_patna):
    text, _booth = _activities_text(_today())
    _run(ActivityImport(dc_patna), text)
    result = _run(ActivityImport(dc_patna), text.replace(",100,10,", ",150,10,"))
    assert _errors(result) == [(2, "client_uuid")] and "correct it on its page" in result.errors[0].message
    assert Activity.objects.count() == 2


def test_a_bad_activities_file_lists_every_bad_row_and_writes_nothing(campaign, dc_patna):
    today = _today()
    seat = seat_in("patna").number
    gaya_seat = seat_in("gaya").number
    before = (Activity.objects.count(), ActivityValue.objects.count(), DailyRollup.objects.count())
    text = (
        "district,assembly_seat,booth,task,date,masks,sanitiser,meals,client_uuid\n"
        f"patna,,,masks-sanitiser,{today},5,,,\n"  # good
        f"patna,,,nosuch,{today},5,,,\n"
        f"patna,,,masks-sanitiser,{today},,,5,\n"  # meals is not counted for masks
        f"patna,,,masks-sanitiser,{today - datetime.timedelta(days=1)},-5,,,\n"
        f"patna,,,masks-sanitiser,{today + datetime.timedelta(days=1)},5,,,\n"
        f"patna,,,masks-sanitiser,{today - datetime.timedelta(days=90)},5,,,\n"  # before the campaign
        f"gaya,,,masks-sanitiser,{today},5,,,\n"  # outside his scope
        f"patna,{gaya_seat},,masks-sanitiser,{today},5,,,\n"
        f"patna,{seat},999,masks-sanitiser,{today - datetime.timedelta(days=2)},5,,,\n"  # no such booth
        f"patna,,,blood-camp,{today},5,,,\n"  # fed by its records
        f"patna,,,masks-sanitiser,{today},0,0,,\n"
        f"patna,,,masks-sanitiser,{today},5,,,not-a-uuid\n"
        f"patna,,,masks-sanitiser,{today},500000,,,\n"
    )
    result = _run(ActivityImport(dc_patna), text)
    assert not result.ok
    lines = {error.line for error in result.errors}
    assert lines == set(range(3, 15)), _errors(result)
    assert (Activity.objects.count(), ActivityValue.objects.count(), DailyRollup.objects.count()) == before
    assert Activity.history.count() == 0


def test_a_coordinator_may_not_go_further_back_than_the_state_office(campaign, dc_patna, state_staff):
    day = _today() - datetime.timedelta(days=45)
    text = f"district,task,date,masks\npatna,masks-sanitiser,{day},5\n"
    assert _errors(_run(ActivityImport(dc_patna), text, dry_run=True)) == [(2, "date")]
    assert _run(ActivityImport(state_staff), text).ok
    assert Activity.objects.get().reported_by == state_staff


def test_another_districts_client_reference_is_refused_without_revealing_it(campaign, dc_patna, dc_gaya):
    gaya_report = report(dc_gaya, code="gaya")
    text = (
        "district,task,date,masks,client_uuid\n"
        f"patna,masks-sanitiser,{_today()},5,{gaya_report.client_uuid}\n"
    )
    result = _run(ActivityImport(dc_patna), text)
    assert [error.message for error in result.errors] == ["This client reference is already in use."]


def test_activities_export_and_import_back_changes_nothing(campaign, client_as, dc_patna, dc_gaya):
    text, _booth = _activities_text(_today())
    _run(ActivityImport(dc_patna), text)
    report(dc_patna, values={"masks": 7}, client_uuid=uuid.uuid4())
    report(dc_gaya, code="gaya")
    response = _export(client_as(dc_patna), "activities")
    rows = _csv_rows(response)
    assert rows[0][:8] == [
        "district",
        "assembly_seat",
        "mandal",
        "booth",
        "task",
        "date",
        "notes",
        "client_uuid",
    ]
    assert len(rows) == 4 and {row[0] for row in rows[1:]} == {"patna"}
    masks = rows[0].index("masks")
    assert sorted(row[masks] for row in rows[1:]) == ["", "100", "7"]
    before = (Activity.objects.count(), Activity.history.count(), DailyRollup.objects.count())
    again = _run(ActivityImport(dc_patna), _csv_text(response))
    assert again.ok and again.unchanged == 3 and not again.added
    assert (Activity.objects.count(), Activity.history.count(), DailyRollup.objects.count()) == before
    log = ExportLog.objects.get()
    assert (log.what, log.rows, log.filters["from"]) == ("activities", 3, campaign.start_date.isoformat())


# --- Through the pages -----------------------------------------------------------------------


@pytest.fixture
def _on_commit_at_once(monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())


def test_a_coordinator_imports_activities_through_the_pages(
    campaign, client_as, dc_patna, _on_commit_at_once
):
    client = client_as(dc_patna)
    index = client.get(reverse("reports:imports")).content.decode()
    for kind in ("camps", "donors", "activities"):
        assert f'data-testid="import-{kind}"' in index
    assert 'data-testid="import-targets"' not in index and 'data-testid="kind-targets"' in index
    assert 'data-testid="import-districts"' not in index and 'data-testid="kind-districts"' in index
    text = f"district,task,date,masks\npatna,masks-sanitiser,{_today()},25\n"
    upload = client.post(
        reverse("reports:import-upload", args=["activities"]),
        {"file": SimpleUploadedFile("reports.csv", text.encode())},
    )
    job = ImportJob.objects.get()
    assert upload.status_code == 302 and job.status == ImportStatus.READY and job.added == 1
    assert "1 will be added" in client.get(upload["Location"]).content.decode()
    assert Activity.objects.count() == 0
    client.post(reverse("reports:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Activity.objects.get().numbers == {"masks": 25}


def test_an_unknown_metric_column_is_refused_at_upload(campaign, client_as, dc_patna):
    text = f"district,task,date,masks,parrots\npatna,masks-sanitiser,{_today()},25,3\n"
    response = client_as(dc_patna).post(
        reverse("reports:import-upload", args=["activities"]),
        {"file": SimpleUploadedFile("reports.csv", text.encode())},
    )
    assert response.status_code == 200 and "Unknown columns: parrots." in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("persona", "kind", "status"),
    [
        ("state_staff", "targets", 200),
        ("dc_patna", "targets", 403),
        ("dc_patna", "camps", 200),
        ("dc_patna", "donors", 200),
        ("dc_patna", "activities", 200),
        ("helpline_patna", "donors", 200),
        ("helpline_patna", "camps", 403),
        ("helpline_patna", "activities", 403),
        ("state_admin", "districts", 403),
        ("state_admin", "seats", 403),
        ("state_admin", "facilities", 403),
        ("state_admin", "help-requests", 403),
    ],
)
def test_who_may_reach_each_upload_page(db, client_as, request, persona, kind, status):
    response = client_as(request.getfixturevalue(persona)).get(reverse("reports:import-upload", args=[kind]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "kind", "status"),
    [
        ("dc_gaya", "targets", 200),
        ("dc_gaya", "camps", 200),
        ("dc_gaya", "donors", 200),
        ("dc_gaya", "activities", 200),
        ("dc_gaya", "districts", 200),
        ("dc_gaya", "seats", 200),
        ("dc_gaya", "facilities", 200),
        ("dc_gaya", "help-requests", 200),
        ("helpline_patna", "targets", 403),
        ("helpline_patna", "activities", 403),
    ],
)
def test_who_may_reach_each_export(db, client_as, request, persona, kind, status):
    response = client_as(request.getfixturevalue(persona)).get(reverse("reports:import-export", args=[kind]))
    assert response.status_code == status


def test_signed_out_visitors_are_sent_to_sign_in(db, client):
    for kind in ("targets", "activities", "help-requests"):
        assert client.get(reverse("reports:import-export", args=[kind])).status_code == 302
        assert client.get(reverse("reports:import-upload", args=[kind])).status_code == 302


# --- Exported only ---------------------------------------------------------------------------


def test_districts_and_seats_are_exported_by_code_and_number(client_as, state_staff, dc_gaya):
    rows = _csv_rows(_export(client_as(state_staff), "districts"))
    assert rows[0] == ["code", "name_en", "name_hi", "division", "headquarters", "headquarters_hi"]
    patna = next(row for row in rows if row[0] == "patna")
    assert patna[1] == "Patna" and patna[2] == "पटना"
    assert len(rows) == 39  # the header and Bihar's 38 districts
    seats = _csv_rows(_export(client_as(state_staff), "seats"))
    assert len(seats) == 244
    seat = seat_in("patna")
    row = next(row for row in seats if row[0] == str(seat.number))
    assert row[3] == "patna" and row[4] == str(seat.lok_sabha_seat.number) and row[6] == seat.reserved
    gaya_seats = _csv_rows(_export(client_as(dc_gaya), "seats"))
    assert {row[3] for row in gaya_seats[1:]} == {"gaya"}


def test_help_requests_are_exported_masked_unless_the_user_may_see_them(
    client_as, state_admin, state_staff, dc_patna, dc_gaya, helpline_patna
):
    line = helpline("Patna Covid Helpline", "patna")
    member(helpline_patna, line)
    open_request(helpline_patna, line, details="Call back on 98123 45678")
    facility()
    staff = _export(client_as(state_staff), "help-requests")
    row = _csv_rows(staff)[1]
    assert row[3:6] == ["S•••• D••••", "•••••••678", "M•••• L••••"]
    assert "98123" not in _csv_text(staff) and "Sunita" not in _csv_text(staff)
    assert 'filename="help-requests-masked.csv"' in staff["Content-Disposition"]
    assert ExportLog.objects.get(user=state_staff).masked is True
    for user in (state_admin, dc_patna):
        row = _csv_rows(_export(client_as(user), "help-requests"))[1]
        assert row[3:6] == ["Sunita Devi", "'+919812345678", "Mohan Lal"]
        assert ExportLog.objects.get(user=user).masked is False
    assert _csv_rows(_export(client_as(dc_gaya), "help-requests"))[1:] == []
    facilities = _csv_rows(_export(client_as(dc_patna), "facilities"))
    assert facilities[1] == ["PMCH", "hospital", "patna", "", "0612-2300000", "yes"]
    assert _csv_rows(_export(client_as(dc_gaya), "facilities"))[1:] == []


# --- The admin ------------------------------------------------------------------------------


def test_the_admins_booth_and_worker_import_and_export_lead_to_the_background_path(client_as, state_admin):
    client = client_as(state_admin)
    for model, kind in (("geo_booth", "booths"), ("people_worker", "workers")):
        response = client.get(reverse(f"admin:{model}_import"))
        assert response.status_code == 302
        assert response["Location"] == reverse("reports:import-upload", args=[kind])
        response = client.post(reverse(f"admin:{model}_process_import"), {})
        assert response["Location"] == reverse("reports:import-upload", args=[kind])
        response = client.get(reverse(f"admin:{model}_export"))
        assert response["Location"] == reverse("reports:import-export", args=[kind]) + "?format=xlsx"
    assert client.get(reverse("reports:import-upload", args=["booths"])).status_code == 200


def test_a_file_of_more_reports_than_one_import_takes_is_refused_whole(campaign, dc_patna, monkeypatch):
    from seva.reports import bulk_activities
    from seva.reports.bulk import ImportFileError

    monkeypatch.setattr(bulk_activities, "MAX_ROWS", 2)
    text = "district,task,date,masks\n" + f"patna,masks-sanitiser,{_today()},5\n" * 3
    with pytest.raises(ImportFileError, match="at most 2 reports"):
        _run(ActivityImport(dc_patna), text)
    assert Activity.objects.count() == 0


# --- No query per row ------------------------------------------------------------------------


def _queries(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def _targets(count):
    return "task,metric,district,period_start,period_end,value\n" + "".join(
        f"masks-sanitiser,masks,patna,2021-05-{day:02d},2021-06-30,{day * 10}\n"
        for day in range(1, count + 1)
    )


def _camps(count):
    return "kind,district,venue,date,organiser\n" + "".join(
        f"blood,patna,Hall {n},2021-05-01,Ravi\n" for n in range(count)
    )


def _donors(count):
    return "name,phone,blood_group,district\n" + "".join(
        f"Donor {n},98765{n:05d},O+,patna\n" for n in range(count)
    )


@pytest.mark.parametrize(
    ("importer", "make"), [(TargetImport, _targets), (CampImport, _camps), (DonorImport, _donors)]
)
def test_checking_and_writing_a_file_takes_the_same_queries_for_3_rows_as_for_25(state_admin, importer, make):
    small = _queries(lambda: _run(importer(state_admin), make(3)))
    large = _queries(lambda: _run(importer(state_admin), make(25)))
    assert small == large
    # Again, with every row now "already as in the file" or changed: still the same.
    assert _queries(lambda: _run(importer(state_admin), make(25))) <= large


def test_checking_activities_takes_the_same_queries_for_3_rows_as_for_25(campaign, dc_patna):
    def text(count):
        return "district,task,date,masks,client_uuid\n" + "".join(
            f"patna,masks-sanitiser,{_today()},{n + 1},{uuid.uuid4()}\n" for n in range(count)
        )

    small = _queries(lambda: _run(ActivityImport(dc_patna), text(3), dry_run=True))
    assert small == _queries(lambda: _run(ActivityImport(dc_patna), text(25), dry_run=True))


@pytest.mark.parametrize("kind", ["targets", "camps", "donors", "activities", "help-requests", "seats"])
def test_an_export_takes_the_same_queries_whatever_its_size(campaign, client_as, state_admin, kind):
    client = client_as(state_admin)
    _run(TargetImport(state_admin), _targets(3))
    _run(CampImport(state_admin), _camps(3))
    _run(DonorImport(state_admin), _donors(3))
    line = helpline("Patna Covid Helpline", "patna")
    for _n in range(3):
        report(state_admin, values={"masks": 5}, client_uuid=uuid.uuid4())
        open_request(state_admin, line)
    small = _queries(lambda: _export(client, kind))
    _run(TargetImport(state_admin), _targets(25))
    _run(CampImport(state_admin), _camps(25))
    _run(DonorImport(state_admin), _donors(25))
    for _n in range(22):
        report(state_admin, values={"masks": 5}, client_uuid=uuid.uuid4())
        open_request(state_admin, line)
    assert _queries(lambda: _export(client, kind)) == small


def test_hindi_headers_and_hindi_reasons(campaign, dc_patna):
    from django.utils import translation

    text = f"जिला,कार्य,तारीख,masks\npatna,masks-sanitiser,{_today()},5\npatna,masks-sanitiser,{_today()},6\n"
    with translation.override("hi"):
        result = _run(ActivityImport(dc_patna), text, dry_run=True)
        masked = _run(DonorImport(dc_patna), "नाम,मोबाइल नंबर,रक्त समूह,जिला\nआशा,•••••••210,O+,patna\n")
    assert result.errors[0].message == "यह रिपोर्ट पंक्ति 2 पर भी है (हर एक को अपना client_uuid दें)।"
    assert masked.errors[0].message.startswith("यह नंबर छिपा हुआ है")


def test_the_activities_csv_streams_masks_phones_in_notes_and_the_xlsx_has_a_limit(
    campaign, client_as, dc_patna, state_admin, monkeypatch
):
    report(dc_patna, values={"masks": 7}, notes="Call Ram on 98123 45678")
    response = client_as(dc_patna).get(reverse("reports:import-export", args=["activities"]))
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "98123" not in text and "•••••••678" in text
    log = ExportLog.objects.get()
    assert (log.rows, log.masked) == (1, True)
    assert "98123 45678" in _csv_text(_export(client_as(state_admin), "activities"))
    monkeypatch.setattr("seva.reports.imports_views.XLSX_MAX_ROWS", 0)
    refused = client_as(state_admin).get(
        reverse("reports:import-export", args=["activities"]), {"format": "xlsx"}
    )
    assert refused.status_code == 400 and b"export them as CSV" in refused.content


def test_the_menu_offers_imports_to_whoever_may_import_some_kind(
    client_as, helpline_patna, dc_patna, state_staff
):
    from seva.navigation import menu_links
    from seva.people.choices import PortalRole
    from tests.conftest import _persona

    president = _persona("president_patna", PortalRole.DISTRICT_PRESIDENT, "patna")
    # The operator imports donors only, and now finds the page in his menu; a district
    # president imports nothing and does not.
    assert "imports" in [link.key for link in menu_links(helpline_patna)]
    assert "imports" in [link.key for link in menu_links(dc_patna)]
    assert "imports" in [link.key for link in menu_links(state_staff)]
    assert "imports" not in [link.key for link in menu_links(president)]
    assert 'href="/imports/"' in client_as(helpline_patna).get("/").content.decode()
