"""The task catalogue: exactly what TASKS.md ships, and pages and API follow the data."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tasks17.catalogue import TASKS
from tasks17.models import Metric, Task
from tests.factories_tasks import MetricFactory, TaskFactory

# Copied from ../shared/TASKS.md (beside the repository), as tasks17/catalogue.py is: the ten
# the launch report names, in its order.
ACTIVE = [
    ("corona-free-booth", ["households", "booths_declared"]),
    ("migrant-help", ["people", "ration_kits"]),
    ("masks-sanitiser", ["masks", "sanitiser"]),
    ("meals", ["meals", "families"]),
    ("blood-camp", ["camps", "donors", "units"]),
    ("plasma-camp", ["camps", "donors", "units"]),
    ("elderly-medicine", ["workers", "people"]),
    ("helpline", ["calls", "beds", "medicines"]),
    ("health-awareness", ["people"]),
    ("representative-meetings", ["meetings", "participants"]),
]
INACTIVE = ["vaccination-help", "home-isolation-help", "hospital-food", "telemedicine", "insurance-claims"]


def test_the_catalogue_ships_the_ten_named_tasks_active_and_numbered(db):
    active = list(Task.objects.active().order_by("number"))
    assert [(t.number, t.code) for t in active] == [(n, code) for n, (code, _) in enumerate(ACTIVE, start=1)]
    for task, (_, metric_codes) in zip(active, ACTIVE, strict=True):
        assert [m.code for m in task.metrics.order_by("position")] == metric_codes
        assert task.title_hi and task.title_en
        assert task.source.startswith("Launch report: seed/seva-hi-sangathan-2")
    assert Task.objects.get(code="corona-free-booth").title_hi == "मेरा बूथ – कोरोना मुक्त बूथ अभियान"


def test_the_catalogue_ships_five_other_reported_tasks_inactive_with_their_sources(db):
    inactive = Task.objects.filter(is_active=False)
    assert sorted(t.code for t in inactive) == sorted(INACTIVE)
    assert all("ndtv.com" in t.source for t in inactive)
    assert "yahoo.com" in Task.objects.get(code="hospital-food").source
    assert Task.objects.count() == 15


def test_the_database_matches_the_catalogue_module(db):
    for entry in TASKS:
        task = Task.objects.get(code=entry["code"])
        assert (task.number, task.title_en, task.title_hi, task.is_active) == (
            entry["number"],
            entry["title_en"],
            entry["title_hi"],
            entry["is_active"],
        )
        assert [m.code for m in task.metrics.order_by("position")] == [m["code"] for m in entry["metrics"]]
    assert Metric.objects.count() == sum(len(entry["metrics"]) for entry in TASKS)


def test_titles_follow_the_active_language(db):
    from django.utils import translation

    task = Task.objects.get(code="meals")
    with translation.override("hi"):
        assert task.title == "संक्रमित परिवारों के लिए भोजन"
        assert task.metrics.get(code="meals").unit == "भोजन"
    with translation.override("en"):
        assert task.title == "Meals for infected families"


def test_the_api_lists_active_tasks_with_their_metrics(api, helpline_patna):
    api.force_authenticate(helpline_patna)
    body = api.get("/api/v1/tasks/").json()
    assert body["count"] == 10
    first = body["results"][0]
    assert first["code"] == "corona-free-booth"
    assert {"code", "number", "title_en", "title_hi", "is_active", "metrics"} <= set(first)
    assert first["metrics"][0] == {
        "code": "households",
        "label_en": "Households reached",
        "label_hi": "संपर्क किए गए परिवार",
        "unit": "households",
        "unit_en": "households",
        "unit_hi": "परिवार",
        "max_per_report": 5000,
    }
    assert api.get("/api/v1/tasks/meals/").json()["title_en"] == "Meals for infected families"


def test_state_staff_may_list_inactive_tasks_but_coordinators_may_not(api, state_staff, dc_patna):
    api.force_authenticate(state_staff)
    assert api.get("/api/v1/tasks/", {"include_inactive": "true"}).json()["count"] == 15
    api.force_authenticate(dc_patna)
    assert api.get("/api/v1/tasks/", {"include_inactive": "true"}).json()["count"] == 10


def test_a_task_added_in_the_database_appears_without_a_code_change(api, client_as, dc_patna):
    metric = MetricFactory(
        task=TaskFactory(code="oxygen-help", title_en="Oxygen cylinders"), code="cylinders"
    )
    api.force_authenticate(dc_patna)
    codes = [t["code"] for t in api.get("/api/v1/tasks/").json()["results"]]
    assert "oxygen-help" in codes and len(codes) == 11
    page = client_as(dc_patna).get(reverse("tasks17:task-list")).content.decode()
    assert "Oxygen cylinders" in page and metric.label_en in page
    form = client_as(dc_patna).get(reverse("tasks17:activity-create")).content.decode()
    assert 'value="oxygen-help"' in form


def test_a_task_deactivated_in_the_database_disappears_from_new_reports(api, client_as, dc_patna):
    Task.objects.filter(code="meals").update(is_active=False)
    api.force_authenticate(dc_patna)
    codes = [t["code"] for t in api.get("/api/v1/tasks/").json()["results"]]
    assert "meals" not in codes and len(codes) == 9
    page = client_as(dc_patna).get(reverse("tasks17:task-list")).content.decode()
    assert "Meals for infected families" not in page
    assert 'value="meals"' not in client_as(dc_patna).get(reverse("tasks17:activity-create")).content.decode()


def test_the_tasks_page_speaks_hindi(client_as, dc_patna):
    page = client_as(dc_patna).get(reverse("tasks17:task-list"), HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert "मेरा बूथ – कोरोना मुक्त बूथ अभियान" in page
    assert "संपर्क किए गए परिवार" in page


@pytest.mark.parametrize(
    ("group", "has", "lacks"),
    [
        ("State admin", ["review_activity", "delete_task", "change_metric"], []),
        (
            "State staff",
            ["review_activity", "add_target", "add_activity"],
            ["change_task", "change_activity"],
        ),
        (
            "District coordinator",
            ["add_activity", "change_activity", "view_target"],
            ["review_activity", "add_target"],
        ),
        ("Helpline operator", ["view_task", "view_metric"], ["view_activity", "add_activity"]),
    ],
)
def test_each_role_gets_its_declared_permissions(db, group, has, lacks):
    codes = set(
        Group.objects.get(name=group)
        .permissions.filter(content_type__app_label="tasks17")
        .values_list("codename", flat=True)
    )
    assert set(has) <= codes
    assert not set(lacks) & codes
