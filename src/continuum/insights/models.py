"""Publications (issue 17): reports of tables that passed the disclosure control, with titles and
commentary. A publication keeps the tables as they were published (the safe cells, never the counts
behind them), so a report reads the same whenever it is opened."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from continuum.accounts.choices import OrgType
from continuum.cases.choices import Phase
from continuum.insights.choices import LessonKind, LessonTopic


class Publication(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    commentary = models.TextField(blank=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["-published_at"], name="publication_latest")]
        verbose_name = gettext_lazy("publication")
        verbose_name_plural = gettext_lazy("publications")

    def __str__(self) -> str:
        return self.title


class PublishedTable(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="tables")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, blank=True)
    commentary = models.TextField(blank=True)
    measure = models.CharField(max_length=32)
    by = models.JSONField(default=list)
    # As published: [{"key": [...], "value": int | None, "suppressed": bool, "reason": str}]
    cells = models.JSONField(default=list)
    totals = models.JSONField(default=list)
    method = models.TextField()

    class Meta:
        ordering = ["publication", "position"]
        constraints = [models.UniqueConstraint(fields=["publication", "position"], name="one_table_per_position")]

    def __str__(self) -> str:
        return self.title or self.measure


class Lesson(models.Model):
    """A good practice or a failure in case management, written for all organisations (seed 002,
    recommendation 12). Shown with the kind of the author's organisation only, never a name; it holds
    no personal data (the form says so)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=LessonKind.choices)
    title = models.CharField(max_length=200)
    text = models.TextField()
    phases = models.JSONField(default=list, blank=True)
    topics = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8)
    author_org_type = models.CharField(max_length=32)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-written_at"]
        indexes = [models.Index(fields=["-written_at"], name="lesson_latest")]
        verbose_name = gettext_lazy("lesson")
        verbose_name_plural = gettext_lazy("lessons")

    def __str__(self) -> str:
        return self.title

    @property
    def author_kind(self) -> str:
        """The kind of the author's organisation, the only thing shown of the author."""
        return str(OrgType(self.author_org_type).label) if self.author_org_type in OrgType.values else ""

    @property
    def phase_labels(self) -> list[str]:
        labels = dict(Phase.choices)
        return [str(labels[p]) for p in self.phases if p in labels]

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(LessonTopic.choices)
        return [str(labels[t]) for t in self.topics if t in labels]
