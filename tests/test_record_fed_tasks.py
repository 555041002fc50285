"""Figures count once (issue 11): a task fed by its records takes no typed report, by page
or API; the records still write theirs; typed reports stored before are withdrawn by a
command that keeps the rollups right."""

import uuid
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from tasks17.choices import ActivityOrigin, ActivityStatus, CampKind
from tasks17.models import Activity, Task
from tasks17.records import services as records
from tasks17.services import activity_submit, activity_update, activity_withdraw, can_edit
from tests.factories import district
from tests.factories_tasks import report, task
from tests.test_rollups import assert_rollups_equal_the_facts

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
REFUSAL = "counted from its records"
CAMP_VALUES = {"camps": 1, "donors": 40, "units": 38}


def _typed_before_the_rule(by, task_code="blood-camp", values=None):
    """A typed report stored before its task was marked as fed by its records."""
    Task.objects.filter(code=task_code).update(fed_by_records=False)
    activity = report(by, task_code=task_code, values=values or CAMP_VALUES)
    Task.objects.filter(code=task_code).update(fed_by_records=True)
    return Activity.objects.select_related("task").get(pk=activity.pk)


def _hold_a_camp(by, patna):
    camp = records.camp_create(
        by=by,
        kind=CampKind.BLOOD,
        district=patna,
        venue="Gandhi Maidan",
        date=TODAY(),
        organiser="Yuva Morcha",
    )
    return records.camp_hold(by=by, camp=camp, donors=42, units=40)


def test_the_five_record_fed_tasks_are_marked():
    from tasks17.catalogue import RECORD_FED_TASKS

    assert set(Task.objects.filter(fed_by_records=True).values_list("code", flat=True)) == {
        "blood-camp",
        "plasma-camp",
        "helpline",
        "representative-meetings",
        "corona-free-booth",
    }
    assert set(RECORD_FED_TASKS) == set(
        Task.objects.filter(fed_by_records=True).values_list("code", flat=True)
    )


def test_the_report_form_does_not_offer_a_record_fed_task(client_as, dc_patna):
    page = client_as(dc_patna).get(reverse("tasks17:activity-create")).content.decode()
    assert 'value="masks-sanitiser"' in page
    for code in ("blood-camp", "plasma-camp", "representative-meetings", "corona-free-booth"):
        assert f'value="{code}"' not in page
    fragment = (
        client_as(dc_patna).get(reverse("tasks17:metric-fields"), {"task": "blood-camp"}).content.decode()
    )
    assert "metric_donors" not in fragment


def test_the_page_refuses_a_typed_report_for_a_record_fed_task(client_as, dc_patna, patna):
    data = {
        "task": "blood-camp",
        "district": patna.pk,
        "date": TODAY().isoformat(),
        "metric_camps": "1",
        "metric_donors": "42",
        "metric_units": "40",
        "client_uuid": str(uuid.uuid4()),
    }
    response = client_as(dc_patna).post(reverse("tasks17:activity-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["task"] == [
        "This task is counted from its records (camps, conferences, declarations, help requests): "
        "enter the record there, not a report here."
    ]
    assert not Activity.objects.exists()


def test_the_page_says_it_in_hindi(client_as, dc_patna, patna):
    client = client_as(dc_patna)
    data = {
        "task": "plasma-camp",
        "district": patna.pk,
        "date": TODAY().isoformat(),
        "client_uuid": str(uuid.uuid4()),
    }
    with override("hi"):
        response = client.post(reverse("tasks17:activity-create"), data, HTTP_ACCEPT_LANGUAGE="hi")
    message = response.context["form"].errors["task"][0]
    assert "रिकॉर्ड" in message and REFUSAL not in message
    assert not Activity.objects.exists()


def test_the_api_refuses_a_typed_report_for_a_record_fed_task_with_400_on_task(api, dc_patna):
    api.force_authenticate(dc_patna)
    payload = {
        "client_uuid": str(uuid.uuid4()),
        "task": "blood-camp",
        "district": "patna",
        "date": TODAY().isoformat(),
        "values": CAMP_VALUES,
    }
    response = api.post("/api/v1/activities/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["task"]
    assert REFUSAL in response.json()["task"][0]
    assert not Activity.objects.exists()


def test_the_api_refuses_moving_a_typed_report_to_a_record_fed_task(api, dc_patna):
    activity = report(dc_patna)
    api.force_authenticate(dc_patna)
    response = api.patch(
        f"/api/v1/activities/{activity.pk}/",
        {"task": "representative-meetings", "values": {"meetings": 1}},
        format="json",
    )
    assert response.status_code == 400
    assert REFUSAL in response.json()["task"][0]
    activity.refresh_from_db()
    assert activity.task.code == "masks-sanitiser"


def test_the_service_refuses_every_record_fed_task_to_a_typed_report(dc_patna, patna):
    for code in Task.objects.filter(fed_by_records=True).values_list("code", flat=True):
        metric = task(code).metrics.filter(is_active=True).first()
        with pytest.raises(ValidationError) as excinfo:
            activity_submit(
                by=dc_patna,
                task=task(code),
                district=patna,
                date=TODAY(),
                values={metric.code: 1},
                client_uuid=uuid.uuid4(),
            )
        assert REFUSAL in excinfo.value.message_dict["task"][0]
    assert not Activity.objects.exists()


def test_a_task_marked_in_the_admin_refuses_typed_reports(client_as, state_admin, dc_patna):
    meals = task("meals")
    admin = client_as(state_admin)
    page = admin.get(reverse("admin:tasks17_task_change", args=[meals.pk])).content.decode()
    assert 'name="fed_by_records"' in page and "nobody may type a report for it" in page
    Task.objects.filter(pk=meals.pk).update(fed_by_records=True)
    with pytest.raises(ValidationError) as excinfo:
        report(dc_patna, task_code="meals", values={"meals": 10})
    assert "task" in excinfo.value.message_dict


def test_a_held_camp_still_writes_its_report(dc_patna, patna):
    camp = _hold_a_camp(dc_patna, patna)
    assert camp.activity.origin == ActivityOrigin.CAMP
    assert camp.activity.numbers == {"camps": 1, "donors": 42, "units": 40}
    assert_rollups_equal_the_facts()


def test_the_helpline_origin_passes(dc_patna, patna):
    activity = activity_submit(
        by=dc_patna,
        task=task("helpline"),
        district=patna,
        date=TODAY(),
        values={task("helpline").metrics.first().code: 1},
        client_uuid=uuid.uuid4(),
        origin=ActivityOrigin.HELPLINE,
    )
    assert activity.origin == ActivityOrigin.HELPLINE


def test_a_typed_report_stored_before_cannot_be_corrected(dc_patna):
    activity = _typed_before_the_rule(dc_patna)
    assert not can_edit(dc_patna, activity)
    with pytest.raises(ValidationError) as excinfo:
        activity_update(
            by=dc_patna, activity=activity, task=activity.task, date=activity.date, values=CAMP_VALUES
        )
    assert REFUSAL in excinfo.value.message_dict["task"][0]


def test_a_typed_report_of_an_ordinary_task_is_still_not_withdrawn(dc_patna, state_admin):
    activity = report(dc_patna)
    with pytest.raises(ValidationError) as excinfo:
        activity_withdraw(by=state_admin, activity=activity, reason="counted twice")
    assert "origin" in excinfo.value.message_dict


def test_the_command_withdraws_typed_reports_and_leaves_record_ones(dc_patna, state_admin, patna):
    typed = _typed_before_the_rule(dc_patna)
    typed_plasma = _typed_before_the_rule(dc_patna, "plasma-camp", {"camps": 1, "donors": 5, "units": 5})
    ordinary = report(dc_patna)
    camp = _hold_a_camp(dc_patna, patna)

    out = StringIO()
    call_command("withdraw_typed_record_reports", "--dry-run", "--reason", "x", stdout=out)
    assert "2 typed reports would be withdrawn" in out.getvalue()
    assert Activity.objects.filter(status=ActivityStatus.WITHDRAWN).count() == 0

    out = StringIO()
    reason = "Camp held on the same day: counted twice"
    call_command(
        "withdraw_typed_record_reports", "--reason", reason, "--by", state_admin.username, stdout=out
    )
    assert "2 typed reports withdrawn" in out.getvalue()
    for activity in (typed, typed_plasma):
        activity.refresh_from_db()
        assert activity.status == ActivityStatus.WITHDRAWN
        last = activity.history.order_by("-history_date").first()
        assert (last.history_user, last.history_change_reason) == (state_admin, reason)
    ordinary.refresh_from_db()
    camp.activity.refresh_from_db()
    assert ordinary.status == camp.activity.status == ActivityStatus.SUBMITTED
    assert_rollups_equal_the_facts()
    # The camp counts once now: its own report only.
    from tasks17.selectors import figures

    sums = {
        row["metric_id"]: row["reported"]
        for row in figures(start=TODAY(), end=TODAY(), task=task("blood-camp"), by=("metric",))
    }
    donors = task("blood-camp").metrics.get(code="donors")
    assert sums[donors.pk] == 42

    out = StringIO()
    call_command(
        "withdraw_typed_record_reports", "--reason", reason, "--by", state_admin.username, stdout=out
    )
    assert "0 typed reports withdrawn" in out.getvalue()


def test_the_command_needs_a_reason_and_a_state_wide_user(dc_patna):
    with pytest.raises(CommandError):
        call_command("withdraw_typed_record_reports", "--reason", "  ", "--by", "dc_patna")
    with pytest.raises(CommandError, match="state-wide"):
        call_command("withdraw_typed_record_reports", "--reason", "twice", "--by", dc_patna.username)


def test_the_detail_page_shows_who_withdrew_and_why(client_as, dc_patna, state_admin):
    typed = _typed_before_the_rule(dc_patna)
    call_command(
        "withdraw_typed_record_reports",
        "--reason",
        "Counted twice",
        "--by",
        state_admin.username,
        stdout=StringIO(),
    )
    page = client_as(state_admin).get(reverse("tasks17:activity-detail", args=[typed.pk])).content.decode()
    assert "Counted twice" in page


def test_the_migration_lists_typed_reports(dc_patna, capsys):
    import importlib

    from django.apps import apps

    _typed_before_the_rule(dc_patna)
    migration = importlib.import_module("tasks17.migrations.0011_list_typed_reports_of_record_fed_tasks")
    migration.list_typed_reports(apps, None)
    printed = capsys.readouterr().out
    assert "1 typed reports for record-fed task 'blood-camp' (1 still counted)" in printed
    assert Activity.objects.get().status == ActivityStatus.SUBMITTED  # it changes nothing
    assert district("patna")  # the geography is there: real data, not a stub
