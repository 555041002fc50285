"""Every record list costs the same number of queries however many rows it shows (STYLE.md
rule 17): counted at 2 rows and at 10, with rows of every kind the list shows."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from seva.people.choices import WorkerRole
from tasks17.models import ChecklistItem
from tasks17.records import services
from tests.factories import BoothFactory, WorkerFactory, district, seat_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
_numbers = itertools.count()


def add_camp(by):
    """Planned and held camps, at an assembly seat."""
    number = next(_numbers)
    camp = services.camp_create(
        by=by,
        kind="blood",
        district=district("patna"),
        assembly_seat=seat_in("patna"),
        venue=f"Venue {number}",
        date=TODAY(),
        organiser="Yuva Morcha",
    )
    if number % 2:
        services.camp_hold(by=by, camp=camp, donors=3, units=3)
    return camp


def add_donor(by):
    """Donors who may give, who may not yet, and who opted out."""
    number = next(_numbers)
    donor = services.donor_register(
        by=by,
        name=f"Donor {number}",
        phone=f"98765{number:05d}",
        blood_group="O+",
        district=district("patna"),
        recovered_on=TODAY() - datetime.timedelta(days=10 + 5 * number),
        consent_to_contact=True,
    )
    if number % 3 == 0:
        services.donor_opt_out(by=by, donor=donor)
    return donor


def add_conference(by):
    """Conferences of their representative, with registered workers taking part."""
    patna = district("patna")
    return services.conference_record(
        by=by,
        representative=WorkerFactory(role=WorkerRole.MLA, district=patna),
        district=patna,
        worker_group=f"Group {next(_numbers)}",
        date=TODAY(),
        participant_count=10,
        topics="Oxygen",
        participants=WorkerFactory.create_batch(2, district=patna),
    )


def add_declaration(by):
    """Standing and withdrawn declarations, with their booth president."""
    number = next(_numbers)
    if not ChecklistItem.objects.exists():
        ChecklistItem.objects.create(text_en="Every household surveyed")
    declaration = services.booth_declare(
        by=by,
        booth=BoothFactory(assembly_seat=seat_in("patna")),
        declared_on=TODAY(),
        ticked_item_ids=ChecklistItem.objects.values_list("pk", flat=True),
        booth_president=WorkerFactory(role=WorkerRole.BOOTH_PRESIDENT, district=district("patna")),
    )
    if number % 2:
        services.booth_withdraw(by=by, declaration=declaration, reason="New cases")
    return declaration


@pytest.mark.parametrize(
    ("url", "add", "row_link"),
    [
        ("/camps/", add_camp, "/camps/{pk}/"),
        ("/donors/", add_donor, "/donors/{pk}/edit/"),
        ("/conferences/", add_conference, "/conferences/{pk}/"),
        ("/booths/corona-free/", add_declaration, "/booths/corona-free/{pk}/"),
    ],
    ids=["camps", "donors", "conferences", "declarations"],
)
def test_a_record_list_costs_as_many_queries_for_10_rows_as_for_2(
    url, add, row_link, client_as, dc_patna, state_staff, django_assert_max_num_queries
):
    client = client_as(state_staff)

    def the_list():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    rows = [add(dc_patna) for _ in range(2)]
    client.get(url)  # fills the caches that outlive a request (content types)
    with_two, _ = the_list()
    rows += [add(dc_patna) for _ in range(8)]
    with django_assert_max_num_queries(12):
        with_ten, page = the_list()
    assert with_ten == with_two
    assert all(row_link.format(pk=row.pk) in page for row in rows)
