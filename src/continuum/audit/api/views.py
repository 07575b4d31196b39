from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.audit.log import verify_chain
from continuum.audit.policy import can_read_audit_log


class VerifyView(APIView):
    """Recompute the audit chain (data protection officer only)."""

    @extend_schema(
        summary="Verify the audit chain",
        responses=inline_serializer(
            "AuditVerification",
            {
                "ok": serializers.BooleanField(),
                "events": serializers.IntegerField(),
                "first_broken": serializers.UUIDField(allow_null=True),
                "first_broken_seq": serializers.IntegerField(allow_null=True),
                "reason": serializers.CharField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        if not can_read_audit_log(request.user):
            raise PermissionDenied(_("Only the data protection officer verifies the audit log."))
        report = verify_chain()
        broken = report.first_broken
        return Response(
            {
                "ok": report.ok,
                "events": report.events,
                "first_broken": str(broken.id) if broken else None,
                "first_broken_seq": broken.seq if broken else None,
                "reason": report.reason,
            }
        )
