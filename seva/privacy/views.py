"""The public privacy notice: ``/privacy/`` (the version in force, in the user's language, with
the earlier versions listed) and ``/privacy/v<n>/`` (one published version). No sign-in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.views.generic import DetailView

from .models import PrivacyNotice


class NoticeView(DetailView):
    """One published version of the notice (the current one at ``/privacy/``)."""

    template_name = "privacy/notice.html"
    context_object_name = "notice"

    def get_object(self, queryset: Any = None) -> PrivacyNotice:
        published = PrivacyNotice.objects.published()
        version = self.kwargs.get("version")
        notice = published.filter(version=version).first() if version else published.first()
        if notice is None:
            raise Http404
        return notice

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        versions = list(PrivacyNotice.objects.published().only("version", "published_on"))
        context.update(
            versions=versions,
            current=versions[0] if versions else None,
            grievance={
                "officer": settings.SEVA_GRIEVANCE_OFFICER,
                "email": settings.SEVA_GRIEVANCE_EMAIL,
                "phone": settings.SEVA_GRIEVANCE_PHONE,
            },
        )
        return context
