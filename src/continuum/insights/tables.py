"""Count tables of cases (issue 17; API.md "Insights"; the indicators are defined in docs/insights.md).

One row per case, with what the tables break it down by and what they measure, read in a fixed
number of queries. Two scopes:

- ``mine``: the cases the user's organisation is a member of (``Case.objects.visible_to``), each
  attribute read through the sharing engine too (an extremism type from a signal the user may not
  read is "not known" to them). Inside the team nothing is suppressed: these are people it sees anyway.
- ``all``: every case, for those who may see aggregates beyond their own cases (``policy``); the table
  then passes the disclosure control (``disclosure.protect``) whatever the user's role.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from continuum.cases.choices import Phase
from continuum.cases.models import Case
from continuum.insights.disclosure import BASE, THRESHOLD, SafeTable, full_table, key_order, protect
from continuum.people.choices import Gender
from continuum.plans.models import Milestone
from continuum.signals.choices import ExtremismType
from continuum.signals.models import Signal
from continuum.transition.models import ReleasePlan

MEASURES = ("cases", "persons", "milestones_achieved", "released")
DIMENSIONS = ("gender", "phase", "age_band", "extremism_type", "release_year")
MAX_BY = 3
NOT_RELEASED = "not_released"
UNKNOWN = "unknown"

MEASURE_LABELS = {
    "cases": _("Cases"),
    "persons": _("Persons"),
    "milestones_achieved": _("Milestones achieved"),
    "released": _("Releases"),
}
DIMENSION_LABELS = {
    "gender": _("Gender"),
    "phase": _("Phase"),
    "age_band": _("Age"),
    "extremism_type": _("Extremism type"),
    "release_year": _("Year of release"),
}
# Age today, in bands wide enough to say little about one person (under 18: a child, DESIGN.md R6).
AGE_BANDS = [
    ("under_18", 0, 17, _("Under 18")),
    ("18_24", 18, 24, _("18 to 24")),
    ("25_34", 25, 34, _("25 to 34")),
    ("35_44", 35, 44, _("35 to 44")),
    ("45_plus", 45, 200, _("45 and over")),
]


@dataclass(frozen=True)
class Row:
    case_id: Any
    person_id: Any
    gender: str
    phase: str
    age_band: str
    extremism_type: str
    release_year: str
    milestones_achieved: int
    latest_of_person: bool


def age_band(born: date | None, today: date) -> str:
    if born is None:
        return UNKNOWN
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return next((key for key, low, high, _label in AGE_BANDS if low <= age <= high), UNKNOWN)


def rows(cases: QuerySet[Case], user: Any = None, *, today: date | None = None) -> list[Row]:
    """One row per case. With ``user``, each attribute only from records the user may see."""
    today = today or timezone.localdate()

    def records(model: Any) -> QuerySet[Any]:
        return model.objects.visible_to(user) if user is not None else model.objects.all()

    latest_signal = records(Signal).filter(case=OuterRef("pk")).order_by("-created_at").values("extremism_type")[:1]
    released = (
        records(ReleasePlan)
        .filter(case=OuterRef("pk"), released_on__isnull=False)
        .order_by("-released_on")
        .values("released_on")[:1]
    )
    achieved = (
        records(Milestone)
        .filter(case=OuterRef("pk"), achieved_on__isnull=False)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = list(
        cases.annotate(
            extremism=Subquery(latest_signal),
            released_on=Subquery(released),
            achieved=Coalesce(Subquery(achieved, output_field=IntegerField()), Value(0)),
        )
        .select_related("person")
        .order_by("person_id", "-opened_at", "pk")
        .values_list(
            "pk", "person_id", "person__gender", "person__birth_date", "phase", "extremism", "released_on", "achieved"
        )
    )
    result, seen = [], set()
    for case_id, person_id, gender, born, phase, extremism, released_on, achieved_count in found:
        result.append(
            Row(
                case_id=case_id,
                person_id=person_id,
                gender=gender or Gender.UNKNOWN,
                phase=phase,
                age_band=age_band(born, today),
                extremism_type=extremism or ExtremismType.UNKNOWN,
                release_year=str(released_on.year) if released_on else NOT_RELEASED,
                milestones_achieved=int(achieved_count),
                latest_of_person=person_id not in seen,
            )
        )
        seen.add(person_id)
    return result


def domain(dimension: str, found: Sequence[Row], today: date) -> list[str]:
    """The values a dimension takes in the table: those of its list that at least one counted case has.

    A value nobody has (no one's gender is "other") is left out rather than shown as a hidden zero: a
    category with nobody in it says nothing about anyone, and keeping it would hide, by secondary
    suppression, every cell next to it. A value with one person is a cell like any other (hidden
    below 10). Release years run from the first year with a release to this year, and "not released".
    """
    present = {getattr(row, dimension) for row in found}
    if dimension == "release_year":
        years = [int(value) for value in present if value != NOT_RELEASED]
        first = min(years, default=today.year)
        return [str(year) for year in range(first, today.year + 1)] + [NOT_RELEASED]
    listed = {
        "gender": list(Gender.values),
        "phase": list(Phase.values),
        "age_band": [key for key, *_rest in AGE_BANDS] + [UNKNOWN],
        "extremism_type": list(ExtremismType.values),
    }[dimension]
    return [value for value in listed if value in present] or listed


def value_label(dimension: str, value: str | None) -> str:
    if value is None:
        return str(pgettext_lazy("table total", "All"))
    labels: dict[str, Any] = {
        "gender": dict(Gender.choices),
        "phase": dict(Phase.choices),
        "age_band": {key: label for key, _low, _high, label in AGE_BANDS},
        "extremism_type": dict(ExtremismType.choices),
        "release_year": {NOT_RELEASED: _("Not released")},
    }[dimension]
    return str(labels.get(value, _("Not known") if value == UNKNOWN else value))


@dataclass
class Table:
    measure: str
    by: tuple[str, ...]
    scope: str
    safe: SafeTable | None  # when it left the team through the disclosure control
    cells: list[tuple[tuple[str | None, ...], int | None, bool, str]]  # key, value, suppressed, reason
    totals: list[tuple[tuple[str | None, ...], int | None, bool, str]]


def _contributes(row: Row, measure: str) -> bool:
    if measure == "persons":
        return row.latest_of_person
    if measure == "released":
        return row.release_year != NOT_RELEASED
    return True


def counts(
    found: Sequence[Row], measure: str, by: Sequence[str]
) -> tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]]]:
    """The measure per combination of ``by`` values, and how many cases contribute to each."""
    amounts: Counter[tuple[str, ...]] = Counter()
    behind: Counter[tuple[str, ...]] = Counter()
    for row in found:
        if not _contributes(row, measure):
            continue
        key = tuple(getattr(row, dimension) for dimension in by)
        if measure == "milestones_achieved":
            amounts[key] += row.milestones_achieved
            behind[key] += 1 if row.milestones_achieved else 0
        else:
            amounts[key] += 1
            behind[key] += 1
    return amounts, behind


def build(measure: str, by: Sequence[str], found: Sequence[Row], *, scope: str, today: date | None = None) -> Table:
    """The table: protected when ``scope`` is ``all``, plain (inside the team) when ``mine``."""
    today = today or timezone.localdate()
    counted = [row for row in found if _contributes(row, measure)]
    domains = [domain(dimension, counted, today) for dimension in by]
    amounts, behind = counts(found, measure, by)
    if scope == "all":
        safe = protect(
            amounts,
            list(by),
            domains,
            contributors=behind if measure == "milestones_achieved" else None,
        )
        shown = [(c.key, c.value, c.suppressed, c.reason) for c in safe.cells]
        totals = [(c.key, c.value, c.suppressed, c.reason) for c in safe.totals]
        return Table(measure, tuple(by), scope, safe, shown, totals)
    values, _equations = full_table(amounts, domains)
    cells: list[tuple[tuple[str | None, ...], int | None, bool, str]] = [
        (key, value, False, "") for key, value in values.items() if None not in key
    ]
    plain: list[tuple[tuple[str | None, ...], int | None, bool, str]] = [
        (key, values[key], False, "") for key in sorted((k for k in values if None in k), key=key_order)
    ]
    return Table(measure, tuple(by), scope, None, cells, plain)


def cases_in_scope(user: Any, scope: str) -> tuple[QuerySet[Case], Any]:
    """The cases a table counts, and the user whose view the attributes are read through (or None)."""
    if scope == "all":
        return Case.objects.all(), None
    return Case.objects.visible_to(user), user


def as_data(table: Table) -> dict[str, Any]:
    """The table as API.md gives it: each cell with its breakdown values, value, suppressed (and why)."""

    def cell(key: tuple[str | None, ...], value: int | None, suppressed: bool, reason: str) -> dict[str, Any]:
        return {**dict(zip(table.by, key, strict=True)), "value": value, "suppressed": suppressed, "reason": reason}

    protected = table.safe is not None
    return {
        "measure": table.measure,
        "by": list(table.by),
        "scope": table.scope,
        "cells": [cell(*row) for row in table.cells],
        "totals": [cell(*row) for row in table.totals],
        "rules": {
            "threshold": THRESHOLD,
            "rounding": BASE,
            "applied": protected,
            "method": table.safe.method if table.safe is not None else "",
        },
    }
