"""Root URLs: pages under their nouns, the API under /api/v1/, health at /healthz."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from seva.accounts import views as account_views

from . import api, views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The service worker at a fixed root URL (its scope is the portal); the offline queue's
    # CSRF token (docs/offline.md).
    path("sw.js", views.service_worker, name="service-worker"),
    path("offline/token/", views.offline_token, name="offline-token"),
    # Browsers ask for /favicon.ico whatever the page links; send them to the static one.
    path("favicon.ico", views.favicon),
    # Sign-in and password reset with throttles; the rest of Django's account pages as is.
    path("accounts/login/", account_views.SignInView.as_view(), name="login"),
    path("accounts/password_reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("seva.accounts.urls")),
    # The language switch also sets the user's language of messages (seva/views.py).
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("seva.geo.urls")),
    path("", include("seva.people.urls")),
    path("", include("tasks17.urls")),
    path("", include("helplines.urls")),
    path("", include("seva.monitoring.urls")),
    path("", include("seva.reports.urls")),
    path("", include("seva.privacy.urls")),
    path("messages/", include("seva.notify.urls")),
    path("audit/", include("seva.audit.urls")),
    path("api/v1/", include(api.urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

# The portal's error pages (and JSON under /api/): seva/views.py.
handler400 = "seva.views.bad_request"
handler403 = "seva.views.permission_denied"
handler404 = "seva.views.page_not_found"
handler500 = "seva.views.server_error"
