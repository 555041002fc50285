"""Pages of the report centre and the streamed exports."""

from django.urls import path

from . import centre_views

urlpatterns = [
    path("reports/activities.csv", centre_views.ActivityRegisterCSV.as_view(), name="activity-register-csv"),
]
