from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("districts/", views.DistrictListView.as_view(), name="district-list"),
    path("districts/<slug:code>/", views.DistrictDetailView.as_view(), name="district-detail"),
    path("assembly-seats/<int:number>/", views.AssemblySeatDetailView.as_view(), name="seat-detail"),
]
