"""The /api/v1/ router: every app registers its viewsets here."""

from django.urls import include, path

from helplines.api import router as helplines_router
from seva.accounts.api import ObtainTokenView
from seva.accounts.api import router as accounts_router
from seva.geo.api import router as geo_router
from seva.monitoring.api import urlpatterns as dashboard_urls
from seva.notify.api import InboundSmsView
from seva.notify.broadcast_api import router as broadcasts_router
from seva.people.api import router as people_router
from tasks17.api import router as tasks_router
from tasks17.records.api import router as records_router

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include(accounts_router.urls)),
    path("", include(geo_router.urls)),
    path("", include(people_router.urls)),
    path("", include(tasks_router.urls)),
    path("", include(records_router.urls)),
    path("", include(helplines_router.urls)),
    path("", include(dashboard_urls)),
    path("sms/inbound/", InboundSmsView.as_view(), name="sms-inbound"),
    path("", include(broadcasts_router.urls)),
]
