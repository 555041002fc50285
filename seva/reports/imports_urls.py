"""URLs of the imports pages (seva/reports/imports_views.py), under /imports/."""

from django.urls import path

from . import imports_views as views

urlpatterns = [
    path("imports/", views.import_index, name="imports"),
    path("imports/job/<int:pk>/", views.import_job, name="import-job"),
    path("imports/job/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<slug:kind>/", views.import_upload, name="import-upload"),
    path("imports/<slug:kind>/export/", views.export_kind, name="import-export"),
]
