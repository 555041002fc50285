"""The state admin manages users, tokens and lock-outs without being, or becoming, superuser
(issue 9, Medium)."""

from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from seva.people.choices import GROUP_NAMES, PortalRole

PASSWORD = "seva-test-pass-2021"


def _change_form_data(user, **extra):
    """What the admin's user change form posts for ``user`` (its scope inline included)."""
    profile = user.profile
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": str(profile.pk),
        "profile-0-user": str(user.pk),
        "profile-0-state_wide": "on" if profile.state_wide else "",
        "profile-0-district": str(profile.district_id or ""),
        "profile-0-worker": "",
        "profile-0-language": profile.language,
    }
    data.update(extra)
    return data


def test_the_state_admin_cannot_make_himself_superuser(client_as, state_admin):
    url = reverse("admin:auth_user_change", args=[state_admin.pk])
    client = client_as(state_admin)
    form = client.get(url).content.decode()
    assert 'name="is_superuser"' not in form
    assert 'name="user_permissions"' not in form
    response = client.post(url, _change_form_data(state_admin, is_superuser="on", is_staff="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    state_admin.refresh_from_db()
    assert not state_admin.is_superuser


def test_the_state_admin_cannot_grant_single_permissions(client_as, state_admin, dc_patna):
    url = reverse("admin:auth_user_change", args=[dc_patna.pk])
    everything = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    response = client_as(state_admin).post(url, _change_form_data(dc_patna, user_permissions=everything))
    assert response.status_code == 302
    assert not dc_patna.user_permissions.exists()


def test_the_state_admin_cannot_give_a_group_with_more_rights_than_his(client_as, state_admin, dc_patna):
    mighty = Group.objects.create(name="Mighty")
    mighty.permissions.add(Permission.objects.get(codename="delete_group"))
    url = reverse("admin:auth_user_change", args=[dc_patna.pk])
    data = _change_form_data(dc_patna)
    data["groups"] = [*data["groups"], str(mighty.pk)]
    response = client_as(state_admin).post(url, data)
    assert response.status_code == 200  # the form again, with the choice refused
    assert not dc_patna.groups.filter(pk=mighty.pk).exists()


def test_the_state_admin_can_still_give_a_portal_role(client_as, state_admin, dc_patna):
    staff = Group.objects.get(name=GROUP_NAMES[PortalRole.STATE_STAFF])
    url = reverse("admin:auth_user_change", args=[dc_patna.pk])
    data = _change_form_data(dc_patna)
    data["groups"] = [*data["groups"], str(staff.pk)]
    assert client_as(state_admin).post(url, data).status_code == 302
    assert dc_patna.groups.filter(pk=staff.pk).exists()


def test_the_state_admin_cannot_change_a_superusers_password(client_as, state_admin, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client_as(state_admin).post(
        url, {"password1": "taken-over-2021!", "password2": "taken-over-2021!"}
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_a_superuser_still_grants_superuser(client_as, django_user_model, dc_patna):
    root = django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    url = reverse("admin:auth_user_change", args=[dc_patna.pk])
    response = client_as(root).post(url, _change_form_data(dc_patna, is_superuser="on", is_staff="on"))
    assert response.status_code == 302
    dc_patna.refresh_from_db()
    assert dc_patna.is_superuser


def test_the_state_admin_unlocks_a_locked_out_user(client, state_admin, dc_patna):
    for _ in range(5):
        client.post(reverse("login"), {"username": "dc_patna", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "dc_patna", "password": PASSWORD}).status_code == 429
    admin = Client()
    admin.force_login(state_admin, backend="django.contrib.auth.backends.ModelBackend")
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    attempt = AccessAttempt.objects.get(username="dc_patna")
    response = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert client.post(reverse("login"), {"username": "dc_patna", "password": PASSWORD}).status_code == 302
