"""The backup and restore drill on the real PostgreSQL: a dump restored into a fresh database
has every table's rows and the figures' exact content (seva restore_drill)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories_tasks import report

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore: PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]


def test_a_dump_restores_into_an_identical_database(geography, dc_patna):
    report(dc_patna, values={"masks": 120, "sanitiser": 4})
    out = io.StringIO()
    call_command("restore_drill", stdout=out)
    assert "identical" in out.getvalue()
    assert "tables" in out.getvalue()


def test_the_drill_says_so_when_it_cannot_dump(geography, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "no_such_database_for_the_drill")
    with pytest.raises(CommandError, match="pg_dump failed"):
        call_command("restore_drill", stdout=io.StringIO())
