"""The append-only, hash-chained audit log (Law Enforcement Directive Art. 25).

Each event stores the hash of the event before it and its own hash, SHA-256 over
that previous hash and a canonical encoding of the event. Database triggers
refuse UPDATE and DELETE on the table (see ``continuum.audit.db``), and
``continuum verify_audit`` recomputes the chain to detect what the triggers
could not stop (someone with the database owner's rights).

Events refer to persons and cases by id only, never by content, so that an
erasure never needs to touch the log.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    # The labels of the log's filter and table; a context keeps "Created" or "Read" apart from the same
    # words elsewhere.
    LOGIN = "login", pgettext_lazy("audit action", "Logged in")
    LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "Failed login")
    LOGOUT = "logout", pgettext_lazy("audit action", "Logged out")
    LOCKED_OUT = "locked_out", pgettext_lazy("audit action", "Locked out")
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", pgettext_lazy("audit action", "Enrolled a second factor")
    TWO_FACTOR_RESET = "two_factor_reset", pgettext_lazy("audit action", "Second factor reset")
    TOKEN_CREATED = "token_created", pgettext_lazy("audit action", "API token created")
    TOKEN_REVOKED = "token_revoked", pgettext_lazy("audit action", "API token revoked")
    CREATE = "create", pgettext_lazy("audit action", "Created")
    READ = "read", pgettext_lazy("audit action", "Read")
    UPDATE = "update", pgettext_lazy("audit action", "Updated")
    DELETE = "delete", pgettext_lazy("audit action", "Deleted")
    EXPORT = "export", pgettext_lazy("audit action", "Exported")
    DISCLOSE = "disclose", pgettext_lazy("audit action", "Disclosed")
    DENIED = "denied", pgettext_lazy("audit action", "Access denied")
    POLICY_CHANGE = "policy_change", pgettext_lazy("audit action", "Sharing policy changed")
    OVERRIDE = "override", pgettext_lazy("audit action", "Legal override")
    VERIFY = "verify", pgettext_lazy("audit action", "Audit chain verified")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One audited event. Written only by ``continuum.audit.log.record``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    actor_organisation = models.CharField(max_length=64, blank=True, help_text="Organisation slug.")
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    outcome = models.CharField(max_length=16, default="ok")
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    person_id = models.UUIDField(null=True, blank=True)
    case_id = models.UUIDField(null=True, blank=True)
    purpose = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["person_id", "at"]),
            models.Index(fields=["case_id", "at"]),
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_username or 'system'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")

    def canonical(self) -> str:
        """The event's fields in one stable encoding: the input of its hash."""
        fields = {
            "seq": self.seq,
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_username": self.actor_username,
            "actor_organisation": self.actor_organisation,
            "action": self.action,
            "outcome": self.outcome,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "person_id": str(self.person_id) if self.person_id else None,
            "case_id": str(self.case_id) if self.case_id else None,
            "purpose": self.purpose,
            "detail": self.detail,
            "request_id": self.request_id,
            "ip": self.ip,
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical()).encode("utf-8")).hexdigest()
