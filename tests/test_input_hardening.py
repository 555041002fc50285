"""Bad input in general is a 400 (or a clear message), never a 500: non-finite numbers and
deep nesting in JSON, control characters in a path or parameter, spreadsheet imports of a
format we do not read or with a wrong header row."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tasks17.models import Activity
from tests.factories import BoothFactory


def _report(**fields: str) -> str:
    """A report as JSON text, with ``fields`` spliced in raw (``1e309`` is no Python float)."""
    payload = {
        "client_uuid": str(uuid.uuid4()),
        "task": "masks-sanitiser",
        "district": "patna",
        "date": timezone.localdate().isoformat(),
        "values": {"masks": 250, "sanitiser": 12},
    }
    text = json.dumps(payload)[:-1]
    return text + "".join(f', "{name}": {raw}' for name, raw in fields.items()) + "}"


@pytest.mark.parametrize("field", ["booth", "mandal", "assembly_seat"])
@pytest.mark.parametrize("number", ["1e309", "-1e309", "Infinity", "NaN"])
def test_a_non_finite_number_is_a_parse_error(api, dc_patna, field, number):
    api.force_authenticate(dc_patna)
    response = api.post("/api/v1/activities/", _report(**{field: number}), content_type="application/json")
    assert response.status_code == 400, response.content
    assert "detail" in response.json()
    assert not Activity.objects.exists()


def test_a_finite_report_still_goes_through_the_same_parser(api, dc_patna):
    api.force_authenticate(dc_patna)
    booth = BoothFactory()
    response = api.post("/api/v1/activities/", _report(booth=str(booth.pk)), content_type="application/json")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("levels", [65, 5000])
def test_json_nested_too_deeply_is_refused(api, dc_patna, levels):
    api.force_authenticate(dc_patna)
    nested = "[" * levels + "]" * levels
    response = api.post("/api/v1/activities/", _report(notes=nested), content_type="application/json")
    assert response.status_code == 400
    assert "64 levels" in response.json()["detail"]


def test_a_huge_integer_id_is_a_field_error(api, dc_patna):
    api.force_authenticate(dc_patna)
    response = api.post("/api/v1/activities/", _report(booth=str(10**30)), content_type="application/json")
    assert response.status_code == 400
    assert "booth" in response.json()


NUL_URLS = [
    ("/assembly-seats/178/", "q"),
    ("/booths/options/", "q"),
    ("/conferences/worker-options/", "participant_search"),
    ("/activities/metric-fields/", "task"),
    ("/api/v1/booths/", "search"),
]


@pytest.mark.parametrize(("url", "parameter"), NUL_URLS)
@pytest.mark.parametrize("character", ["\x00", "\x05", "\x7f"])
def test_a_control_character_in_a_query_parameter_is_a_400(client_as, state_staff, url, parameter, character):
    response = client_as(state_staff).get(url, {parameter: f"ab{character}c"})
    assert response.status_code == 400


def test_the_api_names_the_refusal_in_json(api, state_staff):
    api.force_authenticate(state_staff)
    response = api.get("/api/v1/booths/?search=%00")
    assert response.status_code == 400
    assert "control character" in response.json()["detail"]


def test_a_control_character_in_a_parameter_name_or_the_path_is_a_400(client_as, state_staff):
    client = client_as(state_staff)
    assert client.get("/booths/options/?q%00=a").status_code == 400
    assert client.get("/booths/%00/").status_code == 400


def test_a_control_character_in_a_posted_form_is_a_400(client, db):
    response = client.post(reverse("login"), {"username": "dc\x00patna", "password": "x"})
    assert response.status_code == 400


def test_tabs_and_line_breaks_in_a_posted_form_are_still_accepted(client, db):
    response = client.post(reverse("login"), {"username": "dc\tpatna\r\n", "password": "x"})
    assert response.status_code == 200


def _import(client, name: str, content: bytes, format_value: str):
    upload = SimpleUploadedFile(name, content)
    return client.post(reverse("admin:geo_mandal_import"), {"import_file": upload, "format": format_value})


def test_the_admin_imports_csv_and_xlsx_only(client_as, state_admin):
    client = client_as(state_admin)
    page = client.get(reverse("admin:geo_mandal_import")).content.decode()
    assert '<option value="0">csv</option>' in page and '<option value="1">xlsx</option>' in page
    assert ">html<" not in page and ">json<" not in page
    html = b"<table><tr><th>number</th></tr><tr><td>1</td></tr></table>"
    # Every format index the library knows, the HTML one among them: none is a 500.
    for index in range(10):
        assert _import(client, "mandals.html", html, str(index)).status_code < 500, index


def test_a_wrong_header_row_is_named_without_a_traceback(client_as, state_admin):
    response = _import(client_as(state_admin), "mandals.csv", b"foo,bar\n1,2\n", "0")
    assert response.status_code == 200
    html = response.content.decode()
    assert "not present in the file headers: assembly_seat, name" in html
    assert "first row: it must name the columns" in html
    assert "Traceback" not in html and "site-packages" not in html and ".py" not in html
