"""Cases, their multi-agency teams, and the journal."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from continuum.cases.choices import EntryKind, Phase
from continuum.sharing import engine
from continuum.sharing.records import CaseRecord


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user_or_viewer: Any) -> CaseQuerySet:
        """R1: a case is visible to the organisations that are current members of it."""
        viewer = user_or_viewer if isinstance(user_or_viewer, engine.Viewer) else engine.viewer_for(user_or_viewer)
        if not viewer.sees_content or viewer.organisation_id is None:
            return self.none()
        member = Exists(
            CaseMember.objects.filter(case=OuterRef("pk"), organisation_id=viewer.organisation_id, until__isnull=True)
        )
        return self.filter(member)


class Case(models.Model):
    """One person's case across custody, probation and the community (one record that follows them)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=20, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.PRE_TRIAL)
    lead_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    trial_concluded_on = models.DateField(null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.number

    @property
    def trial_concluded(self) -> bool:
        return self.trial_concluded_on is not None and self.trial_concluded_on <= timezone.localdate()


class CaseMember(models.Model):
    """A participating organisation and its one named responsible practitioner (since/until)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="members")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    since = models.DateField(default=timezone.localdate)
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["since"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=Q(until__isnull=True),
                name="one_current_membership",
            )
        ]
        indexes = [models.Index(fields=["organisation", "until"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.case_id}"

    @property
    def is_current(self) -> bool:
        return self.until is None


class Entry(CaseRecord):
    """A journal entry: a note, an observation, a contact or a document."""

    kind = models.CharField(max_length=16, choices=EntryKind.choices, default=EntryKind.NOTE)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)

    record_type = "entry"

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "entries"
        indexes = [models.Index(fields=["case", "category", "created_at"])]

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    """A file attached to a journal entry; served only through the entry's visibility."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name
