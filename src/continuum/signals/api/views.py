"""Signals (API.md, "Signals (central point intake)").

Views parse input with serializers, call the actions in ``continuum.signals.actions``, and read only
through ``visible_to`` and ``access_signal``. The central point's own work on a signal (triage,
matching, notes) answers 404 to whoever may not see the signal and 403 to a reporter who may.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy, ngettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.api.permissions import acting_user
from continuum.people.api.serializers import PersonSerializer
from continuum.sharing.api.records import RecordView, require, serialized
from continuum.signals import actions
from continuum.signals.access import (
    access_signal,
    candidates_open_cases,
    duplicate_candidates,
    listed_signals,
    read_signals,
    visible_links,
    visible_signals,
)
from continuum.signals.api.endpoints import PagedEndpoints
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
from continuum.signals.models import Signal, SignalNote, outside_status_q
from continuum.signals.policy import can_triage_signals, can_use_signals

CENTRAL_POINT_ONLY = gettext_lazy("Only the central point's analysts and coordinators do this.")
endpoints = PagedEndpoints(
    forbidden=OpenApiResponse(description="The user sees the signal but is not the central point.")
)


class CanUseSignals(BasePermission):
    """Members of reporting organisations and the central point's analysts and coordinators."""

    message = gettext_lazy("Signals are for reporting organisations and the central point.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and can_use_signals(request.user))


class CanTriageSignals(BasePermission):
    message = CENTRAL_POINT_ONLY

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and can_triage_signals(request.user))


class StatusFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SignalStatus.choices, required=False)


def serializer_for(user: Any, signals: list[Signal], *, many: bool = False) -> SignalSerializer:
    """The triage view for the central point, the reporter's view for everyone else, with what the
    fields need (candidates, and the persons and cases the user may see) in a fixed number of queries."""
    triage = can_triage_signals(user)
    persons, cases = (set(), set()) if triage else visible_links(user, signals)
    candidates = duplicate_candidates(user, signals)
    context = {
        "triage": triage,
        "persons": persons,
        "cases": cases,
        "candidates": candidates,
        "open_cases": candidates_open_cases(user, [c for found in candidates.values() for c in found]),
    }
    serializer_class = TriageSignalSerializer if triage else SignalSerializer
    return serializer_class(signals if many else signals[0], many=many, context=context)


def _as_seen(request: Request, signal: Signal) -> Any:
    """The signal as the user may see it (the triage view for the central point)."""
    return serializer_for(request.user, [signal]).data


def _read_again(request: Request, signal: Signal) -> Any:
    """The signal as the user now sees it, reached (and logged as read) again after a write."""
    return serializer_for(request.user, [access_signal(request.user, signal.pk)]).data


def _central_point_signal(user: Any, signal_id: str) -> Signal:
    """404 when the user may not see the signal (or it does not exist), 403 for a reporter who may."""
    signal = access_signal(user, signal_id)
    require(can_triage_signals(user), str(CENTRAL_POINT_ONLY))
    return signal


def _listed(request: Request, _: None, *, status: str | None = None) -> QuerySet[Signal]:
    signals = listed_signals(request.user).order_by("-created_at", "-number")
    if status is None:
        return signals
    # Filtered as the caller sees the status: a reporter's ?status=new never finds a monitored signal
    # that is back in the queue.
    return (
        signals.filter(status=status) if can_triage_signals(request.user) else signals.filter(outside_status_q(status))
    )


def _reported(request: Request, signal: Signal) -> Any:
    return serializer_for(request.user, [visible_signals(request.user).get(pk=signal.pk)]).data


def _report_signal(*, subject: dict[str, Any] | None = None, acting_user: Any, **values: Any) -> Signal:
    details = actions.SubjectDetails(**subject) if subject is not None else None
    return actions.do_report_signal(subject=details, channel=Channel.API, acting_user=acting_user, **values)


def _notes(request: Request, signal: Signal) -> QuerySet[SignalNote]:
    return SignalNote.objects.visible_to(request.user).filter(signal=signal).order_by("created_at", "pk")


def _many(request: Request, page: Sequence[Signal]) -> Any:
    return serializer_for(request.user, list(page), many=True).data


class SignalListView(RecordView):
    # ``GET``: all signals for the central point, its own for a reporting organisation; ``POST``: report one.
    serializer_class, queryset = SignalSerializer, Signal.objects.none()  # for the schema
    permission_classes = [CanUseSignals]

    get = endpoints.page(
        None, None, _listed, TriageSignalSerializer, serialize=_many, reads=read_signals, purpose="signals list",
        filters=StatusFilterSerializer, responses={400: None, 403: None},
        summary="Signals: all for the central point, those it reported for a reporting organisation",
    )  # fmt: skip
    post = endpoints.write(
        None, None, _report_signal, _reported, input=SignalCreateSerializer, status=201, output=SignalSerializer,
        responses={201: SignalSerializer, 400: None, 403: None},
        summary="Report a signal (a terrorist offence is included at once)",
    )  # fmt: skip


class SignalDetailView(RecordView):
    get = endpoints.read(
        "signal_id", access_signal, _as_seen, output=TriageSignalSerializer,
        summary="A signal (with its triage for the central point)",
    )  # fmt: skip


class SignalTriageView(RecordView):
    post = endpoints.write(
        "signal_id", _central_point_signal, actions.do_triage_signal, _read_again, input=TriageSerializer,
        output=TriageSignalSerializer,
        summary="Triage: no further action, monitor (with a review date), or include (opens or reuses the case)",
    )  # fmt: skip


class SignalMatchView(RecordView):
    post = endpoints.write(
        "signal_id", _central_point_signal, actions.do_confirm_match, _read_again, input=MatchSerializer,
        output=TriageSignalSerializer, summary="Confirm that the signal is about a known person",
    )  # fmt: skip


class SignalNewPersonView(RecordView):
    post = endpoints.write(
        "signal_id", _central_point_signal, actions.do_create_person_from_signal, serialized(PersonSerializer),
        status=201, output=PersonSerializer,
        responses={201: PersonSerializer, 400: None, 403: endpoints.forbidden, 404: endpoints.not_found},
        summary="Register the signal's subject as a new person and link the signal",
    )  # fmt: skip


class SignalNoteListView(RecordView):
    serializer_class, queryset = SignalNoteSerializer, SignalNote.objects.none()  # for the schema

    get = endpoints.page(
        "signal_id", _central_point_signal, _notes, SignalNoteSerializer, reads=read_signals,
        purpose="signal notes", responses={403: endpoints.forbidden}, summary="The central point's notes on a signal",
    )  # fmt: skip
    post = endpoints.write(
        "signal_id", _central_point_signal, actions.do_add_signal_note, serialized(SignalNoteSerializer),
        input=SignalNoteSerializer, status=201, output=SignalNoteSerializer,
        summary="Add a note to a signal (enrichment by the central point)",
    )  # fmt: skip


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
                    "detail": ngettext(
                        "Nothing was imported: %(count)s error in the file.",
                        "Nothing was imported: %(count)s errors in the file.",
                        len(report.errors),
                    )
                    % {"count": len(report.errors)},
                    "errors": [{"row": e.row, "field": e.field, "message": e.message} for e in report.errors],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {"imported": len(report.signals), "signals": [str(s.pk) for s in report.signals]},
            status=status.HTTP_201_CREATED,
        )
