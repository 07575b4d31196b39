"""Mentoring (issue 16, DESIGN.md R8): mentor profiles, their supervision, matches and sessions.

A ``MentorProfile`` (and its ``Supervision``) is about a member of staff of a mentoring organisation,
not about a case's person: it is no case record. A ``Mentoring`` (the match) is a case record of
category ``plan`` written by whoever made the match, so the case team sees it per the matrix; the
mentoring organisation sees it through ``mentor_assigned_q`` (R8). A ``MentoringSession`` is a case
record of category ``daily_life`` written by the mentor: the mentor sees it because it wrote it (R0).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.mentoring.choices import MentorRiskLevel, MentorType, MentorVetting
from continuum.sharing.records import CaseRecord


class MentorProfile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentor_profile")
    type = models.CharField(max_length=16, choices=MentorType.choices)
    languages = models.JSONField(default=list, blank=True)
    gender = models.CharField(max_length=16, blank=True)
    experience = models.JSONField(default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(default=1)
    max_risk_level = models.CharField(max_length=8, choices=MentorRiskLevel.choices, default=MentorRiskLevel.MEDIUM)
    vetting = models.CharField(max_length=16, choices=MentorVetting.choices, default=MentorVetting.PENDING)
    vetted_on = models.DateField(null=True, blank=True)
    disengagement_reviewed_on = models.DateField(null=True, blank=True)
    disengagement_note = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        verbose_name = gettext_lazy("mentor profile")
        verbose_name_plural = gettext_lazy("mentor profiles")

    def __str__(self) -> str:
        return str(self.user)


class Supervision(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(MentorProfile, on_delete=models.PROTECT, related_name="supervisions")
    held_on = models.DateField()
    supervisor = models.CharField(max_length=200, blank=True)
    supervisor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-recorded_at"]
        verbose_name = gettext_lazy("supervision")
        verbose_name_plural = gettext_lazy("supervisions")

    def __str__(self) -> str:
        return f"{self.profile_id} ({self.held_on})"


class Mentoring(CaseRecord):
    """A match of a mentor with a case's person, with both consents."""

    mentor = models.ForeignKey(MentorProfile, on_delete=models.PROTECT, related_name="matches")
    mentee_consent_on = models.DateField()
    mentor_consent_on = models.DateField()
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    record_type: ClassVar[str] = "mentoring"
    timeline_related: ClassVar[tuple[str, ...]] = ("mentor__user",)

    class Meta:
        ordering = ["-started_on", "-created_at"]
        verbose_name = gettext_lazy("mentoring")
        verbose_name_plural = gettext_lazy("mentorings")

    def __str__(self) -> str:
        return f"{self.mentor_id} ({self.started_on})"

    def timeline_date(self) -> date:
        return self.started_on

    def timeline_label(self) -> str:
        user = self.mentor.user
        return _("Matched with the mentor %(name)s") % {"name": user.get_full_name() or user.username}

    def get_absolute_url(self) -> str:
        return reverse("mentoring:mentoring_detail", kwargs={"mentoring_id": self.pk})

    @staticmethod
    def mentor_assigned_q(viewer: Any) -> Q:
        """R8: a mentoring organisation sees the matches of its own mentors."""
        return Q(mentor__user__organisation_id=viewer.organisation_id)

    @property
    def active(self) -> bool:
        return self.ended_on is None


class MentoringSession(CaseRecord):
    """A meeting of mentor and mentee, written by the mentor (R0: the mentor sees what it wrote)."""

    mentoring = models.ForeignKey(Mentoring, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    note = models.TextField(blank=True)

    record_type: ClassVar[str] = "mentoring_session"

    class Meta:
        ordering = ["-held_on", "-created_at"]
        verbose_name = gettext_lazy("mentoring session")
        verbose_name_plural = gettext_lazy("mentoring sessions")

    def __str__(self) -> str:
        return f"{self.mentoring_id} ({self.held_on})"

    def timeline_date(self) -> date:
        return self.held_on

    def timeline_label(self) -> str:
        return _("A session with the mentor")

    def record_text(self) -> str:
        return self.note

    def get_absolute_url(self) -> str:
        return reverse("mentoring:mentoring_detail", kwargs={"mentoring_id": self.mentoring_id})
