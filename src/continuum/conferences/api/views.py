"""Conferences (API.md, "Conferences").

Views parse input with serializers, call the actions in ``continuum.conferences.actions``, and read
only through ``visible_to`` and the ``access_*`` helpers: a conference the user's organisation does
not take part in, or a decision or action it may not see, is a 404 (R12); one it sees but may not act
on is a 403.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.api.pagination import page_of
from continuum.api.permissions import acting_user
from continuum.cases.models import Case
from continuum.conferences import actions
from continuum.conferences.access import (
    access_action,
    access_conference,
    access_decision,
    open_actions_of_organisation,
    positions_of,
    required_organisations,
    visible_conferences,
    visible_decisions,
    visible_minutes,
)
from continuum.conferences.api.serializers import (
    ActionCreateSerializer,
    ActionSerializer,
    AttendanceCreateSerializer,
    AttendanceSerializer,
    ConferenceCreateSerializer,
    ConferenceSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    MinutesCreateSerializer,
    MinutesSerializer,
    PackSerializer,
    PositionCreateSerializer,
)
from continuum.conferences.calendar_feed import conference_calendar
from continuum.conferences.consensus import describe
from continuum.conferences.models import Attendance, Conference, ConferenceAction, Decision, Minutes
from continuum.conferences.pack import Pack, build_pack, render_pack_pdf
from continuum.conferences.policy import uses_conferences
from continuum.plans.models import Plan
from continuum.sharing.access import read_records

CONFERENCE_ID = OpenApiParameter("conference_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
DECISION_ID = OpenApiParameter("decision_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
ACTION_ID = OpenApiParameter("action_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")
NOT_ALLOWED = OpenApiResponse(description="The user sees it but may not do this.")


class UsesConferences(BasePermission):
    message = "Conferences are for those who work on cases."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and uses_conferences(request.user))


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


def _unknown_case(user: Any, case_id: Any, field: str = "case") -> Case:
    """A case the user may see, or the same 400 as for one that does not exist (R12)."""
    case = Case.objects.visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise serializers.ValidationError({field: ["Unknown case."]})
    return case


def _plan_of_case(user: Any, case: Case, plan_id: Any) -> Plan:
    """A plan revision of ``case`` the user may see, or the same 400 as for one that does not exist (R12)."""
    plan = Plan.objects.visible_to(user).filter(pk=plan_id, case=case).first()
    if plan is None:
        raise serializers.ValidationError({"plan": ["Unknown plan of this case."]})
    return plan


def conference_serializer(user: Any, conferences: Sequence[Conference], *, many: bool = False) -> ConferenceSerializer:
    """Each conference with only the agenda cases the user may see (two queries for any number)."""
    ids = [c.pk for c in conferences]
    visible = set(
        Case.objects.visible_to(user)
        .values_list("pk", flat=True)
        .filter(pk__in=Conference.cases.through.objects.filter(conference_id__in=ids).values("case_id"))
    )
    by_conference: dict[Any, list[Any]] = {}
    for conference_id, case_id in Conference.cases.through.objects.filter(conference_id__in=ids).values_list(
        "conference_id", "case_id"
    ):
        if case_id in visible:
            by_conference.setdefault(conference_id, []).append(case_id)
    context = {"visible_cases": by_conference}
    return ConferenceSerializer(conferences if many else conferences[0], many=many, context=context)


def decision_serializer(decisions: Sequence[Decision], *, many: bool = False) -> DecisionSerializer:
    required = required_organisations(decisions)
    positions = positions_of(decisions)
    context = {
        "required": required,
        "positions": positions,
        "status_text": {d.pk: describe(required[d.pk], positions.get(d.pk, [])) for d in decisions},
    }
    return DecisionSerializer(decisions if many else decisions[0], many=many, context=context)


def _conference_queryset(user: Any) -> QuerySet[Conference]:
    return visible_conferences(user).prefetch_related("participants").order_by("-scheduled_at", "pk")


class ConferenceListView(generics.GenericAPIView):
    serializer_class = ConferenceSerializer
    queryset = Conference.objects.none()  # for the schema; requests read through ``visible_to``
    permission_classes = [UsesConferences]

    @extend_schema(
        responses={200: ConferenceSerializer(many=True)},
        summary="The conferences the user's organisation takes part in",
    )
    def get(self, request: Request) -> Response:
        page = page_of(self, _conference_queryset(request.user))
        return self.get_paginated_response(conference_serializer(request.user, page, many=True).data)

    @extend_schema(
        request=ConferenceCreateSerializer,
        responses={201: ConferenceSerializer, 400: None, 403: None},
        summary="Schedule a conference about cases the user can see, with organisations of those cases",
    )
    def post(self, request: Request) -> Response:
        data = ConferenceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conference = actions.do_schedule_conference(acting_user=acting_user(request), **data.validated_data)
        created = _conference_queryset(request.user).get(pk=conference.pk)
        return Response(conference_serializer(request.user, [created]).data, status=status.HTTP_201_CREATED)


class ConferenceDetailView(APIView):
    permission_classes = [UsesConferences]

    @extend_schema(
        parameters=[CONFERENCE_ID], responses={200: ConferenceSerializer, 404: NOT_FOUND}, summary="A conference"
    )
    def get(self, request: Request, conference_id: str) -> Response:
        conference = access_conference(request.user, conference_id)
        return Response(conference_serializer(request.user, [conference]).data)


def _pack_plan(item: Any) -> dict[str, Any] | None:
    plan, contents = item.plan, item.plan_contents
    if plan is None or contents is None:
        return None
    return {
        "id": str(plan.pk),
        "revision": plan.revision,
        "status": plan.status,
        "agreement": plan.agreement_position or None,
        "persons_words": plan.agreement_persons_words,
        "goals": [
            {
                "focus_area": goal.focus_area,
                "description": goal.description,
                "persons_own_words": goal.persons_own_words,
                "owner_organisation": goal.owner_organisation.slug,
                "milestones": [
                    {"description": m.description, "target_on": m.target_on.isoformat(), "achieved_on": m.achieved_on}
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
                        "category": e.category_label,
                        "label": e.label,
                        "organisation": e.organisation.name if e.organisation else "",
                    }
                    for e in item.records
                ],
                "open_decisions": [
                    {"id": str(d.pk), "text": d.text, "status": d.status, "status_text": d.consensus_text}  # type: ignore[attr-defined]
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
            CONFERENCE_ID,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "pdf"], description="`pdf` for a PDF"),
        ],
        responses={
            (200, "application/json"): PackSerializer,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: NOT_FOUND,
        },
        summary="The meeting pack for the calling user: for each case on the agenda only what the user may see",
    )
    def get(self, request: Request, conference_id: str) -> Response | HttpResponse:
        conference = access_conference(request.user, conference_id)
        as_pdf = request.query_params.get("format") == "pdf"
        pack = build_pack(request.user, conference, export_format="pdf" if as_pdf else "json")
        if as_pdf:
            response = HttpResponse(render_pack_pdf(pack), content_type="application/pdf")
            stamp = timezone.localdate().isoformat()
            response["Content-Disposition"] = f'attachment; filename="meeting-pack-{stamp}.pdf"'
            return response
        return Response(pack_data(pack))


class ConferenceDecisionListView(generics.GenericAPIView):
    serializer_class = DecisionSerializer
    queryset = Decision.objects.none()
    permission_classes = [UsesConferences]

    @extend_schema(
        parameters=[CONFERENCE_ID],
        responses={200: DecisionSerializer(many=True), 404: NOT_FOUND},
        summary="The decisions of a conference the user may see",
    )
    def get(self, request: Request, conference_id: str) -> Response:
        conference = access_conference(request.user, conference_id)
        decisions = visible_decisions(request.user).filter(conference=conference).order_by("created_at", "pk")
        page = page_of(self, decisions)
        read_records(request.user, page, purpose="conference decisions")
        return self.get_paginated_response(decision_serializer(page, many=True).data)

    @extend_schema(
        parameters=[CONFERENCE_ID],
        request=DecisionCreateSerializer,
        responses={201: DecisionSerializer, 400: None, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="Propose a decision about a case on the agenda",
    )
    def post(self, request: Request, conference_id: str) -> Response:
        conference = access_conference(request.user, conference_id)
        data = DecisionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = _unknown_case(request.user, values.pop("case"))
        plan_id = values.pop("plan")
        plan = _plan_of_case(request.user, case, plan_id) if plan_id else None
        decision = actions.do_propose_decision(
            conference, case=case, plan=plan, acting_user=acting_user(request), **values
        )
        created = visible_decisions(request.user).get(pk=decision.pk)
        return Response(decision_serializer([created]).data, status=status.HTTP_201_CREATED)


class DecisionDetailView(APIView):
    permission_classes = [UsesConferences]

    @extend_schema(
        parameters=[DECISION_ID],
        responses={200: DecisionSerializer, 404: NOT_FOUND},
        summary="A decision with its positions",
    )
    def get(self, request: Request, decision_id: str) -> Response:
        return Response(decision_serializer([access_decision(request.user, decision_id)]).data)


class DecisionPositionView(APIView):
    permission_classes = [UsesConferences]

    @extend_schema(
        parameters=[DECISION_ID],
        request=PositionCreateSerializer,
        responses={200: DecisionSerializer, 400: None, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="Give (or replace) your organisation's position; the decision's status follows",
    )
    def post(self, request: Request, decision_id: str) -> Response:
        decision = access_decision(request.user, decision_id)
        data = PositionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_give_position(decision, acting_user=acting_user(request), **data.validated_data)
        fresh = visible_decisions(request.user).get(pk=decision.pk)
        return Response(decision_serializer([fresh]).data)


class DecisionActionView(APIView):
    permission_classes = [UsesConferences]

    @extend_schema(
        parameters=[DECISION_ID],
        request=ActionCreateSerializer,
        responses={201: ActionSerializer, 400: None, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="Add an action to a decision, owned by an organisation of the case",
    )
    def post(self, request: Request, decision_id: str) -> Response:
        decision = access_decision(request.user, decision_id)
        data = ActionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = actions.do_add_conference_action(decision, acting_user=acting_user(request), **data.validated_data)
        created = ConferenceAction.objects.visible_to(request.user).get(pk=action.pk)
        return Response(ActionSerializer(created).data, status=status.HTTP_201_CREATED)


class ActionCompleteView(APIView):
    permission_classes = [UsesConferences]

    @extend_schema(
        parameters=[ACTION_ID],
        request=None,
        responses={200: ActionSerializer, 400: None, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="Mark an action done (its owner organisation)",
    )
    def post(self, request: Request, action_id: str) -> Response:
        action = access_action(request.user, action_id)
        actions.do_complete_action(action, acting_user=acting_user(request))
        return Response(ActionSerializer(ConferenceAction.objects.visible_to(request.user).get(pk=action.pk)).data)


class OverdueFilterSerializer(serializers.Serializer):
    overdue = serializers.BooleanField(required=False, default=False)


class ActionListView(generics.GenericAPIView):
    serializer_class = ActionSerializer
    queryset = ConferenceAction.objects.none()
    permission_classes = [UsesConferences]

    @extend_schema(
        parameters=[OverdueFilterSerializer],
        responses={200: ActionSerializer(many=True), 400: None},
        summary="Open actions of the user's organisation (`?overdue=1`: past their due date)",
    )
    def get(self, request: Request) -> Response:
        filters = OverdueFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = open_actions_of_organisation(request.user)
        if filters.validated_data["overdue"]:
            rows = rows.filter(due_on__lt=timezone.localdate())
        page = page_of(self, rows)
        read_records(request.user, page, purpose="open actions")
        return self.get_paginated_response(ActionSerializer(page, many=True).data)


class ConferenceAttendanceView(generics.GenericAPIView):
    serializer_class = AttendanceSerializer
    queryset = Attendance.objects.none()
    permission_classes = [UsesConferences]

    @extend_schema(
        parameters=[CONFERENCE_ID],
        responses={200: AttendanceSerializer(many=True), 404: NOT_FOUND},
        summary="Named attendees and their attendance",
    )
    def get(self, request: Request, conference_id: str) -> Response:
        conference = access_conference(request.user, conference_id)
        rows = (
            Attendance.objects.filter(conference=conference)
            .select_related("user__organisation")
            .order_by("recorded_at", "pk")
        )
        page = page_of(self, rows)
        return self.get_paginated_response(AttendanceSerializer(page, many=True).data)

    @extend_schema(
        parameters=[CONFERENCE_ID],
        request=AttendanceCreateSerializer,
        responses={200: AttendanceSerializer, 400: None, 404: NOT_FOUND},
        summary="Record your own attendance and acknowledge confidentiality",
    )
    def post(self, request: Request, conference_id: str) -> Response:
        conference = access_conference(request.user, conference_id)
        data = AttendanceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attendance = actions.do_record_attendance(conference, acting_user=acting_user(request), **data.validated_data)
        return Response(AttendanceSerializer(attendance).data)


class ConferenceMinutesView(generics.GenericAPIView):
    serializer_class = MinutesSerializer
    queryset = Minutes.objects.none()
    permission_classes = [UsesConferences]

    @extend_schema(
        parameters=[CONFERENCE_ID],
        responses={200: MinutesSerializer(many=True), 404: NOT_FOUND},
        summary="The minutes of a conference that the user may see",
    )
    def get(self, request: Request, conference_id: str) -> Response:
        conference = access_conference(request.user, conference_id)
        page = page_of(self, visible_minutes(request.user).filter(conference=conference).order_by("created_at", "pk"))
        read_records(request.user, page, purpose="conference minutes")
        return self.get_paginated_response(MinutesSerializer(page, many=True).data)

    @extend_schema(
        parameters=[CONFERENCE_ID],
        request=MinutesCreateSerializer,
        responses={201: MinutesSerializer, 400: None, 403: NOT_ALLOWED, 404: NOT_FOUND},
        summary="Record the minutes of the discussion of one case",
    )
    def post(self, request: Request, conference_id: str) -> Response:
        conference = access_conference(request.user, conference_id)
        data = MinutesCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = _unknown_case(request.user, data.validated_data["case"])
        minutes = actions.do_record_minutes(
            conference, case=case, text=data.validated_data["text"], acting_user=acting_user(request)
        )
        return Response(MinutesSerializer(minutes).data, status=status.HTTP_201_CREATED)


class ConferenceCalendarView(APIView):
    """The user's conferences as iCalendar: title, kind, time, place and chair only (no case content)."""

    permission_classes = [UsesConferences]
    renderer_classes = [CalendarRenderer, JSONRenderer]

    @extend_schema(
        responses={(200, "text/calendar"): OpenApiTypes.STR},
        summary="The calling user's conferences as an iCalendar feed",
    )
    def get(self, request: Request) -> HttpResponse:
        conferences = visible_conferences(request.user).order_by("scheduled_at", "pk")
        response = HttpResponse(conference_calendar(conferences), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="conferences.ics"'
        return response
