from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.audit.checkpoints import check_log
from continuum.audit.policy import can_read_audit_log

CHECKPOINTS = inline_serializer(
    "AuditCheckpoints",
    {
        "configured": serializers.BooleanField(help_text="Whether CONTINUUM_AUDIT_CHECKPOINT_FILE is set."),
        "verified": serializers.IntegerField(help_text="Signed checkpoints whose signature verified."),
        "latest": inline_serializer(
            "AuditLatestCheckpoint",
            {"at": serializers.CharField(), "seq": serializers.IntegerField()},
            allow_null=True,
        ),
        "problems": serializers.ListField(child=serializers.CharField(), help_text="Each makes `ok` false."),
        "notes": serializers.ListField(child=serializers.CharField()),
    },
)


class VerifyView(APIView):
    """Recompute the audit chain and check it against its signed checkpoints (data protection officer only)."""

    @extend_schema(
        summary="Verify the audit chain and its signed checkpoints",
        description=(
            "`ok` is true only when every hash of the chain holds and, where checkpoints are configured, every "
            "checkpoint's signature verifies and the chain still holds the events each one signed (truncation "
            "and re-hashing are detected)."
        ),
        responses=inline_serializer(
            "AuditVerification",
            {
                "ok": serializers.BooleanField(),
                "events": serializers.IntegerField(),
                "first_broken": serializers.UUIDField(allow_null=True),
                "first_broken_seq": serializers.IntegerField(allow_null=True),
                "reason": serializers.CharField(),
                "checkpoints": CHECKPOINTS,
            },
        ),
    )
    def get(self, request: Request) -> Response:
        if not can_read_audit_log(request.user):
            raise PermissionDenied(_("Only the data protection officer verifies the audit log."))
        checked = check_log()
        report = checked.chain
        broken = report.first_broken
        latest = checked.latest
        return Response(
            {
                "ok": checked.ok,
                "events": report.events,
                "first_broken": str(broken.id) if broken else None,
                "first_broken_seq": broken.seq if broken else None,
                "reason": report.reason,
                "checkpoints": {
                    "configured": checked.configured,
                    "verified": checked.checkpoints,
                    "latest": {"at": latest.at, "seq": latest.seq} if latest else None,
                    "problems": checked.problems,
                    "notes": checked.notes,
                },
            }
        )
