"""API tokens die: one per device, hashed, with a lifetime, revoked on sign-out, on a password
change, by their owner and by the state admin (issue 9, High)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from seva.accounts.models import ApiToken

PASSWORD = "seva-test-pass-2021"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Sign-in throttles count in a cache of this test alone (with Redis, other test processes
    sign in from 127.0.0.1 too and flush the shared database)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tokens"}
    }
    cache.clear()


def _sign_in(username="dc_patna", device=None, password=PASSWORD):
    data = {"username": username, "password": password}
    if device is not None:
        data["device"] = device
    response = APIClient().post(TOKEN_URL, data, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _get(token, path="/api/v1/districts/"):
    """The status of a GET with ``token``: 200, or REFUSED for a dead token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get(path)
    if response.status_code == 403 and response.json() == {"detail": "Invalid token."}:
        return REFUSED
    return response.status_code


# DRF answers 403 (not 401) to a bad token because session authentication comes first and
# names no WWW-Authenticate scheme; the API has always answered so.
REFUSED = "refused: invalid token"


def test_signing_in_twice_gives_two_tokens_that_both_work(dc_patna):
    phone = _sign_in(device="phone")
    laptop = _sign_in(device="laptop")
    assert phone["token"] != laptop["token"]
    assert _get(phone["token"]) == 200
    assert _get(laptop["token"]) == 200


def test_the_answer_keeps_token_and_adds_device_and_expiry(dc_patna, settings):
    body = _sign_in(device="Ramesh phone")
    assert set(body) >= {"token", "device", "expiry", "id"}
    assert body["device"] == "Ramesh phone"
    assert body["expiry"] is not None


def test_signing_in_again_on_the_same_device_revokes_its_old_token(dc_patna):
    first = _sign_in(device="phone")
    second = _sign_in(device="phone")
    assert _get(first["token"]) == REFUSED
    assert _get(second["token"]) == 200
    assert ApiToken.objects.filter(user=dc_patna).count() == 1


def test_tokens_are_stored_hashed(dc_patna):
    token = _sign_in(device="phone")["token"]
    row = ApiToken.objects.get(user=dc_patna)
    stored = " ".join(str(value) for value in ApiToken.objects.filter(pk=row.pk).values_list().get())
    assert token not in stored
    assert len(row.digest) == 128


def test_a_token_stops_working_when_its_lifetime_is_over(dc_patna):
    token = _sign_in(device="phone")["token"]
    row = ApiToken.objects.get(user=dc_patna)
    assert timedelta(days=29) < row.expiry - timezone.now() <= timedelta(days=30)
    ApiToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert _get(token) == REFUSED


def test_delete_signs_this_device_out_and_no_other(dc_patna):
    phone = _sign_in(device="phone")["token"]
    laptop = _sign_in(device="laptop")["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {phone}")
    assert client.delete(TOKEN_URL).status_code == 204
    assert _get(phone) == REFUSED
    assert _get(laptop) == 200


def test_a_password_change_on_the_page_revokes_every_token(client_as, dc_patna):
    tokens = [_sign_in(device=name)["token"] for name in ("phone", "laptop")]
    response = client_as(dc_patna).post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "a-new-pass-2021!", "new_password2": "a-new-pass-2021!"},
    )
    assert response.status_code == 302
    assert [_get(token) for token in tokens] == [REFUSED, REFUSED]


def test_any_password_change_revokes_every_token(dc_patna):
    token = _sign_in(device="phone")["token"]
    dc_patna.set_password("another-pass-2021!")
    dc_patna.save()
    assert _get(token) == REFUSED


def test_saving_a_user_without_a_new_password_keeps_his_tokens(dc_patna):
    token = _sign_in(device="phone")["token"]
    dc_patna.first_name = "Renamed"
    dc_patna.save()
    assert _get(token) == 200


def test_a_user_lists_his_own_tokens_without_the_secret(dc_patna, dc_gaya):
    mine = _sign_in(device="phone")
    _sign_in("dc_gaya", device="gaya phone")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {mine['token']}")
    listed = client.get("/api/v1/auth/tokens/").json()
    assert [(row["device"], row["current"]) for row in listed] == [("phone", True)]
    assert "token" not in listed[0] and "digest" not in listed[0]


def test_a_user_revokes_his_own_token_but_not_another_users(dc_patna, dc_gaya):
    mine = _sign_in(device="phone")
    old = _sign_in(device="old phone")
    theirs = _sign_in("dc_gaya", device="gaya phone")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {mine['token']}")
    assert client.delete(f"/api/v1/auth/tokens/{theirs['id']}/").status_code == 404
    assert client.delete(f"/api/v1/auth/tokens/{old['id']}/").status_code == 204
    assert _get(old["token"]) == REFUSED
    assert _get(theirs["token"]) == 200


def test_the_devices_page_lists_and_revokes_tokens(client_as, dc_patna):
    token = _sign_in(device="Ramesh phone")
    client = client_as(dc_patna)
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200
    assert "Ramesh phone" in page.content.decode()
    assert 'href="/accounts/tokens/"' in client.get("/").content.decode()
    response = client.post(f"/accounts/tokens/{token['id']}/revoke/")
    assert response.status_code == 302
    assert _get(token["token"]) == REFUSED


def test_the_devices_page_is_in_hindi(client_as, dc_patna):
    client = client_as(dc_patna)
    client.cookies["django_language"] = "hi"
    html = client.get("/accounts/tokens/", HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert "Signed-in devices" not in html
    assert 'lang="hi"' in html


def test_the_state_admin_sees_and_revokes_tokens_in_the_admin(client_as, state_admin, dc_patna):
    token = _sign_in(device="phone")
    client = client_as(state_admin)
    listing = client.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200
    assert "phone" in listing.content.decode()
    response = client.post(f"/admin/accounts/apitoken/{token['id']}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _get(token["token"]) == REFUSED


@pytest.mark.parametrize("count", [12])
def test_old_tokens_beyond_the_limit_per_user_are_revoked(dc_patna, settings, count):
    settings.API_TOKENS_PER_USER = 10
    tokens = [_sign_in(device=f"device {n}")["token"] for n in range(count)]
    assert ApiToken.objects.filter(user=dc_patna).count() == 10
    assert _get(tokens[0]) == REFUSED
    assert _get(tokens[-1]) == 200


def test_a_request_reads_only_the_token_it_presents_and_an_expired_one_is_refused(api, dc_patna):
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from seva.accounts.models import ApiToken
    from seva.accounts.services import token_issue
    from seva.accounts.tasks import clear_expired_tokens

    for device in ("old phone", "tablet", "laptop"):
        token_issue(user=dc_patna, device=device)
    ApiToken.objects.filter(name="old phone").update(expiry=timezone.now() - timedelta(days=1))
    row, key = token_issue(user=dc_patna, device="phone")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/districts/patna/").status_code == 200
    assert sum("accounts_apitoken" in q["sql"] for q in queries.captured_queries) == 1
    ApiToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    assert api.get("/api/v1/districts/patna/").status_code in (401, 403)
    assert not ApiToken.objects.filter(pk=row.pk).exists()
    ApiToken.objects.filter(name="tablet").update(expiry=timezone.now() - timedelta(days=1))
    assert clear_expired_tokens() == 1  # the tablet's, unused since it expired
    assert list(ApiToken.objects.filter(user=dc_patna).values_list("name", flat=True)) == ["laptop"]
