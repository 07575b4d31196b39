from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from rest_framework.pagination import PageNumberPagination

if TYPE_CHECKING:
    # DRF imports this module while building GenericAPIView (DEFAULT_PAGINATION_CLASS).
    from rest_framework.generics import GenericAPIView


class StandardPagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``; ``?page=`` and ``?page_size=`` (at most 200)."""

    page_size_query_param = "page_size"
    max_page_size = 200


def page_of(view: GenericAPIView, queryset: Any) -> list[Any]:
    """The requested page of ``queryset`` (lists are always paginated: API.md Conventions)."""
    page = view.paginate_queryset(queryset)
    if page is None:
        raise ImproperlyConfigured("Continuum's list endpoints are always paginated.")
    return list(page)
