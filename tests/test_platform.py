"""Health check, settings, and the compose file agreeing with the settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# Variables of the test run itself that a production process would not have.
TEST_ONLY = {"PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SECRET_KEY"}


def _run(command: list[str], *, without=TEST_ONLY, **variables: str) -> subprocess.CompletedProcess:
    """``command`` in the checkout, as a new process outside the suite would run it: the
    suite's own variables (``without``) dropped from the environment, ``variables`` set."""
    env = {k: v for k, v in os.environ.items() if k not in without}
    env.update(variables)
    return subprocess.run(  # noqa: S603 - our own arguments
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _python(code: str, *, without=TEST_ONLY, **variables: str) -> subprocess.CompletedProcess:
    """``python -c code`` with the portal's settings (see :func:`_run`)."""
    return _run(
        [sys.executable, "-c", code], without=without, DJANGO_SETTINGS_MODULE="seva.settings", **variables
    )


def test_healthz_reports_database_cache_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert "broker" in body


def test_production_settings_pass_the_deploy_check():
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY="x" * 20 + "-Very-Long-Random-Production-Key-1234567890",
        DJANGO_ALLOWED_HOSTS="seva.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _run([sys.executable, "manage.py", "check"], DJANGO_DEBUG="off")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_compose_services_match_the_settings():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    settings_text = (ROOT / "seva" / "settings.py").read_text()
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        keys = (
            set(environment) if isinstance(environment, dict) else {e.split("=", 1)[0] for e in environment}
        )
        for key in ("DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
            assert key in keys, f"{name} lacks {key}"
            assert f'"{key}"' in settings_text, f"settings do not read {key}"
    # The worker sends the SMS: it has the gateway's settings, and the settings read them.
    worker_env = services["worker"]["environment"]
    for key in ("SMS_BACKEND", "SMS_GATEWAY_URL", "SMS_GATEWAY_KEY", "SMS_SENDER_ID", "SMS_DLT_TEMPLATES"):
        assert key in worker_env, f"worker lacks {key}"
        assert f'"{key}"' in settings_text, f"settings do not read {key}"
    assert "gunicorn" in str(services["web"]["command"])
    assert "worker" in str(services["worker"]["command"])
    assert "beat" in str(services["beat"]["command"])


def test_the_openapi_schema_is_valid_and_free_of_warnings(db, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    for path in ["/api/v1/districts/", "/api/v1/booths/", "/api/v1/workers/", "/api/v1/auth/token/"]:
        assert path in schema["paths"], path


def test_api_docs_are_served_from_our_own_static_files(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


def test_a_token_is_issued_for_good_credentials_only(api, dc_patna):
    credentials = {"username": "dc_patna", "password": "seva-test-pass-2021"}
    good = api.post("/api/v1/auth/token/", credentials, format="json")
    assert good.status_code == 200
    token = good.json()["token"]
    bad = api.post("/api/v1/auth/token/", {"username": "dc_patna", "password": "nope"}, format="json")
    assert bad.status_code == 400
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/districts/").json()["results"][0]["code"] == "patna"


def test_pages_carry_a_strict_content_security_policy(client, db):
    policy = client.get("/accounts/login/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_the_favicon_is_served_from_our_static_files(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_the_admin_is_left_out_of_the_content_security_policy(client_as, state_admin):
    assert "Content-Security-Policy" in client_as(state_admin).get("/accounts/login/").headers
    assert "Content-Security-Policy" not in client_as(state_admin).get("/admin/").headers


def test_the_policy_is_django_csps_and_keeps_every_directive(client, db):
    policy = client.get("/accounts/login/").headers["Content-Security-Policy"]
    directives = {part.strip() for part in policy.split(";")}
    assert directives == {
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    }
    assert not (ROOT / "seva" / "middleware.py").exists()


def test_the_api_docs_page_has_no_inline_style_the_policy_would_block(client, db):
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "<style" not in html and "style=" not in html
    assert "/static/css/swagger-ui-page.css" in html


def _settings_in_a_subprocess(**variables: str) -> subprocess.CompletedProcess:
    # What the settings made of the environment's URL variables.
    return _python(
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
        "s.CELERY_BROKER_URL, s.EMAIL_BACKEND)",
        without={"DATABASE_URL", "REDIS_URL"},
        **variables,
    )


def test_empty_url_variables_mean_unset():
    result = _settings_in_a_subprocess(DATABASE_URL="", REDIS_URL="", CELERY_BROKER_URL="", EMAIL_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "memory://",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_a_set_database_url_is_still_read():
    result = _settings_in_a_subprocess(DATABASE_URL="postgres://seva@db.example/seva")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


# --- Production shape (issue 9) ----------------------------------------------------------------
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _gunicorn_check(**variables):
    """``gunicorn --check-config`` loads the app as a server would, then exits."""
    return _run(
        [str(GUNICORN), "--check-config", "--control-socket", "/tmp/seva-check.ctl", "seva.wsgi"],  # noqa: S108
        without=TEST_ONLY | {"DJANGO_DEBUG"},
        **variables,
    )


def test_gunicorn_refuses_to_serve_in_debug():
    result = _gunicorn_check(DJANGO_DEBUG="on", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_DEBUG is on under gunicorn" in result.stdout + result.stderr


def _debug_seen(*, under_gunicorn):
    """The DEBUG a process in the checkout ends up with (gunicorn imported first, or not)."""
    code = (
        "import gunicorn; " if under_gunicorn else ""
    ) + "from django.conf import settings; print(settings.DEBUG)"
    result = _python(code, without=TEST_ONLY | {"DJANGO_DEBUG"}, DJANGO_SECRET_KEY="x" * 50)
    return result.stdout.strip() or result.stderr


def test_gunicorn_never_reads_the_local_env_file():
    # `make install` writes a local env file with DJANGO_DEBUG=on; a server started in that
    # checkout must not pick it up. The file is the one the Makefile writes, made here if absent.
    name = re.search(r"> (\.env[\w.]*)", (ROOT / "Makefile").read_text()).group(1)
    local = ROOT / name
    made_here = not local.exists()
    if made_here:
        local.write_text("DJANGO_DEBUG=on\n")
    try:
        assert "DJANGO_DEBUG=on" in local.read_text()
        served, local_run = _debug_seen(under_gunicorn=True), _debug_seen(under_gunicorn=False)
    finally:
        if made_here:
            local.unlink()
    assert served == "False"
    assert local_run == "True"


def test_make_install_writes_the_local_env_file_not_dot_env():
    makefile = (ROOT / "Makefile").read_text()
    assert "> .env.local" in makefile
    assert "> .env\n" not in makefile and "install: $(VENV)/.installed .env\n" not in makefile


def _compose_services():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_compose_publishes_the_web_port_on_localhost_only():
    for mapping in _compose_services()["web"].get("ports", []):
        assert str(mapping).startswith("127.0.0.1:"), mapping


def test_compose_migrates_once_before_web_worker_and_beat():
    services = _compose_services()
    assert "migrate" in str(services["migrate"]["command"])
    for name in ("web", "worker", "beat"):
        assert "migrate" not in str(services[name]["command"]), name
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, (
            name
        )


def test_every_gunicorn_has_its_own_control_socket():
    assert "--control-socket" in str(_compose_services()["web"]["command"])
    assert '"--control-socket"' in (ROOT / "Dockerfile").read_text()


def test_compose_sets_the_proxy_count_the_settings_read():
    environment = _compose_services()["web"]["environment"]
    assert "SEVA_PROXY_COUNT" in environment
    assert '"SEVA_PROXY_COUNT"' in (ROOT / "seva" / "settings.py").read_text()


def test_web_requests_get_a_statement_timeout_and_the_worker_none():
    code = "from django.conf import settings as s; print(s.DATABASES['default'].get('OPTIONS', {}))"
    runs = {}
    for timeout in ("15000", "0"):
        result = _python(
            code,
            without={"DATABASE_URL", "REDIS_URL"},
            DATABASE_URL="postgres://seva@db.example/seva",
            DATABASE_STATEMENT_TIMEOUT_MS=timeout,
        )
        assert result.returncode == 0, result.stderr
        runs[timeout] = result.stdout
    assert "statement_timeout=15000" in runs["15000"]
    assert "statement_timeout" not in runs["0"]
    services = _compose_services()
    assert services["web"]["environment"]["DATABASE_STATEMENT_TIMEOUT_MS"]
    assert "DATABASE_STATEMENT_TIMEOUT_MS" not in services["worker"]["environment"]
    assert "gthread" in str(services["web"]["command"])
