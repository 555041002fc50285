"""Pages and downloads of the report centre, and the streamed activity register."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from rest_framework.request import Request
from rest_framework.views import APIView

from seva.base.dbrouters import reading_database
from seva.base.rest import needs_permission
from seva.base.spreadsheets import escape_csv_cell
from seva.geo.models import District

from . import register
from .centre_serializers import RegisterFilterSerializer
from .exportlog import record_export

# Rows written to the socket at a time: big enough that writing is cheap, small enough that
# the first bytes leave at once and the buffer stays small.
ROWS_PER_WRITE = 500


class _Line:
    """What csv.writer writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(query: register.RegisterQuery, *, on_finish: Any = None) -> Iterator[str]:
    """The register as CSV text, a few hundred rows at a time, each formula-like cell
    escaped (seva.base.spreadsheets); ``on_finish(rows)`` runs when the last row is out."""
    writer = csv.writer(_Line())
    # A byte-order mark, so Excel reads the Hindi as UTF-8 rather than as Latin-1.
    yield "\ufeff" + writer.writerow(register.headers(query))
    # Inside a transaction PostgreSQL's server-side cursor is declared WITHOUT HOLD and hands
    # out rows as it finds them. Outside one (autocommit) Django declares it WITH HOLD, and the
    # whole result is computed at the first commit: the first byte would wait for the last row,
    # and the statement timeout of the web processes would cut a big export.
    with transaction.atomic(using=query.activities.db):
        lines: list[str] = []
        for row in register.rows(query):
            lines.append(writer.writerow([escape_csv_cell(cell) for cell in row]))
            if len(lines) >= ROWS_PER_WRITE:
                yield "".join(lines)
                lines = []
        if lines:
            yield "".join(lines)
    if on_finish is not None:
        on_finish(query.rows)


class ActivityRegisterCSV(APIView):
    """``GET /reports/activities.csv?from=&to=&district=&task=&status=``: the register of
    the reports in the user's scope, streamed (session or token). Bad filters: a 400 with
    field errors; a district outside the user's scope: a 404."""

    permission_classes = needs_permission("tasks17.view_activity")

    def get(self, request: Request) -> StreamingHttpResponse:
        filters = RegisterFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        district = None
        if data.get("district"):
            try:
                district = District.objects.visible_to(request.user).get(code=data["district"])
            except District.DoesNotExist:
                raise Http404 from None
        query = register.register_query(
            user=request.user,
            start=data["start"],
            end=data["end"],
            district=district,
            task=data.get("task"),
            status=data.get("status", ""),
            using=reading_database(),
        )
        log = record_export(
            request.user,
            "activity register",
            "csv",
            filters={
                "from": data["start"],
                "to": data["end"],
                "district": district.code if district else "",
                "task": data["task"].code if data.get("task") else "",
                "status": data.get("status", ""),
            },
            masked=query.masked,
        )

        def finished(rows: int) -> None:
            log.rows = rows
            log.save(update_fields=["rows"])

        response = StreamingHttpResponse(
            csv_lines(query, on_finish=finished), content_type="text/csv; charset=utf-8"
        )
        name = f"activities-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        # Tell a buffering proxy (nginx) to pass the rows on as they come.
        response["X-Accel-Buffering"] = "no"
        return response
