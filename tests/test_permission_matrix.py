"""The permission matrix, walked: every row of ``tests/permission_matrix.py`` asked of every
persona, and every URL of the portal checked to have a row (or a declared reason to skip).

The personas and objects are made once for the module (``tests/permission_world.py``); each
cell runs in a savepoint rolled back after it, so a write by one persona never changes what
the next one is asked about. A failure lists every cell of the row that answered otherwise,
with the row as it answers now, ready to paste once the answer is judged right.
"""

from __future__ import annotations

import dataclasses
import json
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from drf_spectacular.generators import SchemaGenerator

from tests import permission_matrix as matrix
from tests.permission_world import PATNA_PRIVATE, World, world_build

MATRIX_FILE = "tests/permission_matrix.py"


# --- The routes the URLconf has --------------------------------------------------------------


def url_patterns(patterns: Any = None, prefix: str = "", namespace: str = "") -> list[matrix.Route]:
    """Every leaf pattern of the URLconf, nested includes walked, in resolution order."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            view = pattern.lookup_str
            found.append(matrix.Route(prefix + str(pattern.pattern), name or "", view))
    return found


def declared_routes(patterns: Any = None) -> tuple[dict[str, matrix.Route], list[tuple[matrix.Route, str]]]:
    """The routes that need a row (by their key), and those skipped with the reason."""
    needing, skipped, seen = {}, [], set()
    for route in url_patterns(patterns):
        reason = matrix.skip_reason(route)
        if reason is None and route.pattern in seen:
            reason = "shadowed: an earlier pattern has the same route, so this one is never reached"
        seen.add(route.pattern)
        if reason:
            skipped.append((route, reason))
        else:
            needing[route.key] = route
    return needing, skipped


def undeclared(patterns: Any = None) -> str:
    """What the suite says about routes with no row (empty when every route has one)."""
    needing, _ = declared_routes(patterns)
    rows = {row.route for row in matrix.ROWS}
    missing = [route for key, route in needing.items() if key not in rows]
    if not missing:
        return ""
    return (
        f"{len(missing)} URL(s) with no row in {MATRIX_FILE}: add a line to ROWS for each, with "
        "the expected answer per role (or a reason to SKIPPED):\n"
        + "\n".join(f"  {r.key!r}  /{r.pattern}  ({r.view})" for r in missing)
    )


def test_every_route_has_a_row_and_every_row_a_route():
    message = undeclared()
    assert not message, message
    needing, _ = declared_routes()
    stale = sorted({row.route for row in matrix.ROWS} - set(needing) - set(matrix.SKIPPED))
    assert not stale, f"rows in {MATRIX_FILE} for routes the URLconf no longer has: {stale}"
    unused = sorted(set(matrix.SKIPPED) - {r.key for r in url_patterns()})
    assert not unused, f"SKIPPED in {MATRIX_FILE} names routes the URLconf no longer has: {unused}"


def test_a_new_url_without_a_row_is_named_with_the_file_to_edit():
    def notice(request: Any) -> Any:  # pragma: no cover - never called
        raise AssertionError

    extra = [path("nowhere/", include(([path("page/", notice, name="page")], "nowhere")))]
    message = undeclared([*get_resolver().url_patterns, *extra])
    assert "'nowhere:page'  /nowhere/page/" in message
    assert message.startswith(f"1 URL(s) with no row in {MATRIX_FILE}")
    # Admin pages, format suffixes and shadowed patterns are skipped by a declared rule.
    _, skipped = declared_routes()
    reasons = {reason for _, reason in skipped}
    assert any("Django admin" in reason for reason in reasons)
    assert any("format-suffix" in reason for reason in reasons)
    assert any("shadowed" in reason for reason in reasons)


def test_each_row_is_declared_once_and_well_formed():
    seen = set()
    for row in matrix.ROWS:
        assert (row.route, row.method, row.label) not in seen, (
            f"two rows for {row.route} {row.method} {row.label}"
        )
        seen.add((row.route, row.method, row.label))
        assert set(row.expect) == set(matrix.ROLES), row


def test_the_matrix_counts_its_cells():
    """The count quoted in docs/permission-matrix.md (``pytest -s`` prints it)."""
    needing, skipped = declared_routes()
    cells = sum(len(row.expect) for row in matrix.ROWS)
    mirrored = 2 * len(MIRRORED)
    print(
        f"\npermission matrix: {len(needing)} routes, {len(matrix.ROWS)} rows (route x action), "
        f"{len(matrix.ROLES)} roles, {cells} cells, and {mirrored} more on Gaya's objects; "
        f"{len(skipped)} patterns skipped by a declared rule"
    )
    assert len(matrix.ROWS) >= len(needing) and cells == len(matrix.ROWS) * len(matrix.ROLES)


# --- Walking the rows ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas and objects, made once, inside a transaction rolled back at the end."""
    # The report file goes to a folder of the module's own (override_settings, so the file
    # storage hears of it).
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"))
    media.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = world_build()
            # One client for every cell: a new one builds its middleware again (whitenoise
            # lists every static file), which would cost more than the requests themselves.
            built.client = Client(raise_request_exception=False)
            built.sessions = {}
            for role, user in built.users.items():
                built.client.cookies = SimpleCookie()
                if user is not None:
                    built.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
                built.sessions[role] = {key: morsel.value for key, morsel in built.client.cookies.items()}
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            media.disable()


@pytest.fixture(scope="module", autouse=True)
def _schema_made_once():
    """``/api/schema/`` is the same document for everybody and takes seconds to generate; the
    matrix asks who may fetch it, so it is generated once for the module."""
    made: dict[bool, Any] = {}
    original = SchemaGenerator.get_schema

    def get_schema(self: Any, request: Any = None, public: bool = False) -> Any:
        if public not in made:
            made[public] = original(self, request=request, public=public)
        return made[public]

    SchemaGenerator.get_schema = get_schema
    yield
    SchemaGenerator.get_schema = original


@pytest.fixture(autouse=True)
def _quiet(settings):
    settings.SEVA_QUIET_HOURS = (0, 0)


def _path(world: World, row: matrix.Row) -> str:
    if row.path:
        return row.path
    kwargs = {name: world.resolve(value) for name, value in (row.args or {}).items()}
    return reverse(row.route, kwargs=kwargs)


def _send(client: Client, world: World, row: matrix.Row, path: str) -> Any:
    method = row.method.lower()
    body = world.resolve(row.body) if row.body is not None else None
    if method == "get":
        return client.get(path, body or {})
    if path.startswith("/api/"):  # the API reads JSON; pages read forms
        return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")
    if method == "post":
        return client.post(path, body or {})
    return getattr(client, method)(path)


def answer(response: Any, method: str) -> str:
    """What the table writes for a response: ``login`` for a redirect to the sign-in page,
    ``form`` for a page's form sent back with field errors (a 200 that wrote nothing), else
    the status code."""
    if response.status_code in (301, 302):
        login = resolve_url(settings.LOGIN_URL)
        if response["Location"].split("?")[0] == login:
            return "login"
    if method == "POST" and response.status_code == 200 and _form_errors(response):
        return "form"
    return str(response.status_code)


def _form_errors(response: Any) -> bool:
    for context in response.context or []:
        form = context.get("form") if hasattr(context, "get") else None
        if form is not None and getattr(form, "errors", None):
            return True
    return False


def _ask(world: World, row: matrix.Row, role: str) -> str:
    client = world.client
    # Each persona's session was made once (``world``); a cell may sign out or rotate it, but
    # its savepoint takes that back, so the cookie is set again before every request.
    client.cookies = SimpleCookie(world.sessions[role])
    cache.clear()  # throttles count per address: each cell starts with none used
    with transaction.atomic():
        try:
            return answer(_send(client, world, row, _path(world, row)), row.method)
        finally:
            transaction.set_rollback(True)


@pytest.mark.parametrize("row", matrix.ROWS, ids=[row.id for row in matrix.ROWS])
def test_each_role_gets_the_declared_answer(world, row, db):
    got = {role: _ask(world, row, role) for role in matrix.ROLES}
    wanted = {role: matrix.expected(row, role) for role in matrix.ROLES}
    wrong = {
        role: f"{wanted[role]} expected, got {got[role]}"
        + (" (a known deviation: fixed? take it out of the row's known)" if role in row.known else "")
        for role in matrix.ROLES
        if got[role] != wanted[role]
    }
    assert not wrong, (
        f"{row.method} {_path(world, row)} ({row.route}):\n"
        + "\n".join(f"  {role}: {text}" for role, text in wrong.items())
        + f"\nas it answers now: {' '.join(got[role] for role in matrix.ROLES)!r}"
    )


# --- The same rows, mirrored: Gaya's objects asked by both coordinators ---------------------


def _mirror(value: Any) -> Any:
    """``value`` with Patna's objects and codes swapped for Gaya's."""
    if isinstance(value, str):
        return "gaya" if value == "patna" else value.replace(".patna", ".gaya")
    if isinstance(value, dict):
        return {key: _mirror(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_mirror(item) for item in value]
    return value


MIRRORED = [row for row in matrix.ROWS if row.args and _mirror(row.args) != row.args]


@pytest.mark.parametrize("row", MIRRORED, ids=[row.id for row in MIRRORED])
def test_each_coordinator_gets_on_gayas_objects_what_the_other_gets_on_patnas(world, row, db):
    """The table names Patna's objects; Gaya's twins must answer the two coordinators the other
    way round (Patna's coordinator 404 on a Gaya camp, Gaya's as Patna's on his own)."""
    twin = dataclasses.replace(row, args=_mirror(row.args), body=_mirror(row.body))
    got = {role: _ask(world, twin, role) for role in ("dc_patna", "dc_gaya")}
    wanted = {"dc_patna": matrix.expected(row, "dc_gaya"), "dc_gaya": matrix.expected(row, "dc_patna")}
    assert got == wanted, f"{twin.method} {_path(world, twin)} ({row.route}): {got} instead of {wanted}"


# --- What a page shows: Gaya's coordinator reads nothing of Patna ---------------------------

READS = [row for row in matrix.ROWS if row.method == "GET" and matrix.expected(row, "dc_gaya") == "200"]


@pytest.mark.parametrize("row", READS, ids=[row.id for row in READS])
def test_gayas_coordinator_reads_nothing_of_patna(world, row, db):
    """Every page and endpoint Gaya's coordinator may open: none of Patna's records in it
    (STYLE.md rule 6), lists and options included."""
    client = world.client
    client.cookies = SimpleCookie(world.sessions["dc_gaya"])
    with transaction.atomic():
        response = _send(client, world, row, _path(world, row))
        # A streamed export logs its row count at its end: read it before the rollback.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    text = body.decode("utf-8", "replace")
    assert not [marker for marker in PATNA_PRIVATE if marker in text], f"{row.id}: {text[:300]}"


def test_the_markers_are_there_for_patnas_coordinator(world, db):
    """The check above means something: Patna's own pages show the names it looks for."""
    client = world.client
    client.cookies = SimpleCookie(world.sessions["dc_patna"])
    shown = ""
    for route in (
        "people:worker-list",
        "tasks17:record-donor-list",
        "tasks17:record-camp-list",
        "tasks17:record-conference-list",
        "helplines:request-list",
    ):
        shown += client.get(reverse(route)).content.decode()
    for marker in ("Worker of patna", "Donor of patna", "Town hall of patna", "Booth presidents of patna"):
        assert marker in shown, marker
