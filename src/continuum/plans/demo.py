"""Synthetic demo plans and interventions (issue 6), through the actions. Idempotent.

Every name and story is invented. On top of ``cases/demo.py``'s persons:

- Amira (custody): a draft plan built with her, waiting for its first case conference: goals in her own
  words (her children, sleeping again, talks with an imam, school), milestones achieved, one overdue,
  her recorded position; trauma therapy that only mental health sees, and talks with an imam.
- Daniel (probation): revision 1 with his agreement, a milestone assigned to Mentor Network, his mentoring
  and his vocational training.
- Sofia (community): a plan with her agreement and most of its milestones achieved.
- Prison North's group disengagement programme, co-facilitated by the exit NGO, with Amira, Karim and
  Jonas: three sessions held with attendance and notes, one planned, and an individual interview.

Plans become agreed only through an agreed conference decision: ``conferences/demo.py`` (seeded after
this) agrees Sofia's plan and Daniel's revision 1 in their case conferences, and then starts Daniel's
revision 2, a draft waiting for the weekly conference.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import Organisation, User
from continuum.cases.models import Case
from continuum.plans import actions
from continuum.plans.models import GroupProgramme, Plan
from continuum.plans.policy import can_achieve_milestone

# goal: (author, focus area, description, own words, owner slug, withhold_from,
#        [(description, days from today, achieved days ago or None, assigned slug or None)])
AMIRA_GOALS: list[tuple[Any, ...]] = [
    (
        "pn.casemanager",
        "family",
        "Restore regular contact with her two children and her mother.",
        "I want my children to know me again, not only from a screen.",
        "family-counselling",
        [],
        [
            ("Video call with the children every two weeks", -40, 30, None),
            ("First visit of the children in the family room", 21, None, None),
        ],
    ),
    (
        "pn.casemanager",
        "resilience",
        "Work on sleep and trauma symptoms with the mental health service.",
        "I want to sleep through the night again.",
        "mental-health",
        ["police"],
        [("Start weekly sessions with the trauma therapist", -50, 45, None)],
    ),
    (
        "exit.worker",
        "ideology",
        "Conversations with an imam about what she was taught in the camp.",
        "I have questions I could never ask there.",
        "exit-ngo",
        [],
        [
            ("First conversation with the imam", -30, 28, None),
            ("Third conversation with the imam", -10, None, None),
        ],
    ),
    (
        "pn.casemanager",
        "daily_life",
        "Finish secondary school through the prison's education programme.",
        "I want my diploma, so I can work when I am out.",
        "prison-north",
        [],
        [("Enrol in the education programme", 20, None, None)],
    ),
]

DANIEL_GOALS: list[tuple[Any, ...]] = [
    (
        "prob.officer",
        "daily_life",
        "Finish the electrician's course and find an apprenticeship.",
        "I want to finish what I started and earn my own money.",
        "municipality-harbour",
        [],
        [
            ("Visit the vocational school with his mentor", 10, None, "mentor-network"),
            ("Apply for the apprenticeship at the harbour", 45, None, None),
        ],
    ),
    (
        "prob.officer",
        "social_network",
        "Build a circle of friends outside the old group.",
        "I need people who do not drag me back.",
        "exit-ngo",
        [],
        [("Join the football club", -20, 15, None)],
    ),
]

SOFIA_GOALS: list[tuple[Any, ...]] = [
    (
        "muni.coordinator",
        "daily_life",
        "Keep her job and her own flat.",
        "I like the bakery. I want to stay there.",
        "municipality-harbour",
        [],
        [("Permanent contract at the bakery", -30, 20, None), ("Six months in her own flat", -10, 8, None)],
    ),
]


def _achiever(milestone: Any, goal: Any, author: User, users: dict[str, User]) -> User:
    """Who ticks the step off: a user of the organisation whose step it is, if it may; else the author."""
    responsible = milestone.assigned_organisation_id or goal.owner_organisation_id
    candidates = [u for name, u in sorted(users.items()) if u.organisation_id == responsible]
    case = milestone.case
    return next((u for u in candidates if can_achieve_milestone(u, case, milestone, goal)), author)


def _add_goals(plan: Plan, goals: list[tuple[Any, ...]], users: dict[str, User], orgs: dict[str, Organisation]) -> None:
    today = timezone.localdate()
    for author, focus, description, words, owner, withhold, milestones in goals:
        goal = actions.do_add_goal(
            plan,
            focus_area=focus,
            description=description,
            persons_own_words=words,
            owner_organisation=orgs[owner],
            withhold_from=withhold,
            acting_user=users[author],
        )
        for text, days, achieved_ago, assigned in milestones:
            milestone = actions.do_add_milestone(
                goal,
                description=text,
                target_on=today + timedelta(days=days),
                assigned_organisation=orgs[assigned] if assigned else None,
                acting_user=users[author],
            )
            if achieved_ago is not None:
                actions.do_achieve_milestone(
                    milestone,
                    achieved_on=today - timedelta(days=achieved_ago),
                    acting_user=_achiever(milestone, goal, users[author], users),
                )


def _sessions(intervention: Any, user: User, pattern: list[bool], every: int) -> None:
    today = timezone.localdate()
    for i, attended in enumerate(pattern):
        held = today - timedelta(days=every * (len(pattern) - i))
        actions.do_record_session(intervention, held_on=held, attended=attended, acting_user=user)


def _case(given: str, family: str) -> Case | None:
    return Case.objects.filter(person__given_name=given, person__family_name=family).first()


@transaction.atomic
def seed() -> str:
    users = {u.username: u for u in User.objects.select_related("organisation")}
    orgs = {o.slug: o for o in Organisation.objects.all()}
    today = timezone.localdate()
    done = 0

    amira = _case("Amira", "Benali")
    if amira is not None and not Plan.objects.filter(case=amira).exists():
        plan = actions.do_create_plan(
            amira,
            summary="Amira wants to rebuild her bond with her children, sleep again, ask her questions about faith, "
            "and finish school before her release.",
            acting_user=users["pn.casemanager"],
        )
        _add_goals(plan, AMIRA_GOALS, users, orgs)
        actions.do_record_agreement(
            plan,
            position="partly_agrees",
            persons_words="I agree with most of it. The talks with the imam are fine, but I want more time with my "
            "children than this.",
            recorded_on=today - timedelta(days=3),
            acting_user=users["exit.worker"],
        )
        therapy = actions.do_add_intervention(
            amira,
            type="trauma_therapy",
            provider_organisation=orgs["mental-health"],
            practitioner=users["mh.clinician"],
            voluntary=True,
            starts_on=today - timedelta(days=45),
            frequency="weekly",
            acting_user=users["mh.clinician"],
        )
        _sessions(therapy, users["mh.clinician"], [True, True, False, True, True, True], every=7)
        dialogue = actions.do_add_intervention(
            amira,
            type="ideological_dialogue",
            provider_organisation=orgs["exit-ngo"],
            practitioner=users["exit.worker"],
            voluntary=True,
            starts_on=today - timedelta(days=30),
            frequency="every two weeks",
            acting_user=users["exit.worker"],
        )
        _sessions(dialogue, users["exit.worker"], [True, True], every=14)
        done += 1

    daniel = _case("Daniel", "Kovac")
    if daniel is not None and not Plan.objects.filter(case=daniel).exists():
        first = actions.do_create_plan(
            daniel,
            summary="Daniel finishes his course, finds work and builds a new circle of friends.",
            acting_user=users["prob.officer"],
        )
        _add_goals(first, DANIEL_GOALS, users, orgs)
        actions.do_record_agreement(
            first,
            position="agrees",
            persons_words="It is my plan. I want the apprenticeship most of all.",
            recorded_on=today - timedelta(days=40),
            acting_user=users["prob.officer"],
        )
        mentoring = actions.do_add_intervention(
            daniel,
            type="mentoring",
            provider_organisation=orgs["mentor-network"],
            practitioner=users["mentor.one"],
            voluntary=True,
            starts_on=today - timedelta(days=60),
            frequency="weekly",
            acting_user=users["prob.officer"],
        )
        _sessions(mentoring, users["prob.officer"], [True, True, True, False, True, True], every=7)
        training = actions.do_add_intervention(
            daniel,
            type="vocational_training",
            provider_organisation=orgs["municipality-harbour"],
            voluntary=False,
            starts_on=today - timedelta(days=20),
            frequency="three days a week",
            acting_user=users["muni.coordinator"],
        )
        _sessions(training, users["muni.coordinator"], [True, True], every=5)
        done += 1

    sofia = _case("Sofia", "Lindqvist")
    if sofia is not None and not Plan.objects.filter(case=sofia).exists():
        plan = actions.do_create_plan(
            sofia,
            summary="Sofia keeps her job, her flat and her contact with her exit worker.",
            acting_user=users["muni.coordinator"],
        )
        _add_goals(plan, SOFIA_GOALS, users, orgs)
        actions.do_record_agreement(
            plan,
            position="agrees",
            persons_words="Yes, this is what I want.",
            recorded_on=today - timedelta(days=60),
            acting_user=users["muni.coordinator"],
        )
        support = actions.do_add_intervention(
            sofia,
            type="employment_support",
            provider_organisation=orgs["exit-ngo"],
            practitioner=users["exit.worker"],
            voluntary=True,
            starts_on=today - timedelta(days=120),
            frequency="monthly",
            acting_user=users["exit.worker"],
        )
        _sessions(support, users["exit.worker"], [True, True, True, True], every=28)
        done += 1
    groups = _group_programme(users, orgs)
    return f"plans and interventions added to {done} cases; {groups} group programme started"


# Prison North's group disengagement programme (seed 003: voluntary, twice a month for two hours, led
# with the prison's cultural mediator, external experts by topic, small objectives first).
GROUP_TITLE = "Leaving violence behind: a group in the high-security section"
GROUP_SESSIONS = [
    # (days ago, topic, external experts, [(participant, attended, note)])
    (
        42,
        "Getting to know each other; what each of us wants from the group",
        "",
        [
            ("Amira", True, "Listened more than she spoke; said she came for her children."),
            ("Karim", True, "Talked openly about the friends who drew him in."),
            ("Jonas", False, "Did not come: a visit from his lawyer at the same hour."),
        ],
    ),
    (
        28,
        "Small objectives: one thing I will do differently this month",
        "",
        [
            ("Amira", True, "Chose to write a letter to her daughter every week."),
            ("Karim", True, "Chose to phone his mother instead of his old group."),
            ("Jonas", True, "First session: quiet, stayed to the end."),
        ],
    ),
    (
        14,
        "What the sources really say about violence",
        "A theologian from the university (on the sources)",
        [
            ("Amira", True, "Asked many questions of the theologian; asked for an individual interview."),
            ("Karim", False, "Ill in the medical unit."),
            ("Jonas", True, "Asked whether the group is also for people like him, with other ideas."),
        ],
    ),
]


def _group_programme(users: dict[str, User], orgs: dict[str, Organisation]) -> int:
    if GroupProgramme.objects.filter(title=GROUP_TITLE).exists():
        return 0
    cases = {
        given: _case(given, family) for given, family in (("Amira", "Benali"), ("Karim", "Haddad"), ("Jonas", "Weber"))
    }
    if any(case is None for case in cases.values()):
        return 0
    today = timezone.localdate()
    prison = users["pn.casemanager"]
    programme = actions.do_create_programme(
        title=GROUP_TITLE,
        type="disengagement_group",
        description="Voluntary. Twice a month for two hours, led with the prison's cultural mediator; external "
        "experts by topic; small objectives first; an individual interview for whoever asks.",
        facilitator_organisations=[orgs["exit-ngo"]],
        voluntary=True,
        starts_on=today - timedelta(days=45),
        frequency="Twice a month, two hours",
        place="High-security section, group room",
        acting_user=prison,
    )
    places = {
        given: actions.do_add_group_participant(programme, case=case, starts_on=programme.starts_on, acting_user=prison)
        for given, case in cases.items()
        if case is not None
    }
    for days_ago, topic, experts, attendance in GROUP_SESSIONS:
        session = actions.do_record_group_session(
            programme,
            held_on=today - timedelta(days=days_ago),
            topic=topic,
            external_experts=experts,
            facilitators=[prison, users["exit.worker"]],
            acting_user=prison,
        )
        actions.do_record_attendance(
            session,
            attendance=[
                {"participant": places[given].pk, "attended": attended, "note": note}
                for given, attended, note in attendance
            ],
            acting_user=prison,
        )
    actions.do_record_group_session(
        programme,
        held_on=today + timedelta(days=1),
        topic="Family: what I owe them, what they owe me",
        facilitators=[prison, users["exit.worker"]],
        acting_user=prison,
    )
    actions.do_record_session(
        places["Amira"],
        held_on=today - timedelta(days=10),
        attended=True,
        note="Individual interview on her request: talked about the theologian's answers.",
        acting_user=users["exit.worker"],
    )
    return 1
