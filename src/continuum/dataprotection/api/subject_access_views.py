"""Subject access's API (API.md, "Data protection"; docs/data-protection.md, "Subject access").

``GET /api/v1/persons/{id}/subject-access/`` (``?format=json``, the default, or ``?format=pdf``) and the
restrictions of it, ``GET``/``POST /api/v1/persons/{id}/subject-access/restrictions/``. The data protection
officer only: everyone else gets a 403 whatever the id, before the person is looked up (so that no one
learns whether it exists); an unknown id is a 404 for the officer. The export also needs a recent login
(``accounts.reauth.RecentlyAuthenticated``: a session re-authenticated within minutes, or a fresh token).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.accounts.reauth import RecentlyAuthenticated
from continuum.api.permissions import acting_user
from continuum.conferences.api.export_views import PDFRenderer
from continuum.dataprotection import restrictions, subject_access
from continuum.dataprotection.models import AccessRestriction, RestrictionGround
from continuum.dataprotection.policy import can_take_subject_access
from continuum.sharing.choices import Category
from continuum.sharing.disclosure import log_denied

PERSON_ID = OpenApiParameter("person_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(description="No person has this id.")
FORBIDDEN = OpenApiResponse(
    description="Not the data protection officer (whatever the id), or the export without a recent login."
)
REFUSAL = _("Only the data protection officer takes a person's subject access.")


class DataProtectionOfficer(permissions.BasePermission):
    """The data protection officer only; a refusal is audited as a denied access (and never looks the person up)."""

    message = REFUSAL

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return True  # IsAuthenticated answers 401 for these
        if can_take_subject_access(request.user):
            return True
        log_denied(request.user, "subject_access", view.kwargs.get("person_id", ""))
        return False


_item = inline_serializer(
    "SubjectAccessItem",
    {
        "record_type": serializers.CharField(),
        "id": serializers.UUIDField(),
        "category": serializers.ChoiceField(choices=Category.choices),
        "date": serializers.CharField(),
    },
)
SUBJECT_ACCESS = inline_serializer(
    "SubjectAccess",
    {
        "person": serializers.DictField(),
        "generated_at": serializers.DateTimeField(),
        "records": serializers.ListField(child=serializers.DictField()),
        "disclosures": serializers.ListField(child=serializers.DictField()),
        "restricted": inline_serializer(
            "SubjectAccessRestricted", {"record": _item, "reason": serializers.CharField()}, many=True
        ),
        "cases": serializers.ListField(child=serializers.DictField()),
        "relationships": serializers.ListField(child=serializers.DictField()),
        "consents": serializers.ListField(child=serializers.DictField()),
        "overrides": serializers.ListField(child=serializers.DictField()),
    },
)


class SubjectAccessView(APIView):
    permission_classes = [permissions.IsAuthenticated, DataProtectionOfficer, RecentlyAuthenticated]
    renderer_classes = [JSONRenderer, PDFRenderer]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # An unknown ``?format=`` is bad input (a 400 in the view), not DRF's "not found".
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            return (JSONRenderer(), JSONRenderer.media_type)

    @extend_schema(
        parameters=[
            PERSON_ID,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "pdf"], description="`pdf` for a PDF"),
        ],
        responses={
            (200, "application/json"): SUBJECT_ACCESS,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="An unknown format."),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        summary="Everything held about a person and everyone it was disclosed to (audited export)",
    )
    def get(self, request: Request, person_id: str) -> Response | HttpResponse:
        user = acting_user(request)
        export_format = request.query_params.get("format") or "json"
        if export_format not in subject_access.FORMATS:
            return Response({"format": [_("Choose json or pdf.")]}, status=400)
        result = subject_access.do_export_subject_access(user, person_id, export_format=export_format)
        if export_format == "pdf":
            response = HttpResponse(subject_access.render_subject_access_pdf(result), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{subject_access.export_filename(result, "pdf")}"'
            return response
        return Response(result.as_data())


class AccessRestrictionSerializer(serializers.ModelSerializer[AccessRestriction]):
    person = serializers.UUIDField(source="person_id", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True)
    in_force = serializers.BooleanField(read_only=True)

    class Meta:
        model = AccessRestriction
        fields = [
            "id",
            "person",
            "record_type",
            "record_id",
            "category",
            "restricts",
            "ground",
            "note",
            "decided_by",
            "decided_at",
            "until",
            "in_force",
        ]
        read_only_fields = fields


class AccessRestrictionCreateSerializer(serializers.Serializer):
    record_type = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    record_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True, default="")
    restricts = serializers.BooleanField(required=False, default=True)
    ground = serializers.ChoiceField(choices=RestrictionGround.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=4000, allow_blank=True)
    until = serializers.DateField(required=False, allow_null=True, default=None)


class AccessRestrictionListView(APIView):
    permission_classes = [permissions.IsAuthenticated, DataProtectionOfficer]

    @extend_schema(
        parameters=[PERSON_ID],
        responses={200: AccessRestrictionSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
        summary="The data protection officer's decisions on what of a person's subject access is kept back",
    )
    def get(self, request: Request, person_id: str) -> Response:
        person = subject_access.subject_of(acting_user(request), person_id)
        decisions = AccessRestriction.objects.filter(person=person).select_related("decided_by")
        return Response(AccessRestrictionSerializer(decisions.order_by("-decided_at", "pk"), many=True).data)

    @extend_schema(
        parameters=[PERSON_ID],
        request=AccessRestrictionCreateSerializer,
        responses={
            201: AccessRestrictionSerializer,
            400: OpenApiResponse(description="Bad input; nothing recorded."),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        summary="Keep back (or give after all) one record or one whole category of a person's subject access",
    )
    def post(self, request: Request, person_id: str) -> Response:
        user = acting_user(request)
        person = subject_access.subject_of(user, person_id)
        asked = AccessRestrictionCreateSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        decision = restrictions.do_record_access_restriction(person, acting_user=user, **asked.validated_data)
        return Response(AccessRestrictionSerializer(decision).data, status=201)


urlpatterns = [
    path("persons/<str:person_id>/subject-access/", SubjectAccessView.as_view(), name="person-subject-access"),
    path(
        "persons/<str:person_id>/subject-access/restrictions/",
        AccessRestrictionListView.as_view(),
        name="person-subject-access-restrictions",
    ),
]
