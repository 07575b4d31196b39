"""Consent, legal overrides, disclosures and the policy matrix (API.md, "Consent, overrides, disclosures")."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.accounts.reauth import RecentlyAuthenticated
from continuum.api.pagination import page_of
from continuum.api.permissions import acting_user
from continuum.sharing import actions
from continuum.sharing.access import access_case, access_consent, access_disclosure_report, access_person
from continuum.sharing.api.permissions import CanChangePolicyToWrite
from continuum.sharing.api.records import Endpoints, RecordView, serialized
from continuum.sharing.api.serializers import (
    ConsentCreateSerializer,
    ConsentSerializer,
    DisclosureSerializer,
    OverrideCreateSerializer,
    OverrideSerializer,
    PolicyChangeSerializer,
    PolicySerializer,
)
from continuum.sharing.models import Consent, Disclosure, PolicyVersion

PERSON_ID = OpenApiParameter("person_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
CONSENT_ID = OpenApiParameter("consent_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")


endpoints = Endpoints()


def _consent_now(request: Request, consent: Consent) -> Any:
    return ConsentSerializer(access_consent(request.user, consent.pk)).data


def _record_consent(person: Any, *, recipient_organisation: Any, acting_user: Any, **fields: Any) -> Consent:
    return actions.do_record_consent(person, recipient=recipient_organisation, acting_user=acting_user, **fields)


def _grant_override(case: Any, *, recipient_organisation: Any, acting_user: Any, **fields: Any) -> Any:
    return actions.do_grant_override(case, recipient=recipient_organisation, acting_user=acting_user, **fields)


# --- consent (R3) ------------------------------------------------------------------------------------------


class PersonConsentListView(RecordView):
    serializer_class = ConsentSerializer
    queryset = Consent.objects.none()  # for the schema; requests read through ``visible_to``

    @extend_schema(
        parameters=[PERSON_ID],
        responses={200: ConsentSerializer(many=True), 404: NOT_FOUND},
        summary="The person's recorded consents",
    )
    def get(self, request: Request, person_id: str) -> Response:
        person = access_person(request.user, person_id)
        consents = (
            Consent.objects.visible_to(request.user)
            .filter(person=person)
            .select_related("person", "recipient", "recorded_by", "recorded_org", "withdrawn_by")
            .order_by("-recorded_at", "pk")
        )
        page = page_of(self, consents)
        return self.get_paginated_response(ConsentSerializer(page, many=True).data)

    post = endpoints.of("person_id", access_person, _consent_now, ConsentSerializer).write(
        _record_consent,
        ConsentCreateSerializer,
        status=201,
        summary="Record the person's consent to share one category with one organisation",
    )


class ConsentWithdrawView(RecordView):
    post = endpoints.of("consent_id", access_consent, _consent_now, ConsentSerializer).write(
        actions.do_withdraw_consent, summary="Withdraw a consent (effective immediately)"
    )


# --- legal overrides (R5) -----------------------------------------------------------------------------------


class CaseOverrideView(RecordView):
    # A recent login or re-authentication, or a freshly created token (accounts/reauth.py).
    permission_classes = [IsAuthenticated, RecentlyAuthenticated]
    post = endpoints.of("case_id", access_case, serialized(OverrideSerializer), OverrideSerializer).write(
        _grant_override,
        OverrideCreateSerializer,
        status=201,
        summary="Grant a time-limited legal override (coordinator of the lead organisation or central point)",
    )


# --- disclosures (R11) --------------------------------------------------------------------------------------


class PersonDisclosureListView(generics.GenericAPIView):
    """Who saw which of the person's records, when, on what basis: the DPO and the lead's coordinator."""

    serializer_class = DisclosureSerializer
    queryset = Disclosure.objects.none()  # for the schema; requests go through access_disclosure_report

    @extend_schema(
        parameters=[PERSON_ID],
        responses={200: DisclosureSerializer(many=True), 403: None, 404: NOT_FOUND},
        summary="The person's disclosure report",
    )
    def get(self, request: Request, person_id: str) -> Response:
        _person, disclosures = access_disclosure_report(request.user, person_id)
        page = page_of(self, disclosures)
        return self.get_paginated_response(DisclosureSerializer(page, many=True).data)


# --- the policy matrix (R2) -----------------------------------------------------------------------------


def _policy_response() -> Response:
    current = PolicyVersion.objects.prefetch_related("rules").order_by("-number").first()
    if current is None:
        raise RuntimeError("No policy version: run the migrations.")
    rules = sorted(current.rules.all(), key=lambda r: (r.org_type, r.category))
    return Response(
        PolicySerializer(
            {"number": current.number, "created_at": current.created_at, "note": current.note, "rules": rules}
        ).data
    )


class PolicyView(APIView):
    """The sharing policy matrix: not personal data, readable by every user; changed by the DPO."""

    permission_classes = [CanChangePolicyToWrite]

    @extend_schema(responses=PolicySerializer, summary="The current sharing policy matrix")
    def get(self, request: Request) -> Response:
        return _policy_response()

    @extend_schema(
        request=PolicyChangeSerializer,
        responses={200: PolicySerializer, 400: None, 403: None},
        summary="Change cells of the policy matrix (a new version; DPO only)",
    )
    def put(self, request: Request) -> Response:
        data = PolicyChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = {(cell["org_type"], cell["category"]): cell["access"] for cell in data.validated_data["changes"]}
        actions.do_change_policy(changes, note=data.validated_data["note"], acting_user=acting_user(request))
        return _policy_response()
