"""A plain-Python reference implementation of DESIGN.md section 5, written from the rule text alone.

It shares no code with ``continuum.sharing.engine``: the property-based tests check that the SQL
engine and this reading of the rules agree for every user on randomly generated worlds.

Besides R0-R10 it reads the rules the apps' documentation adds for some kinds of record
(docs/sharing.md, docs/families.md, docs/mentoring.md, docs/plans.md):

- ``kind="case"``: a record on its case (or, without a case, on the person's cases): R0-R10 as written.
- ``kind="child"``: a child's own record (families): it leaves ``case`` empty and belongs to the cases
  with a current child relationship to the child; R1 and R5 ask those cases.
- ``kind="family_file"``: a family file, its clearing and help plan: shared within the file's own team
  of counselling organisations instead of the case team (for the matrix and consent); a legal override
  still needs the case's team and names the case.
- ``kind="session"``: a counselling session: like a family file's records, but the matrix gives it to
  no one (consent only), and one marked "never share" is its author's alone (an override aside).
- ``assigned_org_id`` (R8): what is assigned to a mentoring organisation (a plan milestone, a mentor's
  match) is what that organisation sees besides identity.
- ``triage``: a signal and the central point's notes on it: every central point sees them in full (R1,
  "and the central point, for triage data"), right after R0, no gate applying.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
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
    # Organisation types and slugs; "type:…" and "org:…" say which explicitly, a bare name is either.
    withhold_from: frozenset[str]
    kind: str = "case"  # "case" | "child" | "family_file" | "session"
    file_id: object | None = None  # family_file and session: the file whose team shares it
    never_share: bool = False  # session
    assigned_org_id: object | None = None  # R8: the organisation it is assigned to
    triage: bool = False


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


@dataclass(frozen=True)
class ChildLink:
    """A child relationship: the child ``child_id`` of the person of ``case_id``; ended or not."""

    case_id: object
    child_id: object
    current: bool


@dataclass(frozen=True)
class Counsellor:
    """An organisation on a family file's team, now or formerly."""

    file_id: object
    org_id: object
    current: bool


@dataclass
class World:
    cases: dict  # case id -> (person id, trial concluded date or None)
    memberships: list[Membership]
    consents: list[Consent]
    overrides: list[Override]
    matrix: dict  # (org type, category) -> "none" | "read" | "write"
    today: date
    now: datetime
    child_links: list[ChildLink] = field(default_factory=list)
    counsellors: list[Counsellor] = field(default_factory=list)
    _index: dict | None = field(default=None, repr=False, compare=False)

    def index(self) -> dict:
        """Lookup tables over the lists above (built once; the world is not changed after)."""
        if self._index is None:
            members = {(m.case_id, m.org_id) for m in self.memberships if m.current}
            person_cases = defaultdict(set)
            for case_id, (person_id, _trial) in self.cases.items():
                person_cases[person_id].add(case_id)
            child_cases = defaultdict(set)
            for link in self.child_links:
                if link.current:
                    child_cases[link.child_id].add(link.case_id)
            team = {(c.file_id, c.org_id) for c in self.counsellors if c.current}
            consents = {
                (c.person_id, c.category, c.recipient_id)
                for c in self.consents
                if not c.withdrawn and c.valid_from <= self.today <= c.valid_until
            }
            overrides = {
                (o.case_id, o.category, o.recipient_id)
                for o in self.overrides
                if not o.revoked and o.valid_from <= self.now <= o.valid_until
            }
            self._index = {
                "members": members,
                "person_cases": person_cases,
                "child_cases": child_cases,
                "team": team,
                "consents": consents,
                "overrides": overrides,
            }
        return self._index


def _withheld(record: Record, viewer: Org) -> bool:
    names = record.withhold_from
    return bool({viewer.type, viewer.slug, f"type:{viewer.type}", f"org:{viewer.slug}"} & names)


def reference_basis(world: World, viewer: Org | None, record: Record) -> str | None:
    """Why ``viewer`` may see ``record`` ("author", "triage", "matrix", "consent", "override"), or None."""
    if viewer is None or viewer.type == "research":  # R9, R10 (viewer None: admin, dpo, no organisation)
        return None
    if record.author_org_id == viewer.id:  # R0
        return "author"
    if record.triage and viewer.type == "central_point":  # R1: "and the central point, for triage data"
        return "triage"
    ix = world.index()
    # The cases the record belongs to: its case; a child's record: its parents' cases; a record without
    # a case is on none (an override names a case), but R1 asks the person's cases.
    if record.kind == "child":
        own_cases = ix["child_cases"].get(record.person_id, set())
        r1_cases = own_cases
    elif record.case_id is not None:
        own_cases = {record.case_id}
        r1_cases = own_cases
    else:
        own_cases = set()
        r1_cases = ix["person_cases"].get(record.person_id, set())
    member = any((c, viewer.id) in ix["members"] for c in r1_cases)  # R1
    # R5: an override in force for this organisation, category and a case of the record; R1 still holds:
    # the organisation must be a current member of that case.
    override = any(
        (c, record.category, viewer.id) in ix["overrides"] and (c, viewer.id) in ix["members"] for c in own_cases
    )
    # A family file's records are shared within the file's own team, which replaces R1.
    shared = (record.file_id, viewer.id) in ix["team"] if record.kind in ("family_file", "session") else member
    assigned = viewer.type == "mentoring" and record.assigned_org_id == viewer.id
    blocked = False
    if record.category == "children" and viewer.type not in ("child_welfare", "ngo_family", "mental_health"):
        blocked = True  # R6
    if viewer.type == "child_welfare" and record.category in ("legal", "risk_assessment"):  # R7
        concluded = world.cases[record.case_id][1] if record.case_id is not None else None
        if concluded is None or concluded > world.today:
            blocked = True
    if _withheld(record, viewer):
        blocked = True  # R4
    if record.kind == "session" and record.never_share:
        blocked = True  # R4 per item: "never share"
    if viewer.type == "mentoring" and record.category != "identity" and not assigned:
        blocked = True  # R8: only identity, what is assigned to it and what it wrote
    if shared and not blocked:
        access = world.matrix.get((viewer.type, record.category), "none")
        if record.kind != "session" and (access in ("read", "write") or assigned):
            return "matrix"  # R2 (R8: what is assigned to a mentoring organisation)
        if (record.person_id, record.category, viewer.id) in ix["consents"]:  # R3
            return "consent"
    return "override" if override else None
