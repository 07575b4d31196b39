"""Cases, their multi-agency teams, and the journal."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.cases.choices import EntryKind, Phase, ReleaseConditionType, UnitType, in_sentence
from continuum.people.choices import LegalStatus
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
        constraints = [
            # One record follows the person: a second open case would split the team's work.
            models.UniqueConstraint(
                fields=["person"], condition=~models.Q(phase="closed"), name="one_open_case_per_person"
            ),
        ]
        indexes = [
            # Retention's daily run finds the closed cases through it (dataprotection/retention.py).
            models.Index(fields=["phase"], condition=models.Q(phase="closed"), name="case_closed"),
        ]

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
        verbose_name = gettext_lazy("journal entry")
        verbose_name_plural = gettext_lazy("journal entries")
        indexes = [models.Index(fields=["case", "category", "created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cases:entry_detail", args=[self.pk])

    def record_text(self) -> str:
        return self.body


class Attachment(models.Model):
    """A file attached to a journal entry; served only through the entry's visibility.

    ``file`` names the file's final place, ``attachments/YYYY/MM/<id>.<ext>`` (the field's
    ``upload_to`` is never used: files are not saved through the field). ``do_add_entry`` writes the
    file under ``attachments/incoming/`` and moves it there when the entry commits, so a file is in
    place only for a committed row; see ``cases/attachment_files.py`` and
    ``continuum remove_orphan_attachments``.
    """

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


# --- Continuity: custody, transfers, sentence, release conditions, hand-overs (issue 4) -----------
#
# Every model below that holds information about the person is a case record (category ``legal``
# unless said otherwise) and is read only through ``visible_to`` and the ``access_*`` helpers.
# Phase changes are facts about the case itself, like its phase: every current member sees them.


def _day(value: date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


class CustodyEpisode(CaseRecord):
    """A stay in one prison on one kind of unit. Re-entry into prison is a new episode on the same case."""

    facility = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    unit_type = models.CharField(max_length=20, choices=UnitType.choices, default=UnitType.REGULAR)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    record_type = "custody_episode"
    timeline_related = ("facility",)

    class Meta:
        ordering = ["started_on", "created_at"]
        indexes = [models.Index(fields=["case", "ended_on"])]
        verbose_name = gettext_lazy("custody episode")
        verbose_name_plural = gettext_lazy("custody episodes")

    def __str__(self) -> str:
        return _("Custody at %(prison)s, %(unit)s") % {
            "prison": self.facility.name,
            "unit": in_sentence(self.get_unit_type_display()),
        }

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def timeline_date(self) -> date:
        return self.started_on

    def timeline_label(self) -> str:
        values = {"prison": self.facility.name, "unit": in_sentence(self.get_unit_type_display())}
        if self.ended_on:
            return _("Custody started at %(prison)s, %(unit)s (until %(day)s)") % {**values, "day": _day(self.ended_on)}
        return _("Custody started at %(prison)s, %(unit)s") % values


class Transfer(CaseRecord):
    """A move to another prison (or to another unit of the same prison), with a hand-over note.

    The receiving prison becomes a member of the case and sees its history per the matrix; the
    sending prison's membership ends and it keeps only what it wrote (R1, R0).
    """

    from_facility = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_facility = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    transferred_on = models.DateField()
    unit_type = models.CharField(max_length=20, choices=UnitType.choices, default=UnitType.REGULAR)
    handover_note = models.TextField(blank=True)

    record_type = "transfer"
    timeline_related = ("from_facility", "to_facility")

    class Meta:
        ordering = ["transferred_on", "created_at"]
        verbose_name = gettext_lazy("transfer")
        verbose_name_plural = gettext_lazy("transfers")

    def __str__(self) -> str:
        if self.from_facility_id == self.to_facility_id:
            return _("Moved to the %(unit)s of %(prison)s") % {
                "unit": in_sentence(self.get_unit_type_display()),
                "prison": self.to_facility.name,
            }
        origin = self.from_facility.name if self.from_facility else _("an unrecorded prison")
        return _("Transferred from %(origin)s to %(prison)s") % {"origin": origin, "prison": self.to_facility.name}

    @property
    def within_facility(self) -> bool:
        return self.from_facility_id == self.to_facility_id

    def timeline_date(self) -> date:
        return self.transferred_on

    def record_text(self) -> str:
        return self.handover_note


class Sentence(CaseRecord):
    """The sentence's dates: imposed, starts, ends, and the earliest possible release."""

    imposed_on = models.DateField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    earliest_release_on = models.DateField(null=True, blank=True)

    record_type = "sentence"

    class Meta:
        ordering = ["imposed_on", "created_at"]
        verbose_name = gettext_lazy("sentence")
        verbose_name_plural = gettext_lazy("sentences")

    def __str__(self) -> str:
        return _("Sentence from %(start)s to %(end)s") % {"start": _day(self.starts_on), "end": _day(self.ends_on)}

    @property
    def release_on(self) -> date:
        """The date release is to be prepared for: the earliest release if known, else the end."""
        return self.earliest_release_on or self.ends_on

    def timeline_date(self) -> date:
        return self.imposed_on

    def timeline_label(self) -> str:
        values = {"start": _day(self.starts_on), "end": _day(self.ends_on)}
        if self.earliest_release_on:
            return _("Sentence imposed: %(start)s to %(end)s, earliest release %(release)s") % {
                **values,
                "release": _day(self.earliest_release_on),
            }
        return _("Sentence imposed: %(start)s to %(end)s") % values


class ReleaseCondition(CaseRecord):
    """A condition of release (electronic monitoring, curfew, reporting, …) and its period."""

    condition_type = models.CharField(max_length=32, choices=ReleaseConditionType.choices)
    details = models.TextField(blank=True)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    record_type = "release_condition"

    class Meta:
        ordering = ["valid_from", "created_at"]
        indexes = [models.Index(fields=["case", "valid_until"])]
        verbose_name = gettext_lazy("release condition")
        verbose_name_plural = gettext_lazy("release conditions")

    def __str__(self) -> str:
        return self.get_condition_type_display()

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def timeline_date(self) -> date:
        return self.valid_from

    def timeline_label(self) -> str:
        condition = in_sentence(self.get_condition_type_display())
        if self.valid_until:
            return _("Release condition: %(condition)s until %(day)s") % {
                "condition": condition,
                "day": _day(self.valid_until),
            }
        return _("Release condition: %(condition)s") % {"condition": condition}

    def record_text(self) -> str:
        return self.details


class Handover(CaseRecord):
    """Responsibility for a case passing from one practitioner to another within one organisation.

    The note is the record: its author picks the category among those they may write (``plan`` by
    default), so it is shared like any other record of that category. The new practitioner sees a
    hand-over summary on the case page until they acknowledge it.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    record_type = "handover"
    timeline_related = ("organisation", "from_user", "to_user")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = gettext_lazy("hand-over")
        verbose_name_plural = gettext_lazy("hand-overs")
        indexes = [models.Index(fields=["to_user", "acknowledged_at"])]

    def __str__(self) -> str:
        values = {"organisation": self.organisation.name, "new": self.to_user.display_name}
        if self.from_user:
            return _("Hand-over at %(organisation)s from %(old)s to %(new)s") % {
                **values,
                "old": self.from_user.display_name,
            }
        return _("Hand-over at %(organisation)s to %(new)s") % values

    def record_text(self) -> str:
        return self.note


class LegalStatusChange(CaseRecord):
    """A change of the person's legal status (a deportation order, citizenship revoked, …).

    Kept as a record because the status itself is an identity detail that any member may read,
    while the history and its reasons are ``legal`` information.
    """

    from_status = models.CharField(max_length=32, choices=LegalStatus.choices)
    to_status = models.CharField(max_length=32, choices=LegalStatus.choices)
    changed_on = models.DateField()
    note = models.TextField(blank=True)

    record_type = "legal_status_change"

    class Meta:
        ordering = ["changed_on", "created_at"]
        verbose_name = gettext_lazy("legal status change")
        verbose_name_plural = gettext_lazy("legal status changes")

    def __str__(self) -> str:
        return _("Legal status: %(old)s to %(new)s") % {
            "old": self.get_from_status_display(),
            "new": self.get_to_status_display(),
        }

    def timeline_date(self) -> date:
        return self.changed_on

    def record_text(self) -> str:
        return self.note


class PhaseChange(models.Model):
    """One change of a case's phase, by whom and why. Written by ``do_update_case``.

    Not a case record: like the phase itself, it is a fact about the case every current member sees.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="phase_changes")
    from_phase = models.CharField(max_length=16, choices=Phase.choices)
    to_phase = models.CharField(max_length=16, choices=Phase.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at"]

    def __str__(self) -> str:
        return f"{self.get_from_phase_display()} to {self.get_to_phase_display()}"
