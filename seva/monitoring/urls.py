from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("dashboard/", views.StateDashboardView.as_view(), name="state"),
    path("dashboard/districts/<slug:code>/", views.DistrictDashboardView.as_view(), name="district"),
    path(
        "dashboard/districts/<slug:code>/seats/<int:number>/",
        views.SeatDashboardView.as_view(),
        name="seat",
    ),
    path(
        "dashboard/districts/<slug:code>/seats/<int:number>/booths/<int:booth>/",
        views.BoothDashboardView.as_view(),
        name="booth",
    ),
]
