"""Staff training (issue 16): a course catalogue, sessions, completions with expiry, and requirements.

Training is about the users of Continuum, not about the persons of cases: no model here is a case
record. A completion is personal data about a member of staff, so every read of one is audited
(``continuum.audit.log.record``) and only the user, their organisation's coordinators and the
central point's coordinators read it (``policy``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from continuum.training.choices import Topic


class Course(models.Model):
    """A course of the catalogue; ``validity_months`` empty: a completion never expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    topic = models.CharField(max_length=32, choices=Topic.choices)
    validity_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # For an instrument certification: the instrument's code (``assessments.Instrument.code``).
    instrument = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "code"]
        verbose_name = gettext_lazy("course")
        verbose_name_plural = gettext_lazy("courses")

    def __str__(self) -> str:
        return self.name


class CourseSession(models.Model):
    """One time a course was held: when, where and by whom (the trainers are users of Continuum)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    place = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = gettext_lazy("course session")
        verbose_name_plural = gettext_lazy("course sessions")

    def __str__(self) -> str:
        return f"{self.course} ({self.held_on})"


class Attendance(models.Model):
    """Whether a user attended a session; attending a session that was held completes the course
    (the completion names the session, ``Completion.session``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(CourseSession, on_delete=models.PROTECT, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attendance_once_per_user")]
        verbose_name = gettext_lazy("session attendance")
        verbose_name_plural = gettext_lazy("session attendances")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.session_id} ({self.attended})"


class Completion(models.Model):
    """A user completed a course on a day; valid until ``valid_until`` (empty: never expires)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(CourseSession, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    completed_on = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-completed_on", "-recorded_at"]
        indexes = [models.Index(fields=["user", "course"], name="completion_user_course")]
        verbose_name = gettext_lazy("course completion")
        verbose_name_plural = gettext_lazy("course completions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.course_id} ({self.completed_on})"


class Requirement(models.Model):
    """Who needs a course: every criterion given must match (role, organisation type, the instrument
    the user assesses with, the gender of the case's person); at least one is given."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="requirements")
    role = models.CharField(max_length=32, blank=True)
    org_type = models.CharField(max_length=32, blank=True)
    instrument = models.CharField(max_length=40, blank=True)
    case_gender = models.CharField(max_length=16, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = gettext_lazy("training requirement")
        verbose_name_plural = gettext_lazy("training requirements")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="", org_type="", instrument="", case_gender=""), name="requirement_has_a_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.role}/{self.org_type}/{self.instrument}/{self.case_gender}"
