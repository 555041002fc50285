"""Sign-in, password reset by e-mail, and landing pages per role."""

import re

from django.core import mail
from django.urls import reverse


def test_password_reset_sends_a_working_link(client, dc_patna):
    response = client.post(reverse("password_reset"), {"email": "dc_patna@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-pass-2021!", "new_password2": "a-new-pass-2021!"},
    )
    assert done.status_code == 302
    dc_patna.refresh_from_db()
    assert dc_patna.check_password("a-new-pass-2021!")


def test_the_login_page_is_in_hindi_when_the_browser_asks(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert "साइन इन" in html
    assert 'lang="hi"' in html


def test_the_state_landing_page_lists_all_districts(client_as, state_staff):
    html = client_as(state_staff).get(reverse("home")).content.decode()
    assert len(re.findall(r'href="/districts/[a-z-]+/"', html)) == 38


def test_the_coordinator_landing_page_shows_only_his_district(client_as, dc_gaya):
    html = client_as(dc_gaya).get(reverse("home")).content.decode()
    assert "Gaya" in html
    assert "Patna" not in html
    assert 'href="/districts/gaya/"' in html


def test_repeated_failures_lock_the_account(client, dc_patna):
    for _ in range(5):
        client.post(reverse("login"), {"username": "dc_patna", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "dc_patna", "password": "seva-test-pass-2021"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
