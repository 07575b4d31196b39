"""The trend chart of a case: each domain's summary over time, drawn on the server as SVG.

No chart library and no script: this module turns the descriptive domain summaries of
``summaries.trend`` into coordinates, and ``_trend_charts.html`` writes them as inline SVG (small
multiples: a panel per domain, a line and a marker shape per measure, ticks at the finalising dates
only, the instrument's own rating scale on the y axis). The same numbers are given as a table on the trend
page. Only the summaries are drawn: no score, level or verdict is computed here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The three descriptive measures of a domain: a line each, told apart by colour and marker shape.
MEASURES = (
    ("risk_mean", _("Risk items"), "triangle"),
    ("need_mean", _("Need items"), "square"),
    ("protective_mean", _("Protective items"), "circle"),
)

# The drawing area of one domain's panel, in SVG user units (the SVG scales to its grid cell).
WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 46, 40, 12, 34
MAX_DATE_LABELS = 3


def _x_positions(dates: list[date]) -> dict[date, float]:
    """Each finalising date's x: in proportion to the time between them, one date in the middle."""
    inner = WIDTH - LEFT - RIGHT
    if len(dates) == 1:
        return {dates[0]: LEFT + inner / 2}
    first, span = dates[0], (dates[-1] - dates[0]).days
    return {d: round(LEFT + inner * (d - first).days / span, 1) for d in dates}


def marker_path(shape: str, x: float, y: float) -> str:
    """The SVG path of one marker at (x, y): the shapes tell series apart without colour."""
    if shape == "square":
        return f"M{x - 4} {y - 4} h8 v8 h-8 Z"
    if shape == "triangle":
        return f"M{x} {y - 5.5} L{x + 5.5} {y + 4} L{x - 5.5} {y + 4} Z"
    if shape == "diamond":
        return f"M{x} {y - 5.5} L{x + 5.5} {y} L{x} {y + 5.5} L{x - 5.5} {y} Z"
    return f"M{x - 4.5} {y} a4.5 4.5 0 1 0 9 0 a4.5 4.5 0 1 0 -9 0"


def _y(value: float, low: float, high: float) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return round(TOP + inner * (high - value) / ((high - low) or 1), 1)


def _date_labels(dates: list[date], xs: dict[date, float]) -> list[dict[str, Any]]:
    """A tick at every date; a label on at most ``MAX_DATE_LABELS`` of them (first and last always)."""
    step = max(1, -(-len(dates) // MAX_DATE_LABELS))
    labelled = dates[::step]
    labelled[-1] = dates[-1]  # the newest date is always labelled, in place of its neighbour
    return [{"x": xs[d], "label": date_format(d, "DATE_FORMAT") if d in labelled else ""} for d in dates]


Measure = tuple[str, Any, str]  # the title is a lazy translation


def _panel(
    domain: dict[str, Any], measures: list[Measure], xs: dict[date, float], low: float, high: float
) -> dict[str, Any] | None:
    """One domain's panel: a line per measure it has values for (none: no panel)."""
    series = []
    for key, title, marker in measures:
        points: list[dict[str, Any]] = []
        for p in domain["series"]:
            if p[key] is None:
                continue
            x, y, day = xs[p["finalised_on"]], _y(p[key], low, high), date_format(p["finalised_on"], "DATE_FORMAT")
            label = gettext("%(domain)s, %(measure)s, %(day)s: %(value)s") % {
                "domain": domain["name"],
                "measure": str(title).lower(),
                "day": day,
                "value": f"{p[key]:g}",
            }
            points.append({"x": x, "y": y, "label": label, "marker": marker_path(marker, x, y)})
        if points:
            series.append(
                {"measure": key, "path": "M" + " L".join(f"{p['x']} {p['y']}" for p in points), "points": points}
            )
    return {"domain": domain["domain"], "title": domain["name"], "series": series} if series else None


def trend_figures(instruments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One figure per instrument: a small panel per domain, a line per measure over the finalising dates."""
    figures = []
    for index, entry in enumerate(instruments):
        dates = sorted({p["finalised_on"] for d in entry["domains"] for p in d["series"]})
        measures = [m for m in MEASURES if any(p[m[0]] is not None for d in entry["domains"] for p in d["series"])]
        if not dates or not measures:
            continue
        low, high = entry.get("scale_min") or 0, entry.get("scale_max") or 0
        xs = _x_positions(dates)
        panels = [p for domain in entry["domains"] if (p := _panel(domain, measures, xs, low, high)) is not None]
        figures.append(
            {
                "id": f"trend-{index}",
                "instrument": entry["instrument"],
                "name": entry["name"],
                "scale_min": entry.get("scale_min"),
                "scale_max": entry.get("scale_max"),
                "panels": panels,
                "grid": [{"y": _y(v, low, high), "label": v} for v in range(int(low), int(high) + 1)],
                "ticks": _date_labels(dates, xs),
                "legend": [
                    {"measure": key, "name": str(title), "swatch": marker_path(marker, 14, 8)}
                    for key, title, marker in measures
                ],
                "width": WIDTH,
                "height": HEIGHT,
                "plot": {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM},
                "label_y": HEIGHT - BOTTOM + 18,
            }
        )
    return figures


def trend_table(instruments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same numbers as rows: per instrument, per domain, per finalised assessment."""
    tables = []
    for entry in instruments:
        rows = [{**point, "domain": domain["name"]} for domain in entry["domains"] for point in domain["series"]]
        tables.append(
            {
                "instrument": entry["instrument"],
                "name": entry["name"],
                "scale_min": entry.get("scale_min"),
                "scale_max": entry.get("scale_max"),
                "rows": rows,
            }
        )
    return tables
