"""Signals of possible radicalisation reported to the central point, and its enrichment notes.

Both are case records (``sharing.records.CaseRecord``) flagged as triage data: the central point sees
every one of them (basis ``triage``); the reporting organisation sees its own (R0); once a signal is
linked to a person or a case, the members of that person's case see it per the matrix (``security``).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.people.choices import Gender
from continuum.sharing.choices import Category
from continuum.sharing.records import CaseRecord
from continuum.signals.choices import (
    Channel,
    Decision,
    ExtremismType,
    OffenceType,
    Setting,
    SignalStatus,
    in_sentence,
)


def outside_status_q(status: str) -> Q:
    """The signals whose ``outside_status`` is ``status``, as a filter (see ``Signal.outside_status``)."""
    back_in_queue = Q(status=SignalStatus.NEW, decision=Decision.MONITOR)
    if status == SignalStatus.NEW:
        return Q(status=SignalStatus.NEW) & ~back_in_queue
    if status == SignalStatus.MONITORING:
        return Q(status=SignalStatus.MONITORING) | back_in_queue
    return Q(status=status)


class Signal(CaseRecord):
    """One signal: who reported it, whom it is about, what was seen, and the central point's triage.

    The reporting organisation is ``author_org`` and the reporter ``author``. The subject is an existing
    ``person`` or the details the reporter typed (kept on the signal, also after a match, as reported).
    """

    # A signal about someone not yet known has no person until the central point confirms a match or
    # registers the person; the record then follows the person (R1) like any other.
    person = models.ForeignKey(  # type: ignore[assignment]  # nullable here, unlike the base
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.CharField(max_length=32, choices=Category.choices, default=Category.SECURITY)
    number = models.PositiveIntegerField(unique=True, editable=False)

    subject_given_name = models.CharField("given name", max_length=100)
    subject_family_name = models.CharField("family name", max_length=100)
    subject_birth_date = models.DateField("date of birth", null=True, blank=True)
    subject_gender = models.CharField("gender", max_length=16, choices=Gender.choices, default=Gender.UNKNOWN)
    subject_nationality = models.CharField("nationality", max_length=64, blank=True)

    description = models.TextField()
    extremism_type = models.CharField(max_length=16, choices=ExtremismType.choices)
    offence_type = models.CharField(max_length=20, choices=OffenceType.choices)
    setting = models.CharField(max_length=16, choices=Setting.choices, default=Setting.OTHER)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.FORM)

    status = models.CharField(max_length=16, choices=SignalStatus.choices, default=SignalStatus.NEW)
    # When the signal (re-)entered the triage queue; the queue is worked oldest first.
    queued_at = models.DateTimeField(default=timezone.now)
    # Why a decided signal is back in the queue (a re-triage), for the central point.
    queue_note = models.CharField(max_length=300, blank=True)

    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    rationale = models.TextField(blank=True)
    review_date = models.DateField(null=True, blank=True)
    # ``triaged_at`` without ``triaged_by``: decided by the system (automatic inclusion).
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)

    record_type = "signal"
    central_point_triage: ClassVar[bool] = True

    class Meta:
        ordering = ["queued_at", "number"]
        indexes = [
            models.Index(fields=["status", "queued_at"]),
            models.Index(fields=["person", "status"]),
            models.Index(fields=["author_org", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=SignalStatus.MONITORING) | Q(review_date__isnull=False),
                name="monitored_signal_has_review_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"S-{self.number}"

    @property
    def subject_name(self) -> str:
        return f"{self.subject_given_name} {self.subject_family_name}".strip()

    @property
    def decided_by_system(self) -> bool:
        return self.triaged_at is not None and self.triaged_by_id is None

    @property
    def review_overdue(self) -> bool:
        return (
            self.status == SignalStatus.MONITORING
            and self.review_date is not None
            and self.review_date <= timezone.localdate()
        )

    @property
    def outside_status(self) -> str:
        """The status as anyone but the central point sees it (the reporter, case members).

        A monitored signal put back in the queue by a new signal about the same person stays
        ``monitoring`` here until the central point decides again: otherwise its reporter would learn
        that someone else reported the person (R12). Every change this shows is one a decision makes.
        """
        if self.status == SignalStatus.NEW and self.decision == Decision.MONITOR:
            return SignalStatus.MONITORING
        return self.status

    @property
    def outside_status_label(self) -> str:
        return str(SignalStatus(self.outside_status).label)

    @property
    def case_pending(self) -> bool:
        """Included (automatically) but no case yet: the central point opens it."""
        return self.status == SignalStatus.INCLUDED and self.case_id is None

    def get_absolute_url(self) -> str:
        return reverse("signals:signal_detail", args=[self.pk])

    def timeline_label(self) -> str:
        return _("Signal %(reference)s from %(organisation)s: %(extremism)s, %(offence)s") % {
            "reference": self.reference,
            "organisation": self.author_org.name,
            "extremism": in_sentence(self.get_extremism_type_display()),
            "offence": in_sentence(self.get_offence_type_display()),
        }

    def record_text(self) -> str:
        return self.description


class SignalNote(CaseRecord):
    """What the central point adds to a signal while it assesses it (enrichment)."""

    # Follows its signal's person: none while the signal has none.
    person = models.ForeignKey(  # type: ignore[assignment]  # nullable here, unlike the base
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.CharField(max_length=32, choices=Category.choices, default=Category.SECURITY)
    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    record_type = "signal_note"
    central_point_triage: ClassVar[bool] = True

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return _("Central point note: %(text)s") % {"text": self.text[:80]}

    def get_absolute_url(self) -> str:
        return reverse("signals:signal_detail", args=[self.signal_id])

    def record_text(self) -> str:
        return self.text
