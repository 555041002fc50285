"""Walk the portal as its users do and keep a screenshot of every page: a coordinator on a
360-px phone in Hindi, state staff at desktop size in English, the state admin.

    .venv/bin/python scripts/walk.py http://127.0.0.1:8100   # e.g. after scripts/prod-shape

Screenshots go to /tmp/walk/; the script prints each page's status, its title, and any
console error or failed request, and exits 1 if a page answered 500 or logged an error.
Needs Debian's chromium (SEVA_CHROMIUM, default /usr/bin/chromium) and the demo users.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "seva-demo-2021"  # noqa: S105 - the demo users' published password
OUT = Path(os.environ.get("WALK_OUT", "/tmp/walk"))  # noqa: S108 - screenshots for a person to see
PHONE, DESKTOP = {"width": 360, "height": 740}, {"width": 1366, "height": 900}
WALKS = [
    (
        "dc_patna",
        PHONE,
        "hi",
        [
            "/",
            "/activities/new/",
            "/activities/",
            "/dashboard/",
            "/targets/",
            "/tasks/",
            "/camps/",
            "/donors/",
            "/messages/",
            "/messages/new/",
            "/messages/mine/",
            "/workers/",
            "/imports/",
            "/imports/activities/",
            "/reports/",
            "/reports/districts/patna/",
            "/privacy/",
        ],
    ),
    (
        "state_staff",
        DESKTOP,
        "en",
        [
            "/",
            "/dashboard/",
            "/dashboard/districts/gaya/",
            "/activities/",
            "/targets/",
            "/tasks/",
            "/messages/",
            "/messages/new/",
            "/imports/",
            "/reports/",
            "/availability/",
        ],
    ),
    (
        "helpline_lead_patna",
        PHONE,
        "hi",
        [
            "/helplines/desk/",
            "/helplines/requests/",
            "/helplines/requests/1/",
            "/helplines/facilities/",
            "/imports/",
        ],
    ),
    (
        "state_admin",
        DESKTOP,
        "en",
        [
            "/",
            "/admin/",
            "/admin/notify/notification/",
            "/admin/notify/inboundsms/",
            "/imports/",
            "/reports/",
            "/reports/state-pack/",
            "/workers/",
            "/audit/access/",
            "/admin/privacy/consentrecord/",
            "/admin/audit/accessevent/",
            "/privacy/",
            "/api/docs/",
        ],
    ),
]


def main(base: str) -> int:
    OUT.mkdir(exist_ok=True)
    failed = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("SEVA_CHROMIUM", "/usr/bin/chromium"),
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for user, viewport, language, paths in WALKS:
            context = browser.new_context(viewport=viewport, locale="hi-IN" if language == "hi" else "en-US")
            context.add_cookies([{"name": "django_language", "value": language, "url": base}])
            page = context.new_page()
            problems: list[str] = []
            page.on("console", lambda m, p=problems: m.type == "error" and p.append(f"console: {m.text}"))
            # A request cut off by the next navigation (the service worker's warm-up of the
            # report form's fragments) is not a failure: net::ERR_ABORTED.
            page.on(
                "requestfailed",
                lambda r, p=problems: "ERR_ABORTED" not in (r.failure or "") and p.append(f"failed: {r.url}"),
            )
            page.goto(base + "/accounts/login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", PASSWORD)
            page.click("[data-testid=login-submit]")
            page.wait_for_load_state("load")
            for path in paths:
                problems.clear()
                response = page.goto(base + path)
                page.wait_for_load_state("load")  # not networkidle: the worker's warm-up runs on
                page.wait_for_timeout(800)  # charts and htmx settle
                status = response.status if response else 0
                # On a phone nothing may make the page wider than the screen (a table scrolls
                # in its own box).
                width = page.evaluate("document.documentElement.scrollWidth")
                if viewport is PHONE and width > PHONE["width"]:
                    problems.append(f"page is {width} px wide at {PHONE['width']}")
                name = f"{user}{path.replace('/', '_')}.png"
                page.screenshot(path=str(OUT / name), full_page=True)
                print(f"{status} {user:12} {path:40} {page.title()[:60]}")
                for problem in problems:
                    print(f"    {problem}")
                failed |= status >= 500 or bool(problems)
            context.close()
        browser.close()
    print(f"screenshots in {OUT}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8100"))
