"""Reminder rules: each a small function that reads the portal's state (or the events since its
last run) and returns the messages to write, in each recipient's language. ``run(code)`` writes
them through the outbox; the dedup key makes a second run, or two beat processes, write nothing
new. When each runs is beat's schedule (django-celery-beat's periodic tasks, made once by
migration ``0002_beat_schedule`` and the admin's from then on).

"Behind" and achievement come from ``tasks17.selectors``: the numbers the dashboard shows.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helplines.choices import OPEN_STATUSES, EventKind
from helplines.models import HelplineMember, HelpRequest, RequestEvent, Shift, sla_minutes
from seva.geo.models import Booth, District
from seva.people.choices import GROUP_NAMES, Language, PortalRole, WorkerRole
from seva.people.models import Worker
from tasks17 import selectors
from tasks17.choices import ActivityStatus, CampStatus
from tasks17.models import Activity, DonationCamp, Donor, Task

from . import outbox, recipients
from .choices import Channel
from .models import RuleState
from .outbox import Draft, message

log = logging.getLogger(__name__)


@dataclass
class Context:
    """What a rule run knows: now, the local day, and for event rules the time of the last
    run (with an overlap: an event committed late is still seen; the dedup key drops repeats)."""

    now: datetime.datetime
    since: datetime.datetime
    options: dict[str, Any]

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)


@dataclass(frozen=True)
class Rule:
    code: str
    title: Any
    function: Callable[[Context], Iterable[Draft]]


RULES: dict[str, Rule] = {}


def rule(code: str, title: Any) -> Callable:
    def register(function: Callable[[Context], Iterable[Draft]]) -> Callable:
        RULES[code] = Rule(code, title, function)
        return function

    return register


def _users_in(role: PortalRole, **filters: Any) -> Any:
    return (
        get_user_model()
        .objects.filter(groups__name=GROUP_NAMES[role], is_active=True, **filters)
        .select_related("profile", "profile__worker")
        .order_by("pk")
    )


def _per_language(build: Callable[[], str]) -> dict[str, str]:
    """The same message in every language, built once each (a fan-out to 50,000 people)."""
    return {code: message(code, build) for code, _label in Language.choices}


def _coordinators(district_ids: Iterable[int] | None = None) -> Iterator[recipients.Recipient]:
    users = _users_in(PortalRole.DISTRICT_COORDINATOR)
    if district_ids is not None:
        users = users.filter(profile__district_id__in=list(district_ids))
    for user in users:
        yield recipients.from_user(user)


# --- Daily and weekly reminders --------------------------------------------------------------


@rule("evening_report_reminder", gettext_lazy("Evening reminder: no report today"))
def evening_report_reminder(ctx: Context) -> Iterator[Draft]:
    """Coordinators of districts with no report today; with the option ``booth_presidents``,
    booth presidents of booths with no report today too."""
    today = ctx.today
    reported = set(Activity.objects.filter(date=today).values_list("district_id", flat=True).distinct())
    silent = District.objects.exclude(pk__in=reported).values_list("pk", flat=True)
    for person in _coordinators(silent):
        yield Draft(
            person,
            "evening_report_reminder",
            today.isoformat(),
            message(
                person.language,
                lambda: (
                    _("Seva: no report from your district today (%(date)s). Please log today's work.")
                    % {"date": today.strftime("%d.%m")}
                ),
            ),
        )
    if ctx.options.get("booth_presidents"):
        quiet_booths = Booth.objects.exclude(last_reported_on=today)
        presidents = Worker.objects.filter(role=WorkerRole.BOOTH_PRESIDENT, booth__in=quiet_booths)
        texts = _per_language(lambda: _("Seva: no report from your booth today. Please send today's work."))
        for row in recipients.worker_rows(presidents):
            person = recipients.from_worker_values(row)
            yield Draft(person, "evening_report_reminder", today.isoformat(), texts[person.language])


@rule("weekly_lag_nudge", gettext_lazy("Weekly nudge: districts below half their target"))
def weekly_lag_nudge(ctx: Context) -> Iterator[Draft]:
    """Coordinators of districts where a task stands below half of what its targets ask for
    the period so far (achieved < ½ × share of the period gone), the worst three named."""
    period = selectors.campaign_period(ctx.today)
    cells = selectors.district_task_progress(start=period.start, end=period.end, today=ctx.today)
    lagging: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (district_id, task_id), cell in cells.items():
        if cell.share_gone and cell.achieved is not None and cell.achieved < cell.share_gone / 2:
            lagging[district_id].append((cell.achieved / cell.share_gone, task_id))
    if not lagging:
        return
    tasks = Task.objects.in_bulk({task_id for rows in lagging.values() for _, task_id in rows})
    week = ctx.today.isocalendar()
    for person in _coordinators(lagging):
        worst = sorted(lagging[person.district_id])[:3]

        def text(worst: list[tuple[float, int]] = worst) -> str:
            names = ", ".join(f"{tasks[task_id].title} {round(share * 100)}%" for share, task_id in worst)
            return _("Seva: your district is below half its target for: %(tasks)s. Please catch up.") % {
                "tasks": names
            }

        yield Draft(
            person, "weekly_lag_nudge", f"{week.year}-W{week.week:02d}", message(person.language, text)
        )


# --- Camps and shifts -------------------------------------------------------------------------


@rule("camp_reminder", gettext_lazy("Camp reminder: the day before a donation camp"))
def camp_reminder(ctx: Context) -> Iterator[Draft]:
    """The day before a planned camp: its organiser, and the district's donors who agreed to
    be contacted."""
    tomorrow = ctx.today + datetime.timedelta(days=1)
    camps = DonationCamp.objects.filter(date=tomorrow, status=CampStatus.PLANNED).select_related("district")
    for camp in camps:

        def text(camp: DonationCamp = camp) -> str:
            return _("Seva: %(kind)s camp tomorrow %(date)s at %(venue)s, %(district)s.") % {
                "kind": camp.get_kind_display(),
                "date": camp.date.strftime("%d.%m"),
                "venue": camp.venue,
                "district": camp.district.name,
            }

        if camp.organiser_phone:
            person = recipients.from_phone(
                str(camp.organiser_phone), name=camp.organiser, district_id=camp.district_id
            )
            yield Draft(person, "camp_reminder", f"camp{camp.pk}", message(person.language, text))
        for donor in Donor.objects.filter(district_id=camp.district_id).contactable():
            person = recipients.from_donor(donor)
            yield Draft(person, "camp_reminder", f"camp{camp.pk}", message(person.language, text))


@rule("shift_reminder", gettext_lazy("Shift reminder: 30 minutes before an operator's shift"))
def shift_reminder(ctx: Context) -> Iterator[Draft]:
    """Operators whose shift starts within the next 30 minutes (the rule runs every 5)."""
    soon = ctx.now + datetime.timedelta(minutes=settings.SEVA_SHIFT_REMINDER_MINUTES)
    shifts = Shift.objects.filter(start__gt=ctx.now, start__lte=soon).select_related(
        "helpline", "operator__profile__worker"
    )
    for shift in shifts:
        person = recipients.from_user(shift.operator)

        def text(shift: Shift = shift) -> str:
            return _("Seva: your shift at %(helpline)s starts at %(time)s.") % {
                "helpline": shift.helpline.name,
                "time": timezone.localtime(shift.start).strftime("%H:%M"),
            }

        yield Draft(person, "shift_reminder", f"shift{shift.pk}", message(person.language, text))


# --- Help requests ---------------------------------------------------------------------------


@rule("escalation", gettext_lazy("Escalation: a help request untouched past its time limit"))
def escalation(ctx: Context) -> Iterator[Draft]:
    """Open requests with no first action after their urgency's time limit go to the
    helpline's leads and the district's coordinators: once at the limit, again at twice and
    three times it (each step once). Urgent: sent in quiet hours too."""
    waiting = HelpRequest.objects.filter(
        status__in=OPEN_STATUSES, first_action_at__isnull=True
    ).select_related("district")
    overdue = []
    for request in waiting:
        limit = sla_minutes(request.urgency)
        waited = (ctx.now - request.created_at).total_seconds() / 60
        if waited >= limit:
            overdue.append((request, min(int(waited // limit), settings.SEVA_ESCALATION_STEPS), int(waited)))
    if not overdue:
        return
    leads: dict[int, list[Any]] = defaultdict(list)
    for member in HelplineMember.objects.filter(
        is_lead=True, helpline_id__in={r.helpline_id for r, *_rest in overdue}, user__is_active=True
    ).select_related("user__profile__worker"):
        leads[member.helpline_id].append(recipients.from_user(member.user))
    coordinators: dict[int, list[Any]] = defaultdict(list)
    for person in _coordinators({r.district_id for r, *_rest in overdue}):
        coordinators[person.district_id].append(person)
    for request, step, waited in overdue:

        def text(request: HelpRequest = request, waited: int = waited) -> str:
            return _(
                "Seva URGENT: help request %(ref)s (%(need)s, %(urgency)s) has waited %(minutes)s min "
                "with no action."
            ) % {
                "ref": request.reference,
                "need": request.get_category_display(),
                "urgency": request.get_urgency_display(),
                "minutes": waited,
            }

        for person in {
            p.key: p for p in leads[request.helpline_id] + coordinators[request.district_id]
        }.values():
            yield Draft(
                person,
                "escalation",
                f"{request.reference}:step{step}",
                message(person.language, text),
                urgent=True,
            )


@rule("assignment", gettext_lazy("Assignment: a help request handed to a worker"))
def assignment(ctx: Context) -> Iterator[Draft]:
    """The worker a help request was assigned to since the last run: its reference, the need
    and the place; the caller's phone only where the caller agreed to share it."""
    events = RequestEvent.objects.filter(
        kind=EventKind.ASSIGNED, at__gt=ctx.since, at__lte=ctx.now
    ).select_related("request__district", "request__assigned_to")
    for event in events:
        request = event.request
        if request.assigned_to is None:
            continue
        person = recipients.from_worker(request.assigned_to)

        def text(request: HelpRequest = request) -> str:
            body = _("Seva: help request %(ref)s is yours: %(need)s, %(district)s.") % {
                "ref": request.reference,
                "need": request.get_category_display(),
                "district": request.district.name,
            }
            if request.caller_shares_phone:
                body += " " + _("Caller: %(phone)s") % {"phone": request.caller_phone}
            return body

        yield Draft(
            person, "assignment", f"{request.reference}:event{event.pk}", message(person.language, text)
        )


# --- Reports ---------------------------------------------------------------------------------


@rule("report_sent_back", gettext_lazy("Report sent back: a coordinator's report was rejected"))
def report_sent_back(ctx: Context) -> Iterator[Draft]:
    """Whoever wrote a report rejected since the last run hears why (the worker, for a report
    he sent by SMS)."""
    rejected = Activity.objects.filter(
        status=ActivityStatus.REJECTED, reviewed_at__gt=ctx.since, reviewed_at__lte=ctx.now
    ).select_related("task", "reported_by__profile__worker", "reporter_worker")
    for activity in rejected:
        # A report sent by SMS was written by the gateway's user for the worker who sent it.
        if activity.reporter_worker_id:
            person = recipients.from_worker(activity.reporter_worker)
        else:
            person = recipients.from_user(activity.reported_by)

        def text(activity: Activity = activity) -> str:
            return _("Seva: your report %(task)s of %(date)s was sent back: %(reason)s") % {
                "task": activity.task.title,
                "date": activity.date.strftime("%d.%m"),
                "reason": activity.rejection_reason,
            }

        stamp = int(activity.reviewed_at.timestamp())
        yield Draft(person, "report_sent_back", f"a{activity.pk}:{stamp}", message(person.language, text))


@rule("morning_digest", gettext_lazy("Morning digest to the state office"))
def morning_digest(ctx: Context) -> Iterator[Draft]:
    """Yesterday's figures and the districts behind, by e-mail to state staff and admins."""
    yesterday = ctx.today - datetime.timedelta(days=1)
    reports = Activity.objects.filter(date=yesterday).count()
    districts_reporting = Activity.objects.filter(date=yesterday).values("district_id").distinct().count()
    period = selectors.campaign_period(ctx.today)
    cells = selectors.district_task_progress(start=period.start, end=period.end, today=ctx.today)
    behind: dict[int, int] = defaultdict(int)
    for (district_id, _task_id), cell in cells.items():
        if cell.behind:
            behind[district_id] += 1
    laggards = sorted(behind.items(), key=lambda item: -item[1])[:10]
    districts = District.objects.in_bulk([pk for pk, _ in laggards])
    silent = selectors.districts_silent_since(48, now=ctx.now)
    users = (
        get_user_model()
        .objects.filter(
            Q(groups__name=GROUP_NAMES[PortalRole.STATE_STAFF])
            | Q(groups__name=GROUP_NAMES[PortalRole.STATE_ADMIN]),
            is_active=True,
        )
        .exclude(email="")
        .select_related("profile", "profile__worker")
        .distinct()
        .order_by("pk")
    )
    total = District.objects.count()
    for user in users:
        person = recipients.from_user(user)

        def subject() -> str:
            return _("Seva Portal: the state on %(date)s") % {"date": yesterday.strftime("%d.%m.%Y")}

        def body() -> str:
            lines = [
                _("Yesterday (%(date)s): %(reports)s reports from %(districts)s of %(total)s districts.")
                % {
                    "date": yesterday.strftime("%d.%m.%Y"),
                    "reports": reports,
                    "districts": districts_reporting,
                    "total": total,
                },
                "",
                _("Districts behind on the most tasks:"),
            ]
            lines += [f"- {districts[pk].name}: {count}" for pk, count in laggards] or ["-"]
            lines += ["", _("No report for 48 hours:"), ", ".join(d.name for d in silent) or "-"]
            # The daily review pack (seva/reports): its printable page, and the XLSX from the
            # report centre. A link, not an attachment: it is built from the live figures.
            lines += ["", _("The daily review pack: %(url)s") % {"url": portal_url("reports:state-pack")}]
            return "\n".join(lines)

        yield Draft(
            person,
            "morning_digest",
            yesterday.isoformat(),
            message(person.language, body),
            subject=message(person.language, subject),
            channel=Channel.EMAIL,
        )


def portal_url(name: str) -> str:
    """The absolute address of a page of the portal, for a message (``SEVA_PORTAL_URL``)."""
    return settings.SEVA_PORTAL_URL.rstrip("/") + reverse(name)


# --- Running ---------------------------------------------------------------------------------


def run(code: str, *, dry_run: bool = False, now: datetime.datetime | None = None) -> outbox.WriteResult:
    """Run rule ``code``: write (or, dry, only plan) its messages; remember when it ran."""
    if code not in RULES:
        raise KeyError(code)
    now = now or timezone.now()
    state, _created = RuleState.objects.get_or_create(code=code)
    overlap = datetime.timedelta(seconds=settings.SEVA_RULE_OVERLAP_SECONDS)
    since = (state.last_run_at or now - datetime.timedelta(hours=1)) - overlap
    drafts = list(RULES[code].function(Context(now=now, since=since, options=state.options or {})))
    # An e-mail's subject is the rule's title in the recipient's language (one per language).
    titles: dict[str, str] = {}
    for draft in drafts:
        if not draft.subject:
            language = draft.recipient.language
            if language not in titles:
                titles[language] = message(
                    language, lambda: _("Seva Portal: %(what)s") % {"what": RULES[code].title}
                )
            draft.subject = titles[language]
    result = outbox.write(drafts, dry_run=dry_run, now=now)
    if not dry_run:
        RuleState.objects.filter(pk=state.pk).update(last_run_at=now)
        log.info(
            "notify: rule %s wrote %d messages (%d already written)", code, result.written, result.already
        )
    return result
