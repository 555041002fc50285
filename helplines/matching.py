"""Who may give blood or plasma to whom: the ABO/Rh table for red cells and the reverse table
for plasma, in one function (tested against both tables written out in full)."""

from __future__ import annotations

from seva.people.choices import BloodGroup

_ANTIGENS = {"O": set(), "A": {"A"}, "B": {"B"}, "AB": {"A", "B"}}


def _split(group: str) -> tuple[set[str], bool]:
    abo, rh = group[:-1], group[-1]
    return _ANTIGENS[abo], rh == "+"


def compatible_donor_groups(patient_group: str, kind: str) -> list[str]:
    """The blood groups whose donors can give ``kind`` (``"blood"``: red cells, ``"plasma"``)
    to a patient of ``patient_group`` (``"A+"``…), the patient's own group first.

    Red cells: the donor's cells may carry no ABO antigen the patient lacks (O gives to all,
    AB takes from all), and an Rh-negative patient takes only Rh-negative blood. Plasma is the
    reverse: the donor's plasma may carry no antibody against the patient's antigens, so the
    donor's ABO antigens must include the patient's (AB gives to all, O takes from all); Rh does
    not matter. An unknown group matches nobody.
    """
    if patient_group not in BloodGroup.values:
        return []
    patient_antigens, patient_rh = _split(patient_group)
    groups = []
    for donor_group in BloodGroup.values:
        donor_antigens, donor_rh = _split(donor_group)
        if kind == "plasma":
            fits = patient_antigens <= donor_antigens
        else:
            fits = donor_antigens <= patient_antigens and (patient_rh or not donor_rh)
        if fits:
            groups.append(donor_group)
    groups.sort(key=lambda group: group != patient_group)
    return groups
