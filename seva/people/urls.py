from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("workers/", views.WorkerListView.as_view(), name="worker-list"),
    path("workers/new/", views.WorkerCreateView.as_view(), name="worker-create"),
    path("workers/<int:pk>/edit/", views.WorkerUpdateView.as_view(), name="worker-update"),
]
