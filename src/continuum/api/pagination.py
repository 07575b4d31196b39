from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

if TYPE_CHECKING:
    # DRF imports this module while building GenericAPIView (DEFAULT_PAGINATION_CLASS).
    from rest_framework.generics import GenericAPIView

_DIGITS = re.compile(r"[0-9]+")
# A longer number is past any last page (and Python refuses to read numbers of thousands of digits).
_LONGEST = 18


class StandardPagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``; ``?page=`` and ``?page_size=`` (1 to 200).

    Both are checked, not silently replaced: a ``page_size`` or ``page`` that is not a whole number
    in range, or given twice, is a 400 that says so. A page past the last is a 404 (DRF's answer).
    """

    page_size_query_param = "page_size"
    max_page_size = 200
    page_size_message = _("page_size must be a whole number from 1 to %(max)d.")
    page_message = _("page must be a whole number from 1.")

    def _single(self, request: Request, name: str, message: str) -> int | None:
        values = request.query_params.getlist(name)
        if not values:
            return None
        value = values[0]
        if len(values) > 1 or not _DIGITS.fullmatch(value) or int(value[:_LONGEST]) < 1:
            raise ValidationError({name: [message]})
        return 10**_LONGEST if len(value) > _LONGEST else int(value)

    def get_page_size(self, request: Request) -> int:
        message = str(self.page_size_message) % {"max": self.max_page_size}
        size = self._single(request, self.page_size_query_param, message)
        if size is None:
            return int(self.page_size or 50)
        if size > self.max_page_size:
            raise ValidationError({self.page_size_query_param: [message]})
        return size

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        number = self._single(request, self.page_query_param, str(self.page_message))
        return 1 if number is None else number

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": str(_("A page number within the paginated result set (a page past the last is a 404).")),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Number of results to return per page (1 to 200; 50 when not given).")),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


def page_of(view: GenericAPIView, queryset: Any) -> list[Any]:
    """The requested page of ``queryset`` (lists are always paginated: API.md Conventions)."""
    page = view.paginate_queryset(queryset)
    if page is None:
        raise ImproperlyConfigured("Continuum's list endpoints are always paginated.")
    return list(page)
