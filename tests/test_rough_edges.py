"""Issue 11's rough edges a Hindi-reading coordinator met: Django's and DRF's own messages in
Hindi, the styled 403/404/500/CSRF pages, the phone menu, one date format per language with
Indian digit grouping, and no future day offered where it is refused."""

import datetime
import re

import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from seva.navigation import menu_links
from seva.templatetags.humanize_seva import format_indian
from tests.factories_tasks import report

pytestmark = pytest.mark.django_db

HI = {"HTTP_ACCEPT_LANGUAGE": "hi"}
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def _hindi(client):
    client.cookies["django_language"] = "hi"
    return client


def _errors(response) -> str:
    return " ".join(re.findall(r'class="errors?"[^>]*>(.*?)</', response.content.decode(), re.S))


# --- Django's and DRF's own messages ------------------------------------------------------------


def test_a_too_long_note_is_refused_in_hindi(client_as, dc_patna):
    client = _hindi(client_as(dc_patna))
    response = client.post("/activities/new/", {"notes": "x" * 2001})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value" not in page and "This field is required" not in page
    assert "ज़्यादा से ज़्यादा 2000 अक्षरों" in page and "अभी 2001 अक्षर हैं" in page


def test_the_password_rules_are_in_hindi(client_as, dc_patna):
    client = _hindi(client_as(dc_patna))
    page = client.get("/accounts/password_change/").content.decode()
    assert "Your password" not in page and "शब्दकूट" not in page and "कूटशब्द" not in page
    assert "पासवर्ड सिर्फ़ अंकों का न हो" in page and "पुराना पासवर्ड" in page
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": "12345", "new_password2": "54321"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "पुराना पासवर्ड ग़लत है" in page and "दोनों पासवर्ड एक जैसे नहीं हैं" in page
    assert "incorrectly" not in page and "didn’t match" not in page


def test_a_wrong_sign_in_is_told_in_hindi(client):
    page = _hindi(client).post("/accounts/login/", {"username": "nobody", "password": "x"}).content.decode()
    assert "सही यूज़र नेम और पासवर्ड लिखें" in page and "case-sensitive" not in page


def test_the_api_answers_in_hindi(api):
    response = api.get("/api/v1/activities/", **HI)
    assert response.status_code in (401, 403)
    assert DEVANAGARI.search(response.json()["detail"]), response.json()


def test_the_api_field_errors_are_in_hindi(api, dc_patna):
    api.force_authenticate(dc_patna)
    response = api.post("/api/v1/activities/", {}, format="json", **HI)
    assert response.status_code == 400
    messages = [m for errors in response.json().values() if isinstance(errors, list) for m in errors]
    assert messages and all(DEVANAGARI.search(m) for m in messages), messages


def test_filters_offer_all_not_dashes(client_as, state_staff):
    page = _hindi(client_as(state_staff)).get("/activities/").content.decode()
    assert "---------" not in page and ">सभी</option>" in page and "फ़िल्टर" in page and "छन्नी" not in page
    page = client_as(state_staff).get("/activities/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"---------" not in page.content


def test_app_msgids_are_not_beaten_by_a_contrib_catalogue():
    """Django contrib apps come first in INSTALLED_APPS, so their Hindi for a msgid we share
    ("Filter", "Save") wins over our app catalogues unless the project catalogue overrides it
    (seva/base/messages_hi.py). Every app msgid must come out as our catalogues say."""
    import gettext
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    project = gettext.GNUTranslations((root / "locale/hi/LC_MESSAGES/django.mo").open("rb"))._catalog
    wrong = []
    with translation.override("hi"):
        for mo in [
            *root.glob("seva/*/locale/hi/LC_MESSAGES/django.mo"),
            *root.glob("*/locale/hi/LC_MESSAGES/django.mo"),
        ]:
            if ".venv" in mo.parts or mo.parts[-4] == root.name:
                continue
            for msgid, msgstr in gettext.GNUTranslations(mo.open("rb"))._catalog.items():
                if not isinstance(msgid, str) or not msgid or "\x04" in msgid:
                    continue
                shown = translation.gettext(msgid)
                if shown not in (msgstr, project.get(msgid)):
                    wrong.append((msgid, shown, msgstr))
    assert not wrong, wrong[:10]


# --- Error pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("language, heading", [("hi", "पन्ना नहीं मिला"), ("en", "Page not found")])
def test_a_missing_page_is_the_portals_own(client_as, dc_patna, language, heading):
    client = client_as(dc_patna)
    client.cookies["django_language"] = language
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert heading in page and 'data-testid="error-404"' in page and 'id="nav"' in page
    assert 'name="viewport"' in page


@pytest.mark.parametrize(
    "language, heading", [("hi", "आप यह पन्ना नहीं खोल सकते"), ("en", "You may not open this page")]
)
def test_a_refused_page_is_the_portals_own(client_as, dc_patna, language, heading):
    client = client_as(dc_patna)
    client.cookies["django_language"] = language
    response = client.get("/targets/new/")  # state staff set targets
    page = response.content.decode()
    assert response.status_code == 403
    assert heading in page and 'id="nav"' in page and "403 Forbidden" not in page


def test_another_districts_report_is_the_styled_404(client_as, dc_patna, dc_gaya):
    activity = report(dc_gaya, code="gaya")
    response = _hindi(client_as(dc_patna)).get(f"/activities/{activity.pk}/")
    assert response.status_code == 404 and "पन्ना नहीं मिला" in response.content.decode()


@pytest.mark.parametrize("language, heading", [("hi", "कुछ गड़बड़ हो गई"), ("en", "Something went wrong")])
def test_the_500_page_renders_without_a_request_context(language, heading):
    from seva.views import server_error

    request = RequestFactory().get("/activities/")
    with translation.override(language):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert heading in page and 'data-testid="error-500"' in page and 'id="nav"' not in page


def test_a_server_error_in_a_page_is_the_styled_500(dc_patna, monkeypatch):
    from seva import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.HomeView, "get_context_data", boom)
    client = Client(raise_request_exception=False)
    client.force_login(dc_patna, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "hi"
    response = client.get("/")
    assert response.status_code == 500 and "कुछ गड़बड़ हो गई" in response.content.decode()


def test_the_api_keeps_json_for_its_errors(client):
    response = client.get("/api/v1/no-such-endpoint/", **HI)
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert DEVANAGARI.search(response.json()["detail"])


@pytest.mark.parametrize(
    "language, heading", [("hi", "फ़ॉर्म की समय-सीमा ख़त्म हो गई"), ("en", "The form has expired")]
)
def test_a_form_sent_without_its_csrf_token_gets_the_styled_403(dc_patna, language, heading):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dc_patna, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = language
    response = client.post("/activities/new/", {"notes": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert heading in page and 'id="nav"' in page and "CSRF verification failed" not in page


# --- The phone menu -----------------------------------------------------------------------


def _first(user) -> list[str]:
    return [link.key for link in menu_links(user) if link.first]


def test_each_role_gets_its_three_most_used_links_first(dc_patna, state_staff, state_admin, helpline_patna):
    assert _first(dc_patna) == ["report", "reports", "home"]
    assert _first(state_staff) == ["dashboard", "reports", "targets"]
    assert _first(state_admin) == ["dashboard", "reports", "admin"]
    assert _first(helpline_patna) == ["desk", "helplines", "facilities"]


def test_the_menu_keeps_every_allowed_link_and_no_other(client_as, dc_patna, state_staff):
    keys = [link.key for link in menu_links(dc_patna)]
    assert "admin" not in keys and "report" in keys and len(keys) == len(set(keys))
    page = client_as(state_staff).get("/").content.decode()
    first = page.split('class="nav-first"')[1].split("</ul>")[0]
    assert 'data-testid="nav-dashboard"' in first and 'data-testid="nav-more"' in first
    more = page.split('class="nav-more" id="nav-more"')[1]
    assert 'data-testid="nav-tasks"' in more and 'data-testid="logout"' in more
    assert page.count('data-testid="nav-dashboard"') == 1


# --- Dates and figures ----------------------------------------------------------------------


def test_one_date_format_per_language():
    day = datetime.date(2026, 11, 27)
    with translation.override("en"):
        assert date_format(day) == "27 Nov 2026"
    with translation.override("hi"):
        assert date_format(day) == "27 नवं॰ 2026"


def test_indian_grouping():
    assert format_indian(1234567) == "12,34,567"
    assert format_indian(20000) == "20,000"
    assert format_indian(999) == "999"
    with translation.override("hi"):
        from django.utils.formats import number_format

        assert number_format(1234567, force_grouping=True) == "12,34,567"


def test_dates_and_figures_on_the_report_list(client_as, dc_patna):
    report(dc_patna, values={"masks": 12345, "sanitiser": 10}, days_ago=1)
    day = timezone.localdate() - datetime.timedelta(days=1)
    with translation.override("hi"):
        hindi_day = date_format(day)
    page = _hindi(client_as(dc_patna)).get("/activities/").content.decode()
    assert "<strong>12,345</strong>" in page and hindi_day in page
    client = client_as(dc_patna)
    client.cookies["django_language"] = "en"
    page = client.get("/activities/").content.decode()
    assert "<strong>12,345</strong>" in page and day.strftime("%-d %b %Y") in page


@override_settings(USE_THOUSAND_SEPARATOR=False)
def test_ids_above_999_stay_whole_in_links(client_as, dc_patna):
    """Grouping is explicit (the `indian` filter), never in ids: links to a report numbered
    above 999 and pager links keep plain digits and work."""
    from django.db import transaction

    from tasks17.models import Activity, ActivityValue

    activity = report(dc_patna)
    with transaction.atomic():  # the foreign keys are checked at commit
        Activity.objects.filter(pk=activity.pk).update(id=12345)
        ActivityValue.objects.filter(activity_id=activity.pk).update(activity_id=12345)
    client = client_as(dc_patna)
    page = client.get("/activities/").content.decode()
    assert 'href="/activities/12345/"' in page and "12,345/" not in page
    assert client.get("/activities/12345/").status_code == 200


# --- No future day offered ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url, field",
    [
        ("/activities/new/", "date"),
        ("/conferences/new/", "date"),
        ("/booths/corona-free/new/", "declared_on"),
        ("/donors/new/", "last_donated_on"),
        ("/activities/", "date_from"),
    ],
)
def test_date_pickers_offer_no_day_after_today(client_as, dc_patna, url, field):
    page = client_as(dc_patna).get(url).content.decode()
    tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', page).group(0)
    assert f'max="{timezone.localdate().isoformat()}"' in tag and 'type="date"' in tag


# The server keeps refusing a future day: tests/test_activity_rules.py, test_records_*.py.


def test_the_dashboard_charts_label_days_as_the_pages_do(client_as, state_staff):
    import json

    client = _hindi(client_as(state_staff))
    page = client.get("/dashboard/?days=7").content.decode()
    data = json.loads(
        re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', page, re.S).group(1)
    )
    with translation.override("hi"):
        today = date_format(timezone.localdate(), "MONTH_DAY_FORMAT")
    assert data["day_labels"][-1] == today and len(data["day_labels"]) == len(data["days"]) == 7


def test_a_bad_request_page_is_the_portals_own(client_as, dc_patna):
    from django.core.exceptions import SuspiciousOperation

    from seva.views import bad_request

    request = RequestFactory().get("/activities/")
    request.user = dc_patna
    with translation.override("hi"):
        response = bad_request(request, SuspiciousOperation("bad"))
    assert response.status_code == 400 and "अनुरोध पढ़ा नहीं जा सका" in response.content.decode()
    api = bad_request(RequestFactory().get("/api/v1/activities/"), SuspiciousOperation("bad"))
    assert api.status_code == 400 and api["Content-Type"].startswith("application/json")
