"""The task catalogue is edited in the admin, with no code change, and every page follows."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tasks17.choices import ActivityStatus
from tasks17.models import Activity, Metric, Target, Task
from tasks17.selectors import task_totals
from tasks17.services import activity_reject
from tests.factories import district
from tests.factories_tasks import MetricFactory, TaskFactory, report, task

INACTIVE = ["vaccination-help", "home-isolation-help", "hospital-food", "telemedicine", "insurance-claims"]


def _metric_rows(rows, *, initial=0):
    """Inline formset data for the task's metrics (prefix ``metrics``, the related name)."""
    data = {
        "metrics-TOTAL_FORMS": str(len(rows)),
        "metrics-INITIAL_FORMS": str(initial),
        "metrics-MIN_NUM_FORMS": "0",
        "metrics-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        row = {"position": index, "max_per_report": 1000, "is_active": "on", "label_hi": "", **row}
        for key in ["unit_en", "unit_hi"]:
            row.setdefault(key, "")
        data.update({f"metrics-{index}-{key}": value for key, value in row.items()})
    return data


def _add_task(client, code, *, number, metrics, title=None):
    data = {
        "code": code,
        "number": number,
        "position": 50 + number,
        "is_active": "on",
        "title_en": title or f"Task {code}",
        "title_hi": "",
        "description_en": "",
        "description_hi": "",
        "source": "State office circular, 2021",
        **_metric_rows(metrics),
    }
    return client.post(reverse("admin:tasks17_task_add"), data)


def _run_action(client, action, tasks):
    return client.post(
        reverse("admin:tasks17_task_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [t.pk for t in tasks], "index": 0},
    )


def _api_codes(api, user):
    api.force_authenticate(user)
    body = api.get("/api/v1/tasks/").json()
    return body["count"], [row["code"] for row in body["results"]]


def test_a_task_added_in_the_admin_with_two_metrics_appears_everywhere(client_as, state_admin, api, dc_patna):
    response = _add_task(
        client_as(state_admin),
        "oxygen-help",
        number=11,
        title="Oxygen cylinders for patients",
        metrics=[
            {"code": "cylinders", "label_en": "Cylinders delivered", "unit_en": "cylinders"},
            {"code": "refills", "label_en": "Cylinders refilled", "unit_en": "refills"},
        ],
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Task.objects.get(code="oxygen-help")
    assert [m.code for m in task.metrics.order_by("position")] == ["cylinders", "refills"]

    count, codes = _api_codes(api, dc_patna)
    assert count == 11 and "oxygen-help" in codes
    detail = api.get("/api/v1/tasks/oxygen-help/").json()
    assert [m["code"] for m in detail["metrics"]] == ["cylinders", "refills"]

    client = client_as(dc_patna)
    form = client.get(reverse("tasks17:activity-create")).content.decode()
    assert 'value="oxygen-help"' in form
    page = client.get(reverse("tasks17:task-list")).content.decode()
    assert "Oxygen cylinders for patients" in page and "Cylinders refilled" in page

    # And a report can be sent for it at once.
    activity = report(dc_patna, task_code="oxygen-help", values={"cylinders": 4, "refills": 2})
    assert {v.metric.code: v.value for v in activity.values.all()} == {"cylinders": 4, "refills": 2}


def test_the_task_list_grows_from_10_to_17_in_the_admin_and_every_page_follows(
    client_as, state_admin, api, dc_patna
):
    admin_client = client_as(state_admin)
    response = _run_action(admin_client, "activate", Task.objects.filter(code__in=INACTIVE))
    assert response.status_code == 302
    for number, code in [(16, "oxygen-help"), (17, "ambulance-help")]:
        response = _add_task(
            admin_client, code, number=number, metrics=[{"code": "people", "label_en": f"People ({code})"}]
        )
        assert response.status_code == 302
    assert Task.objects.active().count() == 17

    count, codes = _api_codes(api, dc_patna)
    assert count == 17 and len(codes) == 17
    client = client_as(dc_patna)
    form = client.get(reverse("tasks17:activity-create")).content.decode()
    page = client.get(reverse("tasks17:task-list")).content.decode()
    record_fed = set(Task.objects.filter(fed_by_records=True).values_list("code", flat=True))
    assert record_fed  # the form offers every task but those fed by their records (issue 11)
    for code in codes:
        assert (f'value="{code}"' in form) == (code not in record_fed)
        assert f'data-testid="task-{code}"' in page


def test_numbers_and_order_are_edited_on_the_list(client_as, state_admin):
    tasks = list(Task.objects.order_by("position", "number", "code"))
    data = {
        "form-TOTAL_FORMS": str(len(tasks)),
        "form-INITIAL_FORMS": str(len(tasks)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, t in enumerate(tasks):
        number = 11 if t.code == "vaccination-help" else t.number
        position = 0 if t.code == "vaccination-help" else t.position + 1
        data.update(
            {
                f"form-{index}-id": t.pk,
                f"form-{index}-number": "" if number is None else number,
                f"form-{index}-position": position,
                f"form-{index}-is_active": "on" if t.is_active or t.code == "vaccination-help" else "",
            }
        )
    response = client_as(state_admin).post(reverse("admin:tasks17_task_changelist"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    moved = Task.objects.get(code="vaccination-help")
    assert (moved.number, moved.is_active) == (11, True)
    assert Task.objects.active().first() == moved


def test_a_duplicate_task_number_on_the_list_is_an_error_not_a_500(client_as, state_admin):
    meals = task("meals")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": meals.pk,
        "form-0-number": "1",
        "form-0-position": meals.position,
        "form-0-is_active": "on",
        "_save": "Save",
    }
    response = client_as(state_admin).post(reverse("admin:tasks17_task_changelist"), data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    meals.refresh_from_db()
    assert meals.number == 4


def test_a_retired_task_leaves_new_reports_but_keeps_its_figures(client_as, state_admin, api, dc_patna):
    meals = task("meals")
    report(dc_patna, task_code="meals", values={"meals": 300, "families": 60}, days_ago=2)
    response = _run_action(client_as(state_admin), "retire", [meals])
    assert response.status_code == 302
    meals.refresh_from_db()
    assert not meals.is_active

    count, codes = _api_codes(api, dc_patna)
    assert count == 9 and "meals" not in codes
    assert 'value="meals"' not in client_as(dc_patna).get(reverse("tasks17:activity-create")).content.decode()
    with pytest.raises(ValidationError) as error:
        report(dc_patna, task_code="meals", values={"meals": 10})
    assert "task" in error.value.message_dict

    today = timezone.localdate()
    totals = {
        row.task.code: {m.metric.code: m.reported for m in row.metrics}
        for row in task_totals(user=dc_patna, start=today - datetime.timedelta(days=30), end=today)
    }
    assert totals["meals"] == {"meals": 300, "families": 60}
    assert Activity.objects.filter(task=meals).count() == 1


def test_retiring_a_task_without_reports_in_the_period_hides_it_from_totals(client_as, state_admin, dc_patna):
    _run_action(client_as(state_admin), "retire", [task("meals")])
    today = timezone.localdate()
    codes = [row.task.code for row in task_totals(user=dc_patna, start=today, end=today)]
    assert "meals" not in codes and len(codes) == 9


def test_activating_a_task_without_metrics_warns(client_as, state_admin):
    empty = TaskFactory(code="no-metrics-yet", is_active=False)
    response = client_as(state_admin).post(
        reverse("admin:tasks17_task_changelist"),
        {"action": "activate", ACTION_CHECKBOX_NAME: [empty.pk], "index": 0},
        follow=True,
    )
    assert "until they have an active metric: no-metrics-yet" in response.content.decode()


def test_a_duplicate_metric_code_in_a_task_is_an_error_not_a_500(client_as, state_admin):
    response = _add_task(
        client_as(state_admin),
        "oxygen-help",
        number=11,
        metrics=[
            {"code": "cylinders", "label_en": "Cylinders delivered"},
            {"code": "cylinders", "label_en": "Cylinders again"},
        ],
    )
    assert response.status_code == 200
    assert "needs its own code" in response.content.decode()
    assert not Task.objects.filter(code="oxygen-help").exists()


def test_a_metric_code_already_in_the_task_is_refused_when_adding_one(client_as, state_admin):
    meals = task("meals")
    existing = list(meals.metrics.order_by("position"))
    rows = [
        {
            "id": m.pk,
            "task": meals.pk,
            "code": m.code,
            "label_en": m.label_en,
            "label_hi": m.label_hi,
            "unit_en": m.unit_en,
            "unit_hi": m.unit_hi,
            "position": m.position,
            "max_per_report": m.max_per_report,
        }
        for m in existing
    ]
    rows.append({"task": meals.pk, "code": "families", "label_en": "Families again", "position": 9})
    data = {
        "number": meals.number,
        "position": meals.position,
        "is_active": "on",
        "title_en": meals.title_en,
        "title_hi": meals.title_hi,
        "description_en": meals.description_en,
        "description_hi": meals.description_hi,
        "source": meals.source,
        **_metric_rows(rows, initial=len(existing)),
    }
    response = client_as(state_admin).post(reverse("admin:tasks17_task_change", args=[meals.pk]), data)
    assert response.status_code == 200
    assert "needs its own code" in response.content.decode()
    assert meals.metrics.count() == len(existing)


def test_a_task_code_is_fixed_once_the_task_exists(client_as, state_admin):
    page = client_as(state_admin).get(reverse("admin:tasks17_task_change", args=[task("meals").pk]))
    assert page.status_code == 200
    assert 'name="code"' not in page.content.decode()


@pytest.mark.parametrize("persona", ["state_staff", "dc_patna", "dc_gaya", "helpline_patna"])
def test_only_state_admins_reach_the_task_admin(db, request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))
    for name in ["admin:tasks17_task_changelist", "admin:tasks17_task_add", "admin:tasks17_target_import"]:
        response = client.get(reverse(name))
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("admin:login"))
    assert _run_action(client, "retire", [task("meals")]).status_code in (302, 403)
    assert task("meals").is_active


def test_admin_pages_render_for_the_state_admin(client_as, state_admin, state_staff, dc_patna):
    activity = report(dc_patna, days_ago=1)
    activity_reject(by=state_staff, activity=activity, reason="Numbers do not add up.")
    metric = task("meals").metrics.first()
    target = Target.objects.create(
        task=metric.task,
        metric=metric,
        district=district("patna"),
        period_start=timezone.localdate(),
        period_end=timezone.localdate() + datetime.timedelta(days=14),
        value=500,
    )
    client = client_as(state_admin)
    pages = [
        reverse("admin:tasks17_task_changelist"),
        reverse("admin:tasks17_task_add"),
        reverse("admin:tasks17_task_change", args=[metric.task.pk]),
        reverse("admin:tasks17_target_changelist"),
        reverse("admin:tasks17_target_add"),
        reverse("admin:tasks17_target_change", args=[target.pk]),
        reverse("admin:tasks17_target_import"),
        reverse("admin:tasks17_target_export"),
        reverse("admin:tasks17_activity_changelist"),
        reverse("admin:tasks17_activity_change", args=[activity.pk]),
        reverse("admin:tasks17_activity_history", args=[activity.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("admin:tasks17_activity_change", args=[activity.pk])).content.decode()
    assert "Numbers do not add up." in page and "Masks" in page
    assert 'name="_save"' not in page
    assert client.get(reverse("admin:tasks17_target_add")).content.decode().count("Meals for infected") >= 2


def test_activities_cannot_be_added_edited_or_deleted_in_the_admin(client_as, state_admin, dc_patna):
    activity = report(dc_patna)
    client = client_as(state_admin)
    assert client.get(reverse("admin:tasks17_activity_add")).status_code == 403
    assert client.post(reverse("admin:tasks17_activity_delete", args=[activity.pk])).status_code == 403
    client.post(reverse("admin:tasks17_activity_change", args=[activity.pk]), {"notes": "changed"})
    activity.refresh_from_db()
    assert activity.notes == ""


def test_the_admin_verifies_reports_through_the_service(client_as, state_admin, dc_patna):
    mine = report(state_admin, days_ago=1)
    theirs = report(dc_patna, days_ago=1)
    client_as(state_admin).post(
        reverse("admin:tasks17_activity_changelist"),
        {"action": "verify", ACTION_CHECKBOX_NAME: [mine.pk, theirs.pk], "index": 0},
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    # Nobody reviews his own report, in the admin too.
    assert (mine.status, theirs.status) == (ActivityStatus.SUBMITTED, ActivityStatus.VERIFIED)
    assert theirs.reviewed_by == state_admin


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_admin_changelists_take_the_same_queries_for_few_rows_and_many(
    client_as, state_admin, dc_patna, dc_gaya
):
    client = client_as(state_admin)
    urls = [reverse(f"admin:tasks17_{model}_changelist") for model in ["task", "target", "activity"]]

    def add_rows(count, start):
        for n in range(count):
            MetricFactory(task=TaskFactory(number=200 + start + n))
            metric = Metric.objects.filter(task__code="masks-sanitiser").first()
            Target.objects.create(
                task=metric.task,
                metric=metric,
                district=district("patna"),
                period_start=datetime.date(2021, 5, 1) + datetime.timedelta(days=start + n),
                period_end=datetime.date(2021, 6, 30),
                value=100,
            )
            report(dc_patna if n % 2 else dc_gaya, code="patna" if n % 2 else "gaya", days_ago=n % 5)

    add_rows(2, 0)
    few = [_queries(client, url) for url in urls]
    add_rows(10, 2)
    many = [_queries(client, url) for url in urls]
    assert few == many
