"""Playwright driving Debian's Chromium for browser tests.

Playwright cannot download its own browsers here, so it drives the system Chromium by path
(``SEVA_CHROMIUM``, else ``chromium`` on PATH). Without one, browser tests are skipped with one
line; with ``SEVA_REQUIRE_BROWSER=1`` (set by ``.ci/run``) that skip becomes a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PHONE = {"width": 360, "height": 740}
# Without the background-networking flags Chromium keeps trying to reach Google's hosts,
# which this closed network refuses.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    path = os.environ.get("SEVA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    return path if path and Path(path).exists() else None


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        message = "no Chromium found: browser tests skipped (apt-get install chromium, or set SEVA_CHROMIUM)"
        if os.environ.get("SEVA_REQUIRE_BROWSER"):
            pytest.fail(message + " — SEVA_REQUIRE_BROWSER is set")
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM, used by the test
    # code around it, must be told that is fine.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _phone(chromium, **options):
    context = chromium.new_context(viewport=PHONE, locale="en-US", device_scale_factor=1, **options)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.fixture
def phone_page(chromium):
    """A fresh page the size of a 360-px phone, English first. Without the service worker:
    its offline warm-up (some forty requests after the report form loads) would keep
    ``networkidle`` waiting in tests about something else; ``offline_phone_page`` has it."""
    context, page = _phone(chromium, service_workers="block")
    yield page
    context.close()


@pytest.fixture
def offline_phone_page(chromium):
    """A phone page with the portal's service worker (docs/offline.md)."""
    context, page = _phone(chromium)
    yield page
    context.close()


@pytest.fixture
def geography(transactional_db):
    """Browser tests run with real transactions, and Django empties every table after each
    one; the geography and task catalogue the migrations loaded must then be loaded again."""
    from django.core.management import call_command

    from seva.geo.models import District

    if not District.objects.exists():
        call_command("load_geography", verbosity=0)
    from tasks17 import catalogue
    from tasks17.models import Metric, Task

    catalogue.ship(Task, Metric)  # the task catalogue, shipped by a data migration, too
    # ... and the tasks fed by their records, marked by another (0009).
    Task.objects.filter(code__in=catalogue.RECORD_FED_TASKS).update(fed_by_records=True)


PASSWORD = "browser-test-pass-2021"


@pytest.fixture
def coordinator(geography):
    """Patna's coordinator ``dc_patna_b`` (password ``PASSWORD``), for browser tests."""
    from seva.people.choices import PortalRole
    from seva.people.services import user_create
    from tests.factories import district

    return user_create(
        username="dc_patna_b",
        password=PASSWORD,
        role=PortalRole.DISTRICT_COORDINATOR,
        district=district("patna"),
    )


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state("networkidle")
