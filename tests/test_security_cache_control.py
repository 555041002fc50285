"""Pages and API answers with a signed-in user's data are never kept by a cache: donors'
and workers' phone numbers must not outlive the session on a shared computer (issue 9, Low)."""

import pytest
from rest_framework.test import APIClient

from tests.factories_tasks import report

PASSWORD = "seva-test-pass-2021"


def _no_store(response):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize("path", ["/donors/", "/workers/", "/api/v1/donors/", "/api/v1/workers/"])
def test_lists_with_personal_data_are_not_stored(client_as, dc_patna, path):
    response = client_as(dc_patna).get(path)
    assert response.status_code == 200
    assert _no_store(response)


def test_a_report_page_is_not_stored(client_as, dc_patna):
    activity = report(dc_patna)
    response = client_as(dc_patna).get(f"/activities/{activity.pk}/")
    assert response.status_code == 200
    assert _no_store(response)


def test_an_api_answer_to_a_token_is_not_stored(dc_patna):
    api = APIClient()
    token = api.post("/api/v1/auth/token/", {"username": "dc_patna", "password": PASSWORD}, format="json")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    response = api.get("/api/v1/workers/")
    assert response.status_code == 200
    assert _no_store(response)


def test_static_files_stay_cacheable(client_as, dc_patna):
    response = client_as(dc_patna).get("/static/css/seva.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
