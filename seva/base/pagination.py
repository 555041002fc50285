"""Pages of a list without counting the whole table on every view.

A list page (and an API list) shows "page 3 of 812 (40,573 items)": Django's paginator runs
``SELECT COUNT(*)`` over the filtered rows on every request, which at the campaign's size is
the slowest part of the state-wide report list. The count is kept in the cache for
``SEVA_LIST_COUNT_SECONDS`` (60) under a key made of the query itself — so each user's scope
and filters have their own — and the rows of the page are always read fresh. Without a cache
(Redis down) it simply counts.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework import pagination


class CachedCountPaginator(Paginator):
    """Django's paginator, with the total count cached for a short while."""

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        seconds = getattr(settings, "SEVA_LIST_COUNT_SECONDS", 60)
        if query is None or seconds <= 0:
            return super().count
        try:
            sql, params = query.sql_with_params()
        except EmptyResultSet:
            return 0
        key = "list-count:" + hashlib.sha256(f"{self.object_list.db}|{sql}|{params!r}".encode()).hexdigest()
        total = cache.get(key)
        if total is None:
            total = super().count
            cache.set(key, total, seconds)
        return total

    def page(self, number: int | str) -> Any:
        """The page's rows, read in full: Django stops the last page at the count, and a count
        a few seconds old would hide the newest rows from it."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page-number pagination over :class:`CachedCountPaginator`. A client may ask for
    ``?page_size=`` rows (``PAGE_SIZE`` by default), never more than
    ``SEVA_API_MAX_PAGE_SIZE``: a larger number gives that many, so one request cannot make
    the server read and serialise a whole table."""

    django_paginator_class = CachedCountPaginator
    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:  # read at each request, so settings (and tests) can move it
        return settings.SEVA_API_MAX_PAGE_SIZE

    def get_page_size(self, request: Any) -> int | None:
        # DRF caps only a page size that was asked for; the default one is held to it too.
        size = super().get_page_size(request)
        return min(size, self.max_page_size) if size else size
