"""Assessments (API.md, "Assessments"): thin views over ``continuum.assessments.actions`` and ``access``.

Every assessment returned is logged as read (R11); an assessment the user may not see is a 404,
one the user sees but may not change a 403, bad input a 400 with nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.api.pagination import page_of
from continuum.api.permissions import acting_user
from continuum.assessments import actions
from continuum.assessments.access import access_assessment, assessments_visible_to, case_trend
from continuum.assessments.api.serializers import (
    AssessmentDetailSerializer,
    AssessmentOpenSerializer,
    AssessmentSerializer,
    ConsensusRatingsInSerializer,
    FinaliseSerializer,
    InstrumentSerializer,
    RatingsInSerializer,
    TrendSerializer,
)
from continuum.assessments.models import Assessment, Instrument
from continuum.sharing.access import access_case, read_records

CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
ASSESSMENT_ID = OpenApiParameter("assessment_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")
FORBIDDEN = OpenApiResponse(description="Visible, but the user may not do this (e.g. not an assessor).")
BAD_INPUT = OpenApiResponse(description="Bad input, or the assessment's stage does not allow it; nothing changed.")


def _detail(request: Request, assessment_id: Any, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The assessment as the user now sees it (the caller has already logged the read)."""
    assessment = assessments_visible_to(request.user).get(pk=assessment_id)
    data = AssessmentDetailSerializer(assessment, context={"user": request.user}).data
    return Response(data, status=status_code)


class InstrumentListView(generics.ListAPIView):
    """Every loaded instrument version (not personal data: any signed-in user reads them)."""

    serializer_class = InstrumentSerializer
    queryset = Instrument.objects.order_by("code", "loaded_at", "pk")

    @extend_schema(summary="Assessment instruments, with domains, items, scales and modules")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseAssessmentListView(generics.GenericAPIView):
    """``GET``: the case's assessments the user may see (a page read is a page disclosed); ``POST``: open one."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()  # for the schema; requests read through ``visible_to``

    @extend_schema(
        parameters=[CASE_ID],
        responses={200: AssessmentSerializer(many=True), 404: NOT_FOUND},
        summary="The case's assessments the user may see",
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        assessments: QuerySet[Assessment] = assessments_visible_to(request.user).filter(case=case)
        page = page_of(self, assessments.order_by("-created_at", "pk"))
        read_records(request.user, page)
        return self.get_paginated_response(AssessmentSerializer(page, many=True).data)

    @extend_schema(
        parameters=[CASE_ID],
        request=AssessmentOpenSerializer,
        responses={201: AssessmentDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Open an assessment with an instrument, its modules and its assessors",
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        data = AssessmentOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        instrument = actions.find_instrument(values["instrument"], values.get("instrument_version") or None)
        assessment = actions.do_open_assessment(
            case,
            instrument=instrument,
            assessors=values.get("assessors", []),
            modules=values.get("modules", []),
            acting_user=acting_user(request),
        )
        return _detail(request, assessment.pk, status_code=status.HTTP_201_CREATED)


class AssessmentDetailView(APIView):
    @extend_schema(
        parameters=[ASSESSMENT_ID],
        responses={200: AssessmentDetailSerializer, 404: NOT_FOUND},
        summary="An assessment with the ratings you may read, disagreements and domain summaries",
    )
    def get(self, request: Request, assessment_id: str) -> Response:
        assessment = access_assessment(request.user, assessment_id)
        return _detail(request, assessment.pk)


class AssessmentRatingsView(APIView):
    @extend_schema(
        parameters=[ASSESSMENT_ID],
        request=RatingsInSerializer,
        responses={200: AssessmentDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Save your own ratings (a draft may be partial; null with a rationale is a known unknown)",
    )
    def put(self, request: Request, assessment_id: str) -> Response:
        assessment = access_assessment(request.user, assessment_id)
        data = RatingsInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_save_ratings(assessment, ratings=data.validated_data["ratings"], acting_user=acting_user(request))
        return _detail(request, assessment.pk)


class AssessmentSubmitView(APIView):
    @extend_schema(
        parameters=[ASSESSMENT_ID],
        request=None,
        responses={200: AssessmentDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Submit your ratings: every item rated or a known unknown, each with a rationale",
    )
    def post(self, request: Request, assessment_id: str) -> Response:
        assessment = access_assessment(request.user, assessment_id)
        actions.do_submit_ratings(assessment, acting_user=acting_user(request))
        return _detail(request, assessment.pk)


class AssessmentConsensusView(APIView):
    @extend_schema(
        parameters=[ASSESSMENT_ID],
        request=ConsensusRatingsInSerializer,
        responses={200: AssessmentDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Record the agreed rating of items, after every assessor has submitted",
    )
    def put(self, request: Request, assessment_id: str) -> Response:
        assessment = access_assessment(request.user, assessment_id)
        data = ConsensusRatingsInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_record_consensus(
            assessment, ratings=data.validated_data["ratings"], acting_user=acting_user(request)
        )
        return _detail(request, assessment.pk)


class AssessmentFinaliseView(APIView):
    @extend_schema(
        parameters=[ASSESSMENT_ID],
        request=FinaliseSerializer,
        responses={200: AssessmentDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Finalise with your own written judgement and the next review date",
    )
    def post(self, request: Request, assessment_id: str) -> Response:
        assessment = access_assessment(request.user, assessment_id)
        data = FinaliseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        judgement = data.validated_data.get("judgement") or {}
        actions.do_finalise_assessment(
            assessment,
            judgement_level=judgement.get("level", ""),
            judgement_summary=judgement.get("summary", ""),
            next_review_on=data.validated_data.get("next_review_on"),
            acting_user=acting_user(request),
        )
        return _detail(request, assessment.pk)


class CaseAssessmentTrendView(APIView):
    @extend_schema(
        parameters=[CASE_ID],
        responses={200: TrendSerializer, 404: NOT_FOUND},
        summary="Per instrument and domain, the dated domain summaries of the finalised assessments you may see",
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        return Response(TrendSerializer({"case": case.pk, "instruments": case_trend(request.user, case)}).data)
