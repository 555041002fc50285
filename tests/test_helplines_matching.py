"""Donor matching: the red-cell and plasma compatibility tables, and the donors listed for a
blood or plasma request (eligible, consenting, of the district, never an opted-out one)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from helplines import services
from helplines.choices import Category, EventKind
from helplines.matching import compatible_donor_groups
from helplines.selectors import donor_matches
from tasks17.records.services import donor_opt_out, donor_register
from tests.factories import district
from tests.factories_helplines import open_request

# Who may receive red cells from whom (recipient: donors), written out in full.
RED_CELLS = {
    "O-": {"O-"},
    "O+": {"O-", "O+"},
    "A-": {"O-", "A-"},
    "A+": {"O-", "O+", "A-", "A+"},
    "B-": {"O-", "B-"},
    "B+": {"O-", "O+", "B-", "B+"},
    "AB-": {"O-", "A-", "B-", "AB-"},
    "AB+": {"O-", "O+", "A-", "A+", "B-", "B+", "AB-", "AB+"},
}
# Plasma, the reverse by ABO (Rh does not matter): AB gives to all, O takes from all.
_PLASMA_ABO = {"O": {"O", "A", "B", "AB"}, "A": {"A", "AB"}, "B": {"B", "AB"}, "AB": {"AB"}}
PLASMA = {
    recipient: {abo + rh for abo in _PLASMA_ABO[recipient[:-1]] for rh in "+-"} for recipient in RED_CELLS
}


@pytest.mark.parametrize("patient", sorted(RED_CELLS))
def test_red_cells_follow_the_abo_rh_table(patient):
    groups = compatible_donor_groups(patient, "blood")
    assert set(groups) == RED_CELLS[patient]
    assert groups[0] == patient


@pytest.mark.parametrize("patient", sorted(PLASMA))
def test_plasma_follows_the_reverse_table(patient):
    groups = compatible_donor_groups(patient, "plasma")
    assert set(groups) == PLASMA[patient]
    assert groups[0] == patient


def test_an_unknown_group_matches_nobody():
    assert compatible_donor_groups("C+", "blood") == []


def _donor(by, name, group, code="patna", **extra):
    return donor_register(
        by=by,
        name=name,
        phone=extra.pop("phone"),
        blood_group=group,
        district=district(code),
        consent_to_contact=extra.pop("consent", True),
        **extra,
    )


@pytest.mark.django_db
def test_matches_are_eligible_consenting_compatible_donors_of_the_district(operator, patna_line, state_admin):
    long_ago = timezone.localdate() - datetime.timedelta(days=200)
    own = _donor(state_admin, "Own Group", "B+", phone="+919800000001", last_donated_on=long_ago)
    universal = _donor(state_admin, "Universal", "O-", phone="+919800000002")
    _donor(state_admin, "Wrong Group", "A+", phone="+919800000003")
    _donor(state_admin, "Gave Recently", "B+", phone="+919800000004", last_donated_on=timezone.localdate())
    _donor(state_admin, "No Consent", "B+", phone="+919800000005", consent=False)
    _donor(state_admin, "Gaya Donor", "B+", code="gaya", phone="+919800000006")
    gone = _donor(state_admin, "Opted Out", "O+", phone="+919800000007")
    donor_opt_out(by=state_admin, donor=gone)
    request = open_request(operator, patna_line, category=Category.BLOOD, blood_group="B+")
    assert list(donor_matches(request)) == [own, universal]
    services.request_contact_donor(by=operator, request=request, donor=universal, note="Will come at 9")
    event = request.events.get(kind=EventKind.DONOR_CONTACTED)
    assert event.data["donor"] == universal.pk
    with pytest.raises(ValidationError) as refused:
        services.request_contact_donor(by=operator, request=request, donor=gone)
    assert "donor" in refused.value.message_dict


@pytest.mark.django_db
def test_plasma_matches_need_the_recovery_window(operator, patna_line, state_admin):
    today = timezone.localdate()
    ready = _donor(
        state_admin,
        "Recovered",
        "AB+",
        phone="+919800000011",
        recovered_on=today - datetime.timedelta(days=40),
    )
    _donor(
        state_admin, "Too Soon", "AB+", phone="+919800000012", recovered_on=today - datetime.timedelta(days=5)
    )
    _donor(state_admin, "Never Ill", "AB+", phone="+919800000013")
    _donor(
        state_admin,
        "Wrong Way",
        "O+",
        phone="+919800000014",
        recovered_on=today - datetime.timedelta(days=40),
    )
    request = open_request(operator, patna_line, category=Category.PLASMA, blood_group="A+")
    assert list(donor_matches(request)) == [ready]


@pytest.mark.django_db
def test_other_needs_have_no_matches(operator, patna_line, state_admin):
    _donor(state_admin, "Universal", "O-", phone="+919800000021")
    assert list(donor_matches(open_request(operator, patna_line))) == []
