"""Brute force: lock-outs per (name, address), X-Forwarded-For trusted only as far as our
proxies, a limit per address across names, a slow-down per name across addresses, and
throttled token sign-ins and password resets (issue 9, Medium)."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

PASSWORD = "seva-test-pass-2021"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Counts in a cache of this test alone: with Redis, another test process's cache.clear()
    (a FLUSHDB) would reset them half-way, and its sign-ins from 127.0.0.1 would add to them."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "brute"}
    }
    cache.clear()


@pytest.fixture
def rates(settings):
    """``rates(scope="n/hour", ...)``: sets throttle rates for one test."""

    def set_rates(**scopes):
        framework = dict(settings.REST_FRAMEWORK)
        framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], **scopes}
        settings.REST_FRAMEWORK = framework

    return set_rates


def _sign_in(client, username, password="wrong", **meta):  # noqa: S107 - a wrong one, on purpose
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def test_a_forged_forwarded_for_does_not_escape_the_lock_out(client, dc_patna):
    for n in range(5):
        _sign_in(client, "dc_patna", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = _sign_in(client, "dc_patna", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_behind_one_proxy_the_address_it_saw_is_the_client(client, dc_patna, settings):
    settings.SEVA_PROXY_COUNT = 1
    # The client wrote "198.51.100.7, " itself; our proxy appended what it saw.
    for _ in range(5):
        _sign_in(client, "dc_patna", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5")
    assert _sign_in(client, "dc_patna", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # Another client behind the same proxy is not locked out by the first one's failures.
    assert _sign_in(client, "dc_patna", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


def test_drf_counts_proxies_as_the_portal_does(settings):
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.SEVA_PROXY_COUNT == 0


def test_failures_on_one_name_elsewhere_do_not_lock_a_user_out(client, dc_patna):
    for _ in range(5):
        _sign_in(client, "dc_patna", REMOTE_ADDR="203.0.113.10")
    assert _sign_in(client, "dc_patna", PASSWORD, REMOTE_ADDR="203.0.113.11").status_code == 302


def test_one_address_trying_many_names_is_stopped(client, db, rates):
    rates(sign_in_address="20/hour")
    answers = [_sign_in(client, f"user{n}").status_code for n in range(25)]
    assert answers[:20] == [200] * 20
    assert answers[20:] == [429] * 5


def test_one_name_tried_from_many_addresses_is_slowed_down_not_locked(client, dc_patna, rates):
    rates(sign_in_username="10/hour")
    answers = [_sign_in(client, "dc_patna", REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(12)]
    assert answers[:10] == [200] * 10
    assert answers[10:] == [429, 429]
    throttled = _sign_in(client, "DC_Patna ", PASSWORD, REMOTE_ADDR="203.0.113.200")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert "try again" in throttled.content.decode()


def test_the_token_endpoint_is_throttled_per_address(dc_patna, rates):
    rates(sign_in_address="5/hour")
    api = APIClient()
    answers = [
        api.post(
            TOKEN_URL,
            {"username": f"u{n}", "password": "x"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
        for n in range(7)
    ]
    assert [a.status_code for a in answers] == [400] * 5 + [429] * 2


def test_the_token_endpoint_is_throttled_per_username(dc_patna, rates):
    rates(sign_in_username="5/hour")
    api = APIClient()
    answers = [
        api.post(
            TOKEN_URL, {"username": "dc_patna", "password": "x"}, format="json", REMOTE_ADDR=f"10.0.0.{n}"
        )
        for n in range(6)
    ]
    assert [a.status_code for a in answers] == [400] * 5 + [429]


def test_password_reset_is_throttled_per_email(client, dc_patna, rates):
    rates(password_reset_email="3/hour")
    url = reverse("password_reset")
    answers = [
        client.post(url, {"email": "dc_patna@example.org"}, REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(5)
    ]
    assert answers == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3


def test_password_reset_is_throttled_per_address(client, db, rates):
    rates(password_reset_address="4/hour")
    url = reverse("password_reset")
    answers = [client.post(url, {"email": f"someone{n}@example.org"}).status_code for n in range(6)]
    assert answers == [302] * 4 + [429] * 2


def test_the_throttled_page_is_in_hindi(client, db, rates):
    rates(sign_in_address="1/hour")
    _sign_in(client, "someone")
    response = _sign_in(client, "someone", HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 429
    assert "Too many tries" not in response.content.decode()
