"""Signals (API.md, "Signals (central point intake)").

Views parse input with serializers, call the actions in ``continuum.signals.actions``, and read only
through ``visible_to`` and ``access_signal``. The central point's own work on a signal (triage,
matching, notes) answers 404 to whoever may not see the signal and 403 to a reporter who may.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.api.pagination import page_of
from continuum.api.permissions import acting_user
from continuum.people.api.serializers import PersonSerializer
from continuum.signals import actions
from continuum.signals.access import (
    access_signal,
    duplicate_candidates,
    listed_signals,
    read_signals,
    visible_links,
    visible_signals,
)
from continuum.signals.api.serializers import (
    ImportFailureSerializer,
    ImportRequestSerializer,
    ImportResultSerializer,
    MatchSerializer,
    SignalCreateSerializer,
    SignalNoteSerializer,
    SignalSerializer,
    TriageSerializer,
    TriageSignalSerializer,
)
from continuum.signals.choices import Channel, SignalStatus
from continuum.signals.importing import import_signals
from continuum.signals.models import Signal, SignalNote
from continuum.signals.policy import can_triage_signals, can_use_signals

SIGNAL_ID = OpenApiParameter("signal_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")
CENTRAL_POINT_ONLY = OpenApiResponse(description="The user sees the signal but is not the central point.")


class CanUseSignals(BasePermission):
    """Members of reporting organisations and the central point's analysts and coordinators."""

    message = "Signals are for reporting organisations and the central point."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and can_use_signals(request.user))


class CanTriageSignals(BasePermission):
    message = "Only the central point's analysts and coordinators do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and can_triage_signals(request.user))


class StatusFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SignalStatus.choices, required=False)


def serializer_for(user: Any, signals: list[Signal], *, many: bool = False) -> SignalSerializer:
    """The triage view for the central point, the reporter's view for everyone else, with what the
    fields need (candidates, and the persons and cases the user may see) in a fixed number of queries."""
    triage = can_triage_signals(user)
    persons, cases = (set(), set()) if triage else visible_links(user, signals)
    context = {
        "triage": triage,
        "persons": persons,
        "cases": cases,
        "candidates": duplicate_candidates(user, signals),
    }
    serializer_class = TriageSignalSerializer if triage else SignalSerializer
    return serializer_class(signals if many else signals[0], many=many, context=context)


def _read(user: Any, signal_id: Any) -> Response:
    signal = access_signal(user, signal_id)
    return Response(serializer_for(user, [signal]).data)


def _central_point_signal(request: Request, signal_id: str) -> Signal:
    """404 when the user may not see the signal (or it does not exist), 403 for a reporter who may."""
    signal = access_signal(request.user, signal_id)
    if not can_triage_signals(request.user):
        raise PermissionDenied("Only the central point's analysts and coordinators do this.")
    return signal


class SignalListView(generics.GenericAPIView):
    """``GET``: all signals for the central point, its own for a reporting organisation; ``POST``: report one."""

    serializer_class = SignalSerializer
    queryset = Signal.objects.none()  # for the schema; requests read through ``visible_to``
    permission_classes = [CanUseSignals]

    def get_queryset(self) -> QuerySet[Signal]:
        return listed_signals(self.request.user).order_by("-created_at", "-number")

    @extend_schema(
        parameters=[StatusFilterSerializer],
        responses={200: TriageSignalSerializer(many=True), 400: None, 403: None},
        summary="Signals: all for the central point, those it reported for a reporting organisation",
    )
    def get(self, request: Request) -> Response:
        filters = StatusFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        signals = self.get_queryset()
        if "status" in filters.validated_data:
            signals = signals.filter(status=filters.validated_data["status"])
        page = page_of(self, signals)
        read_signals(request.user, page, purpose="signals list")
        return self.get_paginated_response(serializer_for(request.user, page, many=True).data)

    @extend_schema(
        request=SignalCreateSerializer,
        responses={201: SignalSerializer, 400: None, 403: None},
        summary="Report a signal (a terrorist offence is included at once)",
    )
    def post(self, request: Request) -> Response:
        data = SignalCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        subject = values.pop("subject", None)
        signal = actions.do_report_signal(
            subject=actions.SubjectDetails(**subject) if subject is not None else None,
            channel=Channel.API,
            acting_user=acting_user(request),
            **values,
        )
        created = visible_signals(request.user).get(pk=signal.pk)
        return Response(serializer_for(request.user, [created]).data, status=status.HTTP_201_CREATED)


class SignalDetailView(APIView):
    @extend_schema(
        parameters=[SIGNAL_ID],
        responses={200: TriageSignalSerializer, 404: NOT_FOUND},
        summary="A signal (with its triage for the central point)",
    )
    def get(self, request: Request, signal_id: str) -> Response:
        return _read(request.user, signal_id)


class SignalTriageView(APIView):
    @extend_schema(
        parameters=[SIGNAL_ID],
        request=TriageSerializer,
        responses={200: TriageSignalSerializer, 400: None, 403: CENTRAL_POINT_ONLY, 404: NOT_FOUND},
        summary="Triage: no further action, monitor (with a review date), or include (opens or reuses the case)",
    )
    def post(self, request: Request, signal_id: str) -> Response:
        signal = _central_point_signal(request, signal_id)
        data = TriageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_triage_signal(signal, acting_user=acting_user(request), **data.validated_data)
        return _read(request.user, signal.pk)


class SignalMatchView(APIView):
    @extend_schema(
        parameters=[SIGNAL_ID],
        request=MatchSerializer,
        responses={200: TriageSignalSerializer, 400: None, 403: CENTRAL_POINT_ONLY, 404: NOT_FOUND},
        summary="Confirm that the signal is about a known person",
    )
    def post(self, request: Request, signal_id: str) -> Response:
        signal = _central_point_signal(request, signal_id)
        data = MatchSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        actions.do_confirm_match(signal, person=data.validated_data["person"], acting_user=acting_user(request))
        return _read(request.user, signal.pk)


class SignalNewPersonView(APIView):
    @extend_schema(
        parameters=[SIGNAL_ID],
        request=None,
        responses={201: PersonSerializer, 400: None, 403: CENTRAL_POINT_ONLY, 404: NOT_FOUND},
        summary="Register the signal's subject as a new person and link the signal",
    )
    def post(self, request: Request, signal_id: str) -> Response:
        signal = _central_point_signal(request, signal_id)
        person = actions.do_create_person_from_signal(signal, acting_user=acting_user(request))
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)


class SignalNoteListView(generics.GenericAPIView):
    serializer_class = SignalNoteSerializer
    queryset = SignalNote.objects.none()  # for the schema; requests read through ``visible_to``

    @extend_schema(
        parameters=[SIGNAL_ID],
        responses={200: SignalNoteSerializer(many=True), 403: CENTRAL_POINT_ONLY, 404: NOT_FOUND},
        summary="The central point's notes on a signal",
    )
    def get(self, request: Request, signal_id: str) -> Response:
        signal = _central_point_signal(request, signal_id)
        notes = SignalNote.objects.visible_to(request.user).filter(signal=signal).order_by("created_at", "pk")
        page = page_of(self, notes)
        read_signals(request.user, page, purpose="signal notes")
        return self.get_paginated_response(SignalNoteSerializer(page, many=True).data)

    @extend_schema(
        parameters=[SIGNAL_ID],
        request=SignalNoteSerializer,
        responses={201: SignalNoteSerializer, 400: None, 403: CENTRAL_POINT_ONLY, 404: NOT_FOUND},
        summary="Add a note to a signal (enrichment by the central point)",
    )
    def post(self, request: Request, signal_id: str) -> Response:
        signal = _central_point_signal(request, signal_id)
        data = SignalNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = actions.do_add_signal_note(signal, text=data.validated_data["text"], acting_user=acting_user(request))
        return Response(SignalNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class SignalImportView(APIView):
    permission_classes = [CanTriageSignals]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={201: ImportResultSerializer, 400: ImportFailureSerializer, 403: None},
        summary="Import signals from CSV: every row checked first, then all or nothing",
    )
    def post(self, request: Request) -> Response:
        data = ImportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = import_signals(data.validated_data["file"].read(), acting_user=acting_user(request))
        if not report.ok:
            return Response(
                {
                    "detail": f"Nothing was imported: {len(report.errors)} error(s) in the file.",
                    "errors": [{"row": e.row, "field": e.field, "message": e.message} for e in report.errors],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {"imported": len(report.signals), "signals": [str(s.pk) for s in report.signals]},
            status=status.HTTP_201_CREATED,
        )
