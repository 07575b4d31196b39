"""Multi-agency case conferences, their decisions by consensus, actions and minutes (issue 6).

A ``Conference`` itself holds no information about a person: its kind, title, time, place, chair,
participating organisations and agenda (which cases). Members of the participating organisations see
it; what they see of each case on its agenda is decided by the sharing engine, case by case (R1, R12).
Decisions, actions and minutes are about one case each and are case records (category ``conference``),
read only through ``visible_to``.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.conferences.choices import ConferenceKind, DecisionStatus, PositionChoice, Recurrence, in_sentence
from continuum.sharing import engine
from continuum.sharing.choices import Category
from continuum.sharing.records import CaseRecord


class ConferenceQuerySet(models.QuerySet["Conference"]):
    def visible_to(self, user_or_viewer: Any) -> ConferenceQuerySet:
        """A conference is visible to the members of its participating organisations (who see case content)."""
        viewer = user_or_viewer if isinstance(user_or_viewer, engine.Viewer) else engine.viewer_for(user_or_viewer)
        if not viewer.sees_content or viewer.organisation_id is None:
            return self.none()
        return self.filter(participants=viewer.organisation_id)


def _add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


class Conference(models.Model):
    """One meeting, or a series of meetings with one recurrence rule (one record, like an RRULE).

    A recurring conference is stored once, with its first meeting and its rule; the next meetings are
    computed (``occurrences``). Decisions, actions and minutes belong to the series.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=32, choices=ConferenceKind.choices)
    title = models.CharField(max_length=200)
    scheduled_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(default=60)
    location = models.CharField(max_length=200, blank=True)
    recurrence = models.CharField(max_length=16, choices=Recurrence.choices, default=Recurrence.NONE)
    chair_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    participants = models.ManyToManyField("accounts.Organisation", related_name="+")
    cases = models.ManyToManyField("cases.Case", related_name="+", blank=True)
    # Minutes without case content: practical matters of the meeting itself (dates, attendance, process).
    general_minutes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_at"]
        indexes = [models.Index(fields=["scheduled_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conferences:conference_detail", args=[self.pk])

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def kind_description(self) -> str:
        from continuum.conferences.choices import KIND_DESCRIPTIONS

        return KIND_DESCRIPTIONS.get(self.kind, "")

    def _step(self, moment: datetime, n: int) -> datetime:
        if self.recurrence == Recurrence.WEEKLY:
            return moment + timedelta(weeks=n)
        if self.recurrence == Recurrence.EVERY_TWO_WEEKS:
            return moment + timedelta(weeks=2 * n)
        if self.recurrence == Recurrence.MONTHLY:
            return _add_months(moment, n)
        return moment

    @cached_property
    def cancelled_days(self) -> frozenset[date]:
        """The days of the series' meetings that were cancelled (``prefetch_related("cancelled_occurrences")``
        answers it for a list of conferences in one query)."""
        if self.recurrence == Recurrence.NONE:
            return frozenset()
        return frozenset(c.occurs_on for c in self.cancelled_occurrences.all())

    def _meeting(self, start: datetime, n: int) -> datetime:
        # Recurrence follows the local wall clock (a 10:00 meeting stays at 10:00 after a DST change).
        return timezone.make_aware(self._step(start.replace(tzinfo=None), n), start.tzinfo)

    def meets_on(self, day: date) -> bool:
        """Whether one of the series' meetings (cancelled or not) falls on ``day`` (local time)."""
        start = timezone.localtime(self.scheduled_at)
        first = start.date()
        if self.recurrence == Recurrence.NONE or day < first:
            return day == first
        if self.recurrence == Recurrence.MONTHLY:
            n = (day.year - first.year) * 12 + day.month - first.month
        else:
            n = (day - first).days // (7 if self.recurrence == Recurrence.WEEKLY else 14)
        return self._step(start.replace(tzinfo=None), n).date() == day

    def occurrences(
        self, *, after: datetime | None = None, count: int = 4, with_cancelled: bool = False
    ) -> list[datetime]:
        """The next ``count`` meetings that end after ``after`` (now by default); cancelled meetings of a
        series are left out unless ``with_cancelled``."""
        after = after or timezone.now()
        start = timezone.localtime(self.scheduled_at)
        if self.recurrence == Recurrence.NONE:
            return [start] if start + self.duration > after else []
        skipped = frozenset() if with_cancelled else self.cancelled_days
        found: list[datetime] = []
        n = 0
        if start + self.duration <= after and self.recurrence != Recurrence.MONTHLY:
            step = 7 if self.recurrence == Recurrence.WEEKLY else 14
            n = max(((after - start).days // step) - 1, 0)
        while len(found) < count and n < 2000:
            moment = self._meeting(start, n)
            if moment + self.duration > after and moment.date() not in skipped:
                found.append(moment)
            n += 1
        return found

    @property
    def next_meeting(self) -> datetime | None:
        upcoming = self.occurrences(count=1)
        return upcoming[0] if upcoming else None

    @property
    def last_meeting(self) -> datetime | None:
        """The latest meeting that has begun and was not cancelled (None before the first)."""
        now = timezone.now()
        start = timezone.localtime(self.scheduled_at)
        if start > now:
            return None
        if self.recurrence == Recurrence.NONE:
            return start
        last = None
        for n in range(5000):
            moment = self._meeting(start, n)
            if moment > now:
                break
            if moment.date() not in self.cancelled_days:
                last = moment
        return last


class Attendance(models.Model):
    """A named attendee of a conference: invited, present or not, and when they acknowledged confidentiality.

    Case content of the meeting (agenda, decisions, minutes, the pack) is shown to a user in the meeting
    view only once they acknowledged that what is discussed stays in the meeting (``acknowledged_at``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # None: not recorded yet (an invited attendee).
    present = models.BooleanField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]
        constraints = [models.UniqueConstraint(fields=["conference", "user"], name="one_attendance_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.conference_id}"


class CancelledOccurrence(models.Model):
    """One meeting of a recurring conference that does not take place; the series goes on.

    The meeting is named by its day (local time): a series meets at most once a day. Calendars get it as
    an ``EXDATE``; the lists and the home page skip it, the conference page marks it "Cancelled".
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="cancelled_occurrences")
    occurs_on = models.DateField()
    # Read by every participant: practical words (a holiday, a move), no names or case details.
    reason = models.CharField(max_length=500, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["occurs_on"]
        constraints = [models.UniqueConstraint(fields=["conference", "occurs_on"], name="one_cancellation_per_meeting")]

    def __str__(self) -> str:
        return f"{self.conference_id} on {self.occurs_on}: cancelled"


class Decision(CaseRecord):
    """A decision of a conference about one case, agreed by consensus of the organisations involved.

    ``status`` follows the positions (API.md): ``agreed`` when every participating organisation that is a
    member of the case has given a position and none disagrees (an abstention stands aside), ``blocked``
    while any disagrees, ``proposed`` otherwise. It is recomputed by ``do_give_position`` only.
    """

    category = models.CharField(max_length=32, choices=Category.choices, default=Category.CONFERENCE)
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    rationale = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED)
    agreed_at = models.DateTimeField(null=True, blank=True)
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        help_text=gettext_lazy(
            "The draft plan revision this decision agrees: once the decision is agreed, so is the plan."
        ),
    )

    record_type = "decision"

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["conference", "case"]), models.Index(fields=["case", "status"])]
        verbose_name = gettext_lazy("decision")
        verbose_name_plural = gettext_lazy("decisions")

    def __str__(self) -> str:
        return f"Decision: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("conferences:conference_detail", args=[self.conference_id]) + f"#decision-{self.pk}"

    def timeline_label(self) -> str:
        return _("Conference decision (%(status)s): %(text)s") % {
            "status": in_sentence(self.get_status_display()),
            "text": self.text[:120],
        }

    def record_text(self) -> str:
        if not self.rationale:
            return self.text
        return f"{self.text}\n" + _("Why: %(rationale)s") % {"rationale": self.rationale}


class Position(models.Model):
    """One participating organisation's position on a decision; a later one replaces it (history: audit log)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="positions")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=16, choices=PositionChoice.choices)
    comment = models.TextField(blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["given_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "organisation"], name="one_position_per_organisation"),
            models.CheckConstraint(
                condition=~Q(position=PositionChoice.DISAGREE) | ~Q(comment=""),
                name="disagreement_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.position}"


class ConferenceAction(CaseRecord):
    """Something an organisation of the case is to do after a decision, by a date."""

    category = models.CharField(max_length=32, choices=Category.choices, default=Category.CONFERENCE)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    owner_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    record_type = "conference_action"
    timeline_related = ("owner_organisation",)

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = gettext_lazy("conference action")
        verbose_name_plural = gettext_lazy("conference actions")
        indexes = [models.Index(fields=["owner_organisation", "completed_at", "due_on"])]

    def __str__(self) -> str:
        return f"Action: {self.description[:80]}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None

    @property
    def overdue(self) -> bool:
        return self.completed_at is None and self.due_on < timezone.localdate()

    def timeline_date(self) -> Any:
        return self.created_at

    def timeline_label(self) -> str:
        return _("Action for %(organisation)s, due %(day)s: %(text)s") % {
            "organisation": self.owner_organisation.name,
            "day": date_format(self.due_on, "DATE_FORMAT"),
            "text": self.description[:100],
        }

    def record_text(self) -> str:
        return self.description


class Minutes(CaseRecord):
    """The notes of a conference's discussion of one case on its agenda."""

    category = models.CharField(max_length=32, choices=Category.choices, default=Category.CONFERENCE)
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    record_type = "minutes"
    timeline_related = ("conference",)

    class Meta:
        ordering = ["created_at"]
        verbose_name = gettext_lazy("minutes")
        verbose_name_plural = gettext_lazy("minutes")

    def __str__(self) -> str:
        return f"Minutes: {self.text[:80]}"

    def timeline_label(self) -> str:
        return _("Minutes of %(title)s: %(text)s") % {"title": self.conference.title, "text": self.text[:100]}

    def record_text(self) -> str:
        return self.text


class CalendarFeed(models.Model):
    """A user's secret calendar link (``/conferences/calendar/<token>.ics``), for calendar apps that cannot log in.

    Only the SHA-256 of the token is stored; the link is shown once, when it is made. One per user:
    replacing it makes the old link a 404. The feed is computed for the user as they are at each
    fetch (``visible_to``), so a deactivated user, or an organisation that left a conference, gets
    only what it may see now; it holds no personal data (``calendar_feed``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar link of {self.user_id}"
