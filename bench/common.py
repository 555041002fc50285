"""What the benchmarks against gunicorn share: start the portal as deployed, and wait for it."""

from __future__ import annotations

import http.client
import os
import shlex
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# gunicorn runs the production settings over plain HTTP on the loopback: what every benchmark
# that starts it puts in the environment (each may add its own, before ``django.setup()``).
SERVER_ENV = {
    "DJANGO_DEBUG": "off",
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + uuid.uuid4().hex),
    "DJANGO_SECURE_SSL_REDIRECT": "off",
    "DJANGO_SECURE_COOKIES": "off",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
}


def server_env(**extra: str) -> None:
    """Put ``SERVER_ENV`` and ``extra`` in this process's environment (what is set already wins),
    for Django here and for the gunicorn started from it."""
    for key, value in {**SERVER_ENV, **extra}.items():
        os.environ.setdefault(key, value)


def start_gunicorn(port: int, args: str) -> subprocess.Popen:
    """gunicorn serving ``seva.wsgi`` on 127.0.0.1:``port`` with ``args`` (worker class, counts,
    timeout), in this environment; its output discarded."""
    return subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "gunicorn", "seva.wsgi", "--bind", f"127.0.0.1:{port}", *shlex.split(args)],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_server(port: int, seconds: float = 30) -> None:
    """Return once ``/healthz`` answers on ``port``; stop the run if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def get_ms(port: int, path: str, headers: dict) -> float:
    """One ``GET path`` on a fresh connection, in milliseconds; stops the run on a non-200."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    if response.status != 200:
        raise SystemExit(f"GET {path} answered {response.status}")
    return elapsed


def sequential(port: int, path: str, headers: dict, rounds: int) -> dict:
    """Median and p95 of ``rounds`` sequential GETs (after three to warm up): a baseline."""
    for _ in range(3):
        get_ms(port, path, headers)
    times = sorted(get_ms(port, path, headers) for _ in range(rounds))
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
    }
