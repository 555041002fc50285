"""The helplines' demo: every helpline page has something to show, once."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from helplines.models import AvailabilityReport, Facility, Helpline, HelplineMember, HelpRequest, Shift
from helplines.selectors import availability_search, roster
from seva.people.choices import GROUP_NAMES, PortalRole


@override_settings(DEBUG=True)
@pytest.mark.django_db
def test_the_demo_has_helplines_shifts_facilities_and_requests_once(client):
    call_command("seed_demo", verbosity=0)
    counts = {
        model.__name__: model.objects.count()
        for model in (Helpline, Shift, Facility, AvailabilityReport, HelpRequest)
    }
    assert all(counts.values()), counts
    assert set(Helpline.objects.values_list("district__code", flat=True)) == {"patna", "gaya"}
    lead = HelplineMember.objects.get(user__username="helpline_lead_patna")
    assert lead.is_lead and lead.user.groups.filter(name=GROUP_NAMES[PortalRole.HELPLINE_LEAD]).exists()
    assert (
        HelpRequest.objects.filter(status="open").exists()
        and HelpRequest.objects.filter(status="resolved").exists()
    )
    rows = availability_search(lead.user)
    assert any(row["stale"] for row in rows) and any(not row["stale"] for row in rows)
    assert roster(lead.helpline)["gaps"] and roster(lead.helpline)["on_now"]
    assert lead.user.check_password("seva-demo-2021")
    client.force_login(lead.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/helplines/desk/").status_code == 200
    call_command("seed_demo", verbosity=0)
    again = {
        model.__name__: model.objects.count()
        for model in (Helpline, Shift, Facility, AvailabilityReport, HelpRequest)
    }
    assert again == counts
