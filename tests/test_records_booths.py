"""Corona-free booths: the checklist, one standing declaration, withdrawal stops counting."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from seva.people.choices import WorkerRole
from tasks17.choices import CORONA_FREE_TASK_CODE, ActivityOrigin, ActivityStatus
from tasks17.models import BoothDeclaration, ChecklistItem
from tasks17.records import services
from tasks17.selectors import task_totals
from tests.factories import BoothFactory, WorkerFactory, district, seat_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def checklist(db):
    items = [
        ChecklistItem.objects.create(
            text_en="Every household surveyed", text_hi="हर परिवार का सर्वे", position=1
        ),
        ChecklistItem.objects.create(text_en="Masks for all", position=2),
    ]
    ChecklistItem.objects.create(text_en="Retired point", is_active=False)
    return items


def declare(by, booth, checklist, **extra):
    values = {"declared_on": TODAY(), "ticked_item_ids": [item.pk for item in checklist]}
    values.update(extra)
    return services.booth_declare(by=by, booth=booth, **values)


def booths_declared(user):
    for totals in task_totals(user=user, start=TODAY() - datetime.timedelta(days=5), end=TODAY()):
        if totals.task.code == CORONA_FREE_TASK_CODE:
            return next(m.reported for m in totals.metrics if m.metric.code == "booths_declared")
    raise AssertionError("task not listed")


def test_declaring_stores_the_checklist_and_counts(dc_patna, checklist):
    booth = BoothFactory()
    president = WorkerFactory(role=WorkerRole.BOOTH_PRESIDENT)
    declaration = declare(dc_patna, booth, checklist, booth_president=president)
    booth.refresh_from_db()
    assert booth.corona_free_since == TODAY()
    assert declaration.checklist == [
        {"id": checklist[0].pk, "text_en": "Every household surveyed", "text_hi": "हर परिवार का सर्वे"},
        {"id": checklist[1].pk, "text_en": "Masks for all", "text_hi": ""},
    ]
    assert declaration.activity.origin == ActivityOrigin.BOOTH_DECLARATION
    assert declaration.activity.booth == booth
    assert booths_declared(dc_patna) == 1


def test_every_active_point_must_be_ticked(dc_patna, checklist):
    with pytest.raises(ValidationError) as excinfo:
        declare(dc_patna, BoothFactory(), checklist[:1])
    assert "Masks for all" in str(excinfo.value.message_dict["checklist"])
    assert BoothDeclaration.objects.count() == 0


def test_a_booth_has_one_standing_declaration(dc_patna, checklist):
    booth = BoothFactory()
    declare(dc_patna, booth, checklist)
    with pytest.raises(ValidationError) as excinfo:
        declare(dc_patna, booth, checklist)
    assert "booth" in excinfo.value.message_dict


def test_it_refuses_bad_input(dc_patna, dc_gaya, checklist):
    booth = BoothFactory()
    cases = [
        (dc_patna, {"declared_on": TODAY() + datetime.timedelta(days=1)}, "declared_on"),
        (dc_patna, {"declared_on": TODAY() - datetime.timedelta(days=90)}, "declared_on"),
        (dc_patna, {"booth_president": WorkerFactory(district=district("gaya"))}, "booth_president"),
        (dc_gaya, {}, "booth"),
    ]
    for by, extra, field in cases:
        with pytest.raises(ValidationError) as excinfo:
            declare(by, booth, checklist, **extra)
        assert field in excinfo.value.message_dict, (extra, excinfo.value.message_dict)
    booth.refresh_from_db()
    assert booth.corona_free_since is None and BoothDeclaration.objects.count() == 0


def test_withdrawal_stops_counting_and_clears_the_booth(dc_patna, checklist):
    booth = BoothFactory()
    declaration = declare(dc_patna, booth, checklist)
    with pytest.raises(ValidationError) as excinfo:
        services.booth_withdraw(by=dc_patna, declaration=declaration, reason=" ")
    assert "reason" in excinfo.value.message_dict
    declaration = services.booth_withdraw(by=dc_patna, declaration=declaration, reason="New cases found")
    booth.refresh_from_db()
    declaration.activity.refresh_from_db()
    assert booth.corona_free_since is None
    assert declaration.activity.status == ActivityStatus.WITHDRAWN
    assert declaration.withdrawn_by == dc_patna and declaration.withdrawal_reason == "New cases found"
    assert booths_declared(dc_patna) == 0
    with pytest.raises(ValidationError) as excinfo:
        services.booth_withdraw(by=dc_patna, declaration=declaration, reason="again")
    assert "status" in excinfo.value.message_dict
    # Once withdrawn, the booth can be declared again.
    assert declare(dc_patna, booth, checklist).is_standing


def test_api_declares_and_withdraws(api, dc_patna, checklist):
    booth = BoothFactory()
    api.force_authenticate(dc_patna)
    body = {"booth": booth.pk, "declared_on": TODAY().isoformat(), "ticked_items": [checklist[0].pk]}
    response = api.post("/api/v1/booth-declarations/", body, format="json")
    assert response.status_code == 400 and "checklist" in response.json()
    body["ticked_items"] = [item.pk for item in checklist]
    response = api.post("/api/v1/booth-declarations/", body, format="json")
    assert response.status_code == 201, response.json()
    declaration = response.json()
    assert declaration["district"] == "patna" and len(declaration["checklist"]) == 2
    assert api.post("/api/v1/booth-declarations/", body, format="json").status_code == 400
    url = f"/api/v1/booth-declarations/{declaration['id']}/withdraw/"
    assert api.post(url, {}, format="json").status_code == 400
    response = api.post(url, {"reason": "Cases reported"}, format="json")
    assert response.status_code == 200 and response.json()["is_standing"] is False
    assert api.get("/api/v1/booth-declarations/?standing=true").json()["count"] == 0


def test_api_hides_other_districts_declarations(api, dc_patna, dc_gaya, checklist):
    declaration = declare(dc_patna, BoothFactory(), checklist)
    api.force_authenticate(dc_gaya)
    assert api.get("/api/v1/booth-declarations/").json()["count"] == 0
    assert api.get(f"/api/v1/booth-declarations/{declaration.pk}/").status_code == 404
    response = api.post(
        f"/api/v1/booth-declarations/{declaration.pk}/withdraw/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 404
    gaya_booth = BoothFactory(assembly_seat=seat_in("gaya"))
    body = {
        "booth": gaya_booth.pk,
        "declared_on": TODAY().isoformat(),
        "ticked_items": [i.pk for i in checklist],
    }
    api.force_authenticate(dc_patna)
    response = api.post("/api/v1/booth-declarations/", body, format="json")
    assert response.status_code == 400 and "booth" in response.json()


def test_api_refuses_the_helpline(api, helpline_patna):
    api.force_authenticate(helpline_patna)
    assert api.get("/api/v1/booth-declarations/").status_code == 403


def test_pages_declare_and_withdraw(client_as, dc_patna, patna, checklist):
    booth = BoothFactory()
    client = client_as(dc_patna)
    page = client.get("/booths/corona-free/new/").content.decode()
    assert "Every household surveyed" in page and "Retired point" not in page
    form = {
        "district": patna.pk,
        "assembly_seat": booth.assembly_seat_id,
        "booth": booth.pk,
        "declared_on": TODAY().isoformat(),
        "checklist": [checklist[0].pk],
    }
    response = client.post("/booths/corona-free/new/", form)
    assert response.status_code == 200 and "Masks for all" in response.content.decode()
    form["checklist"] = [item.pk for item in checklist]
    response = client.post("/booths/corona-free/new/", form)
    assert response.status_code == 302
    declaration = BoothDeclaration.objects.get()
    assert client.get("/booths/corona-free/").status_code == 200
    assert client.get(f"/booths/corona-free/{declaration.pk}/").status_code == 200
    response = client.post(f"/booths/corona-free/{declaration.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 400
    response = client.post(f"/booths/corona-free/{declaration.pk}/withdraw/", {"reason": "Cases"})
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert not declaration.is_standing


def test_pages_hide_other_districts_declarations(client_as, dc_patna, dc_gaya, checklist):
    declaration = declare(dc_patna, BoothFactory(), checklist)
    client = client_as(dc_gaya)
    assert client.get(f"/booths/corona-free/{declaration.pk}/").status_code == 404
    assert client.post(f"/booths/corona-free/{declaration.pk}/withdraw/", {"reason": "x"}).status_code == 404
    assert (
        "No declarations match" in client.get("/booths/corona-free/", HTTP_HX_REQUEST="true").content.decode()
    )


def test_pages_refuse_the_helpline(client_as, helpline_patna):
    client = client_as(helpline_patna)
    assert client.get("/booths/corona-free/").status_code == 403
    assert client.get("/booths/corona-free/new/").status_code == 403
    assert client.get("/conferences/").status_code == 403
    assert client.get("/donors/").status_code == 200


def test_the_admin_edits_the_checklist(client_as, state_admin, checklist):
    client = client_as(state_admin)
    assert client.get("/admin/tasks17/checklistitem/").status_code == 200
    point = checklist[1]
    response = client.post(
        f"/admin/tasks17/checklistitem/{point.pk}/change/",
        {"text_en": "Masks for everyone", "text_hi": "सबके लिए मास्क", "position": 2, "is_active": "on"},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.text_en, point.text_hi) == ("Masks for everyone", "सबके लिए मास्क")


def test_the_admin_shows_the_records_and_changes_none_of_them(client_as, state_admin, dc_patna, checklist):
    patna = district("patna")
    camp = services.camp_create(
        by=dc_patna,
        kind="blood",
        district=patna,
        venue="Gandhi Maidan",
        date=TODAY(),
        organiser="Yuva Morcha",
    )
    donor = services.donor_register(
        by=dc_patna, name="Asha Kumari", phone="9876543210", blood_group="B+", district=patna
    )
    conference = services.conference_record(
        by=dc_patna,
        representative=WorkerFactory(role=WorkerRole.MLA, district=patna, name="Ram Kripal"),
        district=patna,
        worker_group="Booth presidents of Danapur",
        date=TODAY(),
        participant_count=30,
        topics="Oxygen",
    )
    declaration = declare(
        dc_patna, BoothFactory(assembly_seat=seat_in("patna"), name="Primary School"), checklist
    )
    client = client_as(state_admin)
    for record, shown in [
        (camp, "Gandhi Maidan"),
        (donor, "Asha Kumari"),
        (conference, "Booth presidents of Danapur"),
        (declaration, "Primary School"),
    ]:
        url = f"/admin/tasks17/{record._meta.model_name}/"
        stored = type(record).objects.filter(pk=record.pk)
        before = stored.values().get()
        listed = client.get(url)
        assert listed.status_code == 200
        assert shown in listed.content.decode() and f"{url}add/" not in listed.content.decode()
        assert client.get(f"{url}{record.pk}/change/").status_code == 200  # shown, read only
        assert client.get(f"{url}add/").status_code == 403
        assert client.post(f"{url}{record.pk}/change/", {"notes": "changed in the admin"}).status_code == 403
        assert client.post(f"{url}{record.pk}/delete/", {"post": "yes"}).status_code == 403
        assert stored.values().get() == before


def test_withdrawal_goes_through_the_report_service_and_names_who(dc_patna, checklist):
    declaration = declare(dc_patna, BoothFactory(), checklist)
    services.booth_withdraw(by=dc_patna, declaration=declaration, reason="Two new cases")
    history = declaration.activity.history.order_by("history_date").last()
    assert (history.status, history.history_user) == (ActivityStatus.WITHDRAWN, dc_patna)


def test_only_an_active_booth_president_may_be_named(dc_patna, checklist):
    booth = BoothFactory()
    mla = WorkerFactory(district=district("patna"), role=WorkerRole.MLA)
    retired = WorkerFactory(district=district("patna"), role=WorkerRole.BOOTH_PRESIDENT, is_active=False)
    for worker in (mla, retired):
        with pytest.raises(ValidationError) as excinfo:
            declare(dc_patna, booth, checklist, booth_president=worker)
        assert "is not an active booth president" in excinfo.value.message_dict["booth_president"][0]
    assert not BoothDeclaration.objects.exists()


def test_withdrawing_outside_the_scope_is_a_404_and_the_api_says_who_may(api, dc_patna, dc_gaya, checklist):
    declaration = declare(dc_patna, BoothFactory(assembly_seat=seat_in("patna")), checklist)
    with pytest.raises(Http404):
        services.booth_withdraw(by=dc_gaya, declaration=declaration, reason="Not mine")
    api.force_authenticate(dc_patna)
    assert api.get(f"/api/v1/booth-declarations/{declaration.pk}/").json()["can_withdraw"] is True
    answer = api.post(
        f"/api/v1/booth-declarations/{declaration.pk}/withdraw/", {"reason": "New cases"}, format="json"
    ).json()
    assert (answer["is_standing"], answer["can_withdraw"]) == (False, False)
