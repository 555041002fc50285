"""Shared fixtures: the personas every scope test uses (STYLE.md, rule 6)."""

import pytest
from rest_framework.test import APIClient

from seva.celery import app as celery_app
from seva.people.choices import PortalRole
from seva.people.services import user_create
from tests.browser import chromium, coordinator, geography, offline_phone_page, phone_page  # noqa: F401 - fixtures for browser tests
from tests.factories import district
from tests.factories_helplines import gaya_line, gaya_operator, lead, operator, patna_line  # noqa: F401 - helplines personas

PASSWORD = "seva-test-pass-2021"


@pytest.fixture(autouse=True)
def _celery_in_process():
    """Unit tests run Celery tasks in-process; integration tests opt back into a worker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _english_first():
    """A request in Hindi leaves Hindi active in the thread; each test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def patna(db):
    return district("patna")


@pytest.fixture
def gaya(db):
    return district("gaya")


def _persona(username, role, code=None):
    return user_create(
        username=username,
        password=PASSWORD,
        role=role,
        district=district(code) if code else None,
        first_name=username.replace("_", " ").title(),
        email=f"{username}@example.org",
    )


@pytest.fixture
def state_admin(db):
    return _persona("state_admin", PortalRole.STATE_ADMIN)


@pytest.fixture
def state_staff(db):
    return _persona("state_staff", PortalRole.STATE_STAFF)


@pytest.fixture
def dc_patna(db):
    return _persona("dc_patna", PortalRole.DISTRICT_COORDINATOR, "patna")


@pytest.fixture
def dc_gaya(db):
    return _persona("dc_gaya", PortalRole.DISTRICT_COORDINATOR, "gaya")


@pytest.fixture
def helpline_patna(db):
    return _persona("helpline_patna", PortalRole.HELPLINE_OPERATOR, "patna")


@pytest.fixture
def api():
    """An API client; ``api.force_authenticate(user)`` to act as a persona."""
    return APIClient()


@pytest.fixture
def client_as(client):
    """``client_as(user)``: the Django test client signed in as ``user``."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


def pytest_terminal_summary(terminalreporter):
    """Lines a test left as ``record_property("summary", ...)`` (the schemathesis run's counts),
    shown at the end of the run, from every xdist worker."""
    lines = [
        value
        for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
        for name, value in getattr(report, "user_properties", [])
        if name == "summary" and report.when == "call"
    ]
    if lines:
        terminalreporter.section("summaries")
        for line in sorted(lines):
            terminalreporter.write_line(line)
