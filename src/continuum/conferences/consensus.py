"""The consensus rule of API.md, "Conferences", as pure functions (no queries).

"All organisations involved must be in agreement about any decisions that are made" (seed 003, MAR):
the organisations involved in a decision are the conference's participating organisations that are
current members of the decision's case. The decision is

- ``blocked`` while any of them disagrees,
- ``agreed`` when every one of them has given a position and none disagrees (an abstention stands
  aside without blocking),
- ``proposed`` otherwise (also while no organisation is involved at all).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from continuum.conferences.choices import DecisionStatus, PositionChoice


def consensus_status(required: Iterable[Any], positions: dict[Any, str]) -> str:
    """``required``: organisation ids; ``positions``: organisation id -> position."""
    required = set(required)
    given = {org: pos for org, pos in positions.items() if org in required}
    if any(pos == PositionChoice.DISAGREE for pos in given.values()):
        return DecisionStatus.BLOCKED
    if required and set(given) == required:
        return DecisionStatus.AGREED
    return DecisionStatus.PROPOSED


def join_names(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C", in the active language."""
    if len(names) <= 1:
        return "".join(names)
    # "A, B and C": the last two joined by the language's word for "and".
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def describe(required: Sequence[Any], positions: Sequence[Any]) -> str:
    """The status in plain words: "Waiting for Probation and Harbour Municipality", "Blocked: Probation
    disagrees — reason …", "Agreed by all". ``required``: organisations; ``positions``: Position rows."""
    by_org = {p.organisation_id: p for p in positions}
    involved = list(required)
    dissent = [by_org[o.pk] for o in involved if o.pk in by_org and by_org[o.pk].position == PositionChoice.DISAGREE]
    if dissent:
        parts = [
            _("%(organisation)s disagrees — %(comment)s") % {"organisation": p.organisation.name, "comment": p.comment}
            for p in dissent
        ]
        return _("Blocked: %(reasons)s") % {"reasons": "; ".join(parts)}
    waiting = [o.name for o in involved if o.pk not in by_org]
    if not involved:
        return _("Waiting: no participating organisation is a member of this case")
    if waiting:
        return _("Waiting for %(organisations)s") % {"organisations": join_names(waiting)}
    abstained = [o.name for o in involved if by_org[o.pk].position == PositionChoice.ABSTAIN]
    if abstained:
        return ngettext(
            "Agreed by all (%(organisations)s abstained)", "Agreed by all (%(organisations)s abstained)", len(abstained)
        ) % {"organisations": join_names(abstained)}
    return _("Agreed by all")
