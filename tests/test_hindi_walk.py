"""A walk through the portal in Hindi: every page reachable from the menu, and the lists'
detail and form pages, signed in as a coordinator, state staff, the state admin and a
district president, on the demo data. A page fails when its visible text (and the text of
placeholders, titles, labels for screen readers) holds an English sentence: a run of three or
more Latin-alphabet words, beyond data that people typed or imported in English (place and
person names, venues) and a few codes.

The Django admin (/admin/) is left out: it is the state admin's tool, in Django's own words.
"""

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.test import override_settings
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

# Three or more Latin words in a row (a word may carry an apostrophe, a dot or a hyphen).
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’.\-]*(?:[ \t\n,:;/()&]+[A-Za-z][A-Za-z'’.\-]*){2,}")
# Codes and names that stay in Latin letters in Hindi too.
ALLOWED = ["API", "PDF", "CSV", "XLSX", "UUID", "URL", "SMS", "OTP", "Covid", "COVID-19", "English", "IST"]
# Pages not walked: the admin's own tool, the API, sign-out, language switch, downloads.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/i18n/", "/accounts/logout/", "/healthz", "/favicon.ico")
VISITS_PER_VIEW = 2  # a list's rows all lead to the same kind of page: two of each is enough
# Our own apps' models hold what people typed or imported (except the task catalogue, which
# is shipped in both languages and must show in Hindi).
DATA_APPS = ("geo", "people", "tasks17", "accounts", "helplines")
CATALOGUE_MODELS = {"task", "metric", "checklistitem", "campaign"}


class _VisibleText(HTMLParser):
    """Text a person sees or hears: text nodes outside script/style, and the attributes read
    out or shown (placeholder, title, aria-label, alt, a button's value). Each piece apart, so
    a run never joins two elements."""

    SILENT = {"script", "style", "template", "noscript"}
    SPOKEN = ("placeholder", "title", "aria-label", "alt")

    def __init__(self):
        super().__init__()
        self.pieces: list[str] = []
        self.links: list[str] = []
        self._silent = 0
        # Elements marked translate="no" (HTML's own mark: product names, keys, codes).
        self._untranslated: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SILENT:
            self._silent += 1
        if attrs.get("translate") == "no":
            self._silent += 1
            self._untranslated.append(tag)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in self.SPOKEN:
            if attrs.get(name):
                self.pieces.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.pieces.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.SILENT and self._silent:
            self._silent -= 1
        if self._untranslated and tag == self._untranslated[-1]:
            self._untranslated.pop()
            self._silent -= 1

    def handle_data(self, data):
        if not self._silent and data.strip():
            self.pieces.append(data)


def _data_strings() -> list[str]:
    """Every text value people typed or imported, longest first (so "West Champaran" goes
    before "Champaran"): names, places, venues, notes."""
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in DATA_APPS or model._meta.model_name in CATALOGUE_MODELS:
            continue
        fields = [
            f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))
        ]
        for row in model.objects.values_list(*fields) if fields else ():
            found.update(value for value in row if isinstance(value, str) and len(value) > 2)
    user = get_user_model()
    for username, first, last in user.objects.values_list("username", "first_name", "last_name"):
        found.update({username, first, last, f"{first} {last}".strip()})
    return sorted((s for s in found if s), key=len, reverse=True)


def english_runs(text_pieces: list[str], allowed: list[str]) -> list[str]:
    runs = []
    for piece in text_pieces:
        for value in allowed:
            if value in piece:
                piece = piece.replace(value, " ¦ ")
        runs.extend(match.group(0) for match in ENGLISH_RUN.finditer(piece))
    return runs


def _walk(client, start: str = "/", at_least: int = 10) -> dict[str, list[str]]:
    """Breadth-first over the portal's own links; {path: English runs} of every page seen."""
    allowed = _data_strings() + ALLOWED
    seen: set[str] = set()
    per_view: Counter = Counter()
    queue = deque([start])
    found: dict[str, list[str]] = {}
    statuses: dict[str, int] = {}
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _VisibleText()
        parser.feed(response.content.decode())
        runs = english_runs(parser.pieces, allowed)
        if runs:
            found[url] = runs
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith((".csv", ".xlsx")):
                continue
            try:
                view = resolve(parts.path).view_name
            except Resolver404:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or per_view[view] >= VISITS_PER_VIEW:
                continue
            per_view[view] += 1
            queue.append(target)
    broken = {url: status for url, status in statuses.items() if status >= 500}
    assert not broken, f"pages that failed: {broken}"
    assert len(statuses) > at_least, f"the walk saw only {sorted(statuses)}"
    return found


@pytest.fixture
def demo(db):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("username", ["dc_patna", "state_staff", "state_admin", "president_patna"])
def test_every_page_in_hindi_has_no_english_sentence(client, demo, username):
    client.force_login(get_user_model().objects.get(username=username))
    client.cookies["django_language"] = "hi"
    found = _walk(client)
    assert not found, "English in Hindi mode:\n" + "\n".join(
        f"{url}: {runs[:6]}" for url, runs in found.items()
    )


def test_the_signed_out_pages_in_hindi_have_no_english_sentence(client, demo):
    client.cookies["django_language"] = "hi"
    found = _walk(client, start="/accounts/login/", at_least=1)
    for url in ("/accounts/password_reset/", "/no-such-page/"):
        response = client.get(url)
        runs = english_runs(_pieces(response), ALLOWED)
        if runs:
            found[url] = runs
    assert not found, found


def _pieces(response) -> list[str]:
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return parser.pieces


def test_the_walk_finds_english_where_there_is_some(client, demo):
    """The same walk in English finds sentences: the check can fail."""
    client.force_login(get_user_model().objects.get(username="dc_patna"))
    client.cookies["django_language"] = "en"
    found = _walk(client)
    assert "/" in found and len(found) > 5


def test_a_run_is_three_latin_words_beyond_the_allowed_ones():
    assert english_runs(["Ensure this value has at most"], []) == ["Ensure this value has at most"]
    assert english_runs(["पटना · West Champaran · बूथ 12"], ["West Champaran"]) == []
    assert english_runs(["API की कुंजी, PDF"], ALLOWED) == []
    assert english_runs(["Two words"], []) == []
