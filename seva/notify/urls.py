from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("", views.BroadcastListView.as_view(), name="broadcast-list"),
    path("new/", views.BroadcastCreateView.as_view(), name="broadcast-create"),
    path("<int:pk>/", views.BroadcastDetailView.as_view(), name="broadcast-detail"),
    path("mine/", views.MyMessagesView.as_view(), name="mine"),
    path("worker/<int:pk>/", views.WorkerMessagesView.as_view(), name="worker-messages"),
]
