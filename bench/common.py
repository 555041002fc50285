"""What the benchmarks against gunicorn share: start the portal as deployed, and wait for it."""

from __future__ import annotations

import http.client
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
