"""The pager keeps the whole query of the list it pages ({% querystring %})."""

from django.urls import reverse

from tests.factories_tasks import report


def test_the_pager_keeps_every_query_value_and_changes_only_the_page(client_as, dc_patna):
    for _ in range(55):
        report(dc_patna)
    client = client_as(dc_patna)
    # A repeated key (as a multiple choice sends it) and a value that needs escaping.
    query = {"task": "masks-sanitiser", "status": "submitted", "tag": ["a b", "c&d"]}
    first = client.get(reverse("tasks17:activity-list"), query).content.decode()
    assert 'href="?task=masks-sanitiser&amp;status=submitted&amp;tag=a+b&amp;tag=c%26d&amp;page=2"' in first
    second = client.get(reverse("tasks17:activity-list"), {**query, "page": "2"}).content.decode()
    assert 'href="?task=masks-sanitiser&amp;status=submitted&amp;tag=a+b&amp;tag=c%26d&amp;page=1"' in second
