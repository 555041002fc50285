"""Record pages, included in the ``tasks17`` namespace; names start with ``record-``."""

from django.urls import path

from . import views

urlpatterns = [
    path("camps/", views.CampListView.as_view(), name="record-camp-list"),
    path("camps/new/", views.CampCreateView.as_view(), name="record-camp-create"),
    path("camps/<int:pk>/", views.CampDetailView.as_view(), name="record-camp-detail"),
    path("camps/<int:pk>/edit/", views.CampUpdateView.as_view(), name="record-camp-update"),
    path("camps/<int:pk>/hold/", views.CampHoldView.as_view(), name="record-camp-hold"),
    path("camps/<int:pk>/cancel/", views.CampCancelView.as_view(), name="record-camp-cancel"),
    path("donors/", views.DonorListView.as_view(), name="record-donor-list"),
    path("donors/new/", views.DonorCreateView.as_view(), name="record-donor-create"),
    path("donors/<int:pk>/edit/", views.DonorUpdateView.as_view(), name="record-donor-update"),
    path("donors/<int:pk>/opt-out/", views.DonorOptOutView.as_view(), name="record-donor-opt-out"),
    path(
        "donors/<int:pk>/renew-consent/",
        views.DonorRenewConsentView.as_view(),
        name="record-donor-renew-consent",
    ),
    path("conferences/", views.ConferenceListView.as_view(), name="record-conference-list"),
    path("conferences/new/", views.ConferenceCreateView.as_view(), name="record-conference-create"),
    path("conferences/worker-options/", views.WorkerOptionsView.as_view(), name="record-worker-options"),
    path("conferences/<int:pk>/", views.ConferenceDetailView.as_view(), name="record-conference-detail"),
    path("conferences/<int:pk>/edit/", views.ConferenceUpdateView.as_view(), name="record-conference-update"),
    path("booths/corona-free/", views.DeclarationListView.as_view(), name="record-declaration-list"),
    path("booths/corona-free/new/", views.DeclarationCreateView.as_view(), name="record-declaration-create"),
    path(
        "booths/corona-free/<int:pk>/",
        views.DeclarationDetailView.as_view(),
        name="record-declaration-detail",
    ),
    path(
        "booths/corona-free/<int:pk>/withdraw/",
        views.DeclarationWithdrawView.as_view(),
        name="record-declaration-withdraw",
    ),
]
