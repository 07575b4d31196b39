"""The research export (issue 17): pseudonymised, generalised microdata with no free text, released
only when it is k-anonymous and l-diverse (``K``, ``L``), with the generalisation applied stated.

One row per case, with a pseudonym drawn afresh for each export (no link to the case, to another
export or to anything in Continuum), and only coded attributes:

- quasi-identifiers (what someone could know of a person from elsewhere): gender, age band, the year
  the case was opened, the kind of organisation that leads it (Continuum records no region; the lead's
  kind stands in for where in the continuum the person is);
- attributes for the research: the extremism type (the sensitive attribute, l-diversity), the phase,
  whether and in which year the person was released, the number of milestones achieved in bands.

**k-anonymity**: every combination of quasi-identifiers that occurs is shared by at least ``K`` rows.
**l-diversity** (distinct): every such group holds at least ``L`` different extremism types. When the
data as they are fail, the quasi-identifiers are generalised step by step along a fixed ladder (age in
three bands, then the year in five-year periods, then the lead's kind left out, then the age left out);
when even the last step fails, the rows of the groups still too small are left out, if they are at
most ``MAX_SUPPRESSED`` of all; otherwise nothing is released.
"""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.cases.models import Case
from continuum.insights.tables import age_band
from continuum.plans.models import Milestone
from continuum.signals.choices import ExtremismType
from continuum.signals.models import Signal
from continuum.transition.models import ReleasePlan

K = 10
L = 2
MAX_SUPPRESSED = 0.05
QUASI = ("gender", "age_band", "year_opened", "lead_type")
SENSITIVE = "extremism_type"
COLUMNS = ("pseudonym", *QUASI, SENSITIVE, "phase", "released", "release_year", "milestones_achieved")
SUPPRESSED = "*"

COARSE_AGE = {"under_18": "under_25", "18_24": "under_25", "25_34": "25_44", "35_44": "25_44", "45_plus": "45_plus"}


def _period(year: str) -> str:
    if year == SUPPRESSED or not year.isdigit():
        return year
    start = int(year) - int(year) % 5
    return f"{start}-{start + 4}"


# The ladder: each step generalises the rows further, cumulatively; its words go into the file.
Step = tuple[str, Callable[[dict[str, str]], None]]
LADDER: list[Step] = [
    (
        "age in three bands (under 25, 25 to 44, 45 and over)",
        lambda r: r.update(age_band=COARSE_AGE.get(r["age_band"], r["age_band"])),
    ),
    ("year opened in five-year periods", lambda r: r.update(year_opened=_period(r["year_opened"]))),
    ("kind of lead organisation left out", lambda r: r.update(lead_type=SUPPRESSED)),
    ("age left out", lambda r: r.update(age_band=SUPPRESSED)),
]


def milestones_band(count: int) -> str:
    return "0" if count == 0 else "1-2" if count <= 2 else "3+"


def k_anonymity(rows: Sequence[dict[str, str]], quasi: Sequence[str] = QUASI) -> int:
    """The size of the smallest group of rows sharing their quasi-identifiers (0 for no rows)."""
    groups = Counter(tuple(row[q] for q in quasi) for row in rows)
    return min(groups.values(), default=0)


def l_diversity(rows: Sequence[dict[str, str]], quasi: Sequence[str] = QUASI, sensitive: str = SENSITIVE) -> int:
    """The smallest number of distinct sensitive values in a group (0 for no rows)."""
    values: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for row in rows:
        values[tuple(row[q] for q in quasi)].add(row[sensitive])
    return min((len(v) for v in values.values()), default=0)


@dataclass
class Export:
    released: bool
    rows: list[dict[str, str]] = field(default_factory=list)
    generalisation: list[str] = field(default_factory=list)
    suppressed_rows: int = 0
    k: int = 0
    l: int = 0  # noqa: E741  (the l of l-diversity)
    total: int = 0
    reason: str = ""


def microdata(cases: Any = None) -> list[dict[str, str]]:
    """One coded row per case, in one query; no name, no reference, no date finer than a year, no text."""
    today = timezone.localdate()
    latest_signal = Signal.objects.filter(case=OuterRef("pk")).order_by("-created_at").values("extremism_type")[:1]
    released = (
        ReleasePlan.objects.filter(case=OuterRef("pk"), released_on__isnull=False)
        .order_by("-released_on")
        .values("released_on")[:1]
    )
    achieved = (
        Milestone.objects.filter(case=OuterRef("pk"), achieved_on__isnull=False)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = (cases if cases is not None else Case.objects.all()).annotate(
        extremism=Subquery(latest_signal),
        released_on=Subquery(released),
        achieved=Coalesce(Subquery(achieved, output_field=IntegerField()), Value(0)),
    )
    rows = []
    for gender, born, opened_at, lead_type, phase, extremism, released_on, achieved_count in found.order_by(
        "?"  # no order that follows the database's: the rows say nothing by their place
    ).values_list(
        "person__gender",
        "person__birth_date",
        "opened_at",
        "lead_organisation__type",
        "phase",
        "extremism",
        "released_on",
        "achieved",
    ):
        rows.append(
            {
                "gender": gender or "unknown",
                "age_band": age_band(born, today),
                "year_opened": str(opened_at.year),
                "lead_type": lead_type or "unknown",
                SENSITIVE: extremism or ExtremismType.UNKNOWN,
                "phase": phase,
                "released": "yes" if released_on else "no",
                "release_year": str(released_on.year) if released_on else "",
                "milestones_achieved": milestones_band(int(achieved_count)),
            }
        )
    return rows


def anonymise(rows: list[dict[str, str]], *, k: int = K, l: int = L) -> Export:  # noqa: E741
    """Generalise (and at the last step suppress) until every group has ``k`` rows and ``l`` types."""
    work = [dict(row) for row in rows]
    applied: list[str] = []
    result = Export(released=False, total=len(rows))
    for words, step in [(None, None), *LADDER]:
        if step is not None and words is not None:
            for row in work:
                step(row)
            applied.append(words)
        if work and k_anonymity(work) >= k and l_diversity(work) >= l:
            result.released, result.rows, result.generalisation = True, work, applied
            break
    else:
        # The last step failed: leave out the rows of the groups still too small (or too alike).
        groups: dict[tuple[str, ...], list[dict[str, str]]] = defaultdict(list)
        for row in work:
            groups[tuple(row[q] for q in QUASI)].append(row)
        kept = [
            row
            for members in groups.values()
            if len(members) >= k and len({m[SENSITIVE] for m in members}) >= l
            for row in members
        ]
        left_out = len(work) - len(kept)
        if kept and left_out <= MAX_SUPPRESSED * len(work):
            result.released, result.rows, result.generalisation = True, kept, applied
            result.suppressed_rows = left_out
        else:
            result.reason = _(
                "Even generalised as far as it goes, %(left_out)s of %(rows)s rows are in groups of fewer than "
                "%(k)s or with fewer than %(l)s extremism types; at most %(share)s%% may be left out."
            ) % {"left_out": left_out, "rows": len(work), "k": k, "l": l, "share": round(MAX_SUPPRESSED * 100)}
            return result
    result.k, result.l = k_anonymity(result.rows), l_diversity(result.rows)
    # A fresh pseudonym for every row of every export.
    for row in result.rows:
        row["pseudonym"] = secrets.token_hex(6)
    return result
