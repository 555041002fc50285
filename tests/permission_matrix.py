"""The permission matrix: every page and API endpoint × every role × action, with the answer
each role must get. Data only; ``tests/test_permission_matrix.py`` walks it.

One line per route and action. The answer string lists one answer per role, in this order:

    admin   state admin                      dc_gaya   Gaya's district coordinator
    staff   state staff                      operator  a Patna helpline operator
    dc_patna Patna's district coordinator   lead      the Patna helpline's lead
                                             anon      nobody signed in

An answer is an HTTP status (``200``, ``201``, ``302``, ``400``, ``403``, ``404``, ``405``…),
``login`` (a redirect to the sign-in page) or ``form`` (a page's form sent back, status 200,
with field errors: nothing written). Objects named in URLs and bodies are made by
``tests/permission_world.py``: ``"@camp.patna"`` is Patna's camp (its key in the URL), so a
Patna object asked by Gaya's coordinator answers 404 (STYLE.md rule 5), and a write into
Patna by him is refused: 404, ``form`` on a page, 400 with a field error from the API. Page
writes are form posts that succeed for someone allowed (a 302 to the next page); API writes
are JSON. Anonymous: pages send to sign in, the API answers 403 (session auth first).

The rules the answers follow (docs/permission-matrix.md says more):
- 404 when the role may do this to such objects but this one is outside its scope;
- 403 when the role may not do this at all: the same answer for every id, existing or not,
  so it tells nothing about another district's records (DRF checks the permission before it
  looks the object up; several pages do the same);
- own-only things (report files, import jobs, API tokens) are 404 to everybody else, even
  the state office, except where a permission says otherwise (state admins download any
  report).

A cell the code answers wrongly and that is not fixed yet goes in the row's ``known``:
``known={"dc_gaya": ("403", "why, and the issue")}``; the walk then checks the answer now, so
the fix shows up as a failure that says to remove it.

Adding a URL? Add its line here (the walk fails naming every route without one). A route
that needs no row goes in ``SKIPPED`` with the reason, or matches a ``SKIP_RULES`` rule.
"""

# ruff: noqa: E501 - a table, one line per route and action, reads best unwrapped

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

ROLES = ("admin", "staff", "dc_patna", "dc_gaya", "operator", "lead", "anon")


@dataclass(frozen=True)
class Route:
    """A leaf URL pattern as the resolver lists it."""

    pattern: str
    name: str
    view: str

    @property
    def key(self) -> str:
        """How the table names it: the URL name (with namespace), else the pattern."""
        return self.name or self.pattern


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    answers: str
    args: dict[str, Any] | None = None
    body: Any = None
    path: str | None = None  # a literal path, for routes that reverse() cannot build
    label: str = ""  # tells apart two rows of one route and method (another object, body)
    known: dict[str, tuple[str, str]] = field(default_factory=dict)  # role: (answer now, why)

    @property
    def expect(self) -> dict[str, str]:
        answers = self.answers.split()
        if len(answers) != len(ROLES):
            raise ValueError(f"{self.route} {self.method}: {len(answers)} answers for {len(ROLES)} roles")
        return dict(zip(ROLES, answers, strict=True))

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}" + (f" [{self.label}]" if self.label else "")


def expected(row: Row, role: str) -> str:
    """The answer the walk checks: a known deviation's answer now, else the table's."""
    if role in row.known:
        return row.known[role][0]
    return row.expect[role]


def R(route: str, method: str, answers: str, **extra: Any) -> Row:
    return Row(route, method.upper(), answers, **extra)


# --- Routes that need no row ----------------------------------------------------------------

SKIP_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "Django admin's own pages: the admin checks is_staff and model permissions itself "
        "(tests/test_security_admin.py); its index has a row below",
        re.compile(r"^admin/(?!$)"),
    ),
    (
        "DRF's format-suffix twin of a route with a row (same view, same checks)",
        re.compile(r"\\\.\(\?P<format>|<drf_format_suffix:format>"),
    ),
    (
        "static files and uploads: served by whitenoise / the web server, no view",
        re.compile(r"^(static|media)/"),
    ),
]

SKIPPED: dict[str, str] = {
    "set_language": "the language switch: open to every visitor by design, it only sets the "
    "language cookie (and the signed-in user's own language); tests/test_hindi_walk.py",
}


def skip_reason(route: Route) -> str | None:
    if route.key in SKIPPED:
        return SKIPPED[route.key]
    for reason, rule in SKIP_RULES:
        if rule.search(route.pattern):
            return reason
    return None


def pk(kind: str, code: str = "patna") -> dict[str, str]:
    return {"pk": f"@{kind}.{code}"}


def workers_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("workers.csv", b"name,phone,role,district\nSita,9876533333,volunteer,patna\n")


# Form bodies of the pages (a form names a district or seat by its pk, a task by its code).
WORKER = {
    "name": "Sita Devi",
    "phone": "9876511111",
    "role": "volunteer",
    "district": "@district-pk.patna",
    "language": "hi",
    "is_active": "on",
}
REPORT = {
    "task": "masks-sanitiser",
    "district": "@district-pk.patna",
    "assembly_seat": "@seat-pk.patna",
    "booth": "@booth.patna",
    "date": "@today",
    "client_uuid": "@uuid",
    "metric_masks": 5,
    "metric_sanitiser": 1,
}
TARGET = {
    "task": "@masks-task",
    "metric": "@masks",
    "district": "@district-pk.patna",
    "period_start": "@today",
    "period_end": "@today",
    "value": 50,
}
CAMP = {
    "kind": "blood",
    "district": "@district-pk.patna",
    "venue": "School",
    "date": "@today",
    "organiser": "Yuva Morcha",
}
DONOR = {
    "name": "Ravi",
    "phone": "9876522222",
    "blood_group": "B+",
    "district": "@district-pk.patna",
    "language": "hi",
    "consent_to_contact": "on",
}
CONFERENCE = {
    "representative": "@mla.patna",
    "district": "@district-pk.patna",
    "worker_group": "Mandal presidents",
    "date": "@today",
    "participant_count": 12,
    "topics": "Vaccination",
}
DECLARATION = {
    "district": "@district-pk.patna",
    "assembly_seat": "@seat-pk.patna",
    "booth": "@booth.patna",
    "declared_on": "@today",
    "checklist": "@checklist",
}
CALL = {
    "helpline": "@helpline.patna",
    "district": "@district-pk.patna",
    "caller_name": "Kamla",
    "caller_phone": "9812300000",
    "category": "oxygen_bed",
    "urgency": "high",
}
BROADCAST = {
    "text": "Meeting at 6",
    "audience": "coordinators",
    "districts": "@district-pk.patna",
    "send": "1",
}

# fmt: off
ROWS: list[Row] = [
    #  route                                     method     admin staff dc_p  dc_g  op    lead  anon
    # --- The frame: home, health, offline, accounts ---
    R("home",                                   "GET",    "200   200   200   200   200   200   login"),
    R("healthz",                                "GET",    "200   200   200   200   200   200   200"),
    R("service-worker",                         "GET",    "200   200   200   200   200   200   200"),
    # The offline queue fetches a CSRF token as JSON: nobody signed in is refused, not redirected.
    R("offline-token",                          "GET",    "200   200   200   200   200   200   403"),
    # Unnamed: a redirect to the static icon.
    R("favicon.ico",                            "GET",    "301   301   301   301   301   301   301", path="/favicon.ico"),
    R("login",                                  "GET",    "200   200   200   200   200   200   200"),
    R("login",                                  "POST",   "form  form  form  form  form  form  form", body={"username": "state_staff", "password": "wrong"}),
    R("logout",                                 "POST",   "login login login login login login login"),
    R("password_reset",                         "GET",    "200   200   200   200   200   200   200"),
    R("password_reset",                         "POST",   "302   302   302   302   302   302   302", body={"email": "dc_patna@example.org"}),
    R("password_reset_done",                    "GET",    "200   200   200   200   200   200   200"),
    R("password_reset_confirm",                 "GET",    "200   200   200   200   200   200   200", args={"uidb64": "MQ", "token": "set-password"}),
    R("password_reset_complete",                "GET",    "200   200   200   200   200   200   200"),
    R("password_change",                        "GET",    "200   200   200   200   200   200   login"),
    R("password_change",                        "POST",   "form  form  form  form  form  form  login", body={"old_password": "wrong", "new_password1": "x", "new_password2": "x"}),
    R("password_change_done",                   "GET",    "200   200   200   200   200   200   login"),
    R("accounts:token-list",                    "GET",    "200   200   200   200   200   200   login"),
    R("accounts:token-revoke",                  "POST",   "404   404   302   404   404   404   login", args=pk("token")),
    R("accounts:two-factor",                    "GET",    "302   302   302   302   302   302   login"),
    R("accounts:two-factor",                    "POST",   "200   200   200   200   200   200   login", body={"code": "000000"}),
    R("accounts:two-factor-setup",              "GET",    "200   200   200   200   200   200   login"),
    R("accounts:two-factor-setup",              "POST",   "200   200   200   200   200   200   login", body={"code": "000000"}),
    # The Django admin is for staff users (the state admin); everyone else to its own sign-in.
    R("admin:index",                            "GET",    "200   302   302   302   302   302   302"),
    #                                                       admin staff dc_p  dc_g  op    lead  anon
    # --- Geography ---
    R("geo:district-list",                      "GET",    "200   200   200   200   200   200   login"),
    R("geo:district-detail",                    "GET",    "200   200   200   404   200   200   login", args={"code": "patna"}),
    R("geo:booth-options",                      "GET",    "200   200   200   200   200   200   login", body={"assembly_seat": "@seat.patna"}),
    R("geo:mandal-options",                     "GET",    "200   200   200   200   200   200   login", body={"assembly_seat": "@seat.patna"}),
    R("geo:seat-options",                       "GET",    "200   200   200   200   200   200   login", body={"district": "patna"}),
    R("geo:seat-detail",                        "GET",    "200   200   200   404   200   200   login", args={"number": "@seat.patna"}),
    #                                                       admin staff dc_p  dc_g  op    lead  anon
    # --- Workers ---
    R("people:worker-list",                     "GET",    "200   200   200   200   200   200   login"),
    R("people:worker-create",                   "GET",    "200   200   200   200   403   403   login"),
    R("people:worker-create",                   "POST",   "302   302   302   form  403   403   login", body=WORKER),
    R("people:worker-update",                   "GET",    "200   200   200   404   403   403   login", args=pk("worker")),
    R("people:worker-update",                   "POST",   "302   302   302   404   403   403   login", args=pk("worker"), body=WORKER),
    #                                                       admin staff dc_p  dc_g  op    lead  anon
    # --- Tasks, reports (activities), targets ---
    R("tasks17:task-list",                      "GET",    "200   200   200   200   200   200   login"),
    R("tasks17:activity-list",                  "GET",    "200   200   200   200   403   403   login"),
    R("tasks17:activity-create",                "GET",    "200   200   200   200   403   403   login"),
    R("tasks17:activity-create",                "POST",   "302   302   302   form  403   403   login", body=REPORT),
    # Verifies those of the ticked reports the user may review and says how many: a Patna id
    # from Gaya (or a coordinator's own report) is skipped, nothing written, the same redirect.
    R("tasks17:activity-verify-bulk",           "POST",   "302   302   302   302   403   403   login", body={"ids": ["@activity.patna"]}),
    R("tasks17:metric-fields",                  "GET",    "200   200   200   200   403   403   login", body={"task": "masks-sanitiser"}),
    R("tasks17:activity-detail",                "GET",    "200   200   200   404   403   403   login", args=pk("activity")),
    # Only the reporter corrects a report, until it is reviewed: the state office reviews instead.
    R("tasks17:activity-update",                "GET",    "403   403   200   404   403   403   login", args=pk("activity")),
    R("tasks17:activity-update",                "POST",   "403   403   302   404   403   403   login", args=pk("activity"), body=REPORT),
    R("tasks17:activity-verify",                "POST",   "302   302   403   404   403   403   login", args=pk("activity")),
    R("tasks17:activity-reject",                "POST",   "302   302   403   404   403   403   login", args=pk("activity"), body={"reason": "Wrong booth"}),
    R("tasks17:target-list",                    "GET",    "200   200   200   200   403   403   login"),
    R("tasks17:target-create",                  "GET",    "200   200   403   403   403   403   login"),
    R("tasks17:target-create",                  "POST",   "302   302   403   403   403   403   login", body=TARGET),
    R("tasks17:target-update",                  "GET",    "200   200   403   404   403   403   login", args=pk("target")),
    R("tasks17:target-update",                  "POST",   "302   302   403   404   403   403   login", args=pk("target"), body={"value": 2000}),
    #                                                       admin staff dc_p  dc_g  op    lead  anon
    # --- Task records: camps, donors, conferences, corona-free booths ---
    R("tasks17:record-camp-list",               "GET",    "200   200   200   200   403   403   login"),
    R("tasks17:record-camp-create",             "GET",    "200   200   200   200   403   403   login"),
    R("tasks17:record-camp-create",             "POST",   "302   302   302   form  403   403   login", body=CAMP),
    R("tasks17:record-camp-detail",             "GET",    "200   200   200   404   403   403   login", args=pk("camp")),
    R("tasks17:record-camp-update",             "GET",    "200   200   200   404   403   403   login", args=pk("camp")),
    R("tasks17:record-camp-update",             "POST",   "302   302   302   404   403   403   login", args=pk("camp"), body=CAMP),
    R("tasks17:record-camp-hold",               "GET",    "405   405   405   404   403   403   login", args=pk("camp")),
    R("tasks17:record-camp-hold",               "POST",   "302   302   302   404   403   403   login", args=pk("camp"), body={"donors": 5, "units": 5}),
    R("tasks17:record-camp-cancel",             "POST",   "302   302   302   404   403   403   login", args=pk("camp"), body={"reason": "Rain"}),
    R("tasks17:record-donor-list",              "GET",    "200   200   200   200   200   200   login"),
    R("tasks17:record-donor-create",            "GET",    "200   200   200   200   200   200   login"),
    R("tasks17:record-donor-create",            "POST",   "302   302   302   form  302   302   login", body=DONOR),
    R("tasks17:record-donor-update",            "GET",    "200   200   200   404   200   200   login", args=pk("donor")),
    R("tasks17:record-donor-update",            "POST",   "302   302   302   404   302   302   login", args=pk("donor"), body=DONOR),
    R("tasks17:record-donor-opt-out",           "POST",   "302   302   302   404   302   302   login", args=pk("donor")),
    R("tasks17:record-donor-renew-consent",     "POST",   "302   302   302   404   403   403   login", args=pk("donor"), body={"consent_date": "@today"}),
    R("tasks17:record-conference-list",         "GET",    "200   200   200   200   403   403   login"),
    R("tasks17:record-conference-create",       "GET",    "200   200   200   200   403   403   login"),
    R("tasks17:record-conference-create",       "POST",   "302   302   302   form  403   403   login", body=CONFERENCE),
    R("tasks17:record-worker-options",          "GET",    "200   200   200   200   200   200   login", body={"q": "Worker"}),
    R("tasks17:record-conference-detail",       "GET",    "200   200   200   404   403   403   login", args=pk("conference")),
    R("tasks17:record-conference-update",       "GET",    "200   200   200   404   403   403   login", args=pk("conference")),
    R("tasks17:record-conference-update",       "POST",   "302   302   302   404   403   403   login", args=pk("conference"), body=CONFERENCE),
    R("tasks17:record-declaration-list",        "GET",    "200   200   200   200   403   403   login"),
    R("tasks17:record-declaration-create",      "GET",    "200   200   200   200   403   403   login"),
    R("tasks17:record-declaration-create",      "POST",   "302   302   302   form  403   403   login", body=DECLARATION),
    R("tasks17:record-declaration-detail",      "GET",    "200   200   200   404   403   403   login", args=pk("declaration")),
    R("tasks17:record-declaration-withdraw",    "POST",   "302   302   302   404   403   403   login", args=pk("declaration"), body={"reason": "Cases again"}),
    #                                                       admin staff dc_p  dc_g  op    lead  anon
    # --- Helplines ---
    R("helplines:desk",                         "GET",    "200   403   403   403   200   200   login"),
    R("helplines:desk",                         "POST",   "302   403   403   403   302   302   login", body=CALL),
    R("helplines:queue",                        "GET",    "200   200   200   200   200   200   login"),
    R("helplines:caller-check",                 "GET",    "200   200   200   200   200   200   login", body={"caller_phone": "9812345678"}),
    R("helplines:request-list",                 "GET",    "200   200   200   200   200   200   login"),
    R("helplines:request-detail",               "GET",    "200   200   200   404   200   200   login", args=pk("request")),
    R("helplines:request-detail",               "GET",    "200   200   404   200   404   404   login", args=pk("request", "gaya"), label="gaya"),
    # Working a request is the helpline's: the state office and the coordinator watch (403);
    # Gaya's coordinator does not see a Patna request at all (404).
    R("helplines:request-assign",               "POST",   "302   403   403   404   302   302   login", args=pk("request"), body={"worker": "@worker.patna"}),
    R("helplines:request-note",                 "POST",   "302   403   403   404   302   302   login", args=pk("request"), body={"note": "Called back"}),
    R("helplines:request-callback",             "POST",   "302   403   403   404   302   302   login", args=pk("request"), body={"note": "No answer"}),
    R("helplines:request-escalate",             "POST",   "302   403   403   404   302   302   login", args=pk("request"), body={"note": "No bed"}),
    R("helplines:request-resolve",              "POST",   "302   403   403   404   302   302   login", args=pk("request"), body={"outcome": "bed_arranged", "note": "Bed at PMCH"}),
    R("helplines:request-unresolved",           "POST",   "302   403   403   404   302   302   login", args=pk("request"), body={"note": "Nothing found"}),
    R("helplines:request-duplicate",            "POST",   "302   403   403   404   302   302   login", args=pk("request"), body={"of": "@reference.patna"}),
    R("helplines:request-cancel",               "POST",   "302   403   403   404   302   302   login", args=pk("request"), body={"reason": "Caller withdrew"}),
    # Needs the permission before the lookup: 403 for every role without it, whatever the id.
    R("helplines:request-contact-donor",        "POST",   "302   403   403   403   302   302   login", args={"pk": "@request.patna", "donor": "@donor.patna"}),
    R("helplines:roster",                       "GET",    "200   200   200   404   200   200   login", args=pk("helpline")),
    R("helplines:shift-create",                 "GET",    "405   403   403   404   403   405   login", args=pk("helpline")),
    R("helplines:shift-create",                 "POST",   "302   403   403   404   403   302   login", args=pk("helpline"), body={"operator": "@operator", "start": "@later-local", "end": "@later+8h-local"}),
    R("helplines:facilities",                   "GET",    "200   200   200   200   200   200   login"),
    R("helplines:facility-create",              "GET",    "200   200   200   200   200   200   login"),
    R("helplines:facility-create",              "POST",   "302   302   302   form  302   302   login", body={"name": "AIIMS Patna", "kind": "hospital", "district": "@district-pk.patna"}),
    R("helplines:availability-create",          "GET",    "200   200   200   404   200   200   login", args=pk("facility")),
    R("helplines:availability-create",          "POST",   "302   302   302   404   302   302   login", args=pk("facility"), body={"verification": "called", "beds_general": 3}),
    R("helplines:board",                        "GET",    "200   200   200   200   200   200   200"),
    #                                                       admin staff dc_p  dc_g  op    lead  anon
    # --- Dashboards ---
    # A coordinator is sent to his own district's dashboard.
    R("monitoring:state",                       "GET",    "200   200   302   302   403   403   login"),
    R("monitoring:district",                    "GET",    "200   200   200   404   403   403   login", args={"code": "patna"}),
    R("monitoring:seat",                        "GET",    "200   200   200   404   403   403   login", args={"code": "patna", "number": "@seat.patna"}),
    R("monitoring:booth",                       "GET",    "200   200   200   404   403   403   login", args={"code": "patna", "number": "@seat.patna", "booth": "@booth-number.patna"}),
    #                                                       admin staff dc_p  dc_g  op    lead  anon
    # --- The privacy notice (public) and the access log (state admin) ---
    R("privacy:notice",                         "GET",    "200   200   200   200   200   200   200"),
    R("privacy:notice-version",                 "GET",    "200   200   200   200   200   200   200", args={"version": 1}),
    R("audit:access",                           "GET",    "200   403   403   403   403   403   login"),
    #                                                       admin staff dc_p  dc_g  op    lead  anon
    # --- Imports and exports, the report centre ---
    R("reports:imports",                        "GET",    "200   200   200   200   200   200   login"),
    # An import job is its uploader's: everybody else gets a 404, the state office too.
    R("reports:import-job",                     "GET",    "404   404   200   404   404   404   login", args=pk("import")),
    R("reports:import-confirm",                 "POST",   "404   404   302   404   404   404   login", args=pk("import")),
    R("reports:import-upload",                  "GET",    "200   200   200   200   403   403   login", args={"kind": "workers"}),
    # An upload only makes a job: its rows are checked later, a Patna row from Gaya is a bad row
    # there and nothing is written (tests/test_reports_imports_pages.py).
    R("reports:import-upload",                  "POST",   "302   302   302   302   403   403   login", args={"kind": "workers"}, body={"file": workers_file}),
    # Who may view workers may export them (the helpline too): see docs/permission-matrix.md.
    R("reports:import-export",                  "GET",    "200   200   200   200   200   200   login", args={"kind": "workers"}),
    # The kinds of issue 14's second part: donors (the helpline imports them), activity
    # reports, and help requests (export only, masked by the helplines' rule).
    R("reports:import-upload",                  "GET",    "200   200   200   200   200   200   login", args={"kind": "donors"}, label="donors"),
    R("reports:import-upload",                  "GET",    "200   200   200   200   403   403   login", args={"kind": "activities"}, label="activities"),
    R("reports:import-upload",                  "GET",    "403   403   403   403   403   403   login", args={"kind": "help-requests"}, label="help requests"),
    R("reports:import-export",                  "GET",    "200   200   200   200   200   200   login", args={"kind": "help-requests"}, label="help requests"),
    R("reports:centre",                         "GET",    "200   200   200   200   403   403   login"),
    R("reports:centre",                         "POST",   "302   302   302   form  403   403   login", body={"kind": "district", "district": "patna"}),
    # A report file is its asker's; state admins may download any (reports.download_any_report).
    R("reports:file",                           "GET",    "200   404   200   404   403   403   login", args=pk("report")),
    R("reports:download",                       "GET",    "200   404   200   404   404   404   login", args=pk("report")),
    # The state pack is state-wide figures: not there for a district's coordinator.
    R("reports:state-pack",                     "GET",    "200   200   404   404   403   403   login"),
    R("reports:district-report",                "GET",    "200   200   200   404   403   403   login", args={"code": "patna"}),
    # A DRF view at a page address (session or token, in the API contract): API answers.
    R("reports:activity-register-csv",          "GET",    "200   200   200   200   403   403   403"),
    #                                                       admin staff dc_p  dc_g  op    lead  anon
    # --- Messages ---
    R("notify:broadcast-list",                  "GET",    "200   200   200   200   403   403   login"),
    R("notify:broadcast-create",                "GET",    "200   200   200   200   403   403   login"),
    R("notify:broadcast-create",                "POST",   "302   302   302   form  403   403   login", body=BROADCAST),
    R("notify:broadcast-detail",                "GET",    "200   200   200   404   403   403   login", args=pk("broadcast")),
    R("notify:mine",                            "GET",    "200   200   200   200   200   200   login"),
    # What was sent to a worker, for those who may see the worker (his district, the helpline).
    R("notify:worker-messages",                 "GET",    "200   200   200   404   200   200   login", args=pk("worker")),
    # === The API (anonymous: 403, session authentication answers first) =============
    #                                                       admin staff dc_p  dc_g  op    lead  anon
    R("api-root",                               "GET",    "200   200   200   200   200   200   403"),
    R("schema",                                 "GET",    "200   200   200   200   200   200   200"),
    R("api-docs",                               "GET",    "200   200   200   200   200   200   200"),
    # Sign-in for a token: a wrong password is a 400 for anybody.
    R("api-token",                              "POST",   "400   400   400   400   400   400   400", body={"username": "nobody", "password": "wrong"}),
    R("api-token-mine-list",                    "GET",    "200   200   200   200   200   200   403"),
    R("api-token-mine-detail",                  "DELETE", "404   404   204   404   404   404   403", args=pk("token")),
    R("district-list",                          "GET",    "200   200   200   200   200   200   403"),
    R("district-detail",                        "GET",    "200   200   200   404   200   200   403", args={"code": "patna"}),
    R("loksabhaseat-list",                      "GET",    "200   200   200   200   200   200   403"),
    R("loksabhaseat-detail",                    "GET",    "200   200   200   404   200   200   403", args={"number": "@lok-sabha-seat.patna"}),
    R("assemblyseat-list",                      "GET",    "200   200   200   200   200   200   403"),
    R("assemblyseat-detail",                    "GET",    "200   200   200   404   200   200   403", args={"number": "@seat.patna"}),
    R("mandal-list",                            "GET",    "200   200   200   200   200   200   403"),
    R("mandal-detail",                          "GET",    "200   200   200   404   200   200   403", args=pk("mandal")),
    R("booth-list",                             "GET",    "200   200   200   200   200   200   403"),
    R("booth-detail",                           "GET",    "200   200   200   404   200   200   403", args=pk("booth")),
    R("worker-list",                            "GET",    "200   200   200   200   200   200   403"),
    R("worker-list",                            "POST",   "201   201   201   400   403   403   403", body={"name": "Sita Devi", "phone": "9876511111", "role": "volunteer", "district": "patna"}),
    R("worker-detail",                          "GET",    "200   200   200   404   200   200   403", args=pk("worker")),
    R("worker-detail",                          "PATCH",  "200   200   200   404   403   403   403", args=pk("worker"), body={"name": "Renamed"}),
    R("task-list",                              "GET",    "200   200   200   200   200   200   403"),
    R("task-detail",                            "GET",    "200   200   200   200   200   200   403", args={"code": "masks-sanitiser"}),
    R("target-list",                            "GET",    "200   200   200   200   403   403   403"),
    R("target-list",                            "POST",   "201   201   403   403   403   403   403", body={"task": "masks-sanitiser", "metric": "sanitiser", "district": "patna", "period_start": "@today", "period_end": "@today", "value": 50}),
    R("target-detail",                          "GET",    "200   200   200   404   403   403   403", args=pk("target")),
    R("target-detail",                          "PATCH",  "200   200   403   403   403   403   403", args=pk("target"), body={"value": 2000}),
    R("activity-list",                          "GET",    "200   200   200   200   403   403   403"),
    R("activity-list",                          "POST",   "201   201   201   400   403   403   403", body={"client_uuid": "@uuid", "task": "masks-sanitiser", "district": "patna", "booth": "@booth.patna", "date": "@today", "values": {"masks": 5}}),
    R("activity-detail",                        "GET",    "200   200   200   404   403   403   403", args=pk("activity")),
    R("activity-detail",                        "PATCH",  "403   403   200   404   403   403   403", args=pk("activity"), body={"notes": "Corrected"}),
    R("activity-verify",                        "POST",   "200   200   403   404   403   403   403", args=pk("activity")),
    R("activity-reject",                        "POST",   "200   200   403   404   403   403   403", args=pk("activity"), body={"reason": "Wrong booth"}),
    R("donationcamp-list",                      "GET",    "200   200   200   200   403   403   403"),
    R("donationcamp-list",                      "POST",   "201   201   201   400   403   403   403", body={"kind": "blood", "district": "patna", "venue": "School", "date": "@today", "organiser": "Yuva Morcha"}),
    R("donationcamp-detail",                    "GET",    "200   200   200   404   403   403   403", args=pk("camp")),
    R("donationcamp-detail",                    "PATCH",  "200   200   200   404   403   403   403", args=pk("camp"), body={"venue": "College"}),
    R("donationcamp-hold",                      "POST",   "200   200   200   404   403   403   403", args=pk("camp"), body={"donors": 10, "units": 10}),
    R("donationcamp-cancel",                    "POST",   "200   200   200   404   403   403   403", args=pk("camp"), body={"reason": "Rain"}),
    R("donor-list",                             "GET",    "200   200   200   200   200   200   403"),
    R("donor-list",                             "POST",   "201   201   201   400   201   201   403", body={"name": "Ravi", "phone": "9876522222", "blood_group": "B+", "district": "patna", "consent_to_contact": True}),
    R("donor-detail",                           "GET",    "200   200   200   404   200   200   403", args=pk("donor")),
    R("donor-detail",                           "PATCH",  "200   200   200   404   200   200   403", args=pk("donor"), body={"notes": "Evenings"}),
    R("donor-opt-out",                          "POST",   "200   200   200   404   200   200   403", args=pk("donor")),
    R("donor-renew-consent",                    "POST",   "200   200   200   404   403   403   403", args=pk("donor"), body={"consent_date": "@today"}),
    R("videoconference-list",                   "GET",    "200   200   200   200   403   403   403"),
    R("videoconference-list",                   "POST",   "201   201   201   400   403   403   403", body={"representative": "@mla.patna", "district": "patna", "worker_group": "Mandal presidents", "date": "@today", "participant_count": 12, "topics": "Vaccination"}),
    R("videoconference-detail",                 "GET",    "200   200   200   404   403   403   403", args=pk("conference")),
    R("videoconference-detail",                 "PATCH",  "200   200   200   404   403   403   403", args=pk("conference"), body={"topics": "Oxygen, meals"}),
    R("boothdeclaration-list",                  "GET",    "200   200   200   200   403   403   403"),
    R("boothdeclaration-list",                  "POST",   "201   201   201   400   403   403   403", body={"booth": "@booth.patna", "declared_on": "@today", "ticked_items": ["@checklist"]}),
    R("boothdeclaration-detail",                "GET",    "200   200   200   404   403   403   403", args=pk("declaration")),
    R("boothdeclaration-withdraw",              "POST",   "200   200   200   404   403   403   403", args=pk("declaration"), body={"reason": "Cases again"}),
    R("helpline-list",                          "GET",    "200   200   200   200   200   200   403"),
    R("helpline-list",                          "POST",   "201   403   403   403   403   403   403", body={"name": "Danapur Helpline", "city": "Danapur", "district": "patna", "phones": "0612-2200200", "is_24x7": True}),
    R("helpline-detail",                        "GET",    "200   200   200   404   200   200   403", args=pk("helpline")),
    R("helpline-detail",                        "PATCH",  "405   403   403   403   403   403   403", args=pk("helpline"), body={"phones": "0612-2200300"}),
    R("shift-list",                             "GET",    "200   200   200   200   200   200   403"),
    R("shift-list",                             "POST",   "201   403   403   403   403   201   403", body={"helpline": "@helpline.patna", "operator": "@operator", "start": "@later", "end": "@later+8h"}),
    R("shift-detail",                           "GET",    "200   200   200   404   200   200   403", args=pk("shift")),
    R("shift-detail",                           "PATCH",  "200   403   403   403   403   200   403", args=pk("shift"), body={"end": "@start+4h"}),
    R("help-request-list",                      "GET",    "200   200   200   200   200   200   403"),
    R("help-request-list",                      "POST",   "201   403   403   403   201   201   403", body={"helpline": "@helpline.patna", "district": "patna", "caller_name": "Kamla", "caller_phone": "9812300000", "category": "oxygen_bed", "urgency": "high"}),
    R("help-request-detail",                    "GET",    "200   200   200   404   200   200   403", args=pk("request")),
    R("help-request-detail",                    "PATCH",  "405   403   403   403   405   405   403", args=pk("request"), body={"details": "SpO2 85"}),
    # DRF checks the permission first: roles without it get 403 for any id (nothing revealed).
    R("help-request-assign",                    "POST",   "200   403   403   403   200   200   403", args=pk("request"), body={"worker": "@worker.patna"}),
    R("help-request-events",                    "GET",    "200   200   200   404   200   200   403", args=pk("request")),
    R("help-request-matches",                   "GET",    "200   403   403   403   200   200   403", args=pk("request")),
    R("help-request-resolve",                   "POST",   "200   403   403   403   200   200   403", args=pk("request"), body={"outcome": "bed_arranged"}),
    R("facility-list",                          "GET",    "200   200   200   200   200   200   403"),
    R("facility-list",                          "POST",   "201   201   201   400   201   201   403", body={"name": "AIIMS Patna", "kind": "hospital", "district": "patna"}),
    R("facility-detail",                        "GET",    "200   200   200   404   200   200   403", args=pk("facility")),
    # Facilities are not changed through the API (no PATCH route); reports go to availability/.
    R("facility-detail",                        "PATCH",  "405   405   405   405   405   405   403", args=pk("facility"), body={"phone": "0612-2300001"}),
    R("facility-availability",                  "POST",   "201   201   201   404   201   201   403", args=pk("facility"), body={"verification": "called", "beds_general": 3}),
    R("dashboard-state",                        "GET",    "200   200   403   403   403   403   403"),
    R("dashboard-district",                     "GET",    "200   200   200   404   403   403   403", args={"code": "patna"}),
    # The SMS gateway's webhook: its shared secret, not a user, lets it in.
    R("sms-inbound",                            "POST",   "403   403   403   403   403   403   403", body={"from": "9876500001", "text": "HELP"}),
    R("broadcast-list",                         "GET",    "200   200   200   200   403   403   403"),
    R("broadcast-list",                         "POST",   "201   201   201   400   403   403   403", body={"text": "Meeting at 6", "audience": "coordinators", "districts": ["patna"]}),
    R("broadcast-preview",                      "POST",   "200   200   200   400   403   403   403", body={"text": "Meeting at 6", "audience": "coordinators", "districts": ["patna"]}),
    R("broadcast-detail",                       "GET",    "200   200   200   404   403   403   403", args=pk("broadcast")),
]
# fmt: on
