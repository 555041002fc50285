"""Pages of the reports app (under /reports/ and /imports/)."""

from django.urls import include, path

app_name = "reports"

urlpatterns: list = [
    path("", include("seva.reports.imports_urls")),
    path("", include("seva.reports.centre_urls")),
]
