"""Pages for the bulk import of booths and workers: upload → a background job → its progress
(htmx polling) and the bad rows, or what was written."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from .imports_models import ImportJob
from .imports_tasks import job_progress, run_import_job

# Who may import a kind: who may add and change that model.
KIND_PERMISSIONS = {
    ImportJob.Kind.BOOTHS: ("geo.add_booth", "geo.change_booth"),
    ImportJob.Kind.WORKERS: ("people.add_worker", "people.change_worker"),
}


def _may_import(user: Any, kind: str) -> bool:
    return user.has_perms(KIND_PERMISSIONS[kind])


class BulkUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("The file must be CSV or XLSX."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        limit = settings.SEVA_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
            )
        return upload


@login_required
def import_index(request: HttpRequest) -> HttpResponse:
    """The kinds the user may import."""
    if not request.user.has_perm("reports.add_importjob"):
        raise PermissionDenied
    kinds = [kind for kind in ImportJob.Kind if _may_import(request.user, kind)]
    jobs = ImportJob.objects.filter(user=request.user)[:10]
    return render(request, "reports/imports/index.html", {"kinds": kinds, "jobs": jobs})


@login_required
def bulk_upload(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KIND_PERMISSIONS:
        raise Http404
    if not _may_import(request.user, kind):
        raise PermissionDenied
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # First a check (a dry run): the preview lists the bad rows, or what would be written.
        job = ImportJob.objects.create(
            kind=kind, file=upload, file_name=upload.name[:200], user=request.user, dry_run=True
        )
        transaction.on_commit(lambda: run_import_job.delay(job.pk))
        return redirect("reports:import-job", pk=job.pk)
    jobs = ImportJob.objects.filter(user=request.user, kind=kind)[:10]
    return render(
        request,
        "reports/imports/bulk_upload.html",
        {"form": form, "kind": ImportJob.Kind(kind), "jobs": jobs},
    )


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    done, total = job_progress(job)
    context = {"job": job, "done": done, "total": total, "percent": int(100 * done / total) if total else 0}
    template = (
        "reports/imports/_job_status.html"
        if request.headers.get("HX-Request")
        else "reports/imports/job.html"
    )
    return render(request, template, context)


@login_required
def confirm_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a checked file: a new job over the same stored file, checked again as it runs."""
    checked = get_object_or_404(
        ImportJob, pk=pk, user=request.user, dry_run=True, status=ImportJob.Status.CHECKED
    )
    if request.method != "POST":
        return redirect("reports:import-job", pk=pk)
    if not _may_import(request.user, checked.kind):
        raise PermissionDenied
    job = ImportJob.objects.create(
        kind=checked.kind, file=checked.file.name, file_name=checked.file_name, user=request.user
    )
    transaction.on_commit(lambda: run_import_job.delay(job.pk))
    return redirect("reports:import-job", pk=job.pk)
