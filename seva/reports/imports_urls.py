"""Issue 14's import pages (included from seva/reports/urls.py)."""

from django.urls import path

from . import imports_views

urlpatterns = [
    path("imports/", imports_views.import_index, name="import-index"),
    path("imports/bulk/<str:kind>/", imports_views.bulk_upload, name="bulk-upload"),
    path("imports/jobs/<int:pk>/", imports_views.import_job, name="import-job"),
    path("imports/jobs/<int:pk>/confirm/", imports_views.confirm_import, name="import-confirm"),
]
