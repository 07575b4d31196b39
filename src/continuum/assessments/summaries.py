"""Descriptive summaries of ratings: per domain, disagreements between assessors, trends over time,
and how far one assessor's draft is (``draft_progress``, for the rating page).

Descriptive only: counts, means and maxima of the agreed ratings per domain and item type. Nothing
here combines domains into a score, a level or a verdict about the person, and nothing here writes
to an assessment (EU AI Act Art. 5(1)(d); docs/assessments.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import mean
from typing import Any

from django.utils.translation import get_language, ngettext

from continuum.assessments.choices import ItemType
from continuum.assessments.format import all_domains, localise


def _mean(values: list[int]) -> float | None:
    return round(mean(values), 2) if values else None


def domain_summaries(
    definition: dict[str, Any], modules: list[str], ratings: dict[str, int | None]
) -> list[dict[str, Any]]:
    """Per domain of the core and chosen modules: items, rated, known unknowns, and per item type the
    mean (and for risk and need the maximum) of the rated items. ``ratings``: item code -> rating or
    None (known unknown); items absent from it are not rated yet."""
    summaries = []
    for module, domain in all_domains(definition, modules):
        by_type: dict[str, list[int]] = {t: [] for t in ItemType.values}
        rated = unknown = 0
        for item in domain["items"]:
            if item["code"] not in ratings:
                continue
            value = ratings[item["code"]]
            if value is None:
                unknown += 1
                continue
            rated += 1
            by_type[item["type"]].append(value)
        summaries.append(
            {
                "domain": domain["code"],
                "name": domain["name"],
                "module": module or None,
                "items": len(domain["items"]),
                "rated": rated,
                "known_unknowns": unknown,
                "risk_mean": _mean(by_type[ItemType.RISK]),
                "risk_max": max(by_type[ItemType.RISK], default=None),
                "need_mean": _mean(by_type[ItemType.NEED]),
                "need_max": max(by_type[ItemType.NEED], default=None),
                "protective_mean": _mean(by_type[ItemType.PROTECTIVE]),
            }
        )
    return summaries


def disagreements(items: dict[str, dict[str, Any]], ratings: Iterable[Any]) -> list[dict[str, Any]]:
    """Items on which the given assessors' ratings differ (a known unknown differs from any rating)."""
    per_item: dict[str, list[Any]] = {}
    for rating in ratings:
        per_item.setdefault(rating.item, []).append(rating)
    result = []
    for code, item in items.items():
        rows = per_item.get(code, [])
        if len({r.rating for r in rows}) > 1:
            result.append(
                {
                    "item": code,
                    "domain": item["domain"],
                    "text": item["text"],
                    "ratings": [
                        {"assessor": r.assessor.username, "rating": r.rating, "decisive": r.decisive}
                        for r in sorted(rows, key=lambda r: r.assessor.username)
                    ],
                }
            )
    return result


@dataclass(frozen=True)
class DraftProgress:
    """How far one assessor's draft is: items rated (a known unknown counts), those still without a
    rationale, and the item to go to next (``next_kind``: "unrated", "rationale", or "" when every
    item is rated with a rationale, which is what ``actions.do_submit_ratings`` requires)."""

    total: int
    rated: int
    without_rationale: int
    next_item: dict[str, Any] | None
    next_kind: str

    @property
    def unrated(self) -> int:
        return self.total - self.rated

    @property
    def text(self) -> str:
        return ngettext("%(rated)s of %(total)s item rated", "%(rated)s of %(total)s items rated", self.total) % {
            "rated": self.rated,
            "total": self.total,
        }

    @property
    def ready(self) -> bool:
        """Every item rated with a rationale: the draft may be submitted."""
        return self.unrated == 0 and self.without_rationale == 0


def draft_progress(
    items: dict[str, dict[str, Any]], rationales: Mapping[str, str], *, after: str = ""
) -> DraftProgress:
    """The progress of a draft over ``items`` (in the page's order), from ``rationales`` (item code ->
    rationale of the assessor's saved rating; absent: not rated). The next item is the first unrated
    one after ``after`` (the item just saved), wrapping round to the start; once all are rated, the
    first one without a rationale."""
    codes = list(items)
    start = codes.index(after) + 1 if after in items else 0
    ordered = codes[start:] + codes[:start]
    drafts = {code: rationales[code] for code in codes if code in rationales}
    unrated = next((c for c in ordered if c not in drafts), None)
    no_rationale = [c for c in ordered if c in drafts and not drafts[c].strip()]
    if unrated is not None:
        code, kind = unrated, "unrated"
    elif no_rationale:
        code, kind = no_rationale[0], "rationale"
    else:
        code, kind = None, ""
    return DraftProgress(
        total=len(codes),
        rated=len(drafts),
        without_rationale=len(no_rationale),
        next_item=items[code] if code else None,
        next_kind=kind,
    )


def scale_bounds(definition: dict[str, Any], modules: list[str]) -> tuple[int, int]:
    """The lowest and highest rating any item of the core and ``modules`` allows (for chart axes)."""
    values = [
        point["value"]
        for _module, domain in all_domains(definition, modules)
        for item in domain["items"]
        for point in item["scale"]
    ]
    return (min(values), max(values)) if values else (0, 0)


def trend(assessments: Iterable[Any], consensus: dict[Any, dict[str, int | None]]) -> list[dict[str, Any]]:
    """Per instrument and domain, the dated series of domain summaries of finalised assessments.

    ``assessments`` in date order; ``consensus``: assessment id -> item code -> agreed rating. A
    domain is followed across instrument versions by its code.
    """
    instruments: dict[str, dict[str, Any]] = {}
    for assessment in assessments:
        instrument = assessment.instrument
        # In the active language (``format.localise``), as ``Instrument.texts``.
        texts = localise(instrument.definition, get_language() or "en")
        name = texts.get("name") or instrument.name
        entry = instruments.setdefault(
            instrument.code,
            {
                "instrument": instrument.code,
                "name": name,
                "scale_min": None,
                "scale_max": None,
                "domains": {},
            },
        )
        entry["name"] = name
        low, high = scale_bounds(texts, list(assessment.modules))
        entry["scale_min"] = low if entry["scale_min"] is None else min(entry["scale_min"], low)
        entry["scale_max"] = high if entry["scale_max"] is None else max(entry["scale_max"], high)
        for summary in domain_summaries(texts, list(assessment.modules), consensus.get(assessment.pk, {})):
            domain = entry["domains"].setdefault(
                summary["domain"],
                {"domain": summary["domain"], "name": summary["name"], "module": summary["module"], "series": []},
            )
            domain["name"] = summary["name"]
            domain["series"].append(
                {
                    **summary,
                    "assessment": assessment.pk,
                    "finalised_on": assessment.finalised_on,
                    "instrument_version": instrument.version,
                }
            )
    return [{**entry, "domains": list(entry["domains"].values())} for entry in instruments.values()]
