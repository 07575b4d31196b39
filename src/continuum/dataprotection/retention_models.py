"""The retention models: legal holds and the review queue's memory (docs/data-protection.md, "Retention").

Imported by ``dataprotection/models.py`` so Django finds them; they live here to keep retention apart
from the subject-access and restriction models of the same app.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from continuum.sharing.choices import Category


class LegalHold(models.Model):
    """A case the data protection officer keeps from erasure until a date, for a reason (e.g. a court case).

    In force while not ended and ``until`` has not passed; a held case's records (and its person's
    person-level records) are never erased.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(gettext_lazy("reason"))
    until = models.DateField(gettext_lazy("until"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["until", "placed_at"]
        verbose_name = gettext_lazy("legal hold")
        verbose_name_plural = gettext_lazy("legal holds")
        indexes = [models.Index(fields=["case", "ended_at", "until"])]

    def __str__(self) -> str:
        return f"hold on {self.case_id} until {self.until.isoformat()}"

    def in_force(self, today: date | None = None) -> bool:
        return self.ended_at is None and self.until >= (today or timezone.localdate())


class QueueEntry(models.Model):
    """When a group of due records (one case's, or one person's person-level records, of one category)
    first entered the review queue: the daily ``apply_retention`` notes it, and erases the group only
    ``CONTINUUM_RETENTION_REVIEW_DAYS`` later, so the data protection officer has time to place a hold.

    Holds ids and a category only. Removed once the group is erased.
    """

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=32, choices=Category.choices)
    entered_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "category"], condition=Q(case__isnull=False), name="retention_queue_case"
            ),
            models.UniqueConstraint(
                fields=["person", "category"], condition=Q(case__isnull=True), name="retention_queue_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id or self.person_id} {self.category} since {self.entered_on.isoformat()}"
