"""A publication as a report: its tables laid out as grids with their totals, in HTML and PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from continuum.cases.choices import in_sentence
from continuum.insights import tables
from continuum.insights.disclosure import PRIMARY


@dataclass
class Shown:
    """One cell as a reader sees it: the published value, or a mark and why it is hidden."""

    value: int | None
    suppressed: bool
    reason: str

    @property
    def why(self) -> str:
        if not self.suppressed:
            return ""
        if self.reason == PRIMARY:
            return _("Hidden: fewer than 10")
        return _("Hidden so that another hidden cell cannot be worked out")


@dataclass
class Grid:
    """A table for reading: rows by the first breakdown, columns by the second (or the value)."""

    title: str
    commentary: str
    measure: str
    by: list[str]  # the breakdowns' names inside a sentence ("by gender, phase")
    column_heads: list[str]
    rows: list[tuple[str, list[Shown]]] = field(default_factory=list)
    flat: list[tuple[list[str], Shown]] = field(default_factory=list)  # three breakdowns: one line per cell
    hidden: int = 0
    heads: list[str] = field(default_factory=list)  # the breakdowns' names as column headings
    protected: bool = True  # through the disclosure control (False: a team's own cases, nothing hidden)

    @property
    def bars(self) -> list[tuple[str, int | None, int]]:
        """A bar per row of a one-breakdown table (its total left out): label, value, length in percent
        of the largest; none for wider tables."""
        if len(self.by) != 1:
            return []
        shown = [(label, cells[0].value) for label, cells in self.rows[:-1]]
        largest = max((value for _label, value in shown if value is not None), default=0) or 1
        return [(label, value, round(100 * (value or 0) / largest)) for label, value in shown]


def grid(
    title: str, commentary: str, measure: str, by: list[str], cells: list[dict[str, Any]], totals: list[dict[str, Any]]
) -> Grid:
    """``cells`` and ``totals`` as stored or as the API gives them: ``key`` (or the by values), value,
    suppressed, reason."""

    def key_of(item: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(item["key"]) if "key" in item else tuple(item[d] for d in by)

    found = {
        key_of(item): Shown(item["value"], item["suppressed"], item.get("reason", "")) for item in (*cells, *totals)
    }
    shown = Grid(
        title=title,
        commentary=commentary,
        measure=str(tables.MEASURE_LABELS.get(measure, measure)),
        by=[in_sentence(tables.DIMENSION_LABELS.get(d, d)) for d in by],
        heads=[str(tables.DIMENSION_LABELS.get(d, d)) for d in by],
        column_heads=[],
        hidden=sum(1 for s in found.values() if s.suppressed),
    )
    values = [list(dict.fromkeys(key_of(item)[d] for item in cells)) for d in range(len(by))]
    if len(by) == 1:
        shown.column_heads = [shown.measure]
        for value in [*values[0], None]:
            shown.rows.append((tables.value_label(by[0], value), [found[(value,)]]))
    elif len(by) == 2:
        shown.column_heads = [tables.value_label(by[1], v) for v in [*values[1], None]]
        for first in [*values[0], None]:
            shown.rows.append(
                (tables.value_label(by[0], first), [found[(first, second)] for second in [*values[1], None]])
            )
    else:
        for key, item in found.items():
            shown.flat.append(([tables.value_label(d, v) for d, v in zip(by, key, strict=True)], item))
    return shown


def publication_grids(publication: Any) -> list[Grid]:
    return [grid(t.title, t.commentary, t.measure, t.by, t.cells, t.totals) for t in publication.tables.all()]


def render_publication_pdf(publication: Any) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "insights/publication_pdf.html", {"publication": publication, "grids": publication_grids(publication)}
    )
    return bytes(HTML(string=html).write_pdf())
