"""Two-factor sign-in for the state office (seva/accounts/mfa.py): required of state admins and
staff when SEVA_MFA_REQUIRED is on, optional for others, recovery codes, the admin and the API
token behind it."""

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrol(client, user):
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page = client.post("/accounts/two-factor/setup/", {"code": _code(device), "next": "/"})
    assert page.status_code == 200
    assert 'data-testid="recovery-codes"' in page.content.decode()
    return device, page.context["codes"]


# A wrong code slows the next try down (django-otp's throttling, its own tested business):
# these tests give a wrong code and then the right one at once.


@override_settings(SEVA_MFA_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)
def test_state_staff_without_a_second_factor_reach_only_the_enrolment(client_as, state_staff):
    client = client_as(state_staff)
    for path in ("/", "/dashboard/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/two-factor/setup/"), path
    assert client.get("/api/v1/activities/").status_code == 403
    setup = client.get("/accounts/two-factor/setup/")
    assert setup.status_code == 200
    assert "data:image/svg+xml;base64," in setup.content.decode()


@override_settings(SEVA_MFA_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)
def test_enrolling_gives_recovery_codes_and_opens_the_portal(client_as, state_staff):
    client = client_as(state_staff)
    wrong = client.post("/accounts/two-factor/setup/", {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    device, codes = _enrol(client, state_staff)
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


@override_settings(SEVA_MFA_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)
def test_the_next_sign_in_asks_for_a_code_and_a_recovery_code_works_once(client, client_as, state_staff):
    _enrol(client_as(state_staff), state_staff)
    client.logout()
    codes_client = client_as(state_staff)  # a new session: password only
    first = codes_client.get("/")
    assert first["Location"].startswith("/accounts/two-factor/?")
    page = codes_client.get("/accounts/two-factor/")
    assert 'data-testid="two-factor"' in page.content.decode()
    bad = codes_client.post("/accounts/two-factor/", {"code": "123456"})
    assert "That code is not right" in bad.content.decode()
    # The phone is lost: a recovery code, once.
    from django_otp.plugins.otp_static.models import StaticToken

    recovery = StaticToken.objects.filter(device__user=state_staff).first().token
    assert codes_client.post("/accounts/two-factor/", {"code": recovery, "next": "/"}).status_code == 302
    assert codes_client.get("/").status_code == 200
    assert not StaticToken.objects.filter(token=recovery).exists()


@override_settings(SEVA_MFA_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)
def test_re_enrolling_needs_the_second_factor_first(client, client_as, state_staff):
    _enrol(client_as(state_staff), state_staff)
    client.logout()
    fresh = client_as(state_staff)
    response = fresh.get("/accounts/two-factor/setup/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/?")


@override_settings(SEVA_MFA_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)
def test_a_coordinator_is_not_asked_unless_he_enrolled(client_as, dc_patna):
    assert client_as(dc_patna).get("/").status_code == 200


@override_settings(SEVA_MFA_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)
def test_a_state_users_api_token_needs_a_code(api, client_as, state_staff):
    credentials = {"username": "state_staff", "password": "seva-test-pass-2021"}
    before = api.post("/api/v1/auth/token/", credentials, format="json")
    assert before.status_code == 400
    assert "otp_token" in before.json()
    device, _codes = _enrol(client_as(state_staff), state_staff)
    without = api.post("/api/v1/auth/token/", credentials, format="json")
    assert without.status_code == 400 and "otp_token" in without.json()
    wrong = api.post("/api/v1/auth/token/", {**credentials, "otp_token": "999999"}, format="json")
    assert wrong.status_code == 400
    device.refresh_from_db()
    device.last_t = -1  # the enrolment used this period's code: a new one would come 30 s later
    device.save()
    good = api.post("/api/v1/auth/token/", {**credentials, "otp_token": _code(device)}, format="json")
    assert good.status_code == 200, good.content
    assert good.json()["token"]


def test_off_it_asks_nothing(client_as, state_staff, api):
    assert client_as(state_staff).get("/").status_code == 200
    credentials = {"username": "state_staff", "password": "seva-test-pass-2021"}
    assert api.post("/api/v1/auth/token/", credentials, format="json").status_code == 200
