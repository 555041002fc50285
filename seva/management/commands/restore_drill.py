"""The backup and restore drill: ``python manage.py restore_drill [--keep]``.

Dumps the PostgreSQL database of ``DATABASE_URL`` with ``pg_dump -Fc`` (the format ``make
backup`` writes), restores the dump into a fresh database beside it with ``pg_restore``, and
compares the two: the row count of every table, and the whole content of the figures'
tables (the rollups and the report clocks, by an md5 of their rows). Prints what differs and
exits non-zero if anything does; drops the drill database unless ``--keep``. A restore that
was never tried is not a backup: run this after changing the schema, and monthly in
production against a copy (README: "Backups")."""

from __future__ import annotations

import os
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

import psycopg2
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# Tables whose content, not only their size, must survive: what the dashboards show.
CONTENT_TABLES = ("tasks17_dailyrollup", "tasks17_districtrollup", "tasks17_districtreportclock")


def _environment(settings: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings.get(key):
            env[name] = str(settings[key])
    return env


def _connect(settings: dict, name: str):
    return psycopg2.connect(
        dbname=name,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
    )


def _snapshot(conn) -> dict[str, object]:
    with conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [name for (name,) in cursor.fetchall()]
        snapshot: dict[str, object] = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
            snapshot[table] = cursor.fetchone()[0]
        for table in CONTENT_TABLES:
            if table in tables:
                cursor.execute(
                    f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608
                )
                snapshot[f"{table} (content)"] = cursor.fetchone()[0]
    return snapshot


class Command(BaseCommand):
    help = "Dump the database, restore it into a fresh one and compare them (the restore drill)."

    def add_arguments(self, parser):
        parser.add_argument("--keep", action="store_true", help="keep the restored database")

    def handle(self, *args, keep=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The restore drill needs PostgreSQL (DATABASE_URL=postgres://…).")
        settings = connection.settings_dict
        source = settings["NAME"]
        drill = f"{source}_drill"[:63]
        env = _environment(settings)
        with tempfile.TemporaryDirectory() as folder:
            dump = Path(folder) / "seva.dump"
            self._run(["pg_dump", "-Fc", "--no-owner", "-f", str(dump), source], env)
            self._run(["dropdb", "--if-exists", drill], env)
            self._run(["createdb", drill], env)
            try:
                self._run(["pg_restore", "--no-owner", "--exit-on-error", "-d", drill, str(dump)], env)
                # (psycopg2's own "with" ends a transaction, not the connection: closing does.)
                with closing(_connect(settings, source)) as left, closing(_connect(settings, drill)) as right:
                    before, after = _snapshot(left), _snapshot(right)
            finally:
                if not keep:
                    self._run(["dropdb", "--if-exists", drill], env)
        differing = {
            key: (before.get(key), after.get(key))
            for key in before.keys() | after.keys()
            if before.get(key) != after.get(key)
        }
        tables = sum(1 for key in before if "(content)" not in key)
        rows = sum(value for key, value in before.items() if isinstance(value, int))
        if differing:
            for key, (was, now) in sorted(differing.items()):
                self.stderr.write(f"  {key}: {was} in the database, {now} restored")
            raise CommandError(f"The restored database differs in {len(differing)} places.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restore drill: {tables} tables, {rows} rows and the figures' content identical after "
                f"pg_dump and pg_restore{' (kept as ' + drill + ')' if keep else ''}."
            )
        )

    def _run(self, command: list[str], env: dict[str, str]) -> None:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(f"{command[0]} failed: {result.stderr.strip()[:500]}")
