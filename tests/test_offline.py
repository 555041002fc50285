"""The installable, offline-first portal's server side (docs/offline.md): the service worker at
its fixed root URL, the queue's CSRF token, the web app manifest and its icons, compressed
pages, and hashed static files in production only."""

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
TEST_ONLY = {"PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SECRET_KEY", "DJANGO_STATIC_ROOT"}


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_the_service_worker_is_served_at_the_root_for_the_whole_portal(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert _directives(response) == {"no-cache"}  # revalidated at every update check, never hashed
    assert response.content.decode() == (STATIC / "sw.js").read_text(encoding="utf-8")
    # What it imports is a static file under a name that never changes either.
    assert "importScripts('/static/js/queue.js')" in response.content.decode()
    assert client.get("/static/js/queue.js").status_code == 200
    # The browser checks it at every navigation: unchanged, nothing is sent again.
    again = client.get("/sw.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["Service-Worker-Allowed"] == "/"


def test_the_service_worker_for_a_signed_in_user_is_still_revalidated(client_as, dc_patna):
    response = client_as(dc_patna).get("/sw.js")
    assert response.status_code == 200
    assert "no-cache" in _directives(response)
    assert response["Service-Worker-Allowed"] == "/"


def test_the_service_worker_answers_get_only(client, db):
    assert client.post("/sw.js").status_code == 405


def test_production_serves_the_service_worker_from_collected_files(client, db, tmp_path):
    (tmp_path / "sw.js").write_text("// collected\n", encoding="utf-8")
    with override_settings(WHITENOISE_USE_FINDERS=False, STATIC_ROOT=tmp_path):
        assert client.get("/sw.js").content == b"// collected\n"
        (tmp_path / "sw.js").unlink()
        assert client.get("/sw.js").status_code == 404


def test_the_queue_gets_a_fresh_csrf_token_only_when_signed_in(client_as, client, dc_patna):
    anonymous = client.get("/offline/token/")
    assert anonymous.status_code == 403
    assert anonymous.json() == {"signed_in": False}
    response = client_as(dc_patna).get("/offline/token/")
    assert response.status_code == 200
    body = response.json()
    assert body["signed_in"] is True
    assert body["user"] == dc_patna.pk
    assert len(body["csrf"]) == 64
    assert "no-store" in _directives(response)


def test_a_queued_report_posted_with_the_fetched_token_is_stored_once(client_as, dc_patna):
    """What static/js/queue.js does: the form's fields, a token from /offline/token/, posted to
    the form's URL; sent twice, stored once."""
    from django.test import Client

    from tasks17.models import Activity
    from tests.factories import BoothFactory, seat_in

    booth = BoothFactory(assembly_seat=seat_in("patna"))
    phone = Client(enforce_csrf_checks=True)
    phone.force_login(dc_patna, backend="django.contrib.auth.backends.ModelBackend")
    fields = {
        "client_uuid": "4a0c1a64-8a0b-4d7e-a5c9-7c1f3b2e9d10",
        "task": "masks-sanitiser",
        "metric_masks": "120",
        "district": str(booth.assembly_seat.district_id),
        "assembly_seat": str(booth.assembly_seat_id),
        "booth": str(booth.pk),
        "date": str(timezone.localdate()),
    }
    assert phone.post("/activities/new/", fields).status_code == 403  # no token, refused
    for _ in range(2):
        token = phone.get("/offline/token/").json()["csrf"]
        response = phone.post("/activities/new/", {**fields, "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert response["Location"].startswith("/activities/")
    assert Activity.objects.filter(client_uuid=fields["client_uuid"]).count() == 1


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_the_manifest_names_the_portal_in_hindi_and_english_with_its_icons():
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert "सेवा पोर्टल" in manifest["name"] and "Seva Portal" in manifest["name"]
    assert manifest["short_name"]
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    sizes = set()
    for icon in manifest["icons"]:
        path = STATIC / icon["src"].removeprefix("/static/")
        assert path.is_file(), icon["src"]
        if icon["type"] == "image/png":
            width, height = _png_size(path)
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add(width)
    assert {192, 512} <= sizes  # what Chrome on Android asks of an installable app


def test_every_page_links_the_manifest_and_its_scripts(client, db):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert 'rel="manifest" href="/static/manifest.webmanifest"' in html
    assert "/static/js/queue.js" in html and "/static/js/seva.js" in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    manifest = client.get("/static/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"


def test_a_coordinator_page_says_where_the_report_form_is_and_a_helpline_page_does_not(
    client_as, dc_patna, helpline_patna
):
    assert 'data-report-url="/activities/new/"' in client_as(dc_patna).get("/").content.decode()
    html = client_as(helpline_patna).get("/").content.decode()
    assert f'data-user="{helpline_patna.pk}"' in html
    assert "data-report-url" not in html


def test_the_offline_words_are_in_hindi(client_as, dc_patna):
    client = client_as(dc_patna)
    client.post("/i18n/setlang/", {"language": "hi", "next": "/"})
    html = client.get("/activities/new/").content.decode()
    assert "भेजने के इंतज़ार में ({n})" in html
    assert "भेजा जा रहा है…" in html


def test_pages_are_sent_compressed(client_as, dc_patna):
    response = client_as(dc_patna).get("/activities/new/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


def test_one_devanagari_font_file_is_shipped_and_swapped_in():
    css = (STATIC / "css" / "seva.css").read_text(encoding="utf-8")
    assert css.count("@font-face") == 1
    assert "font-display: swap" in css
    fonts = sorted(p.name for p in (STATIC / "vendor" / "fonts").glob("*.woff2"))
    assert fonts == ["noto-sans-devanagari-devanagari-400-normal.woff2"]


def test_tests_and_make_run_use_plain_static_names_without_collectstatic():
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedStaticFilesStorage"
    assert settings.WHITENOISE_USE_FINDERS is True


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(DJANGO_DEBUG="off", DJANGO_SECRET_KEY="build-only", **extra)
    return env


def test_production_hashes_static_names_and_serves_only_collected_files():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STORAGES['staticfiles']['BACKEND'], settings.WHITENOISE_USE_FINDERS)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_production_env(DJANGO_SETTINGS_MODULE="seva.settings"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["whitenoise.storage.CompressedManifestStaticFilesStorage", "False"]


def test_the_production_collectstatic_writes_hashed_compressed_files(tmp_path):
    """What the Dockerfile runs: every url() in a CSS or JS file must resolve, or the build
    fails. Our own files only, to keep the suite quick (the admin's and the API docs' files
    take minutes to compress); the whole of it was run by hand (docs/offline.md)."""
    apps = ["admin", "rest_framework", "drf_spectacular_sidecar", "import_export", "simple_history"]
    result = subprocess.run(  # noqa: S603 - our own interpreter and command
        [
            sys.executable,
            "manage.py",
            "collectstatic",
            "--noinput",
            "-v",
            "0",
            *(f"--ignore={a}" for a in apps),
        ],
        cwd=ROOT,
        env=_production_env(DJANGO_STATIC_ROOT=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    css = manifest["css/seva.css"]
    assert css != "css/seva.css" and (tmp_path / css).is_file()
    assert (tmp_path / f"{css}.gz").is_file() and (tmp_path / f"{css}.br").is_file()
    font = manifest["vendor/fonts/noto-sans-devanagari-devanagari-400-normal.woff2"]
    assert font.rsplit("/", 1)[-1] in (tmp_path / css).read_text()  # the CSS names the hashed font
    # The worker and its import keep their plain names too (a worker's URL never changes).
    assert (tmp_path / "sw.js").is_file() and (tmp_path / "js" / "queue.js").is_file()
