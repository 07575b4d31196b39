"""Statistical disclosure control of count tables (issue 17; DESIGN.md section 8).

A table that leaves a case team is published only through ``protect``:

1. **Threshold (primary suppression).** Every cell below ``THRESHOLD`` (10) is suppressed, interior
   cells and totals alike, zeros included (the rule says "counts under 10"; a zero tells that nobody
   of a group is in a cell, which is itself something about people). A table of amounts that are not
   counts of cases (milestones achieved) passes ``contributors`` too: the number of cases behind each
   interior cell; a cell with fewer than ``THRESHOLD`` contributors is suppressed whatever its amount
   (ACRO's minimum-contributors rule).
2. **Secondary suppression.** A suppressed cell must not be recoverable from what is published: the
   other cells and the totals. Every total is an equation (the total equals the sum of its cells), so
   a suppressed cell can be worked out when it is the only unknown of an equation, or, less visibly,
   from a combination of equations and the fact that counts are not negative. Each suppressed cell is
   audited by linear programming (scipy's HiGHS): its smallest and largest value consistent with every
   published value, the published values taken as exact (an attacker knowing them unrounded). When
   that range holds a single whole number, the cell is recoverable, and the smallest published cell
   of one of its equations is suppressed too (a total is never smaller than its cells, so interior
   cells go before totals and the totals stay published where they can). This repeats until no
   suppressed cell is recoverable; the obvious case, an equation with one unknown, is settled first
   without a solver. The greedy choice
   of the smallest complement hides few, small cells; it is a heuristic, not a proven minimum (the
   same trade-off as tau-Argus' modular and hypercube methods, with tau-Argus' audit step made
   mandatory here).
3. **Rounding.** Every published count is rounded to the nearest multiple of ``BASE`` (5), halves up.
   The rounding depends on the count only, so the same count published in two periods' reports gets
   the same value.
4. **Rates** are published only with a denominator of at least ``MIN_DENOMINATOR`` (20): ``safe_rate``.

Nothing here reads the database: the caller counts (through the sharing engine) and passes the counts.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations, product
from math import ceil, floor
from typing import Any

import numpy as np
from scipy.optimize import linprog

THRESHOLD = 10
BASE = 5
MIN_DENOMINATOR = 20
# Wider than this many interior cells, a table is refused (the audit solves two programmes per cell).
MAX_CELLS = 2000

PRIMARY = "below_threshold"
SECONDARY = "protects_another_cell"

METHOD = (
    "Cells below {threshold} suppressed; further cells suppressed until a linear-programming audit finds "
    "no suppressed cell that can be worked out from the published cells and totals; published counts "
    "rounded to the nearest multiple of {base}."
)

# A cell's key: one value per dimension, None where the cell is a total over that dimension.
Key = tuple[str | None, ...]


@dataclass(frozen=True)
class Cell:
    key: Key
    value: int | None  # the published value: rounded, or None when suppressed
    suppressed: bool
    reason: str = ""  # PRIMARY or SECONDARY when suppressed


@dataclass
class SafeTable:
    dimensions: tuple[str, ...]
    cells: list[Cell]  # the interior cells, every combination of the dimensions' values
    totals: list[Cell]  # every total: over one dimension, over two, ..., the grand total last
    threshold: int = THRESHOLD
    base: int = BASE
    method: str = field(default="")

    @property
    def suppressed(self) -> list[Cell]:
        return [c for c in (*self.cells, *self.totals) if c.suppressed]


class TableTooLarge(ValueError):
    pass


def round_to_base(value: int, base: int = BASE) -> int:
    """The nearest multiple of ``base``, halves up: a function of the value alone (consistent rounding)."""
    return base * floor(value / base + 0.5)


def safe_rate(numerator: int, denominator: int, *, min_denominator: int = MIN_DENOMINATOR) -> float | None:
    """The rate, or None when the denominator is too small to publish a rate."""
    if denominator < min_denominator:
        return None
    return numerator / denominator


def full_table(counts: Mapping[Any, int], domains: Sequence[Sequence[str]]) -> tuple[dict[Key, int], list[list[Key]]]:
    """Every interior cell (absent ones are 0) and every total with its value, and the table's
    equations: each ``[total, *parts]`` where the total is the sum of the parts, along each dimension
    it runs over (a total over two dimensions is the sum of the totals over one of them, and so on)."""
    interior: list[Key] = [tuple(k) for k in product(*domains)]
    values: dict[Key, int] = {key: int(counts.get(key, 0)) for key in interior}
    dims = range(len(domains))
    totals: list[Key] = []
    for size in range(1, len(domains) + 1):
        for over in combinations(dims, size):
            kept = [d for d in dims if d not in over]
            for fixed in product(*(domains[d] for d in kept)):
                key: list[str | None] = [None] * len(domains)
                for d, value in zip(kept, fixed, strict=True):
                    key[d] = value
                total = tuple(key)
                totals.append(total)
                values[total] = sum(values[c] for c in interior if all(c[d] == total[d] for d in kept))
    equations = []
    for total in totals:
        for d in dims:
            if total[d] is None:
                equations.append([total, *((*total[:d], value, *total[d + 1 :]) for value in domains[d])])
    return values, equations


class Audit:
    """What an attacker can work out of a table with the ``suppressed`` cells hidden: the equations
    with the published values moved to the right-hand side, as one linear system over the unknowns."""

    def __init__(
        self,
        values: Mapping[Key, int],
        equations: Sequence[Sequence[Key]],
        suppressed: set[Key],
        *,
        inequalities: Sequence[tuple[Key, Key]] = (),
        known: Collection[Key] = (),
    ) -> None:
        """``inequalities``: pairs (smaller, larger) that anyone knows hold (those counted are a part of
        those counted by the other); ``known``: cells whose value anyone knows whether published or not
        (a structural zero: nobody not released has a release)."""
        self.unknown = sorted(set(suppressed) - set(known), key=key_order)
        self.index = {key: i for i, key in enumerate(self.unknown)}
        rows, rhs = [], []
        for total, *parts in equations:
            # total - sum(parts) = 0
            row = np.zeros(len(self.unknown))
            constant = 0
            for key, coefficient in ((total, 1), *((part, -1) for part in parts)):
                if key in self.index:
                    row[self.index[key]] += coefficient
                else:
                    constant += coefficient * values[key]
            if row.any():
                rows.append(row)
                rhs.append(-constant)
        self.a_eq = np.array(rows) if rows else None
        self.b_eq = np.array(rhs, dtype=float)
        upper, limits = [], []
        for smaller, larger in inequalities:
            # smaller - larger <= 0
            row = np.zeros(len(self.unknown))
            constant = 0
            for key, coefficient in ((smaller, 1), (larger, -1)):
                if key in self.index:
                    row[self.index[key]] += coefficient
                else:
                    constant += coefficient * values[key]
            if row.any():
                upper.append(row)
                limits.append(-constant)
        self.a_ub = np.array(upper) if upper else None
        self.b_ub = np.array(limits, dtype=float) if upper else None

    def bounds(self, key: Key) -> tuple[float, float | None]:
        """The smallest and largest value of a suppressed cell consistent with what is published
        (None: no upper bound)."""
        if self.a_eq is None and self.a_ub is None:
            return 0.0, None
        objective = np.zeros(len(self.unknown))
        objective[self.index[key]] = 1
        system = {"A_eq": self.a_eq, "b_eq": self.b_eq if self.a_eq is not None else None}
        system |= {"A_ub": self.a_ub, "b_ub": self.b_ub}
        low = linprog(objective, **system, bounds=(0, None), method="highs")
        high = linprog(-objective, **system, bounds=(0, None), method="highs")
        if not low.success:
            raise ArithmeticError(f"the published table is inconsistent: {low.message}")
        return float(low.fun), (float(-high.fun) if high.success else None)

    def determined(self, key: Key) -> bool:
        """Whether a single whole number fits the cell's range: then its value is known."""
        smallest, largest = self.bounds(key)
        return largest is not None and floor(largest + 1e-6) - ceil(smallest - 1e-6) < 1


def recoverable(values: Mapping[Key, int], equations: Sequence[Sequence[Key]], suppressed: set[Key]) -> list[Key]:
    """The suppressed cells whose value can be worked out from the published ones (see the module)."""
    audit = Audit(values, equations, suppressed)
    return [key for key in audit.unknown if audit.determined(key)]


def key_order(key: Key) -> tuple[int, tuple[str, ...]]:
    """Interior cells first, then totals over fewer dimensions before totals over more."""
    return (sum(v is None for v in key), tuple("" if v is None else v for v in key))


def suppress(
    values: Mapping[Key, int],
    equations: Sequence[Sequence[Key]],
    *,
    behind: Mapping[Key, int] | None = None,
    inequalities: Sequence[tuple[Key, Key]] = (),
    known: Collection[Key] = (),
    threshold: int = THRESHOLD,
) -> dict[Key, str]:
    """Which cells of a system of tables to hide, and why (``PRIMARY`` or ``SECONDARY``).

    ``values``: every cell; ``equations``: each ``[total, *parts]``; ``behind``: the cases behind each
    cell (by default the values); ``inequalities`` and ``known``: what anyone knows besides (``Audit``).
    A single table is one system; the tables of a dashboard, linked by what each counts of another,
    are one system too (``indicators``)."""
    behind = values if behind is None else behind
    reasons: dict[Key, str] = {
        key: PRIMARY for key, value in values.items() if value < threshold or behind[key] < threshold
    }
    known = set(known)
    links = [list(pair) for pair in inequalities]

    def complement(target: Key) -> None:
        """Suppress the smallest published cell of an equation (or link) of ``target``; when all of those
        are suppressed already, of one a step further (and so on)."""
        near: set[Key] = {target}
        seen: set[Key] = set()
        while near:
            keys = {key for keys in (*equations, *links) if near & set(keys) for key in keys}
            candidates = [key for key in keys if key not in reasons]
            if candidates:
                reasons[min(candidates, key=lambda key: (values[key], key_order(key)))] = SECONDARY
                return
            seen |= near
            near = keys - seen
        raise AssertionError(f"no published cell left to protect {target}")  # every cell suppressed

    def hidden(key: Key) -> bool:
        return key in reasons and key not in known

    safe: set[Key] = set()
    while True:
        lonely = next((keys for keys in equations if sum(hidden(key) for key in keys) == 1), None)
        if lonely is not None:  # the one unknown of an equation: hide the equation's smallest other cell
            published = [key for key in lonely if key not in reasons]
            if published:
                reasons[min(published, key=lambda key: (values[key], key_order(key)))] = SECONDARY
                continue
        # Hiding one more cell only widens what the others could be: a cell found safe stays safe.
        audit = Audit(values, equations, set(reasons), inequalities=inequalities, known=known)
        target = None
        for key in audit.unknown:
            if key in safe:
                continue
            if audit.determined(key):
                target = key
                break
            safe.add(key)
        if target is None:
            break
        complement(target)
    return reasons


def protect(
    counts: Mapping[Any, int],
    dimensions: Sequence[str],
    domains: Sequence[Sequence[str]],
    *,
    contributors: Mapping[Any, int] | None = None,
    structural_zero: Callable[[Key], bool] | None = None,
    threshold: int = THRESHOLD,
    base: int = BASE,
) -> SafeTable:
    """The table of ``counts`` by ``dimensions`` (each with its ``domains`` of values), safe to publish.

    ``contributors``: for a table of amounts, how many cases are behind each interior cell (by default
    the counts themselves are counts of cases). ``structural_zero``: the cells that are zero by
    definition, which anyone knows whether they are published or not (they are hidden like any zero,
    and the audit counts them as known)."""
    if len(dimensions) != len(domains) or not dimensions:
        raise ValueError("one domain of values per dimension, and at least one dimension")
    size = 1
    for domain in domains:
        size *= max(len(domain), 1)
    if size > MAX_CELLS:
        raise TableTooLarge(f"{size} cells; at most {MAX_CELLS}")
    values, equations = full_table(counts, domains)
    behind = values if contributors is None else full_table(contributors, domains)[0]
    known = {key for key in values if structural_zero(key)} if structural_zero else set()
    reasons = suppress(values, equations, behind=behind, known=known, threshold=threshold)

    def cell(key: Key) -> Cell:
        if key in reasons:
            return Cell(key=key, value=None, suppressed=True, reason=reasons[key])
        return Cell(key=key, value=round_to_base(values[key], base), suppressed=False)

    interior = [key for key in values if None not in key]
    totals = sorted((key for key in values if None in key), key=key_order)
    return SafeTable(
        dimensions=tuple(dimensions),
        cells=[cell(key) for key in interior],
        totals=[cell(key) for key in totals],
        threshold=threshold,
        base=base,
        method=METHOD.format(threshold=threshold, base=base),
    )
