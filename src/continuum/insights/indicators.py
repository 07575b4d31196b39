"""Outcome indicators beyond the count tables (issue 17; docs/insights.md defines each one).

The indicators per case are the measures of ``tables`` (milestones, sessions, the gate, after release,
recall and re-offending as recorded). This module adds the two that are not one number per case:

- **time in each phase**: from the case's phase changes, the days spent in each phase (the phase the
  case opened in until the first change, each later phase until the next change, the current one until
  today; closed cases stop at their closing);
- **reassessment trends by domain**: for each case with at least two finalised assessments with the
  same instrument, per domain, whether the team's agreed ratings of its risk items were lower, the
  same or higher at the latest assessment than at the first (the mean of the domain's risk items, as
  on the case's trend chart; for a domain without risk items, its protective items). A description
  of human judgements over time, never a score or a verdict about anyone (docs/assessments.md).

Both come as families of one-breakdown tables (one per phase, one per domain), each a partition of the
cases it counts, so that each passes the disclosure control on its own at scope ``all``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from continuum.assessments.choices import AssessmentStatus
from continuum.assessments.format import localise
from continuum.assessments.models import Assessment, ConsensusRating
from continuum.assessments.summaries import domain_summaries
from continuum.cases.choices import Phase
from continuum.cases.models import Case, PhaseChange
from continuum.insights.disclosure import Key, full_table, protect, round_to_base, safe_rate, suppress
from continuum.insights.tables import MEASURES, NOT_RELEASED, Row, counts, domain, structural_zero

# Time spent in one phase, in bands wide enough to say little about one person.
PHASE_BANDS = [
    ("under_6m", 0, 182, _("Under 6 months")),
    ("6_12m", 183, 364, _("6 to 12 months")),
    ("1_2y", 365, 729, _("1 to 2 years")),
    ("2y_plus", 730, 10**6, _("2 years and over")),
]
DIRECTIONS = [
    ("lower", _("Rated lower")),
    ("same", _("Rated the same")),
    ("higher", _("Rated higher")),
]

# The groups of the dashboard, in the order a case moves through them.
GROUPS = [
    (
        "programme",
        _("In the programme"),
        ["cases", "persons", "milestones_set", "milestones_achieved", "sessions_recorded", "sessions_attended"],
    ),
    (
        "gate",
        _("At the gate"),
        ["released", "ready_at_gate", "housed_at_release", "working_at_release", "family_contact_at_release"],
    ),
    (
        "after",
        _("After release"),
        ["checked_after_release", "housed_after_release", "working_after_release", "family_contact_after_release"],
    ),
    ("recorded", _("Recall and re-offending, as recorded"), ["recalled", "charged", "convicted", "phase_transitions"]),
]


@dataclass
class Shown:
    """One published (or plain) number with the rate beside it where it may be shown."""

    value: int | None
    suppressed: bool
    reason: str = ""
    rate: int | None = None  # whole percent of the measure's base, in the same column

    @property
    def length(self) -> int:
        return min(self.rate or 0, 100)


@dataclass
class Line:
    label: str
    cells: list[Shown]  # one per column, "All" last
    base_label: str = ""

    @property
    def segments(self) -> list[tuple[int, int, int]]:
        """The parts of a partition as a stacked bar (x, width, which part), from the rates shown."""
        found, x = [], 0
        for index, cell in enumerate(self.cells[:-1]):
            if cell.rate:
                width = min(cell.rate, 100 - x)
                found.append((x, width, index % 4))
                x += width
        return found


@dataclass
class Panel:
    """A table of the dashboard: lines (measures, phases or domains) by columns."""

    key: str
    title: str
    columns: list[str]
    lines: list[Line] = field(default_factory=list)
    stacked: bool = False  # lines are partitions: charted as stacked bars of their parts
    note: str = ""

    @property
    def hidden(self) -> int:
        return sum(1 for line in self.lines for cell in line.cells if cell.suppressed)


def _within(name: str) -> str:
    """The measure that counts, by definition, everything this one counts (and more), or ''."""
    if name in ("persons", "recalled"):  # a recall may be recorded on a case without a release
        return "cases"
    return MEASURES[name].base


def linked_system(
    found: Sequence[Row], names: Sequence[str], by: str, values_of_by: Sequence[str]
) -> tuple[dict[Key, int], dict[Key, int], list[list[Key]], list[tuple[Key, Key]], set[Key]]:
    """The dashboard's tables as one system, for the disclosure control: a cell is (measure, value) and
    each measure's total (measure, None). Besides each table's total, anyone knows that a measure counts
    a part of what another counts (milestones achieved of those set, a release of the cases), that with
    columns by year of release every case of a year column is released, and that nobody not released has
    a release (``tables.structural_zero``): the audit of hidden cells takes all of that into account, so
    that no table gives away a cell another hides."""
    values: dict[Key, int] = {}
    behind: dict[Key, int] = {}
    equations: list[list[Key]] = []
    inequalities: list[tuple[Key, Key]] = []
    known: set[Key] = set()
    for name in names:
        amounts, contributors = counts(found, name, [by])
        total: Key = (name, None)
        parts: list[Key] = [(name, value) for value in values_of_by]
        for value, key in zip(values_of_by, parts, strict=True):
            values[key] = int(amounts.get((value,), 0))
            behind[key] = int(contributors.get((value,), 0)) if MEASURES[name].summed else values[key]
        values[total] = sum(values[key] for key in parts)
        behind[total] = sum(behind[key] for key in parts)
        equations.append([total, *parts])
        zero = structural_zero(name, [by])
        known |= {key for key in parts if zero is not None and zero(key[1:])}
        larger = _within(name)
        if larger in names:
            inequalities += [((name, value), (larger, value)) for value in [*values_of_by, None]]
        if by == "release_year" and name == "cases" and "released" in names:
            inequalities += [((name, value), ("released", value)) for value in values_of_by if value != NOT_RELEASED]
    return values, behind, equations, inequalities, known


def indicator_panels(found: Sequence[Row], by: str, *, scope: str, labels: Any) -> list[Panel]:
    """The dashboard's groups of measures, each measure broken down by ``by`` (one column per value and
    "All"): plain at scope ``mine``; at scope ``all`` every table through the disclosure control, all
    of them as one system (``linked_system``). A rate is shown beside a number where its base in the
    same column is published and at least 20 (``safe_rate``), computed from the published values."""
    # Every measure over the same values (those of every case counted): a value nobody has in one
    # measure is a zero like any other small number, hidden at scope ``all``.
    values_of_by = domain(by, found, timezone.localdate())
    names = [name for _key, _title, group in GROUPS for name in group]
    values, behind, equations, inequalities, known = linked_system(found, names, by, values_of_by)
    reasons = (
        suppress(values, equations, behind=behind, inequalities=inequalities, known=known) if scope == "all" else {}
    )

    def shown(key: Key) -> Shown:
        if key in reasons:
            return Shown(None, True, reasons[key])
        return Shown(round_to_base(values[key]) if scope == "all" else values[key], False)

    columns: list[str | None] = [*values_of_by, None]
    panels = []
    for key, title, group in GROUPS:
        panel = Panel(key, str(title), [labels(by, value) for value in columns])
        for name in group:
            base = MEASURES[name].base
            cells = []
            for column in columns:
                cell, under = shown((name, column)), shown((base, column)) if base else None
                if under is not None and not cell.suppressed and not under.suppressed and cell.value is not None:
                    rate = safe_rate(cell.value, under.value or 0)
                    cell.rate = round(100 * rate) if rate is not None else None
                cells.append(cell)
            panel.lines.append(Line(str(MEASURES[name].label), cells, str(MEASURES[base].label) if base else ""))
        panels.append(panel)
    return panels


# --- time in each phase -------------------------------------------------------------------------------------


def phase_days(cases: QuerySet[Case]) -> dict[Any, dict[str, int]]:
    """Per case, the days spent in each phase so far (two queries whatever the number of cases)."""
    now = timezone.now()
    opened = dict(cases.order_by().values_list("pk", "opened_at"))
    current = dict(cases.order_by().values_list("pk", "phase"))
    changes: dict[Any, list[tuple[Any, str, str]]] = defaultdict(list)
    for case_id, at, from_phase, to_phase in (
        PhaseChange.objects.filter(case__in=cases.values("pk"))
        .order_by("case_id", "changed_at", "pk")
        .values_list("case_id", "changed_at", "from_phase", "to_phase")
    ):
        changes[case_id].append((at, from_phase, to_phase))
    result: dict[Any, dict[str, int]] = {}
    for case_id, start in opened.items():
        spent: Counter[str] = Counter()
        history = changes.get(case_id, [])
        phase = history[0][1] if history else current[case_id]
        for at, _from, to_phase in history:
            spent[phase] += max((at - start).days, 0)
            start, phase = at, to_phase
        if phase != Phase.CLOSED:
            spent[phase] += max((now - start).days, 0)
        result[case_id] = {name: days for name, days in spent.items() if name != Phase.CLOSED}
    return result


def _band(days: int) -> str:
    return next(key for key, low, high, _label in PHASE_BANDS if low <= days <= high)


def _family_panel(
    key: str,
    title: Any,
    lines: Iterable[tuple[str, Counter[Any]]],
    values: list[tuple[str, Any]],
    *,
    scope: str,
    note: Any,
) -> Panel:
    """One line per partition (``lines``: its label and its counts by value), protected line by line."""
    columns = [str(label) for _value, label in values] + [str(_("All"))]
    panel = Panel(key, str(title), columns, stacked=True, note=str(note))
    domain = [value for value, _label in values]
    for label, found in lines:
        if scope == "all":
            safe = protect(found, ["value"], [domain])
            published = {cell.key: cell for cell in (*safe.cells, *safe.totals)}
            cells = [Shown(c.value, c.suppressed, c.reason) for c in (published[(v,)] for v in [*domain, None])]
        else:
            plain, _equations = full_table(found, [domain])
            cells = [Shown(plain[(v,)], False) for v in [*domain, None]]
        total = cells[-1]
        for cell in cells[:-1]:
            if not cell.suppressed and not total.suppressed and cell.value is not None:
                rate = safe_rate(cell.value, total.value or 0)
                cell.rate = round(100 * rate) if rate is not None else None
        panel.lines.append(Line(label, cells))
    return panel


def phase_panel(cases: QuerySet[Case], *, scope: str) -> Panel:
    """Cases by the time they spent in each phase (one line per phase, of the cases that were in it)."""
    per_phase: dict[str, Counter[tuple[str]]] = {phase: Counter() for phase in Phase.values if phase != Phase.CLOSED}
    for spent in phase_days(cases).values():
        for phase, days in spent.items():
            per_phase[phase][(_band(days),)] += 1
    labels = dict(Phase.choices)
    return _family_panel(
        "phases",
        _("Time spent in each phase"),
        [(str(labels[phase]), counts) for phase, counts in per_phase.items()],
        [(key, label) for key, _low, _high, label in PHASE_BANDS],
        scope=scope,
        note=_(
            "Each case counts once in every phase it has been in, with the time it spent there (until today for "
            "the phase it is in now)."
        ),
    )


# --- reassessment trends ------------------------------------------------------------------------------------


def _compared(summary: dict[str, Any]) -> tuple[str, float] | None:
    if summary["risk_mean"] is not None:
        return "risk", summary["risk_mean"]
    if summary["protective_mean"] is not None:
        return "protective", summary["protective_mean"]
    return None


def reassessment_trends(cases: QuerySet[Case], user: Any = None) -> dict[tuple[str, str], Counter[tuple[str]]]:
    """Per (instrument, domain name): the cases whose agreed ratings were lower, the same or higher at
    the latest finalised assessment than at the first (three queries). With ``user``, only the
    assessments the user may see."""
    manager = Assessment.objects
    assessments = manager.visible_to(user) if user is not None else manager.all()
    finalised = list(
        assessments.filter(case__in=cases.values("pk"), status=AssessmentStatus.FINALISED)
        .select_related("instrument")
        .order_by("case_id", "finalised_on", "created_at")
    )
    by_case: dict[tuple[Any, str], list[Assessment]] = defaultdict(list)
    for assessment in finalised:
        by_case[(assessment.case_id, assessment.instrument.code)].append(assessment)
    pairs = [(series[0], series[-1]) for series in by_case.values() if len(series) >= 2]
    wanted = [a.pk for pair in pairs for a in pair]
    ratings: dict[Any, dict[str, int | None]] = defaultdict(dict)
    for assessment_id, item, rating in ConsensusRating.objects.filter(assessment__in=wanted).values_list(
        "assessment_id", "item", "rating"
    ):
        ratings[assessment_id][item] = rating
    language = get_language() or "en"
    result: dict[tuple[str, str], Counter[tuple[str]]] = defaultdict(Counter)
    for first, latest in pairs:

        def summaries(assessment: Assessment) -> dict[str, dict[str, Any]]:
            texts = localise(assessment.instrument.definition, language)
            found = domain_summaries(texts, list(assessment.modules), ratings.get(assessment.pk, {}))
            return {summary["domain"]: summary for summary in found}

        before, after = summaries(first), summaries(latest)
        name = str(localise(latest.instrument.definition, language).get("name") or latest.instrument.name)
        for code, summary in after.items():
            then, now = _compared(before[code]) if code in before else None, _compared(summary)
            if then is None or now is None or then[0] != now[0]:
                continue
            direction = "same" if now[1] == then[1] else ("lower" if now[1] < then[1] else "higher")
            kind = _("risk items") if now[0] == "risk" else _("protective items")
            result[(name, f"{summary['name']} ({kind})")][(direction,)] += 1
    return result


def reassessment_panels(cases: QuerySet[Case], user: Any = None, *, scope: str) -> list[Panel]:
    """One panel per instrument, a line per domain; a panel saying so when there is nothing to compare."""
    trends = reassessment_trends(cases, user)
    instruments = sorted({instrument for instrument, _domain in trends})
    note = _(
        "For each case with at least two finalised assessments with the same instrument: the team's agreed "
        "ratings of a domain at the latest assessment, against the first. A description of human judgements, "
        "not a score."
    )
    if not instruments:
        return [_family_panel("reassessments", _("Reassessments by domain"), [], DIRECTIONS, scope=scope, note=note)]
    return [
        _family_panel(
            f"reassessments-{number}",
            _("Reassessments by domain: %(instrument)s") % {"instrument": instrument},
            [(domain, counts) for (name, domain), counts in sorted(trends.items()) if name == instrument],
            DIRECTIONS,
            scope=scope,
            note=note,
        )
        for number, instrument in enumerate(instruments, start=1)
    ]
