"""Conferences (API.md, "Conferences"): conferences, decisions and positions, actions, attendance, minutes.

Views parse input with serializers, call the actions in ``continuum.conferences.actions``, and read
only through ``visible_to`` and the ``access_*`` helpers: a conference the user's organisation does
not take part in, or a decision or action it may not see, is a 404 (R12); one it sees but may not act
on is a 403. The meeting pack and the calendar feed are in ``export_views``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

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
    CancelledOccurrenceCreateSerializer,
    CancelledOccurrenceSerializer,
    ConferenceCreateSerializer,
    ConferenceSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    MinutesCreateSerializer,
    MinutesSerializer,
    PositionCreateSerializer,
)
from continuum.conferences.consensus import describe
from continuum.conferences.models import (
    Attendance,
    CancelledOccurrence,
    Conference,
    ConferenceAction,
    Decision,
    Minutes,
)
from continuum.conferences.policy import can_cancel_occurrence, uses_conferences
from continuum.plans.models import Plan
from continuum.sharing.api.records import RecordView, serialized
from continuum.signals.api.endpoints import PagedEndpoints, about_parent

endpoints = PagedEndpoints(forbidden=OpenApiResponse(description="The user sees it but may not do this."))


# Said when the action is refused, in the language of the call (a lazy text: the endpoint is declared once).
CHAIR_ONLY = cast(str, gettext_lazy("Only the chair's organisation cancels a meeting of this conference."))


class UsesConferences(BasePermission):
    message = gettext_lazy("Conferences are for those who work on cases.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and uses_conferences(request.user))


class ConferenceView(RecordView):
    permission_classes = [UsesConferences]


def _unknown_case(user: Any, case_id: Any, field: str = "case") -> Case:
    """A case the user may see, or the same 400 as for one that does not exist (R12)."""
    case = Case.objects.visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise serializers.ValidationError({field: [_("Unknown case.")]})
    return case


def _plan_of_case(user: Any, case: Case, plan_id: Any) -> Plan:
    """A plan revision of ``case`` the user may see, or the same 400 as for one that does not exist (R12)."""
    plan = Plan.objects.visible_to(user).filter(pk=plan_id, case=case).first()
    if plan is None:
        raise serializers.ValidationError({"plan": [_("Unknown plan of this case.")]})
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
    return (
        visible_conferences(user)
        .prefetch_related("participants", "cancelled_occurrences")
        .order_by("-scheduled_at", "pk")
    )


def _conference(request: Request, conference: Conference) -> Any:
    """The conference as the user now sees it, with its agenda cases the user may see."""
    return conference_serializer(request.user, [_conference_queryset(request.user).get(pk=conference.pk)]).data


def _decision(request: Request, decision: Decision) -> Any:
    """The decision as the user now sees it, with its positions and status."""
    return decision_serializer([visible_decisions(request.user).get(pk=decision.pk)]).data


def _action(request: Request, action: ConferenceAction) -> Any:
    return ActionSerializer(ConferenceAction.objects.visible_to(request.user).get(pk=action.pk)).data


def _propose_decision(conference: Conference, *, case: Any, plan: Any, acting_user: Any, **fields: Any) -> Decision:
    # The case and plan are checked after the input, with the same 400 as for ones that do not exist.
    case = _unknown_case(acting_user, case)
    plan = _plan_of_case(acting_user, case, plan) if plan else None
    return actions.do_propose_decision(conference, case=case, plan=plan, acting_user=acting_user, **fields)


def _record_minutes(conference: Conference, *, case: Any, text: str, acting_user: Any) -> Minutes:
    case = _unknown_case(acting_user, case)
    return actions.do_record_minutes(conference, case=case, text=text, acting_user=acting_user)


def _decisions(request: Request, conference: Conference) -> QuerySet[Decision]:
    return visible_decisions(request.user).filter(conference=conference).order_by("created_at", "pk")


def _minutes(request: Request, conference: Conference) -> QuerySet[Minutes]:
    return visible_minutes(request.user).filter(conference=conference).order_by("created_at", "pk")


def _open_actions(request: Request, _: None, *, overdue: bool) -> QuerySet[ConferenceAction]:
    rows = open_actions_of_organisation(request.user)
    return rows.filter(due_on__lt=timezone.localdate()) if overdue else rows


def _attendance(request: Request, conference: Conference) -> QuerySet[Attendance]:
    rows = Attendance.objects.filter(conference=conference).select_related("user__organisation")
    return rows.order_by("recorded_at", "pk")


class OverdueFilterSerializer(serializers.Serializer):
    overdue = serializers.BooleanField(required=False, default=False)


class ConferenceListView(ConferenceView):
    # For the schema; requests read through ``visible_to``.
    serializer_class, queryset = ConferenceSerializer, Conference.objects.none()

    get = endpoints.page(
        None, None, lambda request, _: _conference_queryset(request.user), ConferenceSerializer, reads=None,
        serialize=lambda request, page: conference_serializer(request.user, page, many=True).data,
        summary="The conferences the user's organisation takes part in",
    )  # fmt: skip
    post = endpoints.write(
        None, None, actions.do_schedule_conference, _conference, input=ConferenceCreateSerializer, status=201,
        output=ConferenceSerializer, responses={201: ConferenceSerializer, 400: None, 403: None},
        summary="Schedule a conference about cases the user can see, with organisations of those cases",
    )  # fmt: skip


class ConferenceDetailView(ConferenceView):
    get = endpoints.read(
        "conference_id", access_conference, lambda request, c: conference_serializer(request.user, [c]).data,
        output=ConferenceSerializer, summary="A conference",
    )  # fmt: skip


class ConferenceDecisionListView(ConferenceView):
    serializer_class, queryset = DecisionSerializer, Decision.objects.none()

    get = endpoints.page(
        "conference_id", access_conference, _decisions, DecisionSerializer, purpose="conference decisions",
        serialize=lambda request, page: decision_serializer(page, many=True).data,
        summary="The decisions of a conference the user may see",
    )  # fmt: skip
    post = endpoints.write(
        "conference_id", access_conference, _propose_decision, _decision, input=DecisionCreateSerializer,
        status=201, output=DecisionSerializer, summary="Propose a decision about a case on the agenda",
    )  # fmt: skip


class DecisionDetailView(ConferenceView):
    get = endpoints.read(
        "decision_id", access_decision, lambda request, decision: decision_serializer([decision]).data,
        output=DecisionSerializer, summary="A decision with its positions",
    )  # fmt: skip


class DecisionPositionView(ConferenceView):
    post = endpoints.write(
        "decision_id", access_decision, about_parent(actions.do_give_position), _decision,
        input=PositionCreateSerializer, output=DecisionSerializer,
        summary="Give (or replace) your organisation's position; the decision's status follows",
    )  # fmt: skip


class DecisionActionView(ConferenceView):
    post = endpoints.write(
        "decision_id", access_decision, actions.do_add_conference_action, _action, input=ActionCreateSerializer,
        status=201, output=ActionSerializer,
        summary="Add an action to a decision, owned by an organisation of the case",
    )  # fmt: skip


class ActionCompleteView(ConferenceView):
    post = endpoints.write(
        "action_id", access_action, actions.do_complete_action, _action, output=ActionSerializer,
        responses={200: ActionSerializer, 400: None, 403: endpoints.forbidden, 404: endpoints.not_found},
        summary="Mark an action done (its owner organisation)",
    )  # fmt: skip


class ActionListView(ConferenceView):
    serializer_class, queryset = ActionSerializer, ConferenceAction.objects.none()

    get = endpoints.page(
        None, None, _open_actions, ActionSerializer, filters=OverdueFilterSerializer, purpose="open actions",
        responses={400: None}, summary="Open actions of the user's organisation (`?overdue=1`: past their due date)",
    )  # fmt: skip


class ConferenceAttendanceView(ConferenceView):
    serializer_class, queryset = AttendanceSerializer, Attendance.objects.none()

    get = endpoints.listing(
        "conference_id", access_conference, _attendance, AttendanceSerializer, log_read=False,
        summary="Named attendees and their attendance",
    )  # fmt: skip
    post = endpoints.write(
        "conference_id", access_conference, actions.do_record_attendance, serialized(AttendanceSerializer),
        input=AttendanceCreateSerializer, output=AttendanceSerializer,
        responses={200: AttendanceSerializer, 400: None, 404: endpoints.not_found},
        summary="Record your own attendance and acknowledge confidentiality",
    )  # fmt: skip


def _cancelled_occurrences(request: Request, conference: Conference) -> QuerySet[CancelledOccurrence]:
    return (
        CancelledOccurrence.objects.filter(conference=conference)
        .select_related("cancelled_by")
        .order_by("occurs_on", "pk")
    )


class ConferenceCancelledOccurrenceView(ConferenceView):
    serializer_class, queryset = CancelledOccurrenceSerializer, CancelledOccurrence.objects.none()

    get = endpoints.listing(
        "conference_id", access_conference, _cancelled_occurrences, CancelledOccurrenceSerializer, log_read=False,
        summary="The cancelled meetings of a recurring conference",
    )  # fmt: skip
    post = endpoints.write(
        "conference_id", access_conference, actions.do_cancel_occurrence, serialized(CancelledOccurrenceSerializer),
        input=CancelledOccurrenceCreateSerializer, rule=can_cancel_occurrence,
        refusal=CHAIR_ONLY, status=201,
        output=CancelledOccurrenceSerializer,
        summary="Cancel one meeting of a recurring conference (the chair's organisation); the series goes on",
    )  # fmt: skip


class ConferenceMinutesView(ConferenceView):
    serializer_class, queryset = MinutesSerializer, Minutes.objects.none()

    get = endpoints.page(
        "conference_id", access_conference, _minutes, MinutesSerializer, purpose="conference minutes",
        summary="The minutes of a conference that the user may see",
    )  # fmt: skip
    post = endpoints.write(
        "conference_id", access_conference, _record_minutes, serialized(MinutesSerializer),
        input=MinutesCreateSerializer, status=201, output=MinutesSerializer,
        summary="Record the minutes of the discussion of one case",
    )  # fmt: skip
