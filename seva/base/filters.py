"""Filter sets whose place choices follow the user's scope (django-filter)."""

from typing import Any

import django_filters


class ScopedFilterSet(django_filters.FilterSet):
    """A filter set for pages and the API. ``limit_to(user)`` narrows the choices of the
    filters named in ``scoped_filters`` (districts, seats) to the user's scope, so a page's
    select box never offers another district; the listed rows are scoped by the view anyway."""

    scoped_filters: tuple[str, ...] = ("district",)

    def limit_to(self, user: Any) -> "ScopedFilterSet":
        for name in self.scoped_filters:
            queryset = self.filters[name].queryset.visible_to(user)
            self.filters[name].queryset = queryset
            self.form.fields[name].queryset = queryset
        return self
