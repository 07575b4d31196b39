"""The trend chart of a case: each domain's summary over time, drawn with plotly (no CDN).

The figures are built here as plotly JSON and drawn in the browser by ``assessments/trend.js`` with
the plotly.js that ships in the plotly wheel (served as a static file, see ``staticfiles.py``). The
same numbers are given as a table beside each chart. Only the descriptive domain summaries of
``summaries.trend`` are drawn: no score, level or verdict is computed here.
"""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

# The three descriptive measures per domain, one panel each.
MEASURES = (
    ("risk_mean", "Risk items: mean rating"),
    ("need_mean", "Need items: mean rating"),
    ("protective_mean", "Protective items: mean rating"),
)


def trend_figures(instruments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One figure per instrument: a panel per measure, a line per domain, the finalising dates on x."""
    figures = []
    for index, entry in enumerate(instruments):
        measures = [
            (key, title)
            for key, title in MEASURES
            if any(point[key] is not None for domain in entry["domains"] for point in domain["series"])
        ]
        if not measures:
            continue
        figure = make_subplots(rows=len(measures), cols=1, shared_xaxes=True, subplot_titles=[t for _k, t in measures])
        in_legend: set[str] = set()
        for row, (key, _title) in enumerate(measures, start=1):
            for domain in entry["domains"]:
                points = [p for p in domain["series"] if p[key] is not None]
                if not points:
                    continue
                figure.add_trace(
                    go.Scatter(
                        x=[p["finalised_on"].isoformat() for p in points],
                        y=[p[key] for p in points],
                        mode="lines+markers",
                        name=domain["name"],
                        legendgroup=domain["domain"],
                        showlegend=domain["domain"] not in in_legend,
                    ),
                    row=row,
                    col=1,
                )
                in_legend.add(domain["domain"])
            low, high = entry.get("scale_min") or 0, entry.get("scale_max") or 0
            figure.update_yaxes(range=[low - 0.1, high + 0.1], dtick=1, row=row, col=1)
        figure.update_layout(
            height=260 * len(measures) + 80,
            margin={"l": 50, "r": 20, "t": 40, "b": 40},
            legend={"orientation": "h", "y": -0.08},
            paper_bgcolor="#ffffff",
            plot_bgcolor="#ffffff",
            font={"size": 13},
        )
        # Ticks at the finalising dates only: one assessment gives one tick, not a made-up time axis.
        dates = sorted({p["finalised_on"].isoformat() for d in entry["domains"] for p in d["series"]})
        figure.update_xaxes(type="date", tickformat="%d %b %Y", tickvals=dates)
        figures.append(
            {
                "id": f"trend-{index}",
                "instrument": entry["instrument"],
                "name": entry["name"],
                "figure": json.loads(figure.to_json()),
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
