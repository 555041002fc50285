from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.NoticeView.as_view(), name="notice"),
    path("privacy/v<int:version>/", views.NoticeView.as_view(), name="notice-version"),
]
