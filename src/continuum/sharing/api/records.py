"""One shape for the endpoints of case records: a list, a read, a write.

Every record endpoint of Continuum does the same few things in the same order, and the order is
the point (API.md, Conventions; DESIGN.md section 5):

1. reach the parent (a case, a plan, a conference ...) through the app's ``access_*`` function,
   which answers 404 for what the user may not see, the same answer as for what does not exist;
2. check the rule that lets this user do this (403), before looking at the input, so that a
   refusal says nothing about the input;
3. validate the input (400, nothing written);
4. call the app's ``actions.do_*`` function, the only place that writes and audits;
5. answer with what the user may now see, read again through ``visible_to`` and logged as read.

An app declares its endpoints with one :class:`Endpoints` (its words for 404, 403, 400 and 409
in the schema) and one line of declaration per method::

    endpoints = Endpoints(forbidden=FORBIDDEN, bad_input=BAD_INPUT)

    class PlanGoalListView(RecordView):
        post = endpoints.write(
            "plan_id", access_plan, actions.do_add_goal, goal_data, input=GoalCreateSerializer, status=201,
            output=GoalSerializer, summary="Add a goal to a draft plan, in the person's own words",
        )

Here ``respond`` functions take the request and the record and return the data to send;
``action`` functions take the parent, ``acting_user`` and the validated fields, and return the
record written (or ``None``, in which case the answer is about the parent).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework import status as http
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, Serializer

from continuum.api.pagination import page_of
from continuum.api.permissions import acting_user
from continuum.sharing.access import access_case, read_records

NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")
STALE = OpenApiResponse(description="Stale version: someone else saved first; re-read and send the new version.")

Access = Callable[..., Any]  # (user, *ids from the path) -> the parent, or a 404
Respond = Callable[[Request, Any], Any]
Method = Callable[..., Response]


# The view class that declared endpoints live on (generic, for the pagination of lists). No docstring:
# the schema would take it as the description of every operation.
class RecordView(generics.GenericAPIView):
    pass


def path_id(name: str) -> OpenApiParameter:
    """The schema of a record id in the path."""
    return OpenApiParameter(name, OpenApiTypes.UUID, OpenApiParameter.PATH)


def _names(path: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return () if path is None else (path,) if isinstance(path, str) else path


def validated(serializer_class: type[BaseSerializer], request: Request) -> dict[str, Any]:
    """The request's validated input (a 400 with the field errors otherwise)."""
    data = serializer_class(data=request.data, context={"request": request})
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def require(allowed: bool, refusal: str) -> None:
    """A 403 with the reason, when a rule does not let the user do this."""
    if not allowed:
        raise PermissionDenied(refusal)


def fresh(model: type[Model], serializer_class: type[BaseSerializer], *related: str) -> Respond:
    """Answer with the record as the user now sees it, read again through ``visible_to``."""

    def respond(request: Request, record: Any) -> Any:
        record = model.objects.visible_to(request.user).select_related(*related).get(pk=record.pk)  # type: ignore[attr-defined]
        return serializer_class(record).data

    return respond


def visible_records(
    model: type[Model],
    *,
    parent: str = "case",
    related: Sequence[str] = (),
    order: Sequence[str] = ("-created_at", "pk"),
) -> Callable[[Request, Any], QuerySet[Any]]:
    """The records of ``model`` under a parent that the user may see (for :meth:`Endpoints.listing`)."""

    def records(request: Request, parent_record: Any) -> QuerySet[Any]:
        visible = model.objects.visible_to(request.user)  # type: ignore[attr-defined]
        return visible.filter(**{parent: parent_record}).select_related(*related).order_by(*order)

    return records


def serialized(serializer_class: type[BaseSerializer]) -> Respond:
    """Answer with the record as given (it was reached through an ``access_*`` function)."""
    return lambda request, record: serializer_class(record).data


@dataclass(frozen=True)
class Endpoints:
    """An app's endpoint declarations, with its own words for what a request may be refused for."""

    not_found: Any = NOT_FOUND
    forbidden: Any = None
    bad_input: Any = None
    stale: Any = STALE

    def of(self, path: str | tuple[str, ...], access: Access, respond: Respond, output: Any) -> Resource:
        """The endpoints of one resource: reached the same way, answered with the same data."""
        return Resource(self, path, access, respond, output)

    def listing(
        self,
        path: str | tuple[str, ...],
        access: Access,
        records: Callable[[Request, Any], QuerySet[Any] | Sequence[Any]],
        serializer_class: type[BaseSerializer],
        *,
        log_read: bool = True,
        parameters: Sequence[OpenApiParameter | type[Serializer]] = (),
        **schema: Any,
    ) -> Method:
        """``GET`` a page of the parent's records the user may see, logged as read (R11)."""

        def method(view: generics.GenericAPIView, request: Request, **kwargs: Any) -> Response:
            parent = access(request.user, *(kwargs[name] for name in _names(path)))
            page = page_of(view, records(request, parent))
            if log_read:
                read_records(request.user, page)
            return view.get_paginated_response(serializer_class(page, many=True).data)

        responses = {200: serializer_class(many=True), 404: self.not_found}
        return extend_schema(parameters=[*map(path_id, _names(path)), *parameters], responses=responses, **schema)(
            method
        )

    def read(
        self,
        path: str | tuple[str, ...],
        access: Access,
        respond: Respond,
        *,
        output: Any,
        parameters: Sequence[OpenApiParameter | type[Serializer]] = (),
        **schema: Any,
    ) -> Method:
        """``GET`` one record (or the parent itself) as the user may see it."""

        def method(view: generics.GenericAPIView, request: Request, **kwargs: Any) -> Response:
            return Response(respond(request, access(request.user, *(kwargs[name] for name in _names(path)))))

        responses = {200: output, 404: self.not_found}
        return extend_schema(parameters=[*map(path_id, _names(path)), *parameters], responses=responses, **schema)(
            method
        )

    def write(
        self,
        path: str | tuple[str, ...] | None,
        access: Access | None,
        action: Callable[..., Any],
        respond: Respond | None,
        *,
        output: Any,
        input: type[BaseSerializer] | None = None,
        rule: Callable[[Any, Any], bool] | None = None,
        refusal: str = "",
        status: int = http.HTTP_200_OK,
        stale: bool = False,
        responses: dict[int, Any] | None = None,
        **schema: Any,
    ) -> Method:
        """``POST``, ``PATCH`` or ``DELETE``: access, rule, input, action, answer (in this order).

        Without ``path`` the write has no parent (``action`` gets only ``acting_user`` and the
        fields); without ``respond`` it answers with no content.
        """

        def method(view: generics.GenericAPIView, request: Request, **kwargs: Any) -> Response:
            user = acting_user(request)
            parents = [access(user, *(kwargs[name] for name in _names(path)))] if access is not None else []
            if rule is not None:
                require(rule(user, parents[0]), refusal)
            fields = validated(input, request) if input is not None else {}
            result = action(*parents, acting_user=user, **fields)
            if respond is None:
                return Response(status=status)
            return Response(respond(request, parents[0] if result is None else result), status=status)

        if responses is None:
            responses = {status: output}
            if input is not None:
                responses[400] = self.bad_input
            responses[403] = self.forbidden
            if path is not None:
                responses[404] = self.not_found
            if stale:
                responses[409] = self.stale
        return extend_schema(
            parameters=[*map(path_id, _names(path)), *schema.pop("parameters", [])],
            request=input,
            responses=responses,
            **schema,
        )(method)


@dataclass(frozen=True)
class Resource:
    """Endpoints of one resource (a plan, a goal ...): ``goals.write(actions.do_update_goal, ...)``."""

    endpoints: Endpoints
    path: str | tuple[str, ...]
    access: Access
    respond: Respond
    output: Any

    def read(self, summary: str, **schema: Any) -> Method:
        return self.endpoints.read(self.path, self.access, self.respond, output=self.output, summary=summary, **schema)

    def write(
        self,
        action: Callable[..., Any],
        input: type[BaseSerializer] | None = None,
        *,
        answer: Resource | None = None,
        **options: Any,
    ) -> Method:
        """See :meth:`Endpoints.write`; with ``answer``, the record written is answered as that resource."""
        shown = answer or self
        return self.endpoints.write(
            self.path, self.access, action, shown.respond, input=input, output=shown.output, **options
        )


@dataclass(frozen=True)
class Create:
    """How a :class:`CaseRecordList` records a new record: the action, its input, the rule it needs."""

    action: Callable[..., Any]
    input: type[BaseSerializer]
    summary: str
    rule: Callable[[Any, Any], bool] | None = None
    refusal: str = ""


# The endpoints of one type of case record: ``GET`` the case's records of that type the user may
# see (paginated, logged as read), and with ``create``, ``POST`` one through the app's action
# (201 with the record as the user now sees it). A declaration names the model, the serializer,
# the order, the summary and the ``Create``. (A comment, not a docstring: the schema would take
# a docstring as the description of every operation.)
class CaseRecordList(RecordView):
    endpoints: ClassVar[Endpoints] = Endpoints()
    record_model: ClassVar[type[Model]]
    related: ClassVar[tuple[str, ...]] = ()
    ordering: ClassVar[tuple[str, ...]] = ("-created_at", "pk")
    list_summary: ClassVar[str] = ""
    create: ClassVar[Create | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "record_model" not in cls.__dict__:
            return  # an app's intermediate class, e.g. one that sets only ``endpoints``
        cls.queryset = cls.record_model.objects.none()  # type: ignore[attr-defined]  # for the schema
        serializer = cast(type[BaseSerializer], cls.serializer_class)
        records = visible_records(cls.record_model, related=cls.related, order=cls.ordering)
        cls.get = cls.endpoints.listing(  # type: ignore[attr-defined]
            "case_id", access_case, records, serializer, summary=cls.list_summary
        )
        if cls.create is not None:
            cls.post = cls.endpoints.write(  # type: ignore[attr-defined]
                "case_id",
                access_case,
                cls.create.action,
                fresh(cls.record_model, serializer, *cls.related),
                input=cls.create.input,
                output=serializer,
                status=http.HTTP_201_CREATED,
                rule=cls.create.rule,
                refusal=cls.create.refusal,
                summary=cls.create.summary,
            )
