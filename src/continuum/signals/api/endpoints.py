"""What the signals, assessments and conferences endpoints need beyond ``sharing/api/records.py``.

:class:`PagedEndpoints` adds :meth:`PagedEndpoints.page` to :class:`Endpoints`: a ``GET`` of a page
of records like :meth:`Endpoints.listing`, but which may have no parent (a list of the user's own
signals, conferences or actions), may filter on validated query parameters (400 otherwise), logs the
page read with a purpose (R11), and may serialize the page with what its serializer needs in context.
:func:`about_parent` answers a write about its parent when the action returns something else.

It lives here, in the lowest of the three apps, so that each of them can use it; it belongs in
``continuum.sharing.api.records`` (``Endpoints.listing`` with ``purpose``, ``filters`` and ``serialize``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from continuum.api.pagination import page_of
from continuum.sharing.access import read_records
from continuum.sharing.api.records import Access, Endpoints, Method, path_id

Reads = Callable[..., Any]  # (user, page, *, purpose) -> the page, logged as read


def about_parent(action: Callable[..., Any]) -> Callable[..., None]:
    """``action``, with the write answered about its parent (what ``action`` returns is not the answer)."""

    def run(parent: Any, **fields: Any) -> None:
        action(parent, **fields)

    return run


def _query(filters: type[BaseSerializer], request: Request) -> dict[str, Any]:
    data = filters(data=request.query_params)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


@dataclass(frozen=True)
class PagedEndpoints(Endpoints):
    """:class:`Endpoints` with :meth:`page`, a list that may have no parent, filters and a purpose."""

    def page(
        self,
        path: str | tuple[str, ...] | None,
        access: Access | None,
        records: Callable[..., Any],
        output: type[BaseSerializer],
        *,
        serialize: Callable[[Request, Sequence[Any]], Any] | None = None,
        reads: Reads | None = read_records,
        purpose: str = "",
        filters: type[BaseSerializer] | None = None,
        responses: dict[int, Any] | None = None,
        **schema: Any,
    ) -> Method:
        """``GET`` a page of ``records(request, parent, **filters)`` (``parent`` is ``None`` without ``path``).

        The page is logged with ``reads`` (none when ``None``) and answered with ``serialize(request,
        page)`` (``output(page, many=True)`` by default); ``responses`` are documented after the 200,
        and the 404 comes last when there is a parent.
        """
        names = () if path is None else (path,) if isinstance(path, str) else path

        def method(view: generics.GenericAPIView, request: Request, **kwargs: Any) -> Response:
            parent = access(request.user, *(kwargs[name] for name in names)) if access is not None else None
            page = page_of(view, records(request, parent, **(_query(filters, request) if filters else {})))
            if reads is not None:
                reads(request.user, page, purpose=purpose)
            data = serialize(request, page) if serialize is not None else output(page, many=True).data
            return view.get_paginated_response(data)

        documented = {200: output(many=True), **(responses or {}), **({404: self.not_found} if names else {})}
        parameters: list[Any] = [*map(path_id, names), *([filters] if filters else [])]
        return extend_schema(parameters=parameters or None, responses=documented, **schema)(method)
