"""Where messages are seen by the state admin (the admin's Notifications, with resend), and a
user's language of messages following the language he reads the portal in."""

import pytest

from seva.notify import sms
from seva.notify.choices import Status
from seva.notify.models import Notification
from seva.people.choices import Language

pytestmark = pytest.mark.django_db


def _failed_row():
    return Notification.objects.create(
        channel="sms",
        address="+919800000001",
        language="hi",
        kind="test",
        body="सेवा: परीक्षण",
        dedup_key="test:a:1",
        status=Status.FAILED,
        attempts=5,
        reason="the gateway answered 503",
    )


def test_the_state_admin_sees_every_message_with_its_reason(client_as, state_admin):
    _failed_row()
    page = client_as(state_admin).get("/admin/notify/notification/")
    assert page.status_code == 200
    assert "the gateway answered 503" in page.content.decode()


def test_nobody_else_sees_them(client_as, state_staff, dc_patna):
    _failed_row()
    for user in (state_staff, dc_patna):
        assert client_as(user).get("/admin/notify/notification/").status_code in (302, 403)


def test_resend_is_a_new_attempt_on_the_same_row(client_as, state_admin, monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
    sms.outbox.clear()
    row = _failed_row()
    response = client_as(state_admin).post(
        "/admin/notify/notification/", {"action": "resend", "_selected_action": [row.pk]}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts, Notification.objects.count()) == (Status.SENT, 6, 1)
    assert [m.to for m in sms.outbox] == ["+919800000001"]


def test_switching_the_portal_to_english_sets_the_language_of_messages(client_as, dc_patna):
    assert dc_patna.profile.language == Language.HINDI
    client_as(dc_patna).post("/i18n/setlang/", {"language": "en", "next": "/"})
    dc_patna.profile.refresh_from_db()
    assert dc_patna.profile.language == Language.ENGLISH
