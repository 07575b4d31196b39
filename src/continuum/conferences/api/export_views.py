"""Conferences' exports (API.md, "Conferences"): the meeting pack, as JSON or PDF, and the calendar feed.

Explicit views, not declared endpoints: each negotiates its own format. The pack holds, for each case
on the agenda, only what the calling user may see (``continuum.conferences.pack``); the feed only
kinds, chairs, times, places and links (no titles, no case content: ``calendar_feed``).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.conferences.access import access_conference, calendar_conferences
from continuum.conferences.api.serializers import PackSerializer
from continuum.conferences.api.views import UsesConferences, endpoints
from continuum.conferences.calendar_feed import calendar_response
from continuum.conferences.pack import Pack, UnknownLanguage, build_pack, pack_filename, pack_language, render_pack_pdf
from continuum.sharing.api.records import path_id
from continuum.sharing.disclosure import batched_reads


class _BytesRenderer(BaseRenderer):
    """Negotiates a binary format; errors (dicts) are still written as JSON."""

    charset = None

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


class PDFRenderer(_BytesRenderer):
    media_type = "application/pdf"
    format = "pdf"


class CalendarRenderer(_BytesRenderer):
    media_type = "text/calendar"
    format = "ics"


def _pack_plan(item: Any) -> dict[str, Any] | None:
    plan, contents = item.plan, item.plan_contents
    if plan is None or contents is None:
        return None
    return {
        "id": str(plan.pk),
        "revision": plan.revision,
        "status": plan.status,
        "summary": plan.summary,
        "agreement": plan.agreement_position or None,
        "persons_words": plan.agreement_persons_words,
        "goals": [
            {
                "focus_area": goal.focus_area,
                "description": goal.description,
                "persons_own_words": goal.persons_own_words,
                "owner_organisation": goal.owner_organisation.slug,
                "milestones": [
                    {
                        "description": m.description,
                        "target_on": m.target_on.isoformat(),
                        "achieved_on": m.achieved_on,
                        "note": m.note,
                    }
                    for m in goal.shown_milestones
                ],
            }
            for goal in contents.goals
        ],
    }


def pack_data(pack: Pack) -> dict[str, Any]:
    reader = pack.reader
    return {
        "conference": pack.conference.pk,
        "title": pack.conference.title,
        "prepared_for": reader.username,
        "organisation": reader.organisation.slug if reader.organisation_id else "",
        "prepared_at": pack.prepared_at,
        "since": pack.since,
        "confidential": pack.confidential_line,
        "cases": [
            {
                "id": item.case.pk,
                "number": item.case.number,
                "person_reference": item.case.person.reference,
                "phase": item.case.get_phase_display(),
                "records": [
                    {
                        "when": e.when.isoformat(),
                        "kind": e.kind_label,
                        "category": str(e.category_label),
                        "label": e.label,
                        "text": e.text,
                        "statement": e.record.statement if e.record is not None else "",
                        "organisation": e.organisation.name if e.organisation else "",
                    }
                    for e in item.records
                ],
                "open_decisions": [
                    {
                        "id": str(d.pk),
                        "text": d.text,
                        "rationale": d.rationale,
                        "status": d.status,
                        "status_text": d.consensus_text,  # type: ignore[attr-defined]
                    }
                    for d in item.open_decisions
                ],
                "open_actions": [
                    {
                        "id": str(a.pk),
                        "description": a.description,
                        "owner_organisation": a.owner_organisation.slug,
                        "due_on": a.due_on.isoformat(),
                        "overdue": a.overdue,
                    }
                    for a in item.open_actions
                ],
                "plan": _pack_plan(item),
                "assessments": [
                    {
                        "id": str(a.pk),
                        "instrument": a.instrument.name,
                        "finalised_on": a.finalised_on.isoformat() if a.finalised_on else None,
                        "judgement": {"level": a.judgement_level, "summary": a.judgement_summary},
                        "next_review_on": a.next_review_on.isoformat() if a.next_review_on else None,
                    }
                    for a in item.assessments
                ],
            }
            for item in pack.cases
        ],
    }


class ConferencePackView(APIView):
    permission_classes = [UsesConferences]
    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(
        parameters=[
            path_id("conference_id"),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "pdf"], description="`pdf` for a PDF"),
            OpenApiParameter(
                "language",
                OpenApiTypes.STR,
                enum=[code for code, _name in settings.LANGUAGES],
                description="The language of the pack's own texts (the confidentiality line, phases, kinds, "
                "the decisions' status in words; the PDF's headings), e.g. the person's; records stay as "
                "written. Default: the call's `Accept-Language`. Another value: 400.",
            ),
        ],
        responses={
            (200, "application/json"): PackSerializer,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="`language` is not one of the interface's languages."),
            404: endpoints.not_found,
        },
        summary="The meeting pack for the calling user: for each case on the agenda only what the user may see",
    )
    def get(self, request: Request, conference_id: str) -> Response | HttpResponse:
        as_pdf = request.query_params.get("format") == "pdf"
        try:
            language = pack_language(request.query_params.get("language"))
        except UnknownLanguage as exc:
            return Response({"language": [str(exc)]}, status=400)
        # The conference's read, the records' and the export are written together, once the pack is made.
        with batched_reads():
            conference = access_conference(request.user, conference_id)
            with translation.override(language or translation.get_language()):
                pack = build_pack(request.user, conference, export_format="pdf" if as_pdf else "json")
                if as_pdf:
                    response = HttpResponse(render_pack_pdf(pack), content_type="application/pdf")
                    response["Content-Disposition"] = f'attachment; filename="{pack_filename(pack)}"'
                    return response
                return Response(pack_data(pack))


class ConferenceCalendarView(APIView):
    """The user's conferences as iCalendar: kind and chair, time, place and a link (no title, no case content)."""

    permission_classes = [UsesConferences]
    renderer_classes = [CalendarRenderer, JSONRenderer]

    @extend_schema(
        responses={(200, "text/calendar"): OpenApiTypes.STR},
        summary="The calling user's conferences as an iCalendar feed (cancelled meetings as EXDATE)",
    )
    def get(self, request: Request) -> HttpResponse:
        return calendar_response(request, calendar_conferences(request.user))
