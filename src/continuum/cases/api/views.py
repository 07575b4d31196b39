"""Cases, their teams, and the journal (API.md, "Persons and cases" and "Case records").

Views parse input with serializers, call the actions in ``continuum.cases.actions``, and read only
through ``visible_to`` and the ``access_*`` helpers; every page of records returned is logged as
read (R11) once it has been paginated, so only the rows actually sent are disclosed.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.accounts.models import Organisation
from continuum.api.pagination import page_of
from continuum.api.parsers import JSONParser
from continuum.api.permissions import acting_user
from continuum.cases import actions
from continuum.cases.access import access_entry, search_entries
from continuum.cases.api.serializers import (
    CaseCreateSerializer,
    CaseMemberSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    EntryCreateSerializer,
    EntryFilterSerializer,
    EntrySerializer,
    MemberAddSerializer,
    SearchQuerySerializer,
)
from continuum.cases.models import Case, CaseMember, Entry
from continuum.people.api.permissions import CanOpenCasesToWrite
from continuum.sharing.access import access_case, read_records
from continuum.sharing.api.records import Endpoints, RecordView, serialized

CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
ENTRY_ID = OpenApiParameter("entry_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
ATTACHMENT_ID = OpenApiParameter("attachment_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
ORGANISATION = OpenApiParameter(
    "organisation", OpenApiTypes.STR, OpenApiParameter.PATH, description="Organisation slug."
)
NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")


def _current_members() -> Prefetch:
    return Prefetch(
        "members",
        queryset=CaseMember.objects.filter(until__isnull=True).select_related("organisation", "responsible"),
        to_attr="current_members",
    )


def _case_response(user: Any, case_id: Any, *, status_code: int = status.HTTP_200_OK) -> Response:
    case = access_case(user, case_id)
    return Response(_case_data(case), status=status_code)


def _case_data(case: Case) -> Any:
    """The case with its current team."""
    prefetch_related_objects([case], _current_members())
    return CaseSerializer(case).data


endpoints = Endpoints(stale=OpenApiResponse(description="Stale version: re-read the case and send its version."))
cases = endpoints.of(
    "case_id", access_case, lambda request, case: _case_data(access_case(request.user, case.pk)), CaseSerializer
)


def _entries(queryset: QuerySet[Entry]) -> QuerySet[Entry]:
    return queryset.prefetch_related("attachments").order_by("-created_at", "pk")


# --- cases ------------------------------------------------------------------------------------------------


class CaseListView(generics.ListAPIView):
    """``GET``: the cases the user's organisation is a current member of; ``POST``: open a case."""

    serializer_class = CaseSerializer
    permission_classes = [CanOpenCasesToWrite]

    def get_queryset(self) -> QuerySet[Case]:
        return (
            Case.objects.visible_to(self.request.user)
            .select_related("lead_organisation")
            .prefetch_related(_current_members())
            .order_by("-opened_at", "pk")
        )

    @extend_schema(summary="Cases of the user's organisation")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=CaseCreateSerializer,
        responses={201: CaseSerializer, 400: None, 403: None},
        summary="Open a case; the lead organisation becomes a member",
    )
    def post(self, request: Request) -> Response:
        data = CaseCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        case = actions.do_open_case(acting_user=acting_user(request), **data.validated_data)
        return _case_response(request.user, case.pk, status_code=status.HTTP_201_CREATED)


class CaseDetailView(RecordView):
    get = endpoints.of("case_id", access_case, lambda request, case: _case_data(case), CaseSerializer).read("A case")
    patch = cases.write(
        actions.do_update_case,
        CaseUpdateSerializer,
        stale=True,
        summary="Change a case (send the version you read)",
    )


class CaseMemberListView(RecordView):
    post = cases.write(
        actions.do_add_member,
        MemberAddSerializer,
        answer=endpoints.of("case_id", access_case, serialized(CaseMemberSerializer), CaseMemberSerializer),
        status=201,
        summary="Add an organisation to the case team (or name its responsible practitioner)",
    )


class CaseMemberDetailView(APIView):
    @extend_schema(
        parameters=[CASE_ID, ORGANISATION],
        request=None,
        responses={204: None, 400: None, 403: None, 404: NOT_FOUND},
        summary="End an organisation's membership of the case (it keeps what it wrote)",
    )
    def delete(self, request: Request, case_id: str, organisation: str) -> Response:
        case = access_case(request.user, case_id)
        member_org = Organisation.objects.filter(slug=organisation).first()
        if member_org is None:
            raise ValidationError({"organisation": ["Unknown organisation."]})
        actions.do_end_membership(case, organisation=member_org, acting_user=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- journal entries ----------------------------------------------------------------------------------


class CaseEntryListView(generics.GenericAPIView):
    """The case's journal: only entries visible to the user; a page read is a page disclosed (R11)."""

    serializer_class = EntrySerializer
    queryset = Entry.objects.none()  # for the schema; requests read through ``visible_to``
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        parameters=[CASE_ID, EntryFilterSerializer],
        responses={200: EntrySerializer(many=True), 400: None, 404: NOT_FOUND},
        summary="The case's journal entries the user may see",
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        filters = EntryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        entries = Entry.objects.visible_to(request.user).filter(case=case)
        if "category" in filters.validated_data:
            entries = entries.filter(category=filters.validated_data["category"])
        page = page_of(self, _entries(entries))
        read_records(request.user, page)
        return self.get_paginated_response(EntrySerializer(page, many=True).data)

    @extend_schema(
        parameters=[CASE_ID],
        request={"application/json": EntryCreateSerializer, "multipart/form-data": EntryCreateSerializer},
        responses={201: EntrySerializer, 400: None, 403: None, 404: NOT_FOUND},
        summary="Write a journal entry (multipart for attachments)",
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        data = EntryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = actions.do_add_entry(case, acting_user=acting_user(request), **data.validated_data)
        created = _entries(Entry.objects.visible_to(request.user)).get(pk=entry.pk)
        return Response(EntrySerializer(created).data, status=status.HTTP_201_CREATED)


class EntryDetailView(RecordView):
    get = endpoints.of("entry_id", access_entry, serialized(EntrySerializer), EntrySerializer).read("A journal entry")


class IgnoreClientContentNegotiation(BaseContentNegotiation):
    """A download is a file whatever the client's ``Accept`` header says."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0]

    def select_renderer(self, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        return (renderers[0], renderers[0].media_type)


class EntryAttachmentView(APIView):
    content_negotiation_class = IgnoreClientContentNegotiation

    @extend_schema(
        parameters=[ENTRY_ID, ATTACHMENT_ID],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND},
        summary="Download an attachment of a visible entry",
    )
    def get(self, request: Request, entry_id: str, attachment_id: str) -> FileResponse:
        entry = access_entry(request.user, entry_id, purpose="attachment download")
        try:
            pk = UUID(attachment_id)
        except ValueError:
            raise Http404 from None
        attachment = entry.attachments.filter(pk=pk).first()
        if attachment is None:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class SearchView(generics.GenericAPIView):
    serializer_class = EntrySerializer
    queryset = Entry.objects.none()  # for the schema; requests read through ``search_entries``

    @extend_schema(
        parameters=[SearchQuerySerializer],
        responses={200: EntrySerializer(many=True), 400: None},
        summary="Search the journal entries the user may see",
    )
    def get(self, request: Request) -> Response:
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = page_of(self, _entries(search_entries(request.user, query.validated_data["q"])))
        read_records(request.user, page, purpose="search")
        return self.get_paginated_response(EntrySerializer(page, many=True).data)
