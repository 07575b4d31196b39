"""Retention's API (API.md, "Data protection"; docs/data-protection.md, "Retention" and "Erasure").

The data protection officer only: the review queue of records past their retention period, legal
holds (place, list, end early) and erasing one due group at once. Everyone else gets a 403 before
any input is read. The answers name cases, persons' references, categories, counts and dates, never
what records say (R10).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from continuum.api.pagination import page_of
from continuum.api.permissions import acting_user
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.models import Case
from continuum.dataprotection import retention_actions
from continuum.dataprotection.retention import DueGroup, due_groups
from continuum.dataprotection.retention_models import LegalHold
from continuum.people.models import Person
from continuum.sharing.choices import Category
from continuum.sharing.disclosure import log_denied
from continuum.sharing.policy import can_oversee_sharing

NOT_FOUND = OpenApiResponse(description="Not found.")
FORBIDDEN = OpenApiResponse(description="Only the data protection officer manages retention.")
HOLD_ID = OpenApiParameter("hold_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


def _require_dpo(request: Request) -> None:
    if not can_oversee_sharing(request.user):
        log_denied(request.user, "retention", "")
        raise PermissionDenied(_("Only the data protection officer manages retention."))


class HoldSerializer(serializers.ModelSerializer[LegalHold]):
    case_number = serializers.CharField(source="case.number", read_only=True)
    placed_by = serializers.CharField(source="placed_by.username", read_only=True)
    ended_by = serializers.CharField(source="ended_by.username", read_only=True, allow_null=True, default=None)
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = LegalHold
        fields = [
            "id",
            "case",
            "case_number",
            "reason",
            "until",
            "placed_by",
            "placed_at",
            "ended_at",
            "ended_by",
            "in_force",
        ]

    def get_in_force(self, hold: LegalHold) -> bool:
        return hold.in_force()


class HoldCreateSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField(help_text="The case to keep from erasure.")
    reason = serializers.CharField(max_length=2000, help_text="Why (e.g. a court case); required.")
    until = serializers.DateField(help_text="The day the hold ends: a day still to come.")


class HoldBriefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    reason = serializers.CharField()
    until = serializers.DateField()


class DueItemSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField(allow_null=True, help_text="Null for person-level records (no case of their own).")
    case_number = serializers.CharField(allow_null=True)
    person = serializers.UUIDField()
    person_reference = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    records = serializers.DictField(child=serializers.IntegerField(), help_text="Records per record type.")
    closed_on = serializers.DateField(help_text="When the case (or the person's last case) was closed.")
    due_since = serializers.DateField(help_text="Closure plus the category's retention period.")
    in_queue_since = serializers.DateField(allow_null=True, help_text="When the daily run first listed it.")
    erasure_on = serializers.DateField(
        allow_null=True, help_text="When the daily run erases it; null while a legal hold is in force."
    )
    legal_hold = HoldBriefSerializer(allow_null=True, help_text="The hold in force that lasts longest, or null.")


class EraseSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField(required=False, allow_null=True, help_text="The case; or give `person`.")
    person = serializers.UUIDField(
        required=False, allow_null=True, help_text="For person-level records (no case): the person."
    )
    category = serializers.ChoiceField(choices=Category.choices)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("case")) == bool(attrs.get("person")):
            raise serializers.ValidationError(_("Give either a case or a person (for person-level records)."))
        return attrs


def _due_item(group: DueGroup, today: Any) -> dict[str, Any]:
    hold = max(group.holds, key=lambda h: h.until, default=None)
    return {
        "case": group.case_id,
        "case_number": group.case_number or None,
        "person": group.person_id,
        "person_reference": group.person_reference,
        "category": group.category,
        "records": group.counts,
        "closed_on": timezone.localtime(group.closed_at).date(),
        "due_since": group.due_on,
        "in_queue_since": group.entered_on,
        "erasure_on": None if group.held else group.erasure_on(today),
        "legal_hold": {"id": hold.pk, "reason": hold.reason, "until": hold.until} if hold else None,
    }


class RetentionDueView(generics.GenericAPIView[Any]):
    """The review queue: records past their category's retention period after case closure."""

    serializer_class = DueItemSerializer

    @extend_schema(
        responses={200: DueItemSerializer(many=True), 403: FORBIDDEN},
        summary="Records due for erasure, per case and category (data protection officer)",
    )
    def get(self, request: Request) -> Response:
        _require_dpo(request)
        today = timezone.localdate()
        groups = due_groups(today)
        page = page_of(self, groups)
        record(
            AuditAction.READ,
            actor=acting_user(request),
            object_type="retention_queue",
            purpose="retention review",
            detail={"groups": len(groups), "shown": len(page)},
        )
        return self.get_paginated_response(DueItemSerializer([_due_item(g, today) for g in page], many=True).data)


class HoldListView(generics.GenericAPIView[Any]):
    """Legal holds: list (newest first) and place one."""

    serializer_class = HoldSerializer
    queryset = LegalHold.objects.none()

    @extend_schema(responses={200: HoldSerializer(many=True), 403: FORBIDDEN}, summary="Legal holds")
    def get(self, request: Request) -> Response:
        _require_dpo(request)
        holds = LegalHold.objects.select_related("case", "placed_by", "ended_by").order_by("-placed_at", "pk")
        page = page_of(self, holds)
        return self.get_paginated_response(HoldSerializer(page, many=True).data)

    @extend_schema(
        request=HoldCreateSerializer,
        responses={201: HoldSerializer, 400: OpenApiResponse(description="Bad input"), 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Place a legal hold on a case (data protection officer)",
    )
    def post(self, request: Request) -> Response:
        _require_dpo(request)
        data = HoldCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = Case.objects.filter(pk=data.validated_data["case"]).first()
        if case is None:
            raise Http404
        hold = retention_actions.do_place_hold(
            case,
            reason=data.validated_data["reason"],
            until=data.validated_data["until"],
            acting_user=acting_user(request),
        )
        hold = LegalHold.objects.select_related("case", "placed_by", "ended_by").get(pk=hold.pk)
        return Response(HoldSerializer(hold).data, status=201)


class HoldEndView(generics.GenericAPIView[Any]):
    """End a legal hold before its day."""

    serializer_class = HoldSerializer
    queryset = LegalHold.objects.none()

    @extend_schema(
        parameters=[HOLD_ID],
        request=None,
        responses={
            200: HoldSerializer,
            400: OpenApiResponse(description="Already ended"),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        summary="End a legal hold early (data protection officer)",
    )
    def post(self, request: Request, hold_id: str) -> Response:
        _require_dpo(request)
        hold = LegalHold.objects.filter(pk=hold_id).first()
        if hold is None:
            raise Http404
        retention_actions.do_end_hold(hold, acting_user=acting_user(request))
        hold = LegalHold.objects.select_related("case", "placed_by", "ended_by").get(pk=hold.pk)
        return Response(HoldSerializer(hold).data)


class EraseNowView(generics.GenericAPIView[Any]):
    """Erase one due group now, without waiting for the review window."""

    serializer_class = EraseSerializer

    @extend_schema(
        request=EraseSerializer,
        responses={
            200: inline_serializer(
                "RetentionErased",
                {
                    "records": serializers.DictField(child=serializers.IntegerField()),
                    "dependents": serializers.DictField(child=serializers.IntegerField()),
                    "files": serializers.IntegerField(),
                    "identity_erased": serializers.BooleanField(),
                },
            ),
            400: OpenApiResponse(description="Bad input, nothing due, or held"),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        summary="Erase a due case's (or person's) records of one category now (data protection officer)",
    )
    def post(self, request: Request) -> Response:
        _require_dpo(request)
        data = EraseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = person = None
        if data.validated_data.get("case"):
            case = Case.objects.filter(pk=data.validated_data["case"]).first()
            if case is None:
                raise Http404
        else:
            person = Person._base_manager.filter(pk=data.validated_data["person"]).first()
            if person is None:
                raise Http404
        erased = retention_actions.do_erase_now(
            case=case, person=person, category=data.validated_data["category"], acting_user=acting_user(request)
        )
        return Response(
            {
                "records": {name: len(ids) for name, ids in erased.ids.items()},
                "dependents": erased.dependents,
                "files": erased.files,
                "identity_erased": erased.identity_erased,
            }
        )


# Included by ``dataprotection/api/urls.py``.
urlpatterns = [
    path("retention/due/", RetentionDueView.as_view(), name="retention-due"),
    path("retention/holds/", HoldListView.as_view(), name="retention-hold-list"),
    path("retention/holds/<uuid:hold_id>/end/", HoldEndView.as_view(), name="retention-hold-end"),
    path("retention/erase/", EraseNowView.as_view(), name="retention-erase"),
]
