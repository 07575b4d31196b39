"""A synthetic historical cohort for the statistics (issue 17): ``continuum seed_cohort``.

The demo world (``seed_demo``) has six persons, too few for any table to publish a cell. ``make demo``
adds this cohort of Prison South's earlier cases, every name invented, built through the actions like
the rest of the demo: each person registered, a case opened in custody, the signal that began it
(a terrorist offence, so included at once), and for most a release in an earlier year to probation,
some with a plan whose milestones were achieved. Deterministic (a fixed seed) and idempotent.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import Organisation, User
from continuum.cases.actions import do_open_case
from continuum.people.actions import do_create_person
from continuum.people.models import Person
from continuum.plans import actions as plan_actions
from continuum.signals.actions import do_report_signal
from continuum.transition.actions import do_release

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


@transaction.atomic
def seed(size: int = 150) -> str:
    if Person.objects.filter(family_name__regex=COHORT_NAME).exists():
        return "the cohort exists already"
    users = {u.username: u for u in User.objects.select_related("organisation")}
    orgs = {o.slug: o for o in Organisation.objects.all()}
    prison, probation, prison_south = users["ps.casemanager"], orgs["probation"], orgs["prison-south"]
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
        if rng.random() < 0.65:
            year = rng.choice([today.year - 4, today.year - 3, today.year - 2, today.year - 1])
            do_release(
                case,
                released_on=date(year, rng.randint(1, 12), rng.randint(1, 28)),
                lead_organisation=probation,
                acting_user=prison,
            )
            released += 1
    return f"{size} synthetic persons with cases, {released} of them released in earlier years"
