"""A plain-Python reference implementation of DESIGN.md section 5, written from the rule text alone.

It shares no code with ``continuum.sharing.engine``: the property-based tests check that the SQL
engine and this reading of the rules agree for every user on randomly generated worlds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Org:
    id: object
    slug: str
    type: str


@dataclass(frozen=True)
class Record:
    id: object
    person_id: object
    case_id: object | None
    category: str
    author_org_id: object
    withhold_from: frozenset[str]  # organisation types and slugs


@dataclass(frozen=True)
class Membership:
    case_id: object
    org_id: object
    current: bool


@dataclass(frozen=True)
class Consent:
    person_id: object
    category: str
    recipient_id: object
    valid_from: date
    valid_until: date
    withdrawn: bool


@dataclass(frozen=True)
class Override:
    case_id: object
    category: str
    recipient_id: object
    valid_from: datetime
    valid_until: datetime
    revoked: bool


@dataclass
class World:
    cases: dict  # case id -> (person id, trial concluded date or None)
    memberships: list[Membership]
    consents: list[Consent]
    overrides: list[Override]
    matrix: dict  # (org type, category) -> "none" | "read" | "write"
    today: date
    now: datetime


def reference_basis(world: World, viewer: Org | None, record: Record) -> str | None:
    """Why ``viewer`` may see ``record`` ("author", "matrix", "consent", "override"), or None."""
    if viewer is None or viewer.type == "research":  # R9, R10 (viewer None: admin, dpo, no organisation)
        return None
    if record.author_org_id == viewer.id:  # R0
        return "author"
    # R1: current membership of the record's case, or of one of the person's cases.
    if record.case_id is not None:
        member = any(m.current and m.case_id == record.case_id and m.org_id == viewer.id for m in world.memberships)
    else:
        member = any(
            m.current and m.org_id == viewer.id and world.cases[m.case_id][0] == record.person_id
            for m in world.memberships
        )
    if not member:
        return None
    override = record.case_id is not None and any(  # R5
        o.case_id == record.case_id
        and o.category == record.category
        and o.recipient_id == viewer.id
        and not o.revoked
        and o.valid_from <= world.now <= o.valid_until
        for o in world.overrides
    )
    blocked = False
    if record.category == "children" and viewer.type not in ("child_welfare", "ngo_family", "mental_health"):
        blocked = True  # R6
    if viewer.type == "child_welfare" and record.category in ("legal", "risk_assessment"):  # R7
        concluded = world.cases[record.case_id][1] if record.case_id is not None else None
        if concluded is None or concluded > world.today:
            blocked = True
    if viewer.type in record.withhold_from or viewer.slug in record.withhold_from:
        blocked = True  # R4
    if viewer.type == "mentoring" and record.category != "identity":
        blocked = True  # R8 "only identity" (no model in this world assigns records to mentors)
    if not blocked:
        access = world.matrix.get((viewer.type, record.category), "none")
        if access in ("read", "write"):
            return "matrix"  # R2
        if any(  # R3
            c.person_id == record.person_id
            and c.category == record.category
            and c.recipient_id == viewer.id
            and not c.withdrawn
            and c.valid_from <= world.today <= c.valid_until
            for c in world.consents
        ):
            return "consent"
    return "override" if override else None
