from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seva.people.choices import PortalRole

_MODELS = [
    "task",
    "metric",
    "target",
    "activity",
    "activityvalue",
    "donationcamp",
    "donor",
    "videoconference",
    "checklistitem",
    "boothdeclaration",
]
_ALL = {f"tasks17.{action}_{model}" for model in _MODELS for action in ("view", "add", "change", "delete")}


def _perms(actions: str, *models: str) -> set[str]:
    return {f"tasks17.{action}_{model}" for model in models for action in actions.split()}


class Tasks17Config(AppConfig):
    name = "tasks17"
    label = "tasks17"
    verbose_name = _("Campaign tasks")

    # What each portal role may do with this app's models (see seva/people/roles.py).
    # Reviewing reports is its own permission, within the user's scope (services.can_review):
    # state admin and staff review the state, a district president his district. Only the
    # state office puts a user in a group, so nobody can give himself review rights.
    # Recording a donor's renewed consent (the only end of an opt-out) is its own permission
    # too, which the helpline does not have.
    role_permissions = {
        PortalRole.STATE_ADMIN: _ALL | {"tasks17.review_activity", "tasks17.renew_donor_consent"},
        PortalRole.STATE_STAFF: _perms("view", "task", "metric", "checklistitem")
        | _perms("view add change", "target", "donationcamp", "donor", "videoconference", "boothdeclaration")
        | {"tasks17.view_activity", "tasks17.add_activity", "tasks17.review_activity"}
        | {"tasks17.renew_donor_consent"},
        PortalRole.DISTRICT_COORDINATOR: _perms("view", "task", "metric", "target", "checklistitem")
        | _perms(
            "view add change", "activity", "donationcamp", "donor", "videoconference", "boothdeclaration"
        )
        | {"tasks17.renew_donor_consent"},
        PortalRole.DISTRICT_PRESIDENT: _perms("view", "task", "metric", "target", "checklistitem", "activity")
        | {"tasks17.review_activity"},
        # The helpline finds donors for callers (helplines issue) and registers new ones.
        PortalRole.HELPLINE_OPERATOR: _perms("view", "task", "metric") | _perms("view add change", "donor"),
        # A lead takes calls as his operators do: the same catalogue and donors.
        PortalRole.HELPLINE_LEAD: _perms("view", "task", "metric") | _perms("view add change", "donor"),
    }
