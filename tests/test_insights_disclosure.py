"""The disclosure control of count tables (issue 17; ``insights/disclosure.py``).

Property tests over random tables of one to three dimensions: no published cell is below the
threshold, every published count is the true count rounded to 5, and no suppressed cell can be
worked out from what is published. That last check is this file's own: a linear programme per
suppressed cell over the table's totals, written here from the definition (a total is the sum of
its interior cells), independent of the module's audit.
"""

from __future__ import annotations

from itertools import product
from math import ceil, floor

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from continuum.insights.disclosure import (
    BASE,
    PRIMARY,
    SECONDARY,
    THRESHOLD,
    TableTooLarge,
    protect,
    round_to_base,
    safe_rate,
)

# Small counts are the interesting ones: most cells near the threshold, some zeros, some large.
COUNT = st.one_of(st.integers(0, 3), st.integers(4, 15), st.integers(16, 80))


@st.composite
def tables(draw):
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    domains = [[f"d{d}v{v}" for v in range(size)] for d, size in enumerate(sizes)]
    counts = {key: draw(COUNT) for key in product(*domains)}
    return [f"dim{d}" for d in range(len(sizes))], domains, counts


def true_values(domains, counts):
    """Every interior cell and every total (None where it runs over a dimension), from the definition."""
    interior = list(product(*domains))
    values = {key: counts[key] for key in interior}
    for pattern in product(*([value, None] for value in [0] * len(domains))):
        over = [d for d, p in enumerate(pattern) if p is None]
        if not over:
            continue
        for key in interior:
            total = tuple(None if d in over else key[d] for d in range(len(domains)))
            values[total] = values.get(total, 0) + counts[key]
    return values


def attacker_ranges(domains, published):
    """For each suppressed cell, the smallest and largest value consistent with the published cells:
    each total equals the sum of the interior cells under it; every count is at least 0."""
    interior = list(product(*domains))
    unknown = [key for key, value in published.items() if value is None]
    index = {key: i for i, key in enumerate(unknown)}
    rows, rhs = [], []
    for total, value in published.items():
        if None not in total:
            continue
        row = np.zeros(len(unknown))
        known = 0
        if value is None:
            row[index[total]] += 1
        else:
            known += value
        for key in interior:
            if all(t is None or t == k for t, k in zip(total, key, strict=True)):
                if published[key] is None:
                    row[index[key]] -= 1
                else:
                    known -= published[key]
        rows.append(row)
        rhs.append(-known)
    found = {}
    for key, i in index.items():
        c = np.zeros(len(unknown))
        c[i] = 1
        low = linprog(c, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=(0, None), method="highs")
        assert low.success
        found[key] = (low.fun, -high.fun if high.success else None)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_published_cell_is_below_the_threshold_and_each_is_rounded(table):
    dimensions, domains, counts = table
    safe = protect(counts, dimensions, domains)
    truth = true_values(domains, counts)
    assert {c.key for c in (*safe.cells, *safe.totals)} == set(truth)
    for cell in (*safe.cells, *safe.totals):
        if cell.suppressed:
            assert cell.value is None and cell.reason in (PRIMARY, SECONDARY)
            assert (cell.reason == PRIMARY) == (truth[cell.key] < THRESHOLD)
        else:
            assert truth[cell.key] >= THRESHOLD
            assert cell.value == round_to_base(truth[cell.key]) and cell.value % BASE == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_suppressed_cell_can_be_worked_out_from_the_published_ones(table):
    dimensions, domains, counts = table
    safe = protect(counts, dimensions, domains)
    truth = true_values(domains, counts)
    # The attacker knows the published values exactly, unrounded: the strongest case.
    published = {c.key: None if c.suppressed else truth[c.key] for c in (*safe.cells, *safe.totals)}
    for key, (low, high) in attacker_ranges(domains, published).items():
        assert low - 1e-6 <= truth[key] and (high is None or truth[key] <= high + 1e-6)
        whole_numbers = float("inf") if high is None else floor(high + 1e-6) - ceil(low - 1e-6) + 1
        assert whole_numbers >= 2, f"{key} is {truth[key]}: it can be worked out ({low}..{high})"


@settings(max_examples=30, deadline=None)
@given(tables())
def test_the_same_table_is_published_the_same_way(table):
    dimensions, domains, counts = table
    first, second = protect(counts, dimensions, domains), protect(dict(reversed(counts.items())), dimensions, domains)
    assert first.cells == second.cells and first.totals == second.totals


def test_a_cohort_with_one_woman_does_not_reveal_her():
    """A naive table by gender would publish "women: 1". The safe one hides her, and the men too,
    since the total minus the men would give her away."""
    safe = protect({("female",): 1, ("male",): 31}, ["gender"], [["female", "male"]])
    by_key = {c.key: c for c in (*safe.cells, *safe.totals)}
    assert by_key[("female",)].suppressed and by_key[("female",)].reason == PRIMARY
    assert by_key[("male",)].suppressed and by_key[("male",)].reason == SECONDARY
    assert by_key[(None,)].value == 30  # 32 rounded to 5


def test_a_two_way_table_hides_a_rectangle_not_everything():
    counts = {
        ("female", "custody"): 1,
        ("female", "probation"): 14,
        ("female", "community"): 11,
        ("male", "custody"): 40,
        ("male", "probation"): 33,
        ("male", "community"): 12,
    }
    safe = protect(counts, ["gender", "phase"], [["female", "male"], ["custody", "probation", "community"]])
    hidden = {c.key for c in safe.suppressed}
    assert hidden == {("female", "custody"), ("female", "community"), ("male", "custody"), ("male", "community")}
    assert all(not t.suppressed for t in safe.totals)


def test_the_same_count_rounds_the_same_in_every_report():
    assert [round_to_base(v) for v in (10, 12, 13, 17, 18, 22, 25)] == [10, 10, 15, 15, 20, 20, 25]
    one = protect({("a",): 12, ("b",): 40}, ["x"], [["a", "b"]])
    other = protect({("a",): 12, ("b",): 93}, ["x"], [["a", "b"]])
    assert one.cells[0].value == other.cells[0].value == 10


def test_rates_need_a_denominator_of_twenty():
    assert safe_rate(3, 19) is None
    assert safe_rate(5, 20) == 0.25


def test_a_table_too_large_to_audit_is_refused():
    domains = [[str(v) for v in range(50)], [str(v) for v in range(50)]]
    with pytest.raises(TableTooLarge):
        protect({}, ["a", "b"], domains)


def test_amounts_need_ten_cases_behind_them():
    """Milestones achieved: 40 by three persons is an amount of 40, but about three people."""
    safe = protect(
        {("a",): 40, ("b",): 60},
        ["x"],
        [["a", "b"]],
        contributors={("a",): 3, ("b",): 25},
    )
    by_key = {c.key: c for c in (*safe.cells, *safe.totals)}
    assert by_key[("a",)].suppressed and by_key[("a",)].reason == PRIMARY
    assert by_key[("b",)].suppressed and by_key[("b",)].reason == SECONDARY
    assert by_key[(None,)].value == 100
