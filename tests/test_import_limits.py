"""A spreadsheet too big to import within one request is refused on the import page with a
clear message (English and Hindi), before any row is checked, for every admin import."""

import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from seva.base.spreadsheets import SafeCSV, SafeXLSX
from seva.geo.models import Mandal
from tasks17.models import Target

pytestmark = pytest.mark.django_db

# Booths and workers are imported through /imports/ in the background (the admin's button leads
# there: tests/test_reports_imports_records.py), so these limits hold for the admin's others.
IMPORTS = {
    "admin:geo_mandal_import": Mandal,
    "admin:tasks17_target_import": Target,
}


def _sheet(model, rows, file_format=SafeCSV):
    model_admin = admin.site._registry[model]
    resource = model_admin.get_import_resource_classes(None)[0]()
    headers = [field.column_name for field in resource.get_user_visible_fields()]
    dataset = tablib.Dataset(*[["x"] * len(headers) for _ in range(rows)], headers=headers)
    content = dataset.export("xlsx" if file_format is SafeXLSX else "csv")
    return content.encode() if isinstance(content, str) else content


def _upload(client, name, content, file_format=SafeCSV, **headers):
    model = IMPORTS[name]
    formats = admin.site._registry[model].get_import_formats()
    index = [getattr(f, "__name__", "") for f in formats].index(file_format.__name__)
    extension = "xlsx" if file_format is SafeXLSX else "csv"
    return client.post(
        reverse(name),
        {
            "import_file": SimpleUploadedFile(f"sheet.{extension}", content),
            "format": str(index),
            "resource": "0",
        },
        **headers,
    )


@pytest.mark.parametrize("name", IMPORTS)
@override_settings(SEVA_IMPORT_MAX_ROWS=3)
def test_a_file_with_more_rows_than_the_limit_is_refused_with_a_message(client_as, state_admin, name):
    client = client_as(state_admin)
    model = IMPORTS[name]
    before = model.objects.count()
    response = _upload(client, name, _sheet(model, 4))
    assert response.status_code == 200
    assert "result" not in response.context  # refused before any row was checked
    message = "This file has 4 rows; one import takes at most 3. Split it into smaller files."
    assert response.context["form"].errors["import_file"] == [message]
    assert message in response.content.decode()
    assert model.objects.count() == before
    at_the_limit = _upload(client, name, _sheet(model, 3))
    assert at_the_limit.status_code == 200 and "result" in at_the_limit.context


@override_settings(SEVA_IMPORT_MAX_ROWS=3)
def test_the_row_limit_holds_for_xlsx_too(client_as, state_admin):
    name = "admin:geo_mandal_import"
    response = _upload(client_as(state_admin), name, _sheet(Mandal, 5, SafeXLSX), SafeXLSX)
    assert response.status_code == 200 and "result" not in response.context
    assert "5 rows" in response.context["form"].errors["import_file"][0]


@pytest.mark.parametrize("name", IMPORTS)
def test_a_file_above_the_byte_limit_is_refused_before_it_is_read(client_as, state_admin, name):
    content = _sheet(IMPORTS[name], 2)
    client = client_as(state_admin)
    with override_settings(SEVA_IMPORT_MAX_BYTES=len(content) - 1):
        response = _upload(client, name, content)
    assert response.status_code == 200 and "result" not in response.context
    [error] = response.context["form"].errors["import_file"]
    assert error.startswith("This file is ") and "one import takes files up to" in error
    with override_settings(SEVA_IMPORT_MAX_BYTES=len(content)):
        assert "result" in _upload(client, name, content).context


@override_settings(SEVA_IMPORT_MAX_ROWS=3)
def test_the_limit_speaks_hindi(client_as, state_admin):
    response = _upload(
        client_as(state_admin),
        "admin:geo_mandal_import",
        _sheet(Mandal, 4),
        HTTP_ACCEPT_LANGUAGE="hi",
    )
    [error] = response.context["form"].errors["import_file"]
    assert "4" in error and "3" in error and "rows" not in error


def test_the_limits_have_defaults_that_finish_within_a_request(settings):
    assert settings.SEVA_IMPORT_MAX_ROWS == 5000
    assert settings.SEVA_IMPORT_MAX_BYTES == 50 * 1024 * 1024


def test_every_admin_import_has_the_limits():
    from import_export.admin import ImportMixin

    from seva.base.admin import ImportLimitsMixin

    importing = [type(a).__name__ for a in admin.site._registry.values() if isinstance(a, ImportMixin)]
    assert sorted(importing) == ["BoothAdmin", "MandalAdmin", "TargetAdmin", "WorkerAdmin"]
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, ImportMixin):
            assert isinstance(model_admin, ImportLimitsMixin), type(model_admin).__name__
            assert all(
                "create_dataset" in vars(file_format) for file_format in model_admin.get_import_formats()
            )
