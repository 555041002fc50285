"""Pages of the report centre and the streamed exports."""

from django.urls import path

from . import centre_views

urlpatterns = [
    path("reports/", centre_views.ReportCentreView.as_view(), name="centre"),
    path("reports/files/<int:pk>/", centre_views.ReportFileProgressView.as_view(), name="file"),
    path("reports/files/<int:pk>/download/", centre_views.report_download, name="download"),
    path("reports/state-pack/", centre_views.StatePackPage.as_view(), name="state-pack"),
    path("reports/districts/<slug:code>/", centre_views.DistrictReportPage.as_view(), name="district-report"),
    path("reports/activities.csv", centre_views.ActivityRegisterCSV.as_view(), name="activity-register-csv"),
]
