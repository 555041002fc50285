"""Issue 15's fault test: a real PostgreSQL stopped and started while reports are being logged.

Never the shared server: the test makes its own cluster with ``initdb`` in a fresh folder under
/tmp (as the ``postgres`` user, since CI runs as root and PostgreSQL refuses to), on a free
port, migrates it, and serves the portal from it through gunicorn as deployed (DEBUG off,
gthread, ``CONN_MAX_AGE`` with ``CONN_HEALTH_CHECKS``). A coordinator's phone posts reports
through the API, each with its own ``client_uuid``, from a thread, while the cluster is stopped
(``pg_ctl stop -m fast``: every backend killed, connections held by gunicorn gone) and started
again. Then:

- no answer was a 500: every request during the outage was a 503 with ``Retry-After``, for the
  API and for a page, in JSON and in HTML (``seva.views.database_unavailable``);
- the portal answers again by itself within seconds of the database coming back, with no
  restart of gunicorn: the stale connections are dropped by the health check;
- the phone resends what was not stored, with the same ``client_uuid``s (what
  ``static/js/queue.js`` does on an answer that is neither stored nor refused), and every
  report is then stored exactly once, with all its values: none was half-written.

It runs in CI's PostgreSQL pass (``DATABASE_URL`` names PostgreSQL) and wherever ``initdb``
is found; elsewhere it is skipped with the reason. Everything it started is stopped in a
``finally``, and the folder removed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "fault-test-password-2021"
# As deployed (Dockerfile): gthread workers, so a request waiting on the database holds a thread.
GUNICORN = [sys.executable, "-m", "gunicorn", "seva.wsgi", "--workers", "2", "--worker-class", "gthread"]
GUNICORN += ["--threads", "4", "--timeout", "30"]
INITDB = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def _skip_reason() -> str | None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "runs in the PostgreSQL pass (DATABASE_URL=postgres://…)"
    if not INITDB:
        return "no initdb on this machine"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root with no postgres user to own the cluster"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster in ``folder``, listening on 127.0.0.1:``port``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.bin = Path(INITDB[-1]).parent
        self.data = folder / "data"
        self.port = _free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/seva_fault"

    def _run(self, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, timeout=timeout, capture_output=True, cwd=self.folder)  # noqa: S603

    def create(self) -> None:
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "seva_fault")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "postgres.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    @property
    def psql(self) -> list[str]:
        return [
            str(self.bin / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            "seva_fault",
        ]

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@dataclass
class Phone:
    """The coordinator's phone: posts reports, remembers every answer."""

    base: str
    token: str
    answers: list[tuple[str, int | str, str]] = field(default_factory=list)  # (uuid, status, Retry-After)
    stop: threading.Event = field(default_factory=threading.Event)

    def post(self, client_uuid: str) -> int | str:
        body = {
            "client_uuid": client_uuid,
            "task": "masks-sanitiser",
            "district": "patna",
            "date": time.strftime("%Y-%m-%d"),
            "values": {"masks": 10, "sanitiser": 2},
        }
        try:
            response = requests.post(
                f"{self.base}/api/v1/activities/",
                json=body,
                headers={"Authorization": f"Token {self.token}"},
                timeout=15,
            )
        except requests.RequestException as error:  # the phone's "no network": it keeps the report
            status: int | str = type(error).__name__
            retry_after = ""
        else:
            status, retry_after = response.status_code, response.headers.get("Retry-After", "")
        self.answers.append((client_uuid, status, retry_after))
        return status

    def keep_posting(self) -> None:
        while not self.stop.is_set():
            self.post(str(uuid.uuid4()))
            time.sleep(0.05)


def _portal_env(cluster: Cluster) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        DATABASE_URL=cluster.url,
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY="fault-test-only-0123456789abcdefghijklmnopqrstuvwxyz-0123456789",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="off",
        DJANGO_SECURE_COOKIES="off",
        SEVA_MFA_REQUIRED="off",
        DATABASE_CONN_MAX_AGE="60",
        SEVA_RETRY_AFTER_SECONDS="5",
    )
    return env


SETUP = f"""
from seva.geo.models import District
from seva.people.choices import PortalRole
from seva.people.services import user_create
from tests.factories_tasks import campaign_around_today
campaign_around_today()
user_create(username="fault_dc", password="{PASSWORD}", role=PortalRole.DISTRICT_COORDINATOR,
            district=District.objects.get(code="patna"), first_name="Fault", email="fault@example.org")
"""


def _manage(env: dict[str, str], *args: str, timeout: float = 300) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout)  # noqa: S603


def _stored(cluster: Cluster) -> dict[str, int]:
    """client_uuid → number of values, of every report in the throwaway database, read with psql."""
    query = (
        "select a.client_uuid, count(v.id) from tasks17_activity a "
        "left join tasks17_activityvalue v on v.activity_id = a.id group by a.client_uuid"
    )
    out = subprocess.run(  # noqa: S603
        [*cluster.psql, "-At", "-F", " "],
        input=query,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    return {line.split()[0]: int(line.split()[1]) for line in out.splitlines() if line}


def _wait_until(predicate, seconds: float) -> float | None:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.2)
    return None


def test_the_portal_survives_postgresql_stopped_and_started_under_reports() -> None:
    folder = Path(tempfile.mkdtemp(prefix="seva-fault-pg-", dir="/tmp"))
    cluster = Cluster(folder)
    gunicorn = None
    phone_thread = None
    phone = None
    try:
        cluster.create()
        env = _portal_env(cluster)
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "load_geography", "-v", "0")
        _manage(env, "shell", "--no-imports", "-c", SETUP)

        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        with open(folder / "gunicorn.log", "wb") as log:
            gunicorn = subprocess.Popen(  # noqa: S603
                [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        assert _wait_until(lambda: _answers(f"{base}/healthz") == 200, 60) is not None, (
            "gunicorn never came up"
        )

        token = requests.post(
            f"{base}/api/v1/auth/token/", json={"username": "fault_dc", "password": PASSWORD}, timeout=15
        ).json()["token"]
        session = _signed_in_session(base)
        phone = Phone(base, token)
        assert phone.post(str(uuid.uuid4())) == 201

        phone_thread = threading.Thread(target=phone.keep_posting, daemon=True)
        phone_thread.start()
        time.sleep(1.5)
        cluster.stop("fast")

        # During the outage: the API, a page and the health check, each a 503 with Retry-After.
        time.sleep(1)
        api = requests.get(
            f"{base}/api/v1/activities/", headers={"Authorization": f"Token {token}"}, timeout=15
        )
        page = session.get(f"{base}/", timeout=15)
        health = requests.get(f"{base}/healthz", timeout=15)
        assert (api.status_code, api.headers.get("Retry-After")) == (503, "5"), api.text[:300]
        assert api.json()["detail"]
        assert (page.status_code, page.headers.get("Retry-After")) == (503, "5")
        assert 'data-testid="error-503"' in page.text and "Traceback" not in page.text
        assert health.status_code == 503 and health.json()["database"] == "down"
        time.sleep(1.5)
        outage_answers = len(phone.answers)

        cluster.start()
        recovered = _wait_until(lambda: any(a[1] in (200, 201) for a in phone.answers[outage_answers:]), 20)
        assert recovered is not None, "the portal did not recover within 20 s of PostgreSQL coming back"
        assert session.get(f"{base}/", timeout=15).status_code == 200
        time.sleep(1)
        phone.stop.set()
        phone_thread.join(timeout=30)

        statuses = [status for _, status, _ in phone.answers]
        assert 500 not in statuses, f"a 500 during the outage: {statuses}"
        assert 503 in statuses, "no request met the outage: the test proved nothing"
        assert all(retry == "5" for _, status, retry in phone.answers if status == 503)
        assert set(statuses) <= {200, 201, 503, "ConnectionError", "ReadTimeout"}, statuses

        # The phone's queue: whatever was not stored is sent again, with the same client_uuid.
        sent = [u for u, _, _ in phone.answers]
        for client_uuid, status, _ in list(phone.answers):
            if status not in (200, 201):
                assert phone.post(client_uuid) in (200, 201)
        stored = _stored(cluster)  # the database holds the phone's reports and nothing else
        assert sorted(stored) == sorted(set(sent)), "a report was lost, or stored that was never sent"
        assert set(stored.values()) == {2}, "a report was stored without all its values"
        print(
            f"\nfault: {len(set(sent))} reports, {statuses.count(503)} answered 503 during the outage, "
            f"recovered {recovered:.1f} s after PostgreSQL started, all stored once after resending"
        )
    finally:
        if phone is not None:
            phone.stop.set()
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=15)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        if cluster.running():
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def _answers(url: str) -> int | None:
    try:
        return requests.get(url, timeout=5).status_code
    except requests.RequestException:
        return None


def _signed_in_session(base: str) -> requests.Session:
    """A browser's session cookie, signed in through the sign-in page."""
    session = requests.Session()
    login = session.get(f"{base}/accounts/login/", timeout=15)
    token = session.cookies.get("csrftoken") or ""
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": "fault_dc", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": login.url},
        timeout=15,
    )
    assert response.status_code == 200 and "/accounts/login/" not in response.url, response.url
    return session
