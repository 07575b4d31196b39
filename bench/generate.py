"""Synthetic scale data for the benchmark, built only through the domain actions (STYLE.md 2).

On top of the demo personas (``continuum.accounts.demo.seed()``) it grows a world of ``cases`` cases:

- every case: a person (registered by Prison North), a case led by Prison North in custody, a team of
  several organisation types (probation, mental health and the municipality always; police in two cases
  of three; the exit programme and child welfare in every other case), journal entries across the
  categories from the organisations that may write them, some withheld from the police (R4);
- every second case: a draft plan with two goals (one withheld from the police) of two milestones each;
- every fifth case: a finalised assessment (probation's MAR instrument, one assessor);
- the *focus case* (the first one) grows with the world: its journal has ``FOCUS_ENTRIES_PER_CASE``
  entries per case of the world, its plan one goal per ``FOCUS_CASES_PER_GOAL`` cases, so that the pages
  about one case are measured against a case that grows too;
- one conference per size, scheduled by probation, with every case of the world on its agenda, a decision
  proposed for every third case and minutes for every fourth.

``grow(world, cases)`` only adds what is missing, so the benchmark measures the small world, grows the
same database to the large world and measures again. Everything is synthetic.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from continuum.accounts.models import Organisation, User
from continuum.assessments import actions as assessment_actions
from continuum.cases import actions as case_actions
from continuum.cases.models import Case
from continuum.conferences import actions as conference_actions
from continuum.conferences.models import Conference
from continuum.people import actions as people_actions
from continuum.plans import actions as plan_actions
from continuum.plans.models import Plan

LEAD = "pn.casemanager"  # Prison North leads every case
MAR = "continuum-mar-spj"
FOCUS_ENTRIES_PER_CASE = 3
FOCUS_CASES_PER_GOAL = 4
GIVEN = ["Amal", "Bram", "Chloe", "Dario", "Eva", "Farid", "Greta", "Hamza", "Iris", "Jamal", "Kira", "Lucas"]
FAMILY = ["Aydin", "Bakker", "Claes", "Dahl", "Eriksen", "Fontaine", "Garcia", "Haddou", "Ivanova", "Jansen"]

# (author, category, title, body, withhold_from): one round of a case's journal.
JOURNAL: list[tuple[str, str, str, str, list[str]]] = [
    ("pn.casemanager", "security", "Cell search", "Nothing found in the cell.", []),
    ("pn.casemanager", "legal", "Sentence computed", "Earliest release date computed.", []),
    ("prob.officer", "risk_assessment", "Risk review", "Protective factors grew.", ["police"]),
    ("prob.officer", "plan", "Supervision agreed", "Weekly reporting agreed.", []),
    ("police.liaison", "security", "Liaison note", "Contact with the local team.", []),
    ("mh.clinician", "mental_health", "Therapy session", "Sleep is better; trauma work continues.", []),
    ("exit.worker", "counselling", "Exit session", "Talked about doubts and family.", []),
    ("cw.worker", "children", "Contact visit", "The children visited; it went well.", []),
    ("muni.coordinator", "daily_life", "Housing", "On the list for a flat near the harbour.", ["police"]),
]
# organisation slug of each journal author
AUTHOR_ORG = {
    "pn.casemanager": "prison-north",
    "prob.officer": "probation",
    "police.liaison": "police",
    "mh.clinician": "mental-health",
    "exit.worker": "exit-ngo",
    "cw.worker": "child-welfare",
    "muni.coordinator": "municipality-harbour",
}
FOCUS_AREAS = ["family", "resilience", "ideology", "daily_life", "social_network"]


@dataclass
class World:
    """What the generator has built so far, and the ids the benchmark measures."""

    users: dict[str, User]
    orgs: dict[str, Organisation]
    cases: list[Case] = field(default_factory=list)
    conference: Conference | None = None
    clients: dict[str, Any] = field(default_factory=dict)  # the benchmark's clients, per persona
    seconds: float = 0.0
    actions: int = 0

    @property
    def focus(self) -> Case:
        return self.cases[0]


def start() -> World:
    """The world on top of the demo personas (which must exist)."""
    users = {u.username: u for u in User.objects.select_related("organisation")}
    orgs = {o.slug: o for o in Organisation.objects.all()}
    return World(users=users, orgs=orgs)


def team_of(index: int) -> list[str]:
    """The member organisations (besides the lead, Prison North) of the ``index``-th case."""
    team = ["probation", "mental-health", "municipality-harbour"]
    if index % 3 != 2:
        team.append("police")
    if index % 2 == 0:
        team += ["exit-ngo", "child-welfare"]
    return team


def _journal_round(world: World, case: Case, team: set[str], round_: int) -> int:
    written = 0
    for author, category, title, body, withhold in JOURNAL:
        if AUTHOR_ORG[author] not in team:
            continue
        case_actions.do_add_entry(
            case,
            category=category,
            title=f"{title} ({round_ + 1})",
            body=body,
            withhold_from=withhold,
            acting_user=world.users[author],
        )
        written += 1
    return written


def _add_goal(world: World, plan: Plan, number: int) -> None:
    goal = plan_actions.do_add_goal(
        plan,
        focus_area=FOCUS_AREAS[number % len(FOCUS_AREAS)],
        description=f"Goal {number + 1}: work, housing and family, step by step.",
        persons_own_words="I want to stand on my own feet.",
        owner_organisation=world.orgs["probation"],
        withhold_from=["police"] if number % 2 else [],
        acting_user=world.users[LEAD],
    )
    today = timezone.localdate()
    for step in range(2):
        plan_actions.do_add_milestone(
            goal,
            description=f"Step {step + 1} of goal {number + 1}",
            target_on=today + timedelta(days=14 * (step + 1) - 7),
            assigned_organisation=None,
            acting_user=world.users[LEAD],
        )
    world.actions += 3


def _assessment(world: World, case: Case) -> None:
    officer = world.users["prob.officer"]
    instrument = assessment_actions.find_instrument(MAR)
    assessment = assessment_actions.do_open_assessment(
        case, instrument=instrument, assessors=[officer], acting_user=officer
    )
    ratings = []
    for index, (code, item) in enumerate(assessment.items().items()):
        allowed = [p["value"] for p in item["scale"]]
        ratings.append(
            {
                "item": code,
                "rating": allowed[index % len(allowed)],
                "rationale": "From the file and the session notes.",
                "evidence_for": "Session notes.",
                "evidence_against": "",
                "decisive": index == 0,
            }
        )
    assessment_actions.do_save_ratings(assessment, ratings=ratings, acting_user=officer)
    assessment_actions.do_submit_ratings(assessment, acting_user=officer)
    agreed = [{"item": r["item"], "rating": r["rating"], "rationale": "Agreed."} for r in ratings]
    assessment_actions.do_record_consensus(assessment, ratings=agreed, acting_user=officer)
    assessment_actions.do_finalise_assessment(
        assessment,
        judgement_level="moderate concern",
        judgement_summary="Steady progress; the plan for housing and work is the main need.",
        next_review_on=timezone.localdate() + timedelta(days=180),
        acting_user=officer,
    )
    world.actions += 5


def _new_case(world: World, index: int) -> Case:
    lead = world.users[LEAD]
    person = people_actions.do_create_person(
        given_name=GIVEN[index % len(GIVEN)],
        family_name=f"{FAMILY[index % len(FAMILY)]}-{index}",
        birth_date=date(1980 + index % 25, 1 + index % 12, 1 + index % 28),
        gender="female" if index % 2 else "male",
        acting_user=lead,
    )
    case = case_actions.do_open_case(
        person=person, lead_organisation=lead.organisation, phase="custody", acting_user=lead
    )
    team = team_of(index)
    for slug in team:
        case_actions.do_add_member(case, organisation=world.orgs[slug], acting_user=lead)
    world.actions += 2 + len(team)
    world.actions += _journal_round(world, case, {"prison-north", *team}, 0)
    if index % 2 == 0:
        plan = plan_actions.do_create_plan(case, summary="Work, housing and family.", acting_user=lead)
        world.actions += 1
        for number in range(2):
            _add_goal(world, plan, number)
    if index % 5 == 0:
        _assessment(world, case)
    return case


def _grow_focus(world: World, cases: int) -> None:
    from continuum.cases.models import Entry
    from continuum.plans.models import Goal

    focus = world.focus
    team = {"prison-north", *team_of(0)}
    entries = Entry.objects.filter(case=focus).count()
    round_ = entries // len(JOURNAL) + 1
    while entries < FOCUS_ENTRIES_PER_CASE * cases:
        written = _journal_round(world, focus, team, round_)
        entries += written
        world.actions += written
        round_ += 1
    plan = Plan.objects.get(case=focus, revision=1)
    goals = Goal.objects.filter(plan=plan).count()
    while goals < max(2, cases // FOCUS_CASES_PER_GOAL):
        _add_goal(world, plan, goals)
        goals += 1


def _conference(world: World) -> Conference:
    officer = world.users["prob.officer"]
    when = timezone.now() + timedelta(days=2)
    conference = conference_actions.do_schedule_conference(
        kind="mar_meeting",
        title=f"Bench MAR meeting: {len(world.cases)} cases",
        scheduled_at=datetime.combine(when.date(), datetime.min.time().replace(hour=10), tzinfo=when.tzinfo),
        duration_minutes=240,
        location="Probation office",
        chair_organisation="probation",
        participants=["prison-north", "probation", "police", "mental-health"],
        cases=world.cases,
        acting_user=officer,
    )
    world.actions += 1
    for index, case in enumerate(world.cases):
        if index % 3 == 0:
            conference_actions.do_propose_decision(
                conference,
                case=case,
                text="Start the housing application six weeks before release.",
                rationale="A stable address is a condition of the release plan.",
                acting_user=officer,
            )
            world.actions += 1
        if index % 4 == 0:
            conference_actions.do_record_minutes(
                conference, case=case, text="Progress discussed; the team agrees.", acting_user=officer
            )
            world.actions += 1
    return conference


def grow(world: World, cases: int) -> World:
    """Add cases (and the focus case's records) until the world has ``cases`` cases; schedule its conference."""
    began = time.perf_counter()
    while len(world.cases) < cases:
        world.cases.append(_new_case(world, len(world.cases)))
    _grow_focus(world, cases)
    world.conference = _conference(world)
    world.seconds += time.perf_counter() - began
    return world


def describe(world: World) -> dict[str, Any]:
    """Row counts of the world, for the report."""
    from continuum.assessments.models import Assessment
    from continuum.audit.models import AuditEvent
    from continuum.cases.models import Entry
    from continuum.plans.models import Goal, Milestone

    return {
        "cases": Case.objects.count(),
        "entries": Entry.objects.count(),
        "focus case entries": Entry.objects.filter(case=world.focus).count(),
        "goals": Goal.objects.count(),
        "milestones": Milestone.objects.count(),
        "assessments": Assessment.objects.count(),
        "agenda": world.conference.cases.count() if world.conference else 0,
        "audit events": AuditEvent.objects.count(),
    }
