"""List pages and API lists count their rows once a minute, not on every view; each user's
scope and filters keep their own count, and the rows themselves are always fresh."""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories_tasks import report

# A cache of this test process's own: with Redis, other test processes empty the shared one
# when their tests start (the suite's _fresh_cache fixture), which would make these flaky.
OWN_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pagination"}
}


def _own_cache(settings):
    settings.SEVA_LIST_COUNT_SECONDS = 60
    settings.CACHES = OWN_CACHE
    cache.clear()


def _counts(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, sum("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_the_report_list_counts_once_then_reuses_the_count(settings, client_as, dc_patna, dc_gaya):
    _own_cache(settings)
    for _ in range(3):
        report(dc_patna)
    patna = client_as(dc_patna)
    first, counted = _counts(patna, "/activities/")
    assert counted >= 1 and "3" in first.content.decode()
    _, counted_again = _counts(patna, "/activities/")
    assert counted_again == counted - 1  # the page's total came from the cache
    # A new report shows in the rows at once, whatever the cached total says, and none of
    # the older ones drops off the page for it.
    new = report(dc_patna)
    html = patna.get("/activities/").content.decode()
    rows = set(re.findall(r'href="/activities/(\d+)/"', html))
    assert len(rows) == 4 and str(new.pk) in rows
    # Another user's scope is another query, so another count.
    _, gaya_counted = _counts(client_as(dc_gaya), "/activities/")
    assert gaya_counted >= 1


def test_the_api_list_reuses_its_count_too(settings, api, dc_patna):
    _own_cache(settings)
    report(dc_patna)
    api.force_authenticate(dc_patna)
    first, counted = _counts(api, "/api/v1/activities/")
    assert first.json()["count"] == 1
    second, counted_again = _counts(api, "/api/v1/activities/")
    assert second.json()["count"] == 1 and counted_again == counted - 1


def test_without_the_setting_it_counts_every_time(settings, client_as, dc_patna):
    settings.SEVA_LIST_COUNT_SECONDS = 0
    report(dc_patna)
    client = client_as(dc_patna)
    assert _counts(client, "/activities/")[1] == _counts(client, "/activities/")[1] >= 1
