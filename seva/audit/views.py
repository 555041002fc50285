"""The state admin's page of the access log: search by person, user, action and dates."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.views.generic import ListView

from seva.base.pagination import CachedCountPaginator

from .forms import AccessSearchForm
from .models import AccessEvent
from .selectors import access_events


class AccessLogView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """``/audit/access/``: the state admin only (``audit.view_accessevent``; others 403,
    as every page whose permission a role lacks). A bad search shows its errors and no rows."""

    permission_required = "audit.view_accessevent"
    template_name = "audit/access_log.html"
    paginate_by = 50
    paginator_class = CachedCountPaginator

    def get_queryset(self) -> Any:
        self.form = AccessSearchForm(self.request.GET or None)
        if self.form.is_bound and not self.form.is_valid():
            return AccessEvent.objects.none()
        return access_events(**(self.form.cleaned_data if self.form.is_bound else {}))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        context["searched_username"] = (
            self.form.cleaned_data.get("username", "") if self.form.is_bound else ""
        )
        return context
