"""A synthetic historical cohort for the statistics (issue 17): ``continuum seed_cohort``.

The demo world (``seed_demo``) has six persons, too few for any table to publish a cell. ``make demo``
adds this cohort of Prison South's earlier cases, every name invented, built through the actions like
the rest of the demo: each person registered, a case opened in custody, the signal that began it
(a terrorist offence, so included at once), and for most a release in an earlier year to probation,
some with a plan whose milestones were achieved and a course whose sessions they attended or missed,
what was in place at the gate, a follow-up half a year after release, and for a few a recall or a new
conviction as recorded. Deterministic (a fixed seed) and idempotent.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import Organisation, User
from continuum.cases.actions import do_open_case
from continuum.cases.models import Case, PhaseChange
from continuum.people.actions import do_create_person
from continuum.people.models import Person
from continuum.plans import actions as plan_actions
from continuum.signals.actions import do_report_signal
from continuum.transition.actions import (
    do_create_release_plan,
    do_record_reoffending,
    do_record_resettlement_check,
    do_release,
    do_update_release_item,
)
from continuum.transition.choices import Domain

# Every family name ends in "-C" and three digits ("Adler-C017"), so the cohort is found again (idempotence).
COHORT_NAME = r"-C[0-9]{3}$"
GIVEN = {
    "male": ["Adam", "Bram", "Cem", "David", "Emil", "Farid", "Goran", "Hugo", "Ivo", "Jan", "Kerem", "Luca"],
    "female": ["Anna", "Bea", "Clara", "Dina", "Elif", "Fenna", "Greta", "Hiba", "Ines", "Jana", "Lea", "Mina"],
}
FAMILY = ["Adler", "Brink", "Castell", "Dorn", "Eskes", "Falk", "Gerrits", "Hollander", "Imhof", "Jansen"]
# (extremism type, weight): mostly jihadist and right-wing, as in seed 002's figures, a few others.
EXTREMISM = [("jihadist", 55), ("right_wing", 30), ("left_wing", 6), ("separatist", 4), ("single_issue", 5)]
SETTINGS = ["prison", "probation", "community", "online"]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _w in weighted], weights=[w for _v, w in weighted])[0]


# What was in place at the gate: for some releases everything was settled, for others a few domains.
GATE_DOMAINS = [Domain.ACCOMMODATION, Domain.EDUCATION_WORK, Domain.FAMILY_CHILDREN, Domain.ID_DOCUMENTS]


def _prepare_release(case: Case, released_on: date, rng: random.Random, *, acting_user: User) -> None:
    plan = do_create_release_plan(case, expected_release_on=released_on, acting_user=acting_user)
    ready = rng.random() < 0.35
    for item in plan.items.all():
        if ready or (item.domain in GATE_DOMAINS and rng.random() < 0.6):
            do_update_release_item(item, status="done", acting_user=acting_user)


def _date_back(case: Case, *, opened_on: date, released_on: date | None = None) -> None:
    """The actions record today's time; an earlier case opened years ago. Its opening, and the change of
    phase its release made, are dated back to its synthetic history (the audit log keeps the real time)."""
    noon = time(12, tzinfo=UTC)
    Case.objects.filter(pk=case.pk).update(opened_at=datetime.combine(opened_on, noon))
    if released_on is not None:
        PhaseChange.objects.filter(case=case).update(changed_at=datetime.combine(released_on, noon))


def _after_release(case: Case, released_on: date, rng: random.Random, *, acting_user: User) -> None:
    """Most released persons followed up half a year on; a few recalled, fewer convicted again."""
    today = timezone.localdate()
    checked_on = released_on + timedelta(days=182)
    if checked_on <= today and rng.random() < 0.75:
        do_record_resettlement_check(
            case,
            checked_on=checked_on,
            accommodation=_pick(rng, [("settled", 60), ("temporary", 25), ("none", 5), ("not_known", 10)]),
            work_or_education=_pick(rng, [("working", 40), ("in_education", 15), ("neither", 35), ("not_known", 10)]),
            family_contact=_pick(rng, [("regular", 50), ("occasional", 25), ("none", 15), ("not_known", 10)]),
            acting_user=acting_user,
        )
    if rng.random() < 0.12:
        do_record_reoffending(
            case,
            kind="recall",
            occurred_on=min(released_on + timedelta(days=rng.randint(30, 300)), today),
            source="probation",
            acting_user=acting_user,
        )
    if rng.random() < 0.05:
        do_record_reoffending(
            case,
            kind="new_conviction",
            occurred_on=min(released_on + timedelta(days=rng.randint(200, 700)), today),
            source="court",
            acting_user=acting_user,
        )


@transaction.atomic
def seed(size: int = 150) -> str:
    if Person.objects.filter(family_name__regex=COHORT_NAME).exists():
        return "the cohort exists already"
    users = {u.username: u for u in User.objects.select_related("organisation")}
    orgs = {o.slug: o for o in Organisation.objects.all()}
    prison, probation, prison_south = users["ps.casemanager"], orgs["probation"], orgs["prison-south"]
    after = users["prob.officer"]
    rng = random.Random(2026)  # noqa: S311  (synthetic data, not secrets)
    today = timezone.localdate()
    released = 0
    for number in range(size):
        # About one in six is a woman, as among the EU's returnees and VETOs.
        gender = "female" if rng.random() < 0.17 else "male"
        born = date(rng.randint(1975, 2006), rng.randint(1, 12), rng.randint(1, 28))
        person = do_create_person(
            given_name=rng.choice(GIVEN[gender]),
            family_name=f"{rng.choice(FAMILY)}-C{number:03d}",
            birth_date=born,
            gender=gender,
            acting_user=prison,
        )
        case = do_open_case(person=person, lead_organisation=prison_south, phase="custody", acting_user=prison)
        do_report_signal(
            person=person,
            description="Synthetic cohort: convicted of a terrorist offence.",
            extremism_type=_pick(rng, EXTREMISM),
            offence_type="terrorist_offence",
            setting=rng.choice(SETTINGS),
            acting_user=prison,
        )
        if rng.random() < 0.45:
            plan = plan_actions.do_create_plan(case, summary="Synthetic cohort plan.", acting_user=prison)
            goal = plan_actions.do_add_goal(
                plan,
                focus_area=rng.choice(["daily_life", "family", "social_network", "ideology"]),
                description="Synthetic goal.",
                owner_organisation=prison_south,
                acting_user=prison,
            )
            for step in range(rng.randint(1, 4)):
                milestone = plan_actions.do_add_milestone(
                    goal,
                    description=f"Synthetic step {step + 1}",
                    target_on=today - timedelta(days=30),
                    acting_user=prison,
                )
                if rng.random() < 0.7:
                    plan_actions.do_achieve_milestone(
                        milestone, achieved_on=today - timedelta(days=rng.randint(31, 300)), acting_user=prison
                    )
            course = plan_actions.do_add_intervention(
                case,
                type="education",
                provider_organisation=prison_south,
                starts_on=today - timedelta(days=400),
                acting_user=prison,
            )
            for week in range(rng.randint(2, 8)):
                plan_actions.do_record_session(
                    course,
                    held_on=today - timedelta(days=380 - 7 * week),
                    attended=rng.random() < 0.8,
                    acting_user=prison,
                )
        if rng.random() < 0.65:
            year = rng.choice([today.year - 4, today.year - 3, today.year - 2, today.year - 1])
            released_on = date(year, rng.randint(1, 12), rng.randint(1, 28))
            _prepare_release(case, released_on, rng, acting_user=prison)
            do_release(
                case,
                released_on=released_on,
                lead_organisation=probation,
                acting_user=prison,
            )
            released += 1
            _after_release(case, released_on, rng, acting_user=after)
            _date_back(case, opened_on=released_on - timedelta(days=rng.randint(300, 2200)), released_on=released_on)
        else:
            _date_back(case, opened_on=today - timedelta(days=rng.randint(60, 1800)))
    return f"{size} synthetic persons with cases, {released} of them released in earlier years"
