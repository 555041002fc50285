"""The API's limits: a rate per user and per address (the SMS webhook has its own), a body size,
a page size; and the schema documents the answers they give."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.generators import SchemaGenerator

from seva import settings as seva_settings
from tasks17.models import Activity
from tests.factories import BoothFactory, MandalFactory, WorkerFactory, seat_in
from tests.factories_tasks import report, task

SMS_URL = "/api/v1/sms/inbound/"
SMS_SECRET = "limits-gateway-secret"


def _rates(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


# --- Throttles ---------------------------------------------------------------------------------


def test_the_request_past_a_users_rate_is_a_429_with_retry_after(settings, api, dc_patna):
    _rates(settings, user="3/min")
    api.force_authenticate(dc_patna)
    answers = [api.get("/api/v1/districts/").status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    refused = api.get("/api/v1/districts/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Request was throttled.")


def test_the_429_speaks_the_users_language(settings, api, dc_patna):
    _rates(settings, user="1/min")
    api.force_authenticate(dc_patna)
    api.get("/api/v1/districts/")
    refused = api.get("/api/v1/districts/", HTTP_ACCEPT_LANGUAGE="hi")
    assert refused.status_code == 429
    assert "बहुत अधिक अनुरोध" in refused.json()["detail"]


def test_one_users_limit_does_not_slow_another_user(settings, api, dc_patna, dc_gaya):
    _rates(settings, user="2/min")
    api.force_authenticate(dc_patna)
    for _ in range(2):
        api.get("/api/v1/districts/")
    assert api.get("/api/v1/districts/").status_code == 429
    api.force_authenticate(dc_gaya)
    assert api.get("/api/v1/districts/").status_code == 200


def test_a_users_limit_counts_every_address_and_token_he_uses(settings, api, dc_patna):
    _rates(settings, user="2/min")
    api.force_authenticate(dc_patna)
    api.get("/api/v1/districts/", REMOTE_ADDR="10.0.0.1")
    api.get("/api/v1/districts/", REMOTE_ADDR="10.0.0.2")
    assert api.get("/api/v1/districts/", REMOTE_ADDR="10.0.0.3").status_code == 429


def test_anonymous_requests_are_limited_per_address(settings, api, db):
    _rates(settings, anon="2/min")
    for _ in range(2):
        assert api.post("/api/v1/auth/token/", {}, format="json", REMOTE_ADDR="10.0.0.1").status_code == 400
    refused = api.post("/api/v1/auth/token/", {}, format="json", REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429 and "Retry-After" in refused
    # Another address has its own count.
    assert api.post("/api/v1/auth/token/", {}, format="json", REMOTE_ADDR="10.0.0.2").status_code == 400


def test_a_signed_in_user_is_not_counted_against_his_address(settings, api, dc_patna):
    _rates(settings, anon="1/min", user="10/min")
    api.post("/api/v1/auth/token/", {}, format="json", REMOTE_ADDR="10.0.0.1")
    assert api.post("/api/v1/auth/token/", {}, format="json", REMOTE_ADDR="10.0.0.1").status_code == 429
    api.force_authenticate(dc_patna)
    assert api.get("/api/v1/districts/", REMOTE_ADDR="10.0.0.1").status_code == 200


def test_the_sms_webhook_is_not_counted_by_the_general_limit(settings, api, db):
    settings.SMS_INBOUND_SECRET = SMS_SECRET
    _rates(settings, anon="1/min", user="1/min", sms_inbound="100/min")
    for _ in range(4):
        answer = api.post(
            SMS_URL, {"from": "+919800000000"}, format="json", HTTP_X_SEVA_SMS_SECRET=SMS_SECRET
        )
        assert answer.status_code == 400  # a field is missing: read, not throttled


def test_the_sms_webhook_keeps_its_own_limit(settings, api, db):
    settings.SMS_INBOUND_SECRET = SMS_SECRET
    _rates(settings, sms_inbound="2/min")
    codes = [
        api.post(
            SMS_URL, {"from": "+919800000000"}, format="json", HTTP_X_SEVA_SMS_SECRET=SMS_SECRET
        ).status_code
        for _ in range(3)
    ]
    assert codes == [400, 400, 429]


def test_the_token_sign_out_is_counted_by_the_users_limit(settings, api, dc_patna):
    _rates(settings, user="1/min")
    api.force_authenticate(dc_patna)
    api.get("/api/v1/districts/")
    assert api.delete("/api/v1/auth/token/").status_code == 429


@pytest.mark.parametrize("rate", ["lots", "600", "0/min", "600/week", "-5/min"])
def test_a_rate_that_is_not_one_fails_at_start(monkeypatch, rate):
    monkeypatch.setenv("THROTTLE_USER", rate)
    with pytest.raises(ImproperlyConfigured, match="THROTTLE_USER"):
        seva_settings.env_rate("THROTTLE_USER", "600/min")


def test_the_default_rates_are_generous():
    assert seva_settings.env_rate("SEVA_TEST_UNSET_RATE", "600/min") == "600/min"
    rates = seva_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["user"] == "600/min" and rates["anon"] == "120/min"


# --- Request size ------------------------------------------------------------------------------


def _report_body(padding: int) -> str:
    return json.dumps(
        {
            "task": "masks-sanitiser",
            "district": "patna",
            "date": "2021-05-01",
            "values": {"masks": 1},
            "notes": "x" * padding,
        }
    )


def test_an_api_body_past_the_limit_is_a_413_and_stores_nothing(settings, api, dc_patna):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    task("masks-sanitiser")
    api.force_authenticate(dc_patna)
    answer = api.post("/api/v1/activities/", _report_body(10_000), content_type="application/json")
    assert answer.status_code == 413
    assert "4 KB" in answer.json()["detail"]
    assert not Activity.objects.exists()


def test_the_413_speaks_the_users_language(settings, api, dc_patna):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    api.force_authenticate(dc_patna)
    answer = api.post(
        "/api/v1/activities/",
        _report_body(10_000),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="hi",
    )
    assert answer.status_code == 413
    assert "KB" in answer.json()["detail"] and "पोर्टल" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("method", "content_type"),
    [
        ("post", "application/x-www-form-urlencoded"),
        ("post", "multipart/form-data; boundary=BoUnDaRy"),
        ("patch", "application/json"),
        ("put", "application/json"),
    ],
)
def test_every_kind_of_api_body_is_held_to_the_limit(settings, api, dc_patna, method, content_type):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    api.force_authenticate(dc_patna)
    activity = report(dc_patna)
    answer = getattr(api, method)(
        f"/api/v1/activities/{activity.pk}/", "a" * 10_000, content_type=content_type
    )
    assert answer.status_code == 413


def test_the_default_limit_refuses_a_three_megabyte_body(api, dc_patna):
    api.force_authenticate(dc_patna)
    answer = api.post("/api/v1/activities/", _report_body(3 * 1024 * 1024), content_type="application/json")
    assert answer.status_code == 413
    assert "2560 KB" in answer.json()["detail"]


def test_a_body_within_the_limit_goes_through(settings, api, dc_patna):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    task("masks-sanitiser")
    api.force_authenticate(dc_patna)
    answer = api.post("/api/v1/activities/", _report_body(10), content_type="application/json")
    assert answer.status_code != 413


def test_a_page_form_past_the_limit_is_a_400_page_not_a_500(settings, client_as, dc_patna):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    answer = client_as(dc_patna).post("/activities/new/", {"notes": "x" * 10_000})
    assert answer.status_code == 400


def test_an_api_view_outside_api_refuses_in_json(client_as, state_staff):
    # /reports/activities.csv is an API view (in the schema): its refusals are JSON too.
    answer = client_as(state_staff).get("/reports/activities.csv", {"district": "pat\x03na"})
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/json") and answer.json()["detail"]


# --- Page size ---------------------------------------------------------------------------------


def test_a_huge_page_size_gives_the_cap(settings, api, state_staff):
    settings.SEVA_API_MAX_PAGE_SIZE = 2
    for _ in range(3):
        WorkerFactory()
    api.force_authenticate(state_staff)
    body = api.get("/api/v1/workers/", {"page_size": 100_000}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert len(api.get("/api/v1/workers/", {"page_size": 1}).json()["results"]) == 1
    # A page size that is no number gives the default one, held to the cap as well.
    assert len(api.get("/api/v1/workers/", {"page_size": "lots"}).json()["results"]) == 2


def test_the_page_size_defaults_to_page_size(api, state_staff):
    for _ in range(3):
        WorkerFactory()
    api.force_authenticate(state_staff)
    assert len(api.get("/api/v1/workers/").json()["results"]) == 3


SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
LISTS = [
    path
    for path, item in SCHEMA["paths"].items()
    if "get" in item and any(p["name"] == "page" for p in item["get"].get("parameters", []))
]


@pytest.mark.parametrize("path", LISTS)
def test_every_paged_list_is_capped(settings, api, state_staff, path):
    settings.SEVA_API_MAX_PAGE_SIZE = 1
    seat = seat_in("patna")
    for _ in range(2):
        WorkerFactory()
        BoothFactory(assembly_seat=seat)
        MandalFactory(assembly_seat=seat)
    api.force_authenticate(state_staff)
    answer = api.get(path, {"page_size": 100_000})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert len(body["results"]) <= 1
    assert {"page", "page_size"} <= {p["name"] for p in SCHEMA["paths"][path]["get"]["parameters"]}


def test_the_lists_walked_include_the_big_ones():
    assert {"/api/v1/activities/", "/api/v1/workers/", "/api/v1/booths/", "/api/v1/help-requests/"} <= set(
        LISTS
    )


# --- The schema documents these answers --------------------------------------------------------


def test_every_operation_documents_the_error_answers_and_retry_after():
    for path, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "429"} <= codes, (method, path)
            if method in {"post", "put", "patch"}:
                assert "413" in codes, (method, path)
            if "headers" not in operation["responses"]["429"]:
                assert path == "/api/v1/sms/inbound/"  # its own description, declared in the view
                continue
            assert "Retry-After" in operation["responses"]["429"]["headers"], (method, path)


def test_a_blank_choice_a_record_can_hold_is_in_its_enum():
    outcome = SCHEMA["components"]["schemas"]["HelpRequest"]["properties"]["outcome"]
    refs = [choice["$ref"].rsplit("/", 1)[-1] for choice in outcome["oneOf"]]
    enums = [SCHEMA["components"]["schemas"][ref]["enum"] for ref in refs]
    assert any("" in enum for enum in enums) and any("bed_arranged" in enum for enum in enums)
