"""Booth search across the district (issue 11): without a seat chosen, the report form's
booth box finds booths of the user's district by number, name in Hindi or English, and the
seat's name in Hindi or English; scoped; at most 30."""

import re
import uuid

import pytest
import tablib
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from seva.geo.models import AssemblySeat, Booth
from seva.geo.resources import BoothResource
from seva.geo.views import BoothOptionsView
from tasks17.models import Activity
from tests.factories import BoothFactory, district

pytestmark = pytest.mark.django_db

URL = reverse("geo:booth-options")


def bankipur():
    return AssemblySeat.objects.get(name_en="Bankipur")


def other_patna_seat():
    return (
        AssemblySeat.objects.filter(district__code="patna")
        .exclude(pk=bankipur().pk)
        .order_by("number")
        .first()
    )


def _booths(client, **params):
    page = client.get(URL, params).content.decode()
    return sorted(int(pk) for pk in re.findall(r'<option value="(\d+)"', page))


@pytest.fixture
def booths(db):
    gaya_seat = AssemblySeat.objects.filter(district__code="gaya").first()
    return {
        "bankipur_school": BoothFactory(
            assembly_seat=bankipur(),
            number=12,
            name="Primary School, Kadamkuan",
            name_hi="प्राथमिक विद्यालय, कदमकुआँ",
        ),
        "bankipur_hall": BoothFactory(
            assembly_seat=bankipur(), number=13, name="Community Hall", locality="Rajendra Nagar"
        ),
        "other_12": BoothFactory(assembly_seat=other_patna_seat(), number=12, name="Middle School"),
        "other_bankipur_road": BoothFactory(
            assembly_seat=other_patna_seat(), number=40, name="Bankipur Road School"
        ),
        "gaya_12": BoothFactory(assembly_seat=gaya_seat, number=12, name="Bankipur Lane School"),
    }


def test_the_seat_has_its_real_hindi_name():
    assert bankipur().name_hi == "बाँकीपुर"


def test_without_a_seat_it_finds_booths_across_the_district_by_seat_name(client_as, dc_patna, booths):
    found = _booths(client_as(dc_patna), q="Bankipur")
    expected = [booths[k].pk for k in ("bankipur_school", "bankipur_hall", "other_bankipur_road")]
    assert found == sorted(expected)  # Gaya's "Bankipur Lane" is not his


@pytest.mark.parametrize("query", ["बाँकीपुर", "बांकीपुर", "bankipur", " BANKIPUR "])
def test_the_hindi_name_finds_what_the_english_one_finds(client_as, dc_patna, booths, query):
    client = client_as(dc_patna)
    assert _booths(client, q=query) == _booths(client, q="Bankipur")


def test_it_finds_a_booth_by_its_hindi_and_english_name_and_locality(client_as, dc_patna, booths):
    client = client_as(dc_patna)
    assert _booths(client, q="कदमकुआँ") == [booths["bankipur_school"].pk]
    assert _booths(client, q="kadamkuan") == [booths["bankipur_school"].pk]
    assert _booths(client, q="Rajendra") == [booths["bankipur_hall"].pk]


def test_it_finds_a_booth_number_in_every_seat_of_the_district(client_as, dc_patna, booths):
    found = _booths(client_as(dc_patna), q="12")
    assert found == sorted([booths["bankipur_school"].pk, booths["other_12"].pk])


def test_each_booth_found_is_named_with_its_seat(client_as, dc_patna, booths):
    client = client_as(dc_patna)
    page = client.get(URL, {"q": "Kadamkuan"}).content.decode()
    assert "182. Bankipur · 12. Primary School, Kadamkuan" in page
    with override("hi"):
        page = client.get(URL, {"q": "Kadamkuan"}, HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert "182. बाँकीपुर · 12. प्राथमिक विद्यालय, कदमकुआँ" in page


def test_it_stays_in_the_users_scope(client_as, dc_gaya, state_staff, booths):
    patna = district("patna")
    assert _booths(client_as(dc_gaya), q="Bankipur", district=patna.pk) == []
    assert _booths(client_as(dc_gaya), q="Bankipur") == [booths["gaya_12"].pk]


def test_a_state_wide_user_searches_the_district_he_chose(client_as, state_staff, booths):
    client = client_as(state_staff)
    assert _booths(client, q="Bankipur") == []  # no district chosen: the state is too wide
    assert booths["gaya_12"].pk not in _booths(client, q="Bankipur", district=district("patna").pk)
    assert _booths(client, q="Bankipur", district=district("gaya").pk) == [booths["gaya_12"].pk]


def test_nothing_is_listed_before_something_is_typed(client_as, dc_patna, booths):
    assert _booths(client_as(dc_patna), q="  ") == []


def test_with_a_seat_chosen_it_searches_that_seat_only(client_as, dc_patna, booths):
    found = _booths(client_as(dc_patna), q="12", assembly_seat=bankipur().pk)
    assert found == [booths["bankipur_school"].pk]


def test_it_lists_at_most_30_in_a_fixed_number_of_queries(client_as, dc_patna, django_assert_max_num_queries):
    Booth.objects.bulk_create(
        [Booth(assembly_seat=bankipur(), number=n, name=f"School {n}") for n in range(100, 140)]
    )
    client = client_as(dc_patna)
    client.get(URL, {"q": "warm up"})
    with django_assert_max_num_queries(8):  # sign-in and scope 6, seat names 1, booths 1
        found = _booths(client, q="बाँकीपुर")
    assert len(found) == BoothOptionsView.DISTRICT_SEARCH_LIMIT == 30


def test_an_odd_number_is_not_an_error(client_as, dc_patna, booths):
    client = client_as(dc_patna)
    for query in ("²", "99999999999999999999", "१२"):
        assert client.get(URL, {"q": query}).status_code == 200
    assert _booths(client, q="१२") == _booths(client, q="12")


def test_the_report_form_takes_a_booth_found_without_a_seat(client_as, dc_patna, booths):
    client = client_as(dc_patna)
    page = client.get(reverse("tasks17:activity-create")).content.decode()
    booth_select = re.search(r'<select name="booth".*?</select>', page, re.S).group(0)
    assert booth_select.count("<option") == 1  # no booth listed until searched
    assert "#id_district" in booth_select  # the search sends the district along
    booth = booths["bankipur_school"]
    data = {
        "task": "masks-sanitiser",
        "district": district("patna").pk,
        "booth": booth.pk,
        "date": timezone.localdate().isoformat(),
        "metric_masks": "30",
        "client_uuid": str(uuid.uuid4()),
    }
    response = client.post(reverse("tasks17:activity-create"), data)
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get()
    assert (activity.booth, activity.assembly_seat) == (booth, bankipur())


def test_a_refused_form_keeps_the_booth_chosen_without_a_seat(client_as, dc_patna, booths):
    booth = booths["bankipur_school"]
    data = {
        "task": "masks-sanitiser",
        "district": district("patna").pk,
        "booth": booth.pk,
        "date": timezone.localdate().isoformat(),
        "metric_masks": "-1",
        "client_uuid": str(uuid.uuid4()),
    }
    page = client_as(dc_patna).post(reverse("tasks17:activity-create"), data).content.decode()
    assert (
        f'<option value="{booth.pk}" selected>182. Bankipur · 12. Primary School, Kadamkuan</option>' in page
    )


def test_another_districts_booth_is_refused_on_the_form(client_as, dc_patna, booths):
    data = {
        "task": "masks-sanitiser",
        "district": district("patna").pk,
        "booth": booths["gaya_12"].pk,
        "date": timezone.localdate().isoformat(),
        "metric_masks": "30",
        "client_uuid": str(uuid.uuid4()),
    }
    response = client_as(dc_patna).post(reverse("tasks17:activity-create"), data)
    assert "booth" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_an_import_fills_the_hindi_name_where_it_gives_one():
    seat = bankipur()
    headers = ["assembly_seat", "number", "name", "name_hi", "locality", "mandal", "corona_free_since"]
    rows = [
        [seat.number, 1, "Primary School", "प्राथमिक विद्यालय", "", "", ""],
        [seat.number, 2, "Panchayat Bhawan", "", "", "", ""],
    ]
    result = BoothResource().import_data(tablib.Dataset(*rows, headers=headers), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert dict(Booth.objects.values_list("number", "name_hi")) == {1: "प्राथमिक विद्यालय", 2: ""}
    with override("hi"):
        assert [str(b) for b in Booth.objects.order_by("number")] == [
            "1. प्राथमिक विद्यालय",
            "2. Panchayat Bhawan",
        ]
