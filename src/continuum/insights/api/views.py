"""Insights (API.md, "Insights"): tables through the disclosure control, and publications.

A table of every case exists only as ``actions.table_for(..., scope="all")``, which protects it; a
table of one's own cases is plain. Who may ask for what is ``insights.policy``; a refusal is a 403,
bad input a 400, a publication that cannot be published safely a 400 naming the table and why.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from continuum.accounts.reauth import RecentlyAuthenticated
from continuum.api.permissions import acting_user
from continuum.conferences.api.export_views import PDFRenderer
from continuum.insights import actions, disclosure, export, tables
from continuum.insights.api.serializers import (
    DashboardQuerySerializer,
    DashboardSerializer,
    LessonCreateSerializer,
    LessonQuerySerializer,
    LessonSerializer,
    PublicationCreateSerializer,
    PublicationSerializer,
    ResearchExportSerializer,
    TableQuerySerializer,
    TableSerializer,
)
from continuum.insights.models import Lesson, Publication
from continuum.insights.policy import (
    can_export_microdata,
    can_publish,
    can_read_lessons,
    can_read_publications,
    can_use_tables,
    can_write_lesson,
)
from continuum.insights.report import render_publication_pdf
from continuum.sharing.access import access_visible
from continuum.sharing.api.records import Endpoints, RecordView, path_id, require, validated

NOT_FOUND = OpenApiResponse(description="No such publication.")
FORBIDDEN = OpenApiResponse(description="The user's role may not do this.")
BAD_INPUT = OpenApiResponse(description="Bad input, or a table that cannot be published safely; nothing changed.")
endpoints = Endpoints(not_found=NOT_FOUND, forbidden=FORBIDDEN, bad_input=BAD_INPUT)


def _publications(user: Any) -> Any:
    if not can_read_publications(user):
        return Publication.objects.none()
    return Publication.objects.select_related("organisation", "published_by").prefetch_related("tables")


def _statistics_question(request: Request, serializer: type[serializers.Serializer]) -> tuple[Any, dict[str, Any]]:
    """Who asks, and what (the query's parameters, validated: bad ones a 400); who sees no statistics a 403."""
    user = acting_user(request)
    require(can_use_tables(user), _("Your role sees no statistics."))
    asked = serializer(data=request.query_params)
    asked.is_valid(raise_exception=True)
    return user, dict(asked.validated_data)


class InsightsTableView(RecordView):
    @extend_schema(
        parameters=[TableQuerySerializer],  # what the view validates, so the schema states its rules
        responses={200: TableSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        summary="A count table: of the user's own cases, or of every case through the disclosure control",
    )
    def get(self, request: Request) -> Response:
        user, asked = _statistics_question(request, TableQuerySerializer)
        return Response(tables.as_data(actions.table_for(user, **asked)))


class InsightsDashboardView(RecordView):
    @extend_schema(
        parameters=[DashboardQuerySerializer],
        responses={200: DashboardSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        summary="The outcome indicators (docs/insights.md): of the user's own cases, or of every case, protected",
    )
    def get(self, request: Request) -> Response:
        user, asked = _statistics_question(request, DashboardQuerySerializer)
        dashboard = actions.dashboard_for(user, **asked)
        protected = dashboard.scope == "all"
        data = {
            "scope": dashboard.scope,
            "by": dashboard.by,
            "cases": None if protected else dashboard.cases,
            "panels": dashboard.panels,
            "rules": {
                "threshold": disclosure.THRESHOLD,
                "rounding": disclosure.BASE,
                "applied": protected,
                "method": disclosure.METHOD.format(threshold=disclosure.THRESHOLD, base=disclosure.BASE)
                if protected
                else "",
            },
        }
        return Response(DashboardSerializer(data).data)


class PublicationListView(RecordView):
    serializer_class = PublicationSerializer
    queryset = Publication.objects.none()  # for the schema
    get = endpoints.listing(
        (),
        lambda user: None,
        lambda request, _none: _publications(request.user),
        PublicationSerializer,
        log_read=False,  # public reports
        summary="The published reports, latest first",
    )

    @extend_schema(
        request=PublicationCreateSerializer,
        responses={201: PublicationSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        summary="Publish tables through the disclosure control (400 naming a table that cannot be published)",
    )
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        require(can_publish(user), _("Only coordinators and evaluators publish statistics."))
        fields = validated(PublicationCreateSerializer, request)
        publication = actions.do_publish(
            title=fields["title"],
            commentary=fields.get("commentary", ""),
            tables_asked=fields["tables"],
            acting_user=user,
        )
        return Response(PublicationSerializer(_publications(user).get(pk=publication.pk)).data, status=201)


class PublicationDetailView(RecordView):
    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(
        parameters=[
            path_id("publication_id"),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "pdf"], description="`pdf` for a PDF"),
        ],
        responses={
            (200, "application/json"): PublicationSerializer,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: NOT_FOUND,
        },
        summary="A published report (its tables as published)",
    )
    def get(self, request: Request, publication_id: str) -> Response | HttpResponse:
        user = acting_user(request)
        publication = access_visible(_publications(user), user, publication_id, object_type="publication")
        if request.query_params.get("format") == "pdf":
            response = HttpResponse(render_publication_pdf(publication), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="publication-{publication.pk}.pdf"'
            return response
        return Response(PublicationSerializer(publication).data)


class CSVRenderer(PDFRenderer):
    media_type = "text/csv"
    format = "csv"


class ResearchExportView(RecordView):
    renderer_classes = [JSONRenderer, CSVRenderer]
    # A recent login or re-authentication, or a freshly created token (accounts/reauth.py).
    permission_classes = [IsAuthenticated, RecentlyAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], description="`csv` for CSV")],
        responses={
            (200, "application/json"): ResearchExportSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            400: OpenApiResponse(description="The data cannot be released safely now; the reason is given."),
            403: FORBIDDEN,
        },
        summary="Pseudonymised, generalised microdata, released only when k-anonymous (k >= 10) and l-diverse",
    )
    def get(self, request: Request) -> Response | HttpResponse:
        user = acting_user(request)
        require(can_export_microdata(user), _("The research export is for evaluators of a research organisation."))
        result = actions.do_research_export(acting_user=user)
        if not result.released:
            return Response({"detail": result.reason}, status=400)
        if request.query_params.get("format") == "csv":
            response = HttpResponse(actions.export_csv(result).encode(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="continuum-research-export.csv"'
            return response
        return Response(
            {
                "k": result.k,
                "l": result.l,
                "thresholds": {"k": export.K, "l": export.L},
                "quasi_identifiers": list(export.QUASI),
                "sensitive": export.SENSITIVE,
                "generalisation": result.generalisation,
                "suppressed_rows": result.suppressed_rows,
                "columns": list(export.COLUMNS),
                "rows": [[row.get(column, "") for column in export.COLUMNS] for row in result.rows],
            }
        )


class LessonListView(RecordView):
    serializer_class = LessonSerializer
    queryset = Lesson.objects.none()  # for the schema
    get = endpoints.listing(
        (),
        lambda user: require(can_read_lessons(user), _("Lessons are for the users of an organisation.")),
        lambda request, _none: _lessons(request),
        LessonSerializer,
        log_read=False,  # no one's information
        parameters=[LessonQuerySerializer],  # what _lessons validates, so the schema states its rules
        summary="Lessons learned, latest first, shown with the kind of the author's organisation only",
    )

    @extend_schema(
        request=LessonCreateSerializer,
        responses={201: LessonSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        summary="Write a lesson for all organisations (no personal data)",
    )
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        require(can_write_lesson(user), _("Your role does not write lessons."))
        lesson = actions.do_write_lesson(acting_user=user, **validated(LessonCreateSerializer, request))
        return Response(LessonSerializer(lesson).data, status=201)


def _lessons(request: Request) -> Any:
    asked = LessonQuerySerializer(data=request.query_params)
    asked.is_valid(raise_exception=True)
    return actions.lessons(**asked.validated_data)


class LessonDetailView(RecordView):
    @extend_schema(
        parameters=[path_id("lesson_id")], responses={200: LessonSerializer, 404: NOT_FOUND}, summary="A lesson"
    )
    def get(self, request: Request, lesson_id: str) -> Response:
        user = acting_user(request)
        require(can_read_lessons(user), _("Lessons are for the users of an organisation."))
        return Response(
            LessonSerializer(access_visible(Lesson.objects.all(), user, lesson_id, object_type="lesson")).data
        )
