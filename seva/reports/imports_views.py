"""The imports pages (/imports/): the kinds a user may import, an upload form per kind, the
job's page (the check's result: every bad row, or what would be added and changed, then a
confirm button; the progress updating itself with htmx), and an export per kind.

Who may import a kind is who may add and change that model; what a file may touch is the
user's scope (seva/reports/bulk.py). Thin: the work is in ``bulk`` and ``imports_jobs``."""

from __future__ import annotations

import csv
import io
from itertools import islice
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from seva.base.spreadsheets import escape_csv_cell, xlsx_workbook
from seva.geo.models import Booth, Mandal
from seva.people.models import Worker

from . import tasks
from .bulk import ImportFileError
from .bulk_activities import export_range
from .exportlog import record_export
from .imports_models import ImportJob, ImportStatus
from .kinds import KINDS
from .models import ExportLog

_T = "reports/imports/"
FORMATS = ("csv", "xlsx")


def may_import(user: Any, kind: str) -> bool:
    """Who may import ``kind``: who may add and change its model (``import_permissions``);
    nobody, for the kinds only exported."""
    importer = KINDS[kind]
    return importer.importable and user.has_perms(importer.import_permissions())


def may_export(user: Any, kind: str) -> bool:
    return user.has_perm(KINDS[kind].export_permission())


def may_import_any(user: Any) -> bool:
    """Whether ``user`` may import some kind: the menu's link (the page also lists the exports
    of a user who may only export, reached by its address)."""
    return any(may_import(user, kind) for kind in KINDS)


def _kind(kind: str) -> Any:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV or XLSX; the first row names the columns, in English or Hindi.")
    )

    def __init__(self, *args: Any, importer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.importer = importer

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.SEVA_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("This file is %(size)s; one import takes at most %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in FORMATS:
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        if upload.size == 0:
            raise forms.ValidationError(_("This file is empty."))
        content = upload.read()
        try:  # the header row now, so a wrong file is answered at once
            rows = self.importer.rows(io.BytesIO(content), extension)
            next(rows, None)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        self.cleaned_data["file_format"] = extension
        self.cleaned_data["content"] = content
        return upload


@login_required
def import_index(request: Any) -> HttpResponse:
    kinds = [
        {
            "kind": kind,
            "label": importer.label,
            "import": may_import(request.user, kind),
            "export": may_export(request.user, kind),
        }
        for kind, importer in KINDS.items()
    ]
    kinds = [entry for entry in kinds if entry["import"] or entry["export"]]
    if not kinds:
        raise PermissionDenied
    jobs = ImportJob.objects.filter(created_by=request.user).defer("content", "errors")[:10]
    return render(request, _T + "index.html", {"kinds": kinds, "jobs": jobs})


@login_required
def import_upload(request: Any, kind: str) -> HttpResponse:
    importer = _kind(kind)
    if not may_import(request.user, kind):
        raise PermissionDenied
    importer = importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, importer=importer)
    if request.method == "POST" and form.is_valid():
        job = ImportJob.objects.create(
            kind=kind,
            file_name=form.cleaned_data["file"].name[:200],
            file_format=form.cleaned_data["file_format"],
            content=form.cleaned_data["content"],
            created_by=request.user,
        )
        transaction.on_commit(lambda: tasks.hand_over(tasks.check_import, job.pk))
        return redirect("reports:import-job", pk=job.pk)
    columns = [(key, aliases[-1] if aliases else key) for key, aliases in importer.columns.items()]
    return render(
        request,
        _T + "upload.html",
        {
            "form": form,
            "kind": kind,
            "label": importer.label,
            "columns": columns,
            "required": importer.required,
        },
    )


def _job(request: Any, pk: int) -> ImportJob:
    # Another user's job does not exist for this one.
    return get_object_or_404(ImportJob.objects.defer("content"), pk=pk, created_by=request.user)


@login_required
def import_job(request: Any, pk: int) -> HttpResponse:
    job = _job(request, pk)
    context = {"job": job, "label": KINDS[job.kind].label, "statuses": ImportStatus}
    if request.headers.get("HX-Request"):
        return render(request, _T + "_job.html", context)
    return render(request, _T + "job.html", context)


@login_required
@require_POST
def import_confirm(request: Any, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if not may_import(request.user, job.kind):
        raise PermissionDenied
    started = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(
        status=ImportStatus.WRITING, rows_done=0
    )
    if started:  # a second click does nothing
        transaction.on_commit(lambda: tasks.hand_over(tasks.run_import, job.pk))
    return redirect("reports:import-job", pk=job.pk)


# --- Exports of the same kinds, in the columns the import reads ------------------------------


def _booth_rows(user: Any) -> Any:
    booths = (
        Booth.objects.visible_to(user)
        .select_related("assembly_seat", "mandal")
        .order_by("assembly_seat__number", "number")
    )
    for booth in booths.iterator(chunk_size=5000):
        yield [
            booth.assembly_seat.number,
            booth.number,
            booth.name,
            booth.name_hi,
            booth.locality,
            booth.mandal.name if booth.mandal else "",
        ]


def _worker_rows(user: Any) -> Any:
    workers = Worker.objects.visible_to(user).select_related(
        "district", "assembly_seat", "booth__assembly_seat"
    )
    for worker in workers.order_by("pk").iterator(chunk_size=5000):
        booth = worker.booth
        yield [
            worker.name,
            str(worker.phone),
            worker.email,
            worker.role,
            worker.district.code,
            worker.assembly_seat.number if worker.assembly_seat else "",
            f"{booth.assembly_seat.number}-{booth.number}" if booth else "",
            worker.blood_group,
            worker.skills,
            "yes" if worker.is_active else "no",
            "yes" if worker.consent_to_contact else "no",
            worker.consent_date.isoformat() if worker.consent_date else "",
            worker.language,
        ]


def _mandal_rows(user: Any) -> Any:
    mandals = (
        Mandal.objects.visible_to(user)
        .select_related("assembly_seat")
        .order_by("assembly_seat__number", "name")
    )
    for mandal in mandals.iterator(chunk_size=5000):
        yield [mandal.assembly_seat.number, mandal.name]


def _user_rows(user: Any) -> Any:
    """Portal accounts in the columns the users' import reads (the state admin's)."""
    from django.contrib.auth import get_user_model

    from seva.people.choices import GROUP_NAMES, PortalRole

    role_of = {name: role for role, name in GROUP_NAMES.items()}
    accounts = (
        get_user_model()
        .objects.filter(profile__isnull=False)
        .select_related("profile__district")
        .prefetch_related("groups")
        .order_by("username")
    )
    for account in accounts.iterator(chunk_size=2000):
        # The widest role held, from the prefetched groups (no query per account).
        held = {role_of[group.name] for group in account.groups.all() if group.name in role_of}
        role = next((candidate for candidate in PortalRole if candidate in held), None)
        district = account.profile.district
        yield [
            account.username,
            account.first_name,
            account.last_name,
            account.email,
            role.value if role else "",
            district.code if district else "",
        ]


EXPORT_ROWS = {"mandals": _mandal_rows, "booths": _booth_rows, "workers": _worker_rows, "users": _user_rows}


# Kinds whose export may be as large as the campaign (activity reports): their CSV streams in
# constant memory; their XLSX, built in memory, stops at XLSX_MAX_ROWS (a shorter range, or CSV).
STREAMED = {"activities"}
XLSX_MAX_ROWS = 100_000


class _Line:
    """What csv.writer writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def _streamed_csv(rows: Any, headers: list[str], log: ExportLog) -> Any:
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(headers)
    count = 0
    lines: list[str] = []
    # Inside a transaction PostgreSQL's server-side cursor hands out rows as it finds them
    # (seva/reports/register.py says why).
    with transaction.atomic():
        for row in rows:
            lines.append(writer.writerow([escape_csv_cell(cell) for cell in row]))
            count += 1
            if len(lines) >= 500:
                yield "".join(lines)
                lines = []
        if lines:
            yield "".join(lines)
    ExportLog.objects.filter(pk=log.pk).update(rows=count)


@login_required
def export_kind(request: Any, kind: str) -> HttpResponse:
    importer = _kind(kind)
    if not may_export(request.user, kind):
        raise PermissionDenied
    file_format = request.GET.get("format", "csv")
    if file_format not in FORMATS:
        file_format = "csv"
    hindi = request.GET.get("headers") == "hi"
    exporter = importer(request.user)
    headers = [aliases[-1] if hindi and aliases else key for key, aliases in exporter.columns.items()]
    filters = {"headers": "hi" if hindi else "en"}
    if kind == "activities":
        filters["from"], filters["to"] = (day.isoformat() for day in export_range(request.GET))
    if kind in STREAMED and file_format == "csv":
        rows = exporter.export_rows(request.GET)  # says at once whether it masks
        log = record_export(
            request.user, kind, file_format, filters=filters, rows=None, masked=exporter.masked
        )
        response: Any = StreamingHttpResponse(
            _streamed_csv(rows, headers, log), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
        return response
    if kind in EXPORT_ROWS:
        rows = list(EXPORT_ROWS[kind](request.user))
    elif kind in STREAMED:
        rows = list(islice(exporter.export_rows(request.GET), XLSX_MAX_ROWS + 1))
        if len(rows) > XLSX_MAX_ROWS:
            return HttpResponseBadRequest(
                _("More than %(limit)s rows: export them as CSV, or choose a shorter range.")
                % {"limit": f"{XLSX_MAX_ROWS:,}"}
            )
    else:
        rows = list(exporter.export_rows(request.GET))
    if file_format == "xlsx":
        content: Any = xlsx_workbook([(kind, headers, rows)])
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows([escape_csv_cell(cell) for cell in row] for row in rows)
        response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    # A file with personal data masked says so in its name: it is not one to import back.
    name = f"{kind}-masked" if exporter.masked and not exporter.masked_imports_back else kind
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    # The people's own export (workers' phones) is the one import reads back: not masked.
    record_export(request.user, kind, file_format, filters=filters, rows=len(rows), masked=exporter.masked)
    return response
