"""Count tables of cases and the outcome indicators (issue 17; API.md "Insights"; docs/insights.md
defines each measure and its source).

One row per case, with what the tables break it down by and what they measure, read in one query
(a subquery per attribute). Two scopes:

- ``mine``: the cases the user's organisation is a member of (``Case.objects.visible_to``), each
  attribute read through the sharing engine too (an extremism type from a signal the user may not
  read is "not known" to them). Inside the team nothing is suppressed: these are people it sees anyway.
- ``all``: every case, for those who may see aggregates beyond their own cases (``policy``); the table
  then passes the disclosure control (``disclosure.protect``) whatever the user's role.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from continuum.cases.choices import Phase
from continuum.cases.models import Case, PhaseChange
from continuum.insights.disclosure import BASE, THRESHOLD, SafeTable, full_table, key_order, protect
from continuum.people.choices import Gender
from continuum.plans.models import Intervention, InterventionSession, Milestone
from continuum.signals.choices import ExtremismType
from continuum.signals.models import Signal
from continuum.transition.choices import OPEN, Domain
from continuum.transition.models import ReleaseItem, ReleasePlan, ReoffendingRecord, ResettlementCheck

DIMENSIONS = ("gender", "phase", "age_band", "extremism_type", "release_year", "time_in_programme")
MAX_BY = 3
NOT_RELEASED = "not_released"
UNKNOWN = "unknown"

DIMENSION_LABELS = {
    "gender": _("Gender"),
    "phase": _("Phase"),
    "age_band": _("Age"),
    "extremism_type": _("Extremism type"),
    "release_year": _("Year of release"),
    "time_in_programme": _("Time in the programme"),
}
# Age today, in bands wide enough to say little about one person (under 18: a child, DESIGN.md R6).
AGE_BANDS = [
    ("under_18", 0, 17, _("Under 18")),
    ("18_24", 18, 24, _("18 to 24")),
    ("25_34", 25, 34, _("25 to 34")),
    ("35_44", 35, 44, _("35 to 44")),
    ("45_plus", 45, 200, _("45 and over")),
]
# Time from the case's opening to its closing (or today), in bands of whole years.
TIME_BANDS = [
    ("under_1y", 0, 364, _("Under a year")),
    ("1_2y", 365, 729, _("1 to 2 years")),
    ("2_5y", 730, 1825, _("2 to 5 years")),
    ("5y_plus", 1826, 10**6, _("5 years and over")),
]
# A release item counts as in place at the gate when it is done, or when support was not needed (the
# person has somewhere to live already). Declined support is not counted as in place.
IN_PLACE = ("done", "support_not_required")
SETTLED_HOUSING = ("settled",)
WORK_OR_EDUCATION = ("working", "in_education")
FAMILY_CONTACT = ("regular", "occasional")


@dataclass(frozen=True)
class Row:
    case_id: Any
    person_id: Any
    gender: str
    phase: str
    age_band: str
    extremism_type: str
    release_year: str
    time_in_programme: str
    milestones_set: int
    milestones_achieved: int
    sessions_recorded: int
    sessions_attended: int
    phase_transitions: int
    ready_at_gate: bool
    housed_at_release: bool
    working_at_release: bool
    family_contact_at_release: bool
    checked_after_release: bool
    housed_after_release: bool
    working_after_release: bool
    family_contact_after_release: bool
    recalled: bool
    charged: bool
    convicted: bool
    latest_of_person: bool

    @property
    def released(self) -> bool:
        return self.release_year != NOT_RELEASED

    @property
    def time_label(self) -> str:
        return value_label("time_in_programme", self.time_in_programme)


def age_band(born: date | None, today: date) -> str:
    if born is None:
        return UNKNOWN
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return next((key for key, low, high, _label in AGE_BANDS if low <= age <= high), UNKNOWN)


def time_band(opened: datetime, closed: datetime | None, now: datetime) -> str:
    days = max(((closed or now) - opened).days, 0)
    return next(key for key, low, high, _label in TIME_BANDS if low <= days <= high)


def rows(cases: QuerySet[Case], user: Any = None, *, today: date | None = None) -> list[Row]:
    """One row per case. With ``user``, each attribute only from records the user may see."""
    today = today or timezone.localdate()
    now = timezone.now()

    def records(model: Any) -> QuerySet[Any]:
        return model.objects.visible_to(user) if user is not None else model.objects.all()

    def number(queryset: QuerySet[Any], case: str = "case") -> Any:
        counted = queryset.order_by().values(case).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    def at_release(domain: str) -> Any:
        items = records(ReleaseItem).filter(
            case=OuterRef("pk"), plan__released_on__isnull=False, domain=domain, status__in=IN_PLACE
        )
        return Exists(items)

    def latest_check(field: str) -> Any:
        checks = records(ResettlementCheck).filter(case=OuterRef("pk")).order_by("-checked_on", "-created_at")
        return Subquery(checks.values(field)[:1])

    def recorded(kind: str) -> Any:
        return Exists(records(ReoffendingRecord).filter(case=OuterRef("pk"), kind=kind))

    latest_signal = records(Signal).filter(case=OuterRef("pk")).order_by("-created_at").values("extremism_type")[:1]
    released = (
        records(ReleasePlan)
        .filter(case=OuterRef("pk"), released_on__isnull=False)
        .order_by("-released_on")
        .values("released_on")[:1]
    )
    milestones = records(Milestone).filter(case=OuterRef("pk"))
    # A session is part of its intervention (a case record): seen with it.
    sessions = InterventionSession.objects.filter(intervention__case=OuterRef("pk"))
    if user is not None:
        sessions = sessions.filter(intervention__in=records(Intervention).values("pk"))
    changes = PhaseChange.objects.filter(case=OuterRef("pk"))
    closed = changes.filter(to_phase=Phase.CLOSED).order_by("-changed_at").values("changed_at")[:1]
    open_items = records(ReleaseItem).filter(case=OuterRef("pk"), plan__released_on__isnull=False, status__in=OPEN)
    found = list(
        cases.annotate(
            extremism=Subquery(latest_signal),
            released_on=Subquery(released),
            closed_at=Subquery(closed),
            m_set=number(milestones),
            m_achieved=number(milestones.filter(achieved_on__isnull=False)),
            s_recorded=number(sessions, "intervention__case"),
            s_attended=number(sessions.filter(attended=True), "intervention__case"),
            transitions=number(changes),
            items_open=Exists(open_items),
            housed=at_release(Domain.ACCOMMODATION),
            working=at_release(Domain.EDUCATION_WORK),
            family=at_release(Domain.FAMILY_CHILDREN),
            check_housing=latest_check("accommodation"),
            check_work=latest_check("work_or_education"),
            check_family=latest_check("family_contact"),
            recall=recorded("recall"),
            charge=recorded("new_charge"),
            conviction=recorded("new_conviction"),
        )
        .order_by("person_id", "-opened_at", "pk")
        .values_list(
            "pk",
            "person_id",
            "person__gender",
            "person__birth_date",
            "phase",
            "opened_at",
            "extremism",
            "released_on",
            "closed_at",
            "m_set",
            "m_achieved",
            "s_recorded",
            "s_attended",
            "transitions",
            "items_open",
            "housed",
            "working",
            "family",
            "check_housing",
            "check_work",
            "check_family",
            "recall",
            "charge",
            "conviction",
        )
    )
    result, seen = [], set()
    for (
        case_id,
        person_id,
        gender,
        born,
        phase,
        opened_at,
        extremism,
        released_on,
        closed_at,
        m_set,
        m_achieved,
        s_recorded,
        s_attended,
        transitions,
        items_open,
        housed,
        working,
        family,
        check_housing,
        check_work,
        check_family,
        recall,
        charge,
        conviction,
    ) in found:
        result.append(
            Row(
                case_id=case_id,
                person_id=person_id,
                gender=gender or Gender.UNKNOWN,
                phase=phase,
                age_band=age_band(born, today),
                extremism_type=extremism or ExtremismType.UNKNOWN,
                release_year=str(released_on.year) if released_on else NOT_RELEASED,
                time_in_programme=time_band(opened_at, closed_at if phase == Phase.CLOSED else None, now),
                milestones_set=int(m_set),
                milestones_achieved=int(m_achieved),
                sessions_recorded=int(s_recorded),
                sessions_attended=int(s_attended),
                phase_transitions=int(transitions),
                ready_at_gate=bool(released_on) and not items_open,
                housed_at_release=bool(released_on) and bool(housed),
                working_at_release=bool(released_on) and bool(working),
                family_contact_at_release=bool(released_on) and bool(family),
                checked_after_release=check_housing is not None,
                housed_after_release=check_housing in SETTLED_HOUSING,
                working_after_release=check_work in WORK_OR_EDUCATION,
                family_contact_after_release=check_family in FAMILY_CONTACT,
                recalled=bool(recall),
                charged=bool(charge),
                convicted=bool(conviction),
                latest_of_person=person_id not in seen,
            )
        )
        seen.add(person_id)
    return result


@dataclass(frozen=True)
class Measure:
    """What a table counts. ``value``: a case's part in it (0 or 1 for a count of cases). A ``summed``
    measure adds up amounts (milestones, sessions): each of its cells also needs 10 cases behind it.
    ``base``: the measure it is a share of, for the rate shown beside it (``safe_rate``)."""

    label: Any
    value: Callable[[Row], int]
    summed: bool = False
    base: str = ""
    released_only: bool = False  # counts released cases only: zero by definition for "not released"


MEASURES: dict[str, Measure] = {
    "cases": Measure(_("Cases"), lambda row: 1),
    "persons": Measure(_("Persons"), lambda row: int(row.latest_of_person)),
    "milestones_set": Measure(_("Milestones set"), lambda row: row.milestones_set, summed=True),
    "milestones_achieved": Measure(
        _("Milestones achieved"), lambda row: row.milestones_achieved, summed=True, base="milestones_set"
    ),
    "sessions_recorded": Measure(_("Sessions recorded"), lambda row: row.sessions_recorded, summed=True),
    "sessions_attended": Measure(
        _("Sessions attended"), lambda row: row.sessions_attended, summed=True, base="sessions_recorded"
    ),
    "phase_transitions": Measure(_("Changes of phase"), lambda row: row.phase_transitions, summed=True),
    "released": Measure(_("Releases"), lambda row: int(row.released), base="cases", released_only=True),
    "ready_at_gate": Measure(
        _("Ready at the gate"), lambda row: int(row.ready_at_gate), base="released", released_only=True
    ),
    "housed_at_release": Measure(
        _("Somewhere to live at release"), lambda row: int(row.housed_at_release), base="released", released_only=True
    ),
    "working_at_release": Measure(
        _("Work or education at release"), lambda row: int(row.working_at_release), base="released", released_only=True
    ),
    "family_contact_at_release": Measure(
        _("Family contact arranged at release"),
        lambda row: int(row.family_contact_at_release),
        base="released",
        released_only=True,
    ),
    "checked_after_release": Measure(
        _("Followed up after release"), lambda row: int(row.checked_after_release), base="released", released_only=True
    ),
    "housed_after_release": Measure(
        _("Settled housing after release"),
        lambda row: int(row.housed_after_release),
        base="checked_after_release",
        released_only=True,
    ),
    "working_after_release": Measure(
        _("Work or education after release"),
        lambda row: int(row.working_after_release),
        base="checked_after_release",
        released_only=True,
    ),
    "family_contact_after_release": Measure(
        _("Family contact after release"),
        lambda row: int(row.family_contact_after_release),
        base="checked_after_release",
        released_only=True,
    ),
    "recalled": Measure(_("Recalled to prison"), lambda row: int(row.recalled), base="released"),
    "charged": Measure(_("Charged with a new offence"), lambda row: int(row.charged), base="cases"),
    "convicted": Measure(_("Convicted of a new offence"), lambda row: int(row.convicted), base="cases"),
}
MEASURE_LABELS = {name: measure.label for name, measure in MEASURES.items()}


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
        "time_in_programme": [key for key, *_rest in TIME_BANDS],
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
        "time_in_programme": {key: label for key, _low, _high, label in TIME_BANDS},
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


def counts(
    found: Sequence[Row], measure: str, by: Sequence[str]
) -> tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]]]:
    """The measure per combination of ``by`` values, and how many cases contribute to each."""
    amounts: Counter[tuple[str, ...]] = Counter()
    behind: Counter[tuple[str, ...]] = Counter()
    counted = MEASURES[measure]
    for row in found:
        value = counted.value(row)
        if not counted.summed and not value:
            continue
        key = tuple(getattr(row, dimension) for dimension in by)
        amounts[key] += value
        behind[key] += 1 if value else 0
    return amounts, behind


def structural_zero(measure: str, by: Sequence[str]) -> Callable[[tuple[str | None, ...]], bool] | None:
    """The cells zero by definition, which anyone knows: of a measure of released cases, "not released"."""
    if not MEASURES[measure].released_only or "release_year" not in by:
        return None
    position = list(by).index("release_year")
    return lambda key: key[position] == NOT_RELEASED


def build(
    measure: str,
    by: Sequence[str],
    found: Sequence[Row],
    *,
    scope: str,
    today: date | None = None,
    domains: Sequence[Sequence[str]] | None = None,
) -> Table:
    """The table: protected when ``scope`` is ``all``, plain (inside the team) when ``mine``.

    ``domains``: the values of each breakdown, when several tables must share them (the dashboard takes
    those of every case); by default those the counted cases have (``domain``)."""
    today = today or timezone.localdate()
    summed = MEASURES[measure].summed
    if domains is None:
        counted = [row for row in found if summed or MEASURES[measure].value(row)]
        domains = [domain(dimension, counted, today) for dimension in by]
    amounts, behind = counts(found, measure, by)
    if scope == "all":
        safe = protect(
            amounts,
            list(by),
            domains,
            contributors=behind if summed else None,
            structural_zero=structural_zero(measure, by),
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
