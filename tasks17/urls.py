from django.urls import include, path

from . import views

app_name = "tasks17"
urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="task-list"),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity-create"),
    path("activities/verify/", views.ActivityVerifyBulkView.as_view(), name="activity-verify-bulk"),
    path("activities/metric-fields/", views.MetricFieldsView.as_view(), name="metric-fields"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity-detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity-update"),
    path("activities/<int:pk>/verify/", views.ActivityVerifyView.as_view(), name="activity-verify"),
    path("activities/<int:pk>/reject/", views.ActivityRejectView.as_view(), name="activity-reject"),
    path("targets/", views.TargetListView.as_view(), name="target-list"),
    path("targets/new/", views.TargetCreateView.as_view(), name="target-create"),
    path("targets/<int:pk>/edit/", views.TargetUpdateView.as_view(), name="target-update"),
    path("", include("tasks17.records.urls")),
]
