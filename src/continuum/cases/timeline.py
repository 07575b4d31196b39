"""A person's whole history in one chronological view, showing only what the viewer may see.

Built generically: every case record model (``sharing.records.record_models()``) contributes its rows
through ``Model.objects.visible_to(user).filter(person=person)``, one query per model, dated and
labelled by the records' own ``timeline_date()`` and ``timeline_label()``. Events of the cases
themselves, which are not case records (the case opened, phase changes, organisations joining and
leaving the team), come from the cases the viewer's organisation is a current member of (R1).

The query count does not grow with the number of rows: one per record model, three for the case
events. Callers log the rows they show with ``sharing.access.read_records`` (R11).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation
from continuum.cases.choices import in_sentence
from continuum.cases.models import Case, CaseMember, PhaseChange
from continuum.people.models import Person
from continuum.sharing.choices import Category
from continuum.sharing.records import CaseRecord, record_models


@dataclass
class TimelineEvent:
    """One dated line of the timeline; ``record`` is the case record behind it, if any."""

    when: date | datetime
    kind: str
    kind_label: str
    label: str
    case_id: Any = None
    case_number: str = ""
    organisation: Organisation | None = None
    category: str = ""
    record: CaseRecord | None = None
    url: str = ""
    # What the record says in its own words (``CaseRecord.record_text``): only ever of a record the
    # viewer may read, since events are built from ``visible_to`` rows.
    text: str = ""
    # Among events of the same moment: the case opens and members join first, members leave last.
    rank: int = 1
    # Sort by this moment instead of ``when`` (a member joining on the day the case opened joins
    # when it opened, not at midnight before it).
    sort_at: datetime | None = None

    @property
    def sort_key(self) -> tuple[datetime, int]:
        return (self.sort_at or _moment(self.when), self.rank)

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category in Category.values else ""

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)

    @property
    def day(self) -> date:
        return timezone.localtime(self.when).date() if isinstance(self.when, datetime) else self.when

    @property
    def recorded_on(self) -> date | None:
        """The day the record was written, when that is not the day it is about (a custody episode
        entered afterwards); otherwise None."""
        if self.record is None:
            return None
        recorded = timezone.localtime(self.record.created_at).date()
        return recorded if recorded != self.day else None


def _moment(value: date | datetime) -> datetime:
    """A sortable, aware moment: a bare date counts as the start of that day."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.combine(value, time.min))


def _record_event(record: Any) -> TimelineEvent:
    when = record.timeline_date()
    # A record dated the day it was written (a transfer recorded as it happens) sorts at the moment it
    # was written, among that day's other events; one dated afterwards, at the start of its day.
    recorded = record.created_at
    same_day = not isinstance(when, datetime) and timezone.localtime(recorded).date() == when
    url_of = getattr(record, "get_absolute_url", None)
    case = record.case if record.case_id else None
    return TimelineEvent(
        when=when,
        kind=record.record_type,
        kind_label=str(record._meta.verbose_name).capitalize(),
        label=record.timeline_label(),
        case_id=record.case_id,
        case_number=case.number if case is not None else "",
        organisation=record.author_org,
        category=record.category,
        record=record,
        url=url_of() if callable(url_of) else "",
        text=record.record_text(),
        rank=1,
        sort_at=recorded if same_day else None,
    )


def _record_events(user: Any, scope: Q) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    for model in record_models():
        rows = model.objects.visible_to(user).filter(scope).select_related("case", *model.timeline_related)
        events.extend(_record_event(r) for r in rows)
    return events


def _case_events(cases: Sequence[Case]) -> list[TimelineEvent]:
    """The cases' own history: opened, phase changes, team changes (members see these, R1)."""
    if not cases:
        return []
    numbers = {c.pk: c.number for c in cases}
    opened = {c.pk: c.opened_at for c in cases}
    events = []
    for case in cases:
        events.append(
            TimelineEvent(
                when=case.opened_at,
                kind="case_opened",
                kind_label=_("Case"),
                label=_("Case %(number)s opened") % {"number": case.number},
                case_id=case.pk,
                case_number=case.number,
                organisation=case.created_by.organisation,
                rank=0,
            )
        )
    for change in PhaseChange.objects.filter(case__in=list(numbers)).select_related("changed_org", "changed_by"):
        phases = {
            "old": in_sentence(change.get_from_phase_display()),
            "new": in_sentence(change.get_to_phase_display()),
        }
        if change.changed_by:
            label = _("Phase changed from %(old)s to %(new)s by %(name)s") % {
                **phases,
                "name": change.changed_by.display_name,
            }
        else:
            label = _("Phase changed from %(old)s to %(new)s") % phases
        note = f": {change.note}" if change.note else ""
        events.append(
            TimelineEvent(
                when=change.changed_at,
                kind="phase_change",
                kind_label=_("Phase"),
                label=f"{label}{note}",
                case_id=change.case_id,
                case_number=numbers[change.case_id],
                organisation=change.changed_org,
                rank=2,
            )
        )
    for member in CaseMember.objects.filter(case__in=list(numbers)).select_related("organisation"):
        events.append(
            TimelineEvent(
                when=member.since,
                kind="member_joined",
                kind_label=_("Team"),
                label=_("%(name)s joined the team") % {"name": member.organisation.name},
                case_id=member.case_id,
                case_number=numbers[member.case_id],
                organisation=member.organisation,
                rank=0,
                sort_at=max(_moment(member.since), opened[member.case_id]),
            )
        )
        if member.until is not None:
            events.append(
                TimelineEvent(
                    when=member.until,
                    kind="member_left",
                    kind_label=_("Team"),
                    label=_("%(name)s left the team") % {"name": member.organisation.name},
                    case_id=member.case_id,
                    case_number=numbers[member.case_id],
                    organisation=member.organisation,
                    rank=3,
                    # An organisation leaves at the end of its last day in the team.
                    sort_at=_moment(member.until + timedelta(days=1)),
                )
            )
    return events


def person_timeline(user: Any, person: Person, *, newest_first: bool = False) -> list[TimelineEvent]:
    """Everything the user may see of the person's history, across cases, episodes and organisations."""
    cases = list(Case.objects.visible_to(user).filter(person=person).select_related("created_by__organisation"))
    events = _record_events(user, Q(person=person)) + _case_events(cases)
    return sorted(events, key=lambda e: e.sort_key, reverse=newest_first)


def case_timeline(user: Any, case: Case, *, newest_first: bool = True) -> list[TimelineEvent]:
    """The history of one case (visible to the user), e.g. for the hand-over summary."""
    events = _record_events(user, Q(case=case)) + _case_events([case])
    return sorted(events, key=lambda e: e.sort_key, reverse=newest_first)


def records_of(events: Sequence[TimelineEvent]) -> list[CaseRecord]:
    """The case records behind ``events``, for logging them as read (R11)."""
    return [e.record for e in events if e.record is not None]
