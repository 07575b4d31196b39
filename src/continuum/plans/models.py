"""Reintegration plans, their goals and milestones, and interventions with their sessions (issue 6).

Every one of them but a session is a case record (``sharing.records.CaseRecord``): the sharing engine
decides who sees it. Plans, goals and milestones are filed under ``plan``; an intervention under the
category its type implies (``choices.INTERVENTION_CATEGORY``). A session is part of its intervention
and is read only through the intervention's visibility, like an attachment of a journal entry.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.plans.choices import (
    AgreementPosition,
    FocusArea,
    InterventionStatus,
    InterventionType,
    ParentingApproach,
    PlanStatus,
    SessionKind,
)
from continuum.sharing.choices import Category
from continuum.sharing.records import CaseRecord


class Plan(CaseRecord):
    """One revision of a case's reintegration plan: draft, then agreed (by a conference), then superseded.

    ``version`` is for optimistic concurrency (an update sends the version it read); ``revision`` counts
    the plan's revisions on the case (1, 2, 3 …). A plan becomes ``agreed`` only through an agreed
    decision of a case conference (``actions.do_agree_plan``); agreed and superseded plans never change.
    """

    revision = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    summary = models.TextField(blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    # The conference decision that agreed it. A plain id, not a foreign key: conferences point at
    # plans, not the other way round (plans stays below conferences in the dependency order).
    agreed_through_decision = models.UUIDField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # The person's own position on the plan (DESIGN.md 2.6, co-ownership).
    agreement_position = models.CharField(max_length=20, choices=AgreementPosition.choices, blank=True)
    agreement_persons_words = models.TextField(blank=True)
    agreement_reason = models.TextField(blank=True)
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreement_recorded_on = models.DateField(null=True, blank=True)

    record_type = "plan"

    class Meta:
        ordering = ["case", "-revision"]
        verbose_name = gettext_lazy("plan")
        verbose_name_plural = gettext_lazy("plans")
        constraints = [
            models.UniqueConstraint(fields=["case", "revision"], name="one_plan_revision_per_number"),
            models.UniqueConstraint(fields=["case"], condition=Q(status="draft"), name="one_draft_plan_per_case"),
        ]

    def __str__(self) -> str:
        return f"Plan, revision {self.revision} ({self.get_status_display().lower()})"

    def timeline_label(self) -> str:
        if self.status == PlanStatus.AGREED:
            return _("Plan revision %(revision)s agreed") % {"revision": self.revision}
        return _("Plan revision %(revision)s started") % {"revision": self.revision}

    def record_text(self) -> str:
        return self.summary

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def has_agreement(self) -> bool:
        return bool(self.agreement_position)


class Goal(CaseRecord):
    """A goal of the plan in one MAR focus area, in the person's own words, owned by one organisation."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="goals")
    focus_area = models.CharField(max_length=24, choices=FocusArea.choices)
    description = models.TextField()
    persons_own_words = models.TextField(blank=True)
    owner_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    # The goal of the earlier revision this one was copied from (a new revision copies its goals).
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    record_type = "plan_goal"

    class Meta:
        ordering = ["plan", "focus_area", "created_at"]
        verbose_name = gettext_lazy("goal")
        verbose_name_plural = gettext_lazy("goals")

    def __str__(self) -> str:
        return _("Goal (%(area)s)") % {"area": self.get_focus_area_display()}

    def record_text(self) -> str:
        words = (
            "\n" + _("In the person's words: “%(words)s”") % {"words": self.persons_own_words}
            if self.persons_own_words
            else ""
        )
        return f"{self.description}{words}"


class Milestone(CaseRecord):
    """A small, dated step towards a goal; achieved on a date, with a note.

    R8: a mentoring organisation sees the milestones assigned to it (``mentor_assigned_q``) and
    nothing else of the plan.
    """

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="milestones")
    description = models.TextField()
    target_on = models.DateField()
    achieved_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    assigned_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    record_type = "plan_milestone"

    class Meta:
        ordering = ["goal", "target_on", "created_at"]
        verbose_name = gettext_lazy("milestone")
        verbose_name_plural = gettext_lazy("milestones")

    def __str__(self) -> str:
        return _("Milestone due %(day)s") % {"day": date_format(self.target_on, "DATE_FORMAT")}

    def record_text(self) -> str:
        return f"{self.description}\n{self.note}" if self.note else self.description

    @staticmethod
    def mentor_assigned_q(viewer: Any) -> Q:
        """R8: the milestones assigned to the viewing (mentoring) organisation."""
        return Q(assigned_organisation_id=viewer.organisation_id)

    @property
    def achieved(self) -> bool:
        return self.achieved_on is not None

    def is_overdue(self, today: date | None = None) -> bool:
        return self.achieved_on is None and self.target_on < (today or timezone.localdate())


class Intervention(CaseRecord):
    """Help the person receives: its type, who provides it, voluntary or mandated, how often, since when."""

    type = models.CharField(max_length=32, choices=InterventionType.choices)
    provider_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    voluntary = models.BooleanField(default=True, help_text=gettext_lazy("Voluntary; otherwise mandated."))
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    frequency = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=16, choices=InterventionStatus.choices, default=InterventionStatus.ACTIVE)
    outcome_note = models.TextField(blank=True)
    # Only for parenting support (issue 15): how the support works, e.g. attachment-based with video
    # feedback (the Dutch NIKA method). Blank for every other type.
    approach = models.CharField(max_length=24, choices=ParentingApproach.choices, blank=True)
    # A participation in a group programme (issue 16): this person's place in the group, on this
    # person's case, so that the group's other participants stay out of sight (R12).
    group = models.ForeignKey(
        "plans.GroupProgramme", on_delete=models.PROTECT, null=True, blank=True, related_name="participations"
    )

    record_type = "intervention"

    class Meta:
        ordering = ["-starts_on", "-created_at"]
        verbose_name = gettext_lazy("intervention")
        verbose_name_plural = gettext_lazy("interventions")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "case"], condition=Q(group__isnull=False), name="one_participation_per_group"
            ),
        ]

    def __str__(self) -> str:
        return _("%(type)s from %(day)s") % {
            "type": self.get_type_display(),
            "day": date_format(self.starts_on, "DATE_FORMAT"),
        }

    def timeline_label(self) -> str:
        return _("%(intervention)s started") % {"intervention": self.get_type_display()}

    @property
    def is_parenting_support(self) -> bool:
        return self.type == InterventionType.PARENTING_SUPPORT

    def record_text(self) -> str:
        kind = _("Voluntary") if self.voluntary else _("Mandated")
        approach = self.get_approach_display() if self.approach else ""
        how = ", ".join(part for part in (kind, approach, self.frequency) if part)
        outcome = f"\n{self.outcome_note}" if self.outcome_note else ""
        status = _("running") if self.status == InterventionStatus.ACTIVE else _("ended")
        return _("%(how)s; %(status)s.") % {"how": how, "status": status} + outcome

    def timeline_date(self) -> Any:
        return self.starts_on


class InterventionSession(models.Model):
    """One session of an intervention and whether the person attended: part of its intervention."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    attended = models.BooleanField()
    note = models.TextField(blank=True)
    # Only for parenting support (issue 15): whether video feedback on how the child reacted to the
    # parent was discussed, and the assignment agreed for before the next session.
    video_feedback = models.BooleanField(default=False)
    assignment = models.TextField(blank=True)
    # Group programmes (issue 16): the person's attendance at one session of the group, or an
    # individual interview the participant asked for.
    kind = models.CharField(max_length=24, choices=SessionKind.choices, default=SessionKind.SESSION)
    group_session = models.ForeignKey(
        "plans.GroupSession", on_delete=models.PROTECT, null=True, blank=True, related_name="attendance"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["intervention", "-held_on", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "group_session"],
                condition=Q(group_session__isnull=False),
                name="one_attendance_per_group_session",
            ),
        ]

    def __str__(self) -> str:
        return f"Session on {self.held_on:%Y-%m-%d}"


class GroupProgramme(models.Model):
    """An intervention delivered to a group (issue 16): what, by whom, how often, since when.

    Not a case record and no one's information: each participant takes part through an
    ``Intervention`` on their own case (``group``), which the sharing engine shows to that case's
    team only. The programme is seen by its provider and its facilitating organisations.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    type = models.CharField(max_length=32, choices=InterventionType.choices)
    category = models.CharField(max_length=32, choices=Category.choices)
    description = models.TextField(blank=True)
    provider_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    facilitator_organisations = models.ManyToManyField("accounts.Organisation", blank=True, related_name="+")
    voluntary = models.BooleanField(default=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    frequency = models.CharField(max_length=100, blank=True)
    place = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "title"]
        indexes = [models.Index(fields=["provider_organisation", "starts_on"], name="group_provider")]
        verbose_name = gettext_lazy("group programme")
        verbose_name_plural = gettext_lazy("group programmes")

    def __str__(self) -> str:
        return _("%(type)s from %(day)s") % {
            "type": self.get_type_display(),
            "day": date_format(self.starts_on, "DATE_FORMAT"),
        }


class GroupSession(models.Model):
    """One meeting of a group programme: when, the topic, who facilitated, the external experts.

    Each participant's attendance, and the facilitators' note about that participant, is an
    ``InterventionSession`` of the participant's own intervention (``attendance``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(GroupProgramme, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    topic = models.CharField(max_length=200)
    external_experts = models.CharField(max_length=300, blank=True)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-recorded_at"]
        verbose_name = gettext_lazy("group session")
        verbose_name_plural = gettext_lazy("group sessions")

    def __str__(self) -> str:
        return _("Group session on %(day)s") % {"day": date_format(self.held_on, "DATE_FORMAT")}
