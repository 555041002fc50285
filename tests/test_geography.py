"""The real Bihar geography ships with the portal, loaded idempotently."""

from django.core.management import call_command
from django.utils import translation

from seva.geo.models import AssemblySeat, District, LokSabhaSeat


def test_it_loads_bihars_real_districts_and_seats(db):
    assert District.objects.count() == 38
    assert AssemblySeat.objects.count() == 243
    assert LokSabhaSeat.objects.count() == 40
    assert AssemblySeat.objects.filter(reserved="SC").count() == 38
    assert AssemblySeat.objects.filter(reserved="ST").count() == 2


def test_it_places_seats_in_their_district_and_lok_sabha_seat(db):
    seat = AssemblySeat.objects.get(number=1)
    assert seat.name_en == "Valmiki Nagar"
    assert seat.district.code == "west-champaran"
    assert seat.lok_sabha_seat.name_en == "Valmiki Nagar"


def test_it_shows_hindi_names_and_falls_back_to_english_when_blank(db):
    patna = District.objects.get(code="patna")
    with translation.override("hi"):
        assert patna.name == "पटना"
        blank = AssemblySeat.objects.get(number=105)  # the sources disagreed: no Hindi name
        assert blank.name_hi == ""
        assert blank.name == blank.name_en
    with translation.override("en"):
        assert patna.name == "Patna"


def test_loading_again_changes_nothing(db):
    before = list(AssemblySeat.objects.values_list("pk", "number", "district_id", "lok_sabha_seat_id"))
    call_command("load_geography", verbosity=0)
    after = list(AssemblySeat.objects.values_list("pk", "number", "district_id", "lok_sabha_seat_id"))
    assert before == after
    assert District.objects.count() == 38


def test_divisions_show_in_the_active_language(db):
    gaya = District.objects.get(code="gaya")
    with translation.override("hi"):
        assert gaya.division_name == "मगध"
    with translation.override("en"):
        assert gaya.division_name == "Magadh"
