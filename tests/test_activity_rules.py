"""Every rule of a report, at the service every caller uses (tasks17.services.activity_submit)."""

import datetime
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone, translation

from seva.people.choices import PortalRole
from seva.people.services import user_create
from tasks17 import services
from tasks17.choices import ActivityOrigin, ActivityStatus
from tasks17.models import Activity, ActivityValue, Target
from tasks17.selectors import attach_achievement, task_totals
from tests.factories import BoothFactory, MandalFactory, district, seat_in
from tests.factories_tasks import MetricFactory, TaskFactory, report, task

TODAY = timezone.localdate


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_a_report_is_stored_with_one_row_per_number(dc_patna):
    booth = BoothFactory()
    activity = report(dc_patna, values={"masks": 500, "sanitiser": 40}, booth=booth)
    assert activity.status == ActivityStatus.SUBMITTED
    assert activity.assembly_seat == booth.assembly_seat  # filled in from the booth
    assert dict(activity.values.values_list("metric__code", "value")) == {"masks": 500, "sanitiser": 40}
    assert activity.numbers == {"masks": 500, "sanitiser": 40}


def test_zero_numbers_are_not_stored_but_at_least_one_must_be_above_zero(dc_patna):
    activity = report(dc_patna, values={"masks": 20, "sanitiser": 0})
    assert list(activity.values.values_list("metric__code", flat=True)) == ["masks"]
    with pytest.raises(ValidationError) as excinfo:
        report(dc_patna, values={"masks": 0})
    assert "values" in _errors(excinfo)
    with pytest.raises(ValidationError):
        report(dc_patna, values={})


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (-1, "cannot be negative"),
        (2.5, "whole number"),
        ("12", "whole number"),
        (True, "whole number"),
        (100001, "more than one report can hold"),
    ],
)
def test_bad_numbers_are_refused_naming_the_metric(dc_patna, number, message):
    with pytest.raises(services.ReportInvalid) as excinfo:
        report(dc_patna, values={"masks": number, "sanitiser": 5})
    assert list(excinfo.value.metric_errors) == ["masks"]
    assert message in excinfo.value.metric_errors["masks"][0]
    assert "Masks given" in _errors(excinfo)["values"][0]
    assert not Activity.objects.exists() and not ActivityValue.objects.exists()


def test_a_whole_float_is_taken_as_a_whole_number(dc_patna):
    assert report(dc_patna, values={"masks": 30.0}).numbers == {"masks": 30}


def test_the_sane_maximum_is_per_metric_and_editable(dc_patna):
    metric = task("masks-sanitiser").metrics.get(code="sanitiser")
    metric.max_per_report = 50
    metric.save()
    with pytest.raises(services.ReportInvalid) as excinfo:
        report(dc_patna, values={"sanitiser": 51})
    assert "at most 50" in excinfo.value.metric_errors["sanitiser"][0]
    assert report(dc_patna, values={"sanitiser": 50}).numbers == {"sanitiser": 50}


def test_a_metric_of_another_task_is_refused(dc_patna):
    with pytest.raises(services.ReportInvalid) as excinfo:
        report(dc_patna, values={"masks": 10, "meals": 5})
    assert list(excinfo.value.metric_errors) == ["meals"]
    assert "not counted for this task" in excinfo.value.metric_errors["meals"][0]


def test_a_retired_metric_is_refused_for_new_reports(dc_patna):
    task("masks-sanitiser").metrics.filter(code="sanitiser").update(is_active=False)
    with pytest.raises(services.ReportInvalid) as excinfo:
        report(dc_patna, values={"sanitiser": 5})
    assert "sanitiser" in excinfo.value.metric_errors


def test_an_inactive_task_is_refused(dc_patna):
    with pytest.raises(ValidationError) as excinfo:
        report(dc_patna, task_code="telemedicine", values={"x": 1})
    assert _errors(excinfo)["task"] == ["This task is no longer taking reports."]


def test_a_future_date_is_refused(dc_patna, state_staff):
    for user in (dc_patna, state_staff):
        with pytest.raises(ValidationError) as excinfo:
            report(user, days_ago=-1)
        assert _errors(excinfo)["date"] == ["The date cannot be in the future."]


def test_coordinators_may_go_back_30_days_and_state_staff_further(dc_patna, state_staff):
    assert report(dc_patna, days_ago=30).date == TODAY() - datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as excinfo:
        report(dc_patna, days_ago=31)
    assert "at most 30 days" in _errors(excinfo)["date"][0]
    assert report(state_staff, days_ago=45).pk


def test_the_district_must_be_in_the_reporters_scope(dc_patna, helpline_patna):
    with pytest.raises(ValidationError) as excinfo:
        report(dc_patna, code="gaya")
    assert _errors(excinfo)["district"] == ["You cannot report for this district."]


@pytest.mark.parametrize("place", ["booth", "assembly_seat", "mandal"])
def test_a_place_from_another_district_is_refused_naming_the_field(state_staff, place):
    gaya_seat = seat_in("gaya")
    chosen = {
        "booth": lambda: BoothFactory(assembly_seat=gaya_seat),
        "assembly_seat": lambda: gaya_seat,
        "mandal": lambda: MandalFactory(assembly_seat=gaya_seat),
    }[place]()
    with pytest.raises(ValidationError) as excinfo:
        report(state_staff, code="patna", **{place: chosen})
    assert "not in the chosen district" in _errors(excinfo)[place][0]
    assert not Activity.objects.exists()


def test_a_booth_of_another_seat_in_the_same_district_is_refused(dc_patna):
    seats = list(district("patna").assembly_seats.order_by("number")[:2])
    with pytest.raises(ValidationError) as excinfo:
        report(dc_patna, assembly_seat=seats[0], booth=BoothFactory(assembly_seat=seats[1]))
    assert "not in the chosen assembly seat" in _errors(excinfo)["booth"][0]


def test_every_error_is_given_at_once(dc_patna):
    with pytest.raises(ValidationError) as excinfo:
        report(dc_patna, days_ago=-3, values={"masks": -5})
    assert {"date", "values"} <= set(_errors(excinfo))


def test_errors_speak_hindi(dc_patna):
    with pytest.raises(ValidationError) as excinfo:
        report(dc_patna, days_ago=-1, values={"masks": -1})
    with translation.override("hi"):  # messages are lazy: read in the language of the answer
        assert _errors(excinfo)["date"] == ["तारीख भविष्य की नहीं हो सकती।"]
    with translation.override("hi"), pytest.raises(services.ReportInvalid) as excinfo:
        report(dc_patna, values={"masks": -1})
    assert "ऋणात्मक" in excinfo.value.metric_errors["masks"][0]


def test_the_same_client_uuid_is_stored_once(dc_patna):
    reference = uuid.uuid4()
    first = report(dc_patna, client_uuid=reference)
    again, created = services.activity_submit_or_get(
        by=dc_patna,
        task=task("masks-sanitiser"),
        district=district("patna"),
        date=TODAY(),
        values={"masks": 999},
        client_uuid=reference,
    )
    assert (again.pk, created) == (first.pk, False)
    assert Activity.objects.count() == 1 and ActivityValue.objects.filter(value=999).count() == 0


def test_another_districts_client_uuid_is_not_revealed(dc_patna, dc_gaya):
    reference = uuid.uuid4()
    report(dc_patna, client_uuid=reference)
    with pytest.raises(ValidationError) as excinfo:
        report(dc_gaya, code="gaya", client_uuid=reference)
    assert "client_uuid" in _errors(excinfo)


def test_nothing_is_half_saved_when_a_value_cannot_be_written(dc_patna, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ActivityValue.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        report(dc_patna)
    assert not Activity.objects.exists()


# --- Correction ------------------------------------------------------------------------------


def _update(by, activity, **changes):
    fields = {"task": activity.task, "date": activity.date, "values": {"masks": 7}, **changes}
    return services.activity_update(by=by, activity=activity, **fields)


def test_the_reporter_corrects_his_report_while_unreviewed(dc_patna):
    activity = report(dc_patna, values={"masks": 70})
    _update(dc_patna, activity, values={"masks": 7, "sanitiser": 2}, notes="typo")
    activity.refresh_from_db()
    assert dict(activity.values.values_list("metric__code", "value")) == {"masks": 7, "sanitiser": 2}
    numbers = [h.numbers for h in activity.history.order_by("history_date")]
    assert numbers == [{"masks": 70}, {"masks": 7, "sanitiser": 2}]


def test_a_correction_follows_the_same_rules(dc_patna):
    activity = report(dc_patna)
    with pytest.raises(ValidationError):
        _update(dc_patna, activity, values={"masks": -1})
    with pytest.raises(ValidationError):
        _update(dc_patna, activity, date=TODAY() + datetime.timedelta(days=1))
    assert activity.values.get(metric__code="masks").value == 100


def test_only_the_reporter_corrects_and_only_before_review(dc_patna, state_staff):
    colleague = user_create(
        username="dc_patna_2", password=None, role=PortalRole.DISTRICT_COORDINATOR, district=district("patna")
    )
    activity = report(dc_patna)
    with pytest.raises(PermissionDenied):
        _update(colleague, activity)
    services.activity_verify(by=state_staff, activity=activity)
    with pytest.raises(ValidationError) as excinfo:
        _update(dc_patna, activity)
    assert "status" in _errors(excinfo)


def test_a_report_outside_the_scope_does_not_exist_for_any_change(dc_patna, dc_gaya, state_staff):
    # One rule and one answer for every change of a stored report (locked_in_scope): a 404.
    theirs = report(dc_patna)
    with pytest.raises(Http404):
        _update(dc_gaya, theirs)
    with pytest.raises(Http404):
        services.activity_verify(by=dc_gaya, activity=theirs)
    with pytest.raises(Http404):
        services.activity_reject(by=dc_gaya, activity=theirs, reason="not mine")
    camp_report = report(dc_patna, origin=ActivityOrigin.CAMP)
    with pytest.raises(Http404):
        services.activity_withdraw(by=dc_gaya, activity=camp_report)
    assert set(Activity.objects.values_list("status", flat=True)) == {ActivityStatus.SUBMITTED}


def test_can_edit_is_the_rule_the_correction_follows(dc_patna, state_staff):
    mine = report(dc_patna)
    assert services.can_edit(dc_patna, mine)
    assert not services.can_edit(state_staff, mine)
    assert not services.can_edit(dc_patna, report(dc_patna, origin=ActivityOrigin.CAMP))
    services.activity_verify(by=state_staff, activity=mine)
    mine.refresh_from_db()
    assert not services.can_edit(dc_patna, mine)
    assert "status" in services.edit_refusal(dc_patna, mine).message_dict


# --- Review ----------------------------------------------------------------------------------


def test_state_staff_verify_and_reject_with_a_reason(dc_patna, state_staff):
    first, second = report(dc_patna), report(dc_patna)
    services.activity_verify(by=state_staff, activity=first)
    with pytest.raises(ValidationError) as excinfo:
        services.activity_reject(by=state_staff, activity=second, reason="  ")
    assert "reason" in _errors(excinfo)
    services.activity_reject(by=state_staff, activity=second, reason="Photo missing")
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, first.reviewed_by) == (ActivityStatus.VERIFIED, state_staff)
    assert (second.status, second.rejection_reason) == (ActivityStatus.REJECTED, "Photo missing")
    with pytest.raises(ValidationError):
        services.activity_verify(by=state_staff, activity=second)  # reviewed once only


def test_coordinators_do_not_review_and_nobody_reviews_his_own(dc_patna, state_staff):
    with pytest.raises(PermissionDenied):
        services.activity_verify(by=dc_patna, activity=report(dc_patna))
    with pytest.raises(PermissionDenied):
        services.activity_verify(by=state_staff, activity=report(state_staff))


def test_a_district_president_reviews_his_district_only(dc_patna, dc_gaya):
    # The state office makes him president: the group, not his worker record, carries review.
    president = user_create(
        username="president_patna",
        password=None,
        role=PortalRole.DISTRICT_PRESIDENT,
        district=district("patna"),
    )
    president = get_user_model().objects.get(pk=president.pk)
    patna_report = report(dc_patna)
    assert services.can_review(president, patna_report)
    services.activity_verify(by=president, activity=patna_report)
    assert not services.can_review(president, report(dc_gaya, code="gaya"))
    assert not services.can_review(dc_gaya, report(dc_patna))


def test_bulk_verify_skips_what_the_user_may_not_review(dc_patna, state_staff):
    mine = report(state_staff)
    theirs = [report(dc_patna) for _ in range(3)]
    services.activity_reject(by=state_staff, activity=theirs[2], reason="duplicate")
    done = services.activities_verify_bulk(by=state_staff, ids=[mine.pk, *(a.pk for a in theirs)])
    assert sorted(a.pk for a in done) == sorted(a.pk for a in theirs[:2])
    assert Activity.objects.get(pk=mine.pk).status == ActivityStatus.SUBMITTED


# --- Figures ---------------------------------------------------------------------------------


def test_figures_count_reported_and_verified_but_never_rejected(dc_patna, state_staff):
    verified, submitted, rejected = (report(dc_patna, values={"masks": n}) for n in (100, 20, 3))
    services.activity_verify(by=state_staff, activity=verified)
    services.activity_reject(by=state_staff, activity=rejected, reason="double")
    target = Target.objects.create(
        task=task("masks-sanitiser"),
        metric=task("masks-sanitiser").metrics.get(code="masks"),
        district=district("patna"),
        period_start=TODAY() - datetime.timedelta(days=7),
        period_end=TODAY(),
        value=240,
    )
    (target,) = attach_achievement([target])
    assert (target.value, target.reported, target.verified, target.percent, target.verified_percent) == (
        240,
        120,
        100,
        50.0,
        41.7,
    )
    masks = next(
        m
        for row in task_totals(user=state_staff, start=TODAY(), end=TODAY())
        for m in row.metrics
        if m.metric.code == "masks"
    )
    assert (masks.reported, masks.verified) == (120, 100)
    assert submitted.pk


def test_totals_are_scoped_and_keep_a_retired_tasks_history(dc_patna, dc_gaya):
    report(dc_patna, task_code="meals", values={"meals": 50})
    report(dc_gaya, code="gaya", task_code="meals", values={"meals": 7})
    task("meals").__class__.objects.filter(code="meals").update(is_active=False)
    rows = {row.task.code: row for row in task_totals(user=dc_patna, start=TODAY(), end=TODAY())}
    assert [(m.metric.code, m.reported) for m in rows["meals"].metrics] == [("meals", 50)]
    assert "vaccination-help" not in rows  # inactive and empty: not listed


def test_a_new_task_and_metric_need_no_code_change(dc_patna):
    metric = MetricFactory(task=TaskFactory(code="oxygen"), code="cylinders", max_per_report=40)
    activity = report(dc_patna, task_code="oxygen", values={"cylinders": 12})
    assert activity.values.get().metric == metric


def test_target_rules(state_staff, dc_patna):
    masks_task = task("masks-sanitiser")
    fields = {
        "task": masks_task,
        "metric": masks_task.metrics.get(code="masks"),
        "district": district("patna"),
        "period_start": TODAY(),
        "period_end": TODAY() + datetime.timedelta(days=14),
        "value": 50000,
    }
    assert services.target_create(by=state_staff, **fields).pk
    with pytest.raises(ValidationError) as excinfo:
        services.target_create(by=state_staff, **{**fields, "metric": task("meals").metrics.first()})
    assert "metric" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.target_create(
            by=state_staff, **{**fields, "period_end": TODAY() - datetime.timedelta(days=1)}
        )
    assert "period_end" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.target_create(by=dc_patna, **{**fields, "district": district("gaya")})
    assert "district" in _errors(excinfo)
    with pytest.raises(ValidationError):
        services.target_create(by=state_staff, **fields)  # the same period twice
    assert Target.objects.count() == 1


def test_a_report_uses_few_queries(dc_patna, django_assert_max_num_queries):
    booth = BoothFactory()
    report(dc_patna)  # warm the user's caches
    # 8 statements and the savepoints; on SQLite the rollup rows and the place dates are a
    # statement each (one statement on PostgreSQL: tasks17.rollups._execute).
    with django_assert_max_num_queries(12 if connection.vendor == "postgresql" else 14):
        report(dc_patna, booth=booth)
    assert connection.vendor in ("sqlite", "postgresql")
