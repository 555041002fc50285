from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("tokens/", views.TokenListView.as_view(), name="token-list"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token-revoke"),
    path("two-factor/", views.TwoFactorView.as_view(), name="two-factor"),
    path("two-factor/setup/", views.TwoFactorSetupView.as_view(), name="two-factor-setup"),
]
