"""What a coordinator's phone downloads, and how long it waits, on a slow 3G link.

Serves the portal as production does (gunicorn, DEBUG off, hashed and compressed static files
from `collectstatic`, whitenoise) on a throw-away SQLite database with the demo users, and
drives Debian's Chromium through Playwright with the DevTools protocol's network emulation
(400 kbit/s down and up, 400 ms round trip). For each page: a first visit (empty cache) and a
repeat visit (the same browser, a minute later in the phone's life).

    .venv/bin/python bench/phone.py            # prints the table, writes bench/results/phone.json

Counted per visit:
- `page KB`: the sum of `Network.loadingFinished.encodedDataLength` (bytes on the wire,
  compressed, headers included) of the page's own requests until its `load` event;
- `s`: navigation start to the end of the `load` event, under the emulation;
- `server KB` / `requests`: every response the server sent while the visit lasted, the
  service worker's own requests included (its install and the offline warm-up, which the
  page's emulation does not see): gunicorn's access log, body bytes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser import CHROMIUM_ARGS, PHONE, chromium_path  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
PASSWORD = "seva-demo-2021"  # noqa: S105 - the demo users' published password
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}
PAGES = [("/accounts/login/", None), ("/", "dc_patna"), ("/activities/new/", "dc_patna")]
GOALS = {"first_kb": 100, "first_s": 3.5}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(work: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "REDIS_URL"}}
    env.update(
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY="bench-phone-only-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{work / 'phone.sqlite3'}",
        DJANGO_STATIC_ROOT=str(work / "static"),
        DJANGO_SECURE_SSL_REDIRECT="off",
        DJANGO_SECURE_COOKIES="off",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        **extra,
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def prepare(work: Path) -> None:
    env = production_env(work)
    print("collectstatic …", file=sys.stderr)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    if (work / "phone.sqlite3").exists():
        return
    print("migrate, demo data …", file=sys.stderr)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_geography")
    manage({**env, "DJANGO_DEBUG": "on"}, "seed_demo")  # refused unless DEBUG is on


class Server:
    """gunicorn as the Dockerfile runs it, its access log giving each response's size."""

    def __init__(self, work: Path) -> None:
        self.port = free_port()
        self.log = work / "access.log"
        self.log.write_text("")
        self.process = subprocess.Popen(  # noqa: S603
            [
                PYTHON,
                "-m",
                "gunicorn",
                "seva.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--access-logfile",
                str(self.log),
                "--access-logformat",
                '"%(r)s" %(s)s %(B)s',
                "--control-socket",
                str(work / "gunicorn.ctl"),
            ],
            cwd=ROOT,
            env=production_env(work),
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://localhost:{self.port}"
        for _ in range(100):
            try:
                urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def mark(self) -> int:
        return len(self.log.read_text().splitlines())

    def since(self, mark: int) -> list[tuple[str, int]]:
        time.sleep(0.5)  # gunicorn writes its log line after the response
        rows = []
        for line in self.log.read_text().splitlines()[mark:]:
            found = re.match(r'"(\S+ \S+) [^"]*" (\d+) (\d+|-)', line)
            if found:
                rows.append((found[1], int(found[3]) if found[3] != "-" else 0))
        return rows

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def sign_in(context, base: str, username: str) -> None:
    """Signed in through the context's request API: the session cookie, but nothing in the
    browser's cache, so the visit measured next is a true first visit."""
    page = context.request.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text())[1]
    answer = context.request.post(
        f"{base}/accounts/login/",
        form={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    if not answer.ok or "/accounts/login/" in answer.url:
        raise RuntimeError(f"sign-in failed for {username}")


def visit(page, cdp, server: Server, url: str, *, warms: bool) -> dict:
    finished: list[int] = []
    handler = lambda event: finished.append(event["encodedDataLength"])  # noqa: E731
    cdp.on("Network.loadingFinished", handler)
    mark = server.mark()
    page.goto(url, wait_until="load")
    seconds = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000
    page_bytes = sum(finished)
    page_requests = len(finished)
    cdp.remove_listener("Network.loadingFinished", handler)
    if warms:  # a coordinator's page gets the report form ready for offline use, after load
        page.wait_for_selector("html[data-offline-warm='1']", state="attached", timeout=300_000)
    page.wait_for_timeout(2000)  # the last answers of the visit
    served = server.since(mark)
    return {
        "page_kb": round(page_bytes / 1024, 1),
        "page_requests": page_requests,
        "seconds": round(seconds, 2),
        "server_kb": round(sum(size for _, size in served) / 1024, 1),
        "server_requests": len(served),
        "served": [f"{request} {size}" for request, size in served],
    }


def measure(server: Server) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for path, username in PAGES:
            context = browser.new_context(viewport=PHONE, locale="hi-IN", device_scale_factor=2)
            if username:
                sign_in(context, server.url, username)
            page = context.new_page()
            page.set_default_timeout(60000)
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            first = visit(page, cdp, server, server.url + path, warms=bool(username))
            repeat = visit(page, cdp, server, server.url + path, warms=bool(username))
            rows.append({"path": path, "user": username or "(signed out)", "first": first, "repeat": repeat})
            context.close()
        browser.close()
    return rows


def main() -> None:
    if chromium_path() is None:
        sys.exit("no Chromium (set SEVA_CHROMIUM)")
    # PHONE_WORK=/some/dir keeps the database and collected files there between runs.
    keep = os.environ.get("PHONE_WORK")
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="seva-phone-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        prepare(work)
        server = Server(work)
        try:
            rows = measure(server)
        finally:
            server.stop()
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    print("| page | user | first: page KB / requests | first: s | first: server KB / requests | repeat |")
    for row in rows:
        f, r = row["first"], row["repeat"]
        first = f"{f['page_kb']} / {f['page_requests']} | {f['seconds']} | "
        first += f"{f['server_kb']} / {f['server_requests']}"
        repeat = f"page {r['page_kb']} KB; served: {', '.join(r['served'])}"
        print(f"| `{row['path']}` | {row['user']} | {first} | {repeat} |")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "phone.json").write_text(json.dumps({"load": load, "goals": GOALS, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
