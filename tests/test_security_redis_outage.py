"""A Redis outage slows nothing down to a halt: pages, sign-ins and the API keep working, and
/healthz answers "degraded" (200), keeping "down" (503) for a database it cannot reach (issue 9,
Medium). Against a throwaway redis-server on its own port, never the shared one."""

import shutil
import socket
import subprocess
import time
from unittest.mock import patch

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from rest_framework.test import APIClient

from seva import settings as project_settings

PASSWORD = "seva-test-pass-2021"

REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="needs redis-server")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def throwaway_redis(settings):
    """A redis-server of this test alone; the cache and broker settings point at it. Yields a
    function that stops it."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own arguments
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.05)
    url = f"redis://127.0.0.1:{port}/0"
    settings.CACHES = {"default": project_settings.redis_cache(url)}
    settings.CELERY_BROKER_URL = url

    def stop():
        server.terminate()
        server.wait(timeout=10)

    yield stop
    if server.poll() is None:
        stop()


def _sign_in_by_token():
    return APIClient().post(
        "/api/v1/auth/token/", {"username": "dc_patna", "password": PASSWORD}, format="json"
    )


def test_with_redis_up_the_health_check_is_ok(client, dc_patna, throwaway_redis):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    assert _sign_in_by_token().status_code == 200


def test_without_redis_the_portal_keeps_working(client, client_as, dc_patna, throwaway_redis):
    throwaway_redis()
    assert client.get("/accounts/login/").status_code == 200
    signed_in = client.post("/accounts/login/", {"username": "dc_patna", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/workers/").status_code == 200
    token = _sign_in_by_token()
    assert token.status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert api.get("/api/v1/workers/").status_code == 200


def test_without_redis_the_health_check_says_degraded_not_down(client, db, throwaway_redis):
    throwaway_redis()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "down", "broker": "down"}


def test_without_the_database_the_health_check_says_down(client, db):
    def unreachable(self, *args, **kwargs):
        raise OperationalError('connection to server at "10.1.2.3", port 5432 failed: Connection refused')

    with patch.object(BaseDatabaseWrapper, "cursor", unreachable):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.content.decode()
    assert response.json()["status"] == "down"
    assert response.json()["database"] == "down"
    assert "OperationalError" not in body and "10.1.2.3" not in body
