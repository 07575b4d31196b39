"""Instruments (data, not personal), assessments (case records) and their ratings (DESIGN.md section 4)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from continuum.assessments.choices import AssessmentStatus, InstrumentKind
from continuum.assessments.format import items_of, localise
from continuum.sharing.choices import Category
from continuum.sharing.records import CaseRecord


def version_key(version: str) -> tuple[Any, ...]:
    """``"1.10"`` sorts after ``"1.9"``: numeric parts compare as numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in version.replace("-", ".").split("."))


class Instrument(models.Model):
    """One version of an assessment instrument, as data (a validated file: ``continuum.assessments.format``).

    Holds no personal data. An assessment is pinned to the version it used; a changed instrument is
    a new version, never an edit of a loaded one.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(max_length=40)
    version = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=InstrumentKind.choices)
    category = models.CharField(max_length=32, choices=Category.choices)
    definition = models.JSONField()
    builtin = models.BooleanField(
        default=False, help_text=gettext_lazy("Shipped with Continuum (written from the papers).")
    )
    source = models.CharField(max_length=300, blank=True, help_text=gettext_lazy("The file it was loaded from."))
    loaded_at = models.DateTimeField(default=timezone.now, editable=False)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code", "loaded_at"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_instrument_version")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code} {self.version})"

    def texts(self, language: str | None = None) -> dict[str, Any]:
        """The definition in ``language`` (the active one by default): the file's ``translations`` where
        it has them, else its own texts (``format.localise``). Codes and values are the same."""
        language = language or get_language() or settings.LANGUAGE_CODE
        cache: dict[str, dict[str, Any]] = self.__dict__.setdefault("_texts", {})
        if language not in cache:
            cache[language] = localise(self.definition, language)
        return cache[language]

    @property
    def display_name(self) -> str:
        """The instrument's name in the active language (``name`` is the file's own)."""
        return str(self.texts().get("name") or self.name)

    def module_names(self, codes: list[str]) -> dict[str, str]:
        """Module code -> its name in the active language, for the chosen ``codes`` (in their order)."""
        names = {m["code"]: m["name"] for m in self.texts().get("modules", [])}
        return {code: names.get(code, code) for code in codes}

    def level_label(self, level: str) -> str:
        """A judgement level (stored as the file writes it) in the active language."""
        return str(self.texts().get("level_labels", {}).get(level, level))

    def items(self, modules: list[str]) -> dict[str, dict[str, Any]]:
        return items_of(self.texts(), modules)


class Assessment(CaseRecord):
    """A dated, multi-disciplinary structured professional judgement about a person, with one instrument.

    A case record: its category is the instrument's, so the sharing engine decides who sees it. The
    judgement (level and summary) is always written by a named person at finalising (EU AI Act
    Art. 5(1)(d)); Continuum only describes the ratings. A finalised assessment is immutable.
    """

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    modules = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    judgement_level = models.CharField(max_length=60, blank=True)
    judgement_summary = models.TextField(blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finalised_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    record_type = "assessment"
    timeline_related = ("instrument",)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "status", "finalised_on"])]
        verbose_name = gettext_lazy("assessment")
        verbose_name_plural = gettext_lazy("assessments")

    def __str__(self) -> str:
        return f"{self.instrument.name} ({self.get_status_display().lower()})"

    def timeline_label(self) -> str:
        if self.status == AssessmentStatus.FINALISED:
            return _("%(instrument)s finalised (next review %(day)s)") % {
                "instrument": self.instrument.display_name,
                "day": date_format(self.next_review_on, "DATE_FORMAT") if self.next_review_on else "",
            }
        return _("%(instrument)s opened") % {"instrument": self.instrument.display_name}

    def record_text(self) -> str:
        """The people's judgement, once finalised (a draft's ratings are for its assessors)."""
        if self.status != AssessmentStatus.FINALISED:
            return ""
        return f"{self.judgement_level}: {self.judgement_summary}" if self.judgement_level else self.judgement_summary

    @property
    def is_finalised(self) -> bool:
        return self.status == AssessmentStatus.FINALISED

    def items(self) -> dict[str, dict[str, Any]]:
        """The items this assessment rates: the instrument's core and the chosen modules."""
        return self.instrument.items(list(self.modules))


class Assessor(models.Model):
    """One professional rating an assessment independently; ``submitted_at`` once their ratings are complete."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="assessors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "user__username"]
        constraints = [models.UniqueConstraint(fields=["assessment", "user"], name="one_assessor_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.assessment_id}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class AssessorRating(models.Model):
    """One assessor's rating of one item, with rationale and evidence; ``rating`` None is a "known unknown".

    Part of its assessment (like an attachment of a journal entry): read only through the
    assessment's visibility and the assessor rule of ``continuum.assessments.access``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="assessor_ratings")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(max_length=40)
    rating = models.IntegerField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    evidence_for = models.TextField(blank=True)
    evidence_against = models.TextField(blank=True)
    decisive = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment", "assessor", "item"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "assessor", "item"], name="one_rating_per_assessor_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}={self.rating}"


class ConsensusRating(models.Model):
    """The team's agreed rating of one item (``rating`` None: a known unknown, with the reason)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="consensus_ratings")
    item = models.CharField(max_length=40)
    rating = models.IntegerField(null=True, blank=True)
    rationale = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment", "item"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_consensus_per_item")]

    def __str__(self) -> str:
        return f"{self.item}={self.rating}"
