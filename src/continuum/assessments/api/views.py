"""Assessments (API.md, "Assessments"): thin views over ``continuum.assessments.actions`` and ``access``.

Every assessment returned is logged as read (R11); an assessment the user may not see is a 404,
one the user sees but may not change a 403, bad input a 400 with nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from continuum.assessments import actions
from continuum.assessments.access import access_assessment, assessments_visible_to, case_trend
from continuum.assessments.api.serializers import (
    AssessmentDetailSerializer,
    AssessmentOpenedSerializer,
    AssessmentOpenSerializer,
    AssessmentSerializer,
    ConsensusRatingsInSerializer,
    FinaliseSerializer,
    InstrumentSerializer,
    RatingsInSerializer,
    TrendSerializer,
)
from continuum.assessments.models import Assessment, Instrument
from continuum.assessments.warnings import assessor_warnings
from continuum.cases.models import Case
from continuum.sharing.access import access_case
from continuum.sharing.api.records import Endpoints, Method, RecordView
from continuum.signals.api.endpoints import about_parent

endpoints = Endpoints(
    forbidden=OpenApiResponse(description=_("Visible, but the user may not do this (e.g. not an assessor).")),
    bad_input=OpenApiResponse(
        description=_("Bad input, or the assessment's stage does not allow it; nothing changed.")
    ),
)
# A write without input may still be refused for the assessment's stage (400).
WITHOUT_INPUT = {
    200: AssessmentDetailSerializer,
    400: endpoints.bad_input,
    403: endpoints.forbidden,
    404: endpoints.not_found,
}


def _detail(request: Request, assessment: Assessment) -> Any:
    """The assessment as the user now sees it (the caller has already logged the read)."""
    assessment = assessments_visible_to(request.user).get(pk=assessment.pk)
    return AssessmentDetailSerializer(assessment, context={"user": request.user}).data


def _opened(request: Request, assessment: Assessment) -> Any:
    """The new assessment, with the warnings of the registered checks (e.g. an assessor's training)."""
    return {**_detail(request, assessment), "warnings": assessor_warnings(assessment)}


def _on_assessment(action: Callable[..., Any], **schema: Any) -> Method:
    """A write on an assessment the user sees, answered with the assessment as the user now sees it."""
    return endpoints.write(
        "assessment_id", access_assessment, action, _detail, output=AssessmentDetailSerializer, **schema
    )


def _case_assessments(request: Request, case: Case) -> QuerySet[Assessment]:
    return assessments_visible_to(request.user).filter(case=case).order_by("-created_at", "pk")


def _open_assessment(case: Case, *, instrument: str, acting_user: Any, **values: Any) -> Assessment:
    found = actions.find_instrument(instrument, values.get("instrument_version") or None)
    assessors, modules = values.get("assessors", []), values.get("modules", [])
    return actions.do_open_assessment(
        case, instrument=found, assessors=assessors, modules=modules, acting_user=acting_user
    )


def _finalise(assessment: Assessment, *, acting_user: Any, **values: Any) -> Assessment:
    judgement = values.get("judgement") or {}
    return actions.do_finalise_assessment(
        assessment, judgement_level=judgement.get("level", ""), judgement_summary=judgement.get("summary", ""),
        next_review_on=values.get("next_review_on"), acting_user=acting_user,
    )  # fmt: skip


class InstrumentListView(generics.ListAPIView):
    """Every loaded instrument version (not personal data: any signed-in user reads them)."""

    serializer_class = InstrumentSerializer
    queryset = Instrument.objects.order_by("code", "loaded_at", "pk")

    @extend_schema(summary="Assessment instruments, with domains, items, scales and modules")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseAssessmentListView(RecordView):
    # ``GET``: the case's assessments the user may see (a page read is a page disclosed); ``POST``: open one.
    serializer_class, queryset = AssessmentSerializer, Assessment.objects.none()  # for the schema

    get = endpoints.listing(
        "case_id",
        access_case,
        _case_assessments,
        AssessmentSerializer,
        summary="The case's assessments the user may see",
    )
    post = endpoints.write(
        "case_id", access_case, _open_assessment, _opened, input=AssessmentOpenSerializer, status=201,
        output=AssessmentOpenedSerializer,
        summary="Open an assessment with an instrument, its modules and its assessors",
    )  # fmt: skip


class AssessmentDetailView(RecordView):
    get = endpoints.read(
        "assessment_id", access_assessment, _detail, output=AssessmentDetailSerializer,
        summary="An assessment with the ratings you may read, disagreements and domain summaries",
    )  # fmt: skip


class AssessmentRatingsView(RecordView):
    put = _on_assessment(
        about_parent(actions.do_save_ratings), input=RatingsInSerializer,
        summary="Save your own ratings (a draft may be partial; null with a rationale is a known unknown)",
    )  # fmt: skip


class AssessmentSubmitView(RecordView):
    post = _on_assessment(
        actions.do_submit_ratings, responses=WITHOUT_INPUT,
        summary="Submit your ratings: every item rated or a known unknown, each with a rationale",
    )  # fmt: skip


class AssessmentConsensusView(RecordView):
    put = _on_assessment(
        about_parent(actions.do_record_consensus), input=ConsensusRatingsInSerializer,
        summary="Record the agreed rating of items, after every assessor has submitted",
    )  # fmt: skip


class AssessmentFinaliseView(RecordView):
    post = _on_assessment(
        _finalise, input=FinaliseSerializer,
        summary="Finalise with your own written judgement and the next review date",
    )  # fmt: skip


class CaseAssessmentTrendView(RecordView):
    get = endpoints.read(
        "case_id", access_case,
        lambda request, case: TrendSerializer({"case": case.pk, "instruments": case_trend(request.user, case)}).data,
        output=TrendSerializer,
        summary="Per instrument and domain, the dated domain summaries of the finalised assessments you may see",
    )  # fmt: skip
