"""Retention after case closure: the periods, the review queue, legal holds and erasure.

docs/data-protection.md, "Retention" and "Erasure". Every case record belongs to one case (``case``)
and follows that case's closure; a person-level record (no case) follows all of its person's cases
(a child's records: the cases they are linked to, ``CaseRecord.linked_cases``), and is due only once
every one of them is closed and the period has passed since the last closure.

The queue is computed, never stored: one ``UNION ALL`` query over every record model counts the due
records per case (or person) and category, with the closure and whether a legal hold is in force, so
the data protection officer's list costs the same few queries whatever the number of record models.
It reads ids, categories and counts, never what records say (R10).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    UUIDField,
    Value,
)
from django.utils import timezone

from continuum.cases.choices import Phase
from continuum.cases.models import Case, PhaseChange
from continuum.dataprotection.retention_models import LegalHold, QueueEntry
from continuum.people.models import Person
from continuum.sharing.choices import Category
from continuum.sharing.records import CaseRecord, record_models

# Years after case closure, per category: defaults a deployment's DPIA must confirm
# (docs/data-protection.md, "Retention", gives the reason of each); CONTINUUM_RETENTION_YEARS overrides.
DEFAULT_YEARS: dict[str, int] = {
    Category.IDENTITY: 10,
    Category.LEGAL: 10,
    Category.SECURITY: 5,
    Category.RISK_ASSESSMENT: 5,
    Category.IDEOLOGY: 5,
    Category.MENTAL_HEALTH: 5,
    Category.COUNSELLING: 5,
    Category.FAMILY: 3,
    Category.CHILDREN: 2,
    Category.DAILY_LIFE: 2,
    Category.PLAN: 3,
    Category.CONFERENCE: 3,
}


def periods() -> dict[str, int]:
    """The years of every category: the defaults with the deployment's overrides."""
    overrides = dict(getattr(settings, "CONTINUUM_RETENTION_YEARS", {}) or {})
    unknown = sorted(set(overrides) - set(Category.values))
    if unknown:
        raise ImproperlyConfigured(
            f"CONTINUUM_RETENTION_YEARS names unknown categories: {', '.join(unknown)}; "
            f"known: {', '.join(Category.values)}."
        )
    return {str(category): overrides.get(str(category), years) for category, years in DEFAULT_YEARS.items()}


def review_days() -> int:
    return int(getattr(settings, "CONTINUUM_RETENTION_REVIEW_DAYS", 30))


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years; 29 February becomes 28 February in a common year."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def _outer(name: str, depth: int) -> Any:
    ref: Any = name
    for _ in range(depth):
        ref = OuterRef(ref)
    return ref


def _relevant_cases(model: type[CaseRecord], *, person_level: bool, depth: int) -> QuerySet[Case]:
    """The cases whose closure a record follows, seen from ``depth`` subqueries inside the record's query."""
    if not person_level:
        return Case.objects.filter(pk=_outer("case", depth))
    if model.linked_cases is not None:
        return Case.objects.filter(pk__in=model.linked_cases(_outer("person", depth + 1)))
    return Case.objects.filter(person=_outer("person", depth))


def _due_part(model: type[CaseRecord], index: int, *, person_level: bool, today: date) -> QuerySet[Any]:
    """One model's records whose cases are all closed, counted per case (or person) and category."""
    closed = Phase.CLOSED
    cases = _relevant_cases(model, person_level=person_level, depth=1)
    last_closure = Subquery(
        PhaseChange.objects.filter(case__in=_relevant_cases(model, person_level=person_level, depth=2), to_phase=closed)
        .order_by("-changed_at")
        .values("changed_at")[:1],
        output_field=DateTimeField(),
    )
    # The hold in force that lasts longest (its id), if any.
    hold = Subquery(
        LegalHold.objects.filter(
            case__in=_relevant_cases(model, person_level=person_level, depth=2),
            ended_at__isnull=True,
            until__gte=today,
        )
        .order_by("-until", "pk")
        .values("pk")[:1],
        output_field=UUIDField(),
    )
    rows = model._base_manager.order_by()
    if person_level:
        rows = rows.filter(case__isnull=True).filter(Exists(cases), ~Exists(cases.exclude(phase=closed)))
    else:
        # Driven from the closed cases: each record table is searched by its ``case`` index.
        rows = rows.filter(case_id__in=Case.objects.filter(phase=closed).values("pk"))
    return (
        rows.annotate(
            _model=Value(index, output_field=IntegerField()),
            _closed=last_closure,
            _hold=hold,
        )
        .filter(_closed__isnull=False)
        .values("_model", "case_id", "person_id", "category", "_closed", "_hold")
        .annotate(_n=Count("pk"))
    )


@dataclass
class DueGroup:
    """The due records of one case (or one person's person-level records) in one category."""

    case_id: UUID | None
    person_id: UUID
    category: str
    closed_at: datetime
    due_on: date
    held: bool
    counts: dict[str, int] = field(default_factory=dict)  # record_type -> records
    models: list[type[CaseRecord]] = field(default_factory=list)
    entered_on: date | None = None  # when the daily run first listed it (None: not yet)
    case_number: str = ""
    person_reference: str = ""
    holds: list[LegalHold] = field(default_factory=list)
    hold_ids: set[UUID] = field(default_factory=set)

    @property
    def key(self) -> tuple[UUID | None, UUID | None, str]:
        return (self.case_id, None if self.case_id else self.person_id, self.category)

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label) if self.category in Category.values else self.category

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    def erasure_on(self, today: date) -> date:
        """When the daily run erases it (once it is not held): review days after it entered the queue."""
        return (self.entered_on or today) + timedelta(days=review_days())


def due_groups(today: date | None = None, *, details: bool = True) -> list[DueGroup]:
    """Every group of records past its category's period after closure, oldest due first.

    ``details`` adds each group's case number, person reference, holds and queue date (three queries).
    """
    today = today or timezone.localdate()
    years = periods()
    models = record_models()
    parts = [
        _due_part(model, index, person_level=person_level, today=today)
        for index, model in enumerate(models)
        for person_level in (False, True)
    ]
    groups: dict[tuple[Any, ...], DueGroup] = {}
    for row in parts[0].union(*parts[1:], all=True):
        category = row["category"]
        closed_at = row["_closed"]
        due_on = add_years(timezone.localtime(closed_at).date(), years.get(category, DEFAULT_YEARS[Category.LEGAL]))
        if due_on > today:
            continue
        model = models[row["_model"]]
        key = (row["case_id"], None if row["case_id"] else row["person_id"], category)
        group = groups.get(key)
        if group is None:
            group = groups[key] = DueGroup(row["case_id"], row["person_id"], category, closed_at, due_on, False)
        group.counts[model.record_type] = group.counts.get(model.record_type, 0) + row["_n"]
        if model not in group.models:
            group.models.append(model)
        if row["_hold"] is not None:
            group.held = True
            group.hold_ids.add(row["_hold"])
    result = sorted(groups.values(), key=lambda g: (g.due_on, str(g.case_id or g.person_id), g.category))
    if details and result:
        _add_details(result, today)
    return result


def _add_details(groups: list[DueGroup], today: date) -> None:
    case_ids = {g.case_id for g in groups if g.case_id}
    person_ids = {g.person_id for g in groups}
    numbers = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "number"))
    references = dict(Person._base_manager.filter(pk__in=person_ids).values_list("pk", "reference"))
    hold_ids = set().union(*(g.hold_ids for g in groups))
    holds = LegalHold.objects.in_bulk(hold_ids) if hold_ids else {}
    entered: dict[tuple[Any, ...], date] = {}
    for entry in QueueEntry.objects.filter(Q(case_id__in=case_ids) | Q(case__isnull=True, person_id__in=person_ids)):
        entered[(entry.case_id, None if entry.case_id else entry.person_id, entry.category)] = entry.entered_on
    for group in groups:
        group.case_number = numbers.get(group.case_id, "") if group.case_id else ""
        group.person_reference = references.get(group.person_id, "")
        group.holds = [holds[pk] for pk in group.hold_ids if pk in holds]
        group.entered_on = entered.get(group.key)
