from django.urls import path

from . import views

app_name = "helplines"

urlpatterns = [
    path("helplines/desk/", views.DeskView.as_view(), name="desk"),
    path("helplines/queue/", views.QueueView.as_view(), name="queue"),
    path("helplines/caller-check/", views.CallerCheckView.as_view(), name="caller-check"),
    path("helplines/requests/", views.RequestListView.as_view(), name="request-list"),
    path("helplines/requests/<int:pk>/", views.RequestDetailView.as_view(), name="request-detail"),
    path("helplines/requests/<int:pk>/assign/", views.AssignView.as_view(), name="request-assign"),
    path("helplines/requests/<int:pk>/note/", views.NoteView.as_view(), name="request-note"),
    path("helplines/requests/<int:pk>/callback/", views.CallbackView.as_view(), name="request-callback"),
    path("helplines/requests/<int:pk>/escalate/", views.EscalateView.as_view(), name="request-escalate"),
    path("helplines/requests/<int:pk>/resolve/", views.ResolveView.as_view(), name="request-resolve"),
    path(
        "helplines/requests/<int:pk>/unresolved/", views.UnresolvedView.as_view(), name="request-unresolved"
    ),
    path("helplines/requests/<int:pk>/duplicate/", views.DuplicateView.as_view(), name="request-duplicate"),
    path("helplines/requests/<int:pk>/cancel/", views.CancelView.as_view(), name="request-cancel"),
    path(
        "helplines/requests/<int:pk>/donors/<int:donor>/contacted/",
        views.ContactDonorView.as_view(),
        name="request-contact-donor",
    ),
    path("helplines/<int:pk>/shifts/", views.RosterView.as_view(), name="roster"),
    path("helplines/<int:pk>/shifts/new/", views.ShiftCreateView.as_view(), name="shift-create"),
    path("helplines/facilities/", views.FacilitySearchView.as_view(), name="facilities"),
    path("helplines/facilities/new/", views.FacilityCreateView.as_view(), name="facility-create"),
    path(
        "helplines/facilities/<int:pk>/report/",
        views.AvailabilityCreateView.as_view(),
        name="availability-create",
    ),
    path("availability/", views.public_board_view, name="board"),
]
