"""Users in bulk: the state admin imports coordinators' and operators' accounts from a sheet;
each new account gets one e-mail with a link to set its password; a re-import changes nothing
and sends nothing twice (seva/reports/bulk.py, UserImport)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from seva.people.choices import PortalRole
from seva.people.roles import user_roles
from seva.reports.bulk import UserImport

pytestmark = pytest.mark.django_db

SHEET = (
    "username,first_name,last_name,email,role,district\n"
    "dc_nalanda,Ravi,Kumar,ravi@example.org,district_coordinator,nalanda\n"
    "op_gaya,Sita,Devi,sita@example.org,हेल्पलाइन संचालक,gaya\n"
    "staff_x,Amit,Roy,amit@example.org,State staff,\n"
)


def _import(text, monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
    return UserImport().run(io.BytesIO(text.encode()), "csv")


def test_new_accounts_get_their_role_scope_and_one_link(monkeypatch):
    result = _import(SHEET, monkeypatch)
    assert result.ok and len(result.added) == 3
    users = get_user_model().objects
    ravi = users.get(username="dc_nalanda")
    assert user_roles(ravi) == {PortalRole.DISTRICT_COORDINATOR}
    assert ravi.profile.district.code == "nalanda"
    assert not ravi.has_usable_password()
    assert users.get(username="staff_x").profile.state_wide
    assert {m.to[0] for m in mail.outbox} == {"ravi@example.org", "sita@example.org", "amit@example.org"}
    assert "/accounts/reset/" in mail.outbox[0].body


def test_the_same_sheet_again_changes_nothing_and_sends_nothing(monkeypatch):
    _import(SHEET, monkeypatch)
    mail.outbox.clear()
    again = _import(SHEET, monkeypatch)
    assert again.ok and again.added == [] and again.unchanged == 3
    assert mail.outbox == []


def test_bad_rows_are_listed_and_nothing_is_made(monkeypatch):
    bad = (
        "username,email,role,district\n"
        "ok_user,ok@example.org,district_coordinator,patna\n"
        "bad user,x@example.org,district_coordinator,patna\n"
        "no_mail,not-an-address,district_coordinator,patna\n"
        "no_role,a@example.org,chief,patna\n"
        "no_district,b@example.org,district_coordinator,atlantis\n"
        "state_with_district,c@example.org,state_staff,patna\n"
    )
    result = _import(bad, monkeypatch)
    assert not result.ok
    assert sorted((e.line, e.column) for e in result.errors) == [
        (3, "username"),
        (4, "email"),
        (5, "role"),
        (6, "district"),
        (7, "district"),
    ]
    assert not get_user_model().objects.filter(username="ok_user").exists()
    assert mail.outbox == []


def test_only_who_may_add_users_imports_them(client_as, state_admin, state_staff):
    assert client_as(state_staff).get("/imports/users/").status_code == 403
    assert client_as(state_admin).get("/imports/users/").status_code == 200
    export = client_as(state_admin).get("/imports/users/export/?format=csv")
    assert export.status_code == 200
    assert "state_admin" in export.content.decode("utf-8-sig")
