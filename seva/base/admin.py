"""Admin pieces any app may use."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from .imports import ImportTooLarge


class ReadOnlyAdminMixin:
    """For a ``ModelAdmin`` or an inline over rows that only services write (they keep the
    rules): the admin lists and shows them, and adds, changes or deletes nothing, since that
    would go round the services. Actions that call a service stay possible, each with its own
    permission (``@admin.action(permissions=[...])``)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ImportLimitsMixin:
    """For an import-export ``ModelAdmin`` (put it first): a file bigger than one request can
    import is refused on the import page with a message next to the file, instead of running
    past the web server's timeout into a 500. Above ``SEVA_IMPORT_MAX_BYTES`` it is refused
    unread; above ``SEVA_IMPORT_MAX_ROWS`` rows, once read (the portal's formats,
    ``seva.base.spreadsheets``, count them: :func:`seva.base.imports.within_row_limit`) and
    before any row is checked. A file within both is checked and written in well under a
    minute."""

    def get_import_form_class(self, request: HttpRequest) -> type[forms.Form]:
        form_class = super().get_import_form_class(request)  # type: ignore[misc]
        return _size_limited(form_class)

    def add_data_read_fail_error_to_form(self, form: forms.Form, error: Exception) -> None:
        if isinstance(error, ImportTooLarge):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)  # type: ignore[misc]


@cache
def _size_limited(form_class: type[forms.Form]) -> type[forms.Form]:
    """The import form ``form_class``, refusing a file above ``SEVA_IMPORT_MAX_BYTES``."""

    class SizeLimited(form_class):  # type: ignore[misc,valid-type]
        def clean_import_file(self) -> Any:
            upload = self.cleaned_data["import_file"]
            limit = settings.SEVA_IMPORT_MAX_BYTES
            if upload is not None and upload.size > limit:
                raise forms.ValidationError(
                    _(
                        "This file is %(size)s; one import takes files up to %(limit)s. "
                        "Split it into smaller files."
                    )
                    % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
                )
            return upload

    SizeLimited.__name__ = SizeLimited.__qualname__ = form_class.__name__
    return SizeLimited


class BackgroundImportMixin:
    """For the admin of a kind the ``/imports/`` pages import in bulk (booths, workers): the
    admin's Import button leads to that page, where the file is checked and written in the
    background (an ``ImportJob`` run by Celery, with progress, all or nothing, no query per
    row), instead of django-import-export's row-at-a-time path inside the web request. The
    Export button leads to the same page's export, in the columns the import reads. Set
    ``bulk_kind`` to the kind's slug (``seva/reports/kinds.py``)."""

    bulk_kind = ""

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponseRedirect:
        return redirect("reports:import-upload", kind=self.bulk_kind)

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponseRedirect:
        # Nothing confirms an import here any more: a stale confirm form goes to the page too.
        return redirect("reports:import-upload", kind=self.bulk_kind)

    def export_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponseRedirect:
        return redirect(reverse("reports:import-export", kwargs={"kind": self.bulk_kind}) + "?format=xlsx")
