"""Synthetic demo conferences (DESIGN.md section 6), through the actions. Idempotent.

On top of ``cases/demo.py``'s persons:

- a MAR meeting on a working day of the coming week, of Prison North, Probation and Harbour
  Municipality, about the pre-release case
  (Yusuf Demir) and Amira Benali's case (each organisation sees only the cases it is a member of);
- the Rotterdam-model weekly case conference of the municipality about its community cases, with a
  blocked decision: the municipality's recorded dissent;
- a past coordination-unit meeting with an agreed decision and two actions, one overdue;
- the coordination unit's meeting every two weeks about Amira Benali's case, of the organisations in
  her team that work with her now (prison, probation, police, the exit programme, the municipality
  and mental health): each one's pack holds what it may read of her case, and the police's none of
  the exit programme's counselling.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import User
from continuum.cases.models import Case, CaseMember
from continuum.conferences.actions import (
    do_add_conference_action,
    do_give_position,
    do_propose_decision,
    do_record_attendance,
    do_record_minutes,
    do_schedule_conference,
)
from continuum.conferences.models import Conference, Decision
from continuum.plans.actions import do_start_plan_revision
from continuum.plans.choices import PlanStatus
from continuum.plans.models import Plan

MAR_TITLE = "MAR meeting: pre-release and custody cases"
WEEKLY_TITLE = "Weekly case conference (Harbour)"
PAST_TITLE = "Coordination unit: community follow-up"
CUSTODY_UNIT_TITLE = "Coordination unit: returnees in custody"
CUSTODY_UNIT_PARTICIPANTS = ["prison-north", "probation", "police", "exit-ngo", "municipality-harbour", "mental-health"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _case(given: str, family: str) -> Case | None:
    return Case.objects.filter(person__given_name=given, person__family_name=family).order_by("opened_at").first()


@transaction.atomic
def _agree_plan(conference: Conference, plan: Plan, text: str, usernames: list[str], users: dict[str, Any]) -> None:
    """A decision agreeing ``plan`` that every organisation of ``usernames`` agrees: the plan is agreed."""
    case = plan.case
    assert case is not None  # noqa: S101  (a plan always has its case; narrowing for mypy)
    decision = do_propose_decision(
        conference,
        case=case,
        text=text,
        rationale="The goals are the person's own; the person agrees.",
        plan=plan,
        acting_user=users[usernames[0]],
    )
    for username in usernames:
        do_give_position(decision, position="agree", acting_user=users[username])
    # Let time pass (as the assessments demo does): the plan was agreed at that meeting, not today.
    met = min(conference.scheduled_at, timezone.now())
    Decision.objects.filter(pk=decision.pk).update(agreed_at=met)
    Plan.objects.filter(pk=plan.pk).update(agreed_at=met)


def meeting_day(today: date) -> date:
    """Two days ahead, moved to the Monday after when that is a Saturday or a Sunday: a working day
    within the next seven days, whatever the day the demo is made."""
    day = today + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def seed() -> str:
    users: dict[str, Any] = {u.username: u for u in User.objects.select_related("organisation")}
    done = [_seed_meetings(users), _seed_custody_unit(users)]
    return f"conferences: {sum(done)} added" if any(done) else "conferences: already there"


def _seed_custody_unit(users: dict[str, Any]) -> int:
    """The coordination unit's meeting about Amira's case (added to demo worlds made before it, too)."""
    amira = _case("Amira", "Benali")
    if amira is None or Conference.objects.filter(title=CUSTODY_UNIT_TITLE).exists():
        return 0
    # Those of her team that take part (a demo world made before the municipality joined her team has
    # no municipality in it).
    team = set(CaseMember.objects.filter(case=amira, until__isnull=True).values_list("organisation__slug", flat=True))
    unit = do_schedule_conference(
        kind="coordination_unit",
        title=CUSTODY_UNIT_TITLE,
        scheduled_at=_at(meeting_day(timezone.localdate()), 14),
        duration_minutes=60,
        location="Prison North, visitors' building, room 3",
        recurrence="every_two_weeks",
        chair_organisation="probation",
        participants=[slug for slug in CUSTODY_UNIT_PARTICIPANTS if slug in team],
        cases=[amira],
        acting_user=users["prob.officer"],
    )
    do_propose_decision(
        unit,
        case=amira,
        text="Hold the supported-housing room until her release and plan the first week after it together.",
        rationale="A safe address and a known face at the gate matter most in the first days.",
        review_on=timezone.localdate() + timedelta(days=42),
        acting_user=users["prob.officer"],
    )
    return 1


def _seed_meetings(users: dict[str, Any]) -> int:
    """The MAR meeting, the weekly case conference and a past coordination-unit meeting (three)."""
    if Conference.objects.filter(title=MAR_TITLE).exists():
        return 0
    yusuf, amira = _case("Yusuf", "Demir"), _case("Amira", "Benali")
    sofia, daniel = _case("Sofia", "Lindqvist"), _case("Daniel", "Kovac")
    if not all((yusuf, amira, sofia, daniel)):
        return 0
    assert yusuf and amira and sofia and daniel  # noqa: S101  (narrowing for mypy)
    today = timezone.localdate()

    mar_at = _at(meeting_day(today), 10)
    mar = do_schedule_conference(
        kind="mar_meeting",
        title=MAR_TITLE,
        scheduled_at=mar_at,
        duration_minutes=90,
        location="Probation office, room 2.14",
        chair_organisation="probation",
        participants=["prison-north", "probation", "municipality-harbour"],
        cases=[yusuf, amira],
        attendees=[users["pn.casemanager"], users["muni.coordinator"]],
        acting_user=users["prob.officer"],
    )
    do_record_attendance(mar, present=True, acknowledge_confidentiality=True, acting_user=users["prob.officer"])
    do_propose_decision(
        mar,
        case=yusuf,
        text="Start the housing application with the municipality six weeks before release.",
        rationale="A stable address is a condition of the release plan.",
        review_on=today + timedelta(days=28),
        acting_user=users["prob.officer"],
    )
    # The MAR meeting is where Amira's draft plan (plans/demo.py) is to be agreed by all three organisations.
    amira_draft = Plan.objects.filter(case=amira, status=PlanStatus.DRAFT).first()
    if amira_draft is not None:
        do_propose_decision(
            mar,
            case=amira,
            text="Agree Amira's reintegration plan as drafted with her.",
            rationale="The goals are hers, in her own words; each organisation has its part in it.",
            review_on=today + timedelta(days=90),
            plan=amira_draft,
            acting_user=users["prob.officer"],
        )

    # Rotterdam model: every week since three weeks ago.
    weekly = do_schedule_conference(
        kind="case_conference",
        title=WEEKLY_TITLE,
        scheduled_at=_at(today - timedelta(days=21), 9, 30),
        duration_minutes=60,
        location="City hall, meeting room B",
        recurrence="weekly",
        chair_organisation="municipality-harbour",
        participants=["municipality-harbour", "probation", "exit-ngo", "police"],
        cases=[sofia, daniel],
        acting_user=users["muni.coordinator"],
    )
    blocked = do_propose_decision(
        weekly,
        case=daniel,
        text="Reduce probation reporting from weekly to every two weeks.",
        rationale="Stable work for four months and no contact with the old group.",
        acting_user=users["prob.officer"],
    )
    do_give_position(blocked, position="agree", acting_user=users["prob.officer"])
    do_give_position(
        blocked,
        position="disagree",
        comment="Not before he has his own housing: he still lives with the group's former organiser.",
        acting_user=users["muni.coordinator"],
    )
    # Daniel's plan (plans/demo.py): revision 1 agreed by all in this conference three weeks ago; the
    # revision 2 that followed waits for the team's agreement, and probation has agreed it.
    daniel_first = Plan.objects.filter(case=daniel, status=PlanStatus.DRAFT).first()
    if daniel_first is not None:
        _agree_plan(
            weekly,
            daniel_first,
            "Agree Daniel's reintegration plan: his course, work and a new circle of friends.",
            ["prob.officer", "muni.coordinator", "exit.worker", "police.liaison"],
            users,
        )
        do_start_plan_revision(daniel, acting_user=users["prob.officer"])
    daniel_draft = Plan.objects.filter(case=daniel, status=PlanStatus.DRAFT).first()
    if daniel_draft is not None:
        revision = do_propose_decision(
            weekly,
            case=daniel,
            text="Agree Daniel's revised plan (revision 2): the apprenticeship comes before the move.",
            rationale="He asked for the change himself; the apprenticeship starts next month.",
            plan=daniel_draft,
            acting_user=users["prob.officer"],
        )
        do_give_position(revision, position="agree", acting_user=users["prob.officer"])

    # A past meeting: agreed decision, actions (one overdue).
    past = do_schedule_conference(
        kind="coordination_unit",
        title=PAST_TITLE,
        scheduled_at=_at(today - timedelta(days=20), 13),
        location="City hall, meeting room A",
        chair_organisation="municipality-harbour",
        participants=["municipality-harbour", "probation", "exit-ngo"],
        cases=[sofia],
        acting_user=users["muni.coordinator"],
    )
    agreed = do_propose_decision(
        past,
        case=sofia,
        text="Sofia starts the vocational training in logistics; exit work continues every two weeks.",
        rationale="She asked for it herself; the training has a place from next month.",
        review_on=today + timedelta(days=60),
        acting_user=users["muni.coordinator"],
    )
    for username in ("muni.coordinator", "prob.officer", "exit.worker"):
        do_give_position(agreed, position="agree", acting_user=users[username])
    Decision.objects.filter(pk=agreed.pk).update(agreed_at=past.scheduled_at)  # agreed at that meeting
    sofia_plan = Plan.objects.filter(case=sofia, status=PlanStatus.DRAFT).first()
    if sofia_plan is not None:
        _agree_plan(
            past,
            sofia_plan,
            "Agree Sofia's reintegration plan: her job, her flat and her exit work.",
            ["muni.coordinator", "prob.officer", "exit.worker"],
            users,
        )
    organisations = {u.organisation.slug: u.organisation for u in users.values() if u.organisation_id}
    do_add_conference_action(
        agreed,
        description="Register Sofia for the logistics training and confirm the start date.",
        owner_organisation=organisations["municipality-harbour"],
        owner=users["muni.coordinator"],
        due_on=today - timedelta(days=5),
        acting_user=users["muni.coordinator"],
    )
    do_add_conference_action(
        agreed,
        description="Align the reporting days with the training timetable.",
        owner_organisation=organisations["probation"],
        due_on=today + timedelta(days=10),
        acting_user=users["muni.coordinator"],
    )
    do_record_minutes(
        past,
        case=sofia,
        text="Sofia's work placement goes well. She wants a qualification; the team supports the training.",
        acting_user=users["muni.coordinator"],
    )
    return 3
