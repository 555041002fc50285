from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("districts/", views.DistrictListView.as_view(), name="district-list"),
    path("districts/<slug:code>/", views.DistrictDetailView.as_view(), name="district-detail"),
    path("booths/options/", views.BoothOptionsView.as_view(), name="booth-options"),
    path("mandals/options/", views.MandalOptionsView.as_view(), name="mandal-options"),
    path("assembly-seats/options/", views.SeatOptionsView.as_view(), name="seat-options"),
    path("assembly-seats/<int:number>/", views.AssemblySeatDetailView.as_view(), name="seat-detail"),
]
