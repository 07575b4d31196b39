"""Synthetic demo persons, cases, teams and journals (DESIGN.md section 6). Idempotent.

Every name and story here is invented. Each person shows one phase of the continuum; later
features (assessments, plans, conferences, visits, signals) add to the same persons.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import Organisation, User
from continuum.cases.actions import do_add_entry, do_add_member, do_open_case, do_update_case
from continuum.cases.demo_continuity import seed_continuity
from continuum.cases.models import Case
from continuum.people.actions import do_create_person
from continuum.people.models import Person
from continuum.sharing.actions import do_record_consent

# (given, family, birth date, gender, nationality, legal status, lead user, phase, trial concluded?,
#  members [(organisation slug, responsible username)], entries [(username, category, kind, title, body,
#  withhold_from)])
DEMO_CASES: list[tuple[Any, ...]] = [
    (
        "Amira",
        "Benali",
        date(1994, 3, 2),
        "female",
        "NL",
        "citizen",
        "pn.casemanager",
        "custody",
        True,
        [
            ("central-point", "cp.coordinator"),
            ("probation", "prob.officer"),
            ("police", "police.liaison"),
            ("exit-ngo", "exit.worker"),
            ("family-counselling", "family.counsellor"),
            ("mental-health", "mh.clinician"),
            ("child-welfare", "cw.worker"),
            # MAR: the municipality she will return to is in the team from her first day in prison.
            ("municipality-harbour", "muni.coordinator"),
        ],
        [
            (
                "pn.casemanager",
                "legal",
                "note",
                "Sentence and custody",
                "Returned from a camp in north-east Syria. Sentenced for membership of a terrorist "
                "organisation; "
                "placed on the maternity unit, then the specialised wing.",
                [],
            ),
            (
                "pn.casemanager",
                "daily_life",
                "observation",
                "Settling on the wing",
                "Works in the prison kitchen three mornings a week. Calm, keeps to herself.",
                [],
            ),
            (
                "cw.worker",
                "children",
                "note",
                "Placement of the two children",
                "Both children live with a foster family in the region since the return. "
                "Contact with their mother "
                "is by video call every two weeks, in a child-friendly room.",
                [],
            ),
            (
                "exit.worker",
                "counselling",
                "contact",
                "Second conversation",
                "Talked about her time in the camp and what she wants for the children. "
                "Asked that this stays "
                "between us and probation.",
                ["police"],
            ),
            (
                "mh.clinician",
                "mental_health",
                "observation",
                "Trauma screening",
                "Signs of trauma with delayed effects; sleep problems. Offered weekly trauma therapy.",
                [],
            ),
            (
                "family.counsellor",
                "family",
                "contact",
                "Clearing with her mother",
                "Her mother is willing to support contact with the children and to visit.",
                [],
            ),
            (
                "muni.coordinator",
                "daily_life",
                "contact",
                "Housing and income after release",
                "A room in supported housing in Harbour is reserved for her from the day of her release. "
                "Her application for benefits is ready; she signed it during the last visit.",
                [],
            ),
        ],
    ),
    (
        "Daniel",
        "Kovac",
        date(2001, 9, 14),
        "male",
        "HR",
        "resident",
        "prob.officer",
        "probation",
        True,
        [
            ("police", "police.liaison"),
            ("municipality-harbour", "muni.coordinator"),
            ("exit-ngo", "exit.worker"),
            ("mentor-network", "mentor.one"),
        ],
        [
            (
                "prob.officer",
                "legal",
                "note",
                "Release conditions",
                "Electronic monitoring for six months, curfew 22:00-06:00, weekly reporting.",
                [],
            ),
            (
                "prob.officer",
                "plan",
                "note",
                "First supervision meeting",
                "Agreed to look for vocational training; wants to finish his electrician's course.",
                [],
            ),
            (
                "police.liaison",
                "security",
                "observation",
                "Online activity",
                "No contact with the old network observed this month.",
                [],
            ),
            (
                "muni.coordinator",
                "daily_life",
                "contact",
                "Housing",
                "Room in supported housing available from next month.",
                [],
            ),
        ],
    ),
    (
        "Yusuf",
        "Demir",
        date(1988, 1, 20),
        "male",
        "TR",
        "non_eu",
        "ps.casemanager",
        "pre_release",
        True,
        [("probation", "prob.officer2"), ("municipality-harbour", "muni.coordinator")],
        [
            (
                "ps.casemanager",
                "plan",
                "note",
                "Release in five months",
                "Release planning started: housing, ID documents and a first probation appointment to arrange.",
                [],
            ),
        ],
    ),
    # Two more men in Prison North's high-security section, who take part in its group disengagement
    # programme with Amira (plans/demo.py): the exit NGO co-facilitates and is on Karim's case, not on
    # Jonas's, so it sees two of the three participants (R12).
    (
        "Karim",
        "Haddad",
        date(1999, 11, 4),
        "male",
        "BE",
        "citizen",
        "pn.casemanager",
        "custody",
        True,
        [("probation", "prob.officer2"), ("exit-ngo", "exit.worker")],
        [
            (
                "pn.casemanager",
                "plan",
                "note",
                "Wants to join the group",
                "Asked to take part in the disengagement group after talking with the cultural mediator.",
                [],
            ),
        ],
    ),
    (
        "Jonas",
        "Weber",
        date(1987, 2, 17),
        "male",
        "DE",
        "citizen",
        "pn.casemanager",
        "custody",
        True,
        [("probation", "prob.officer2")],
        [
            (
                "pn.casemanager",
                "plan",
                "note",
                "Settled on the wing",
                "Works in the kitchen; keeps to himself. Agreed to try the group for three months.",
                [],
            ),
        ],
    ),
    (
        "Sofia",
        "Lindqvist",
        date(1998, 6, 30),
        "female",
        "SE",
        "citizen",
        "muni.coordinator",
        "community",
        True,
        [("probation", "prob.officer"), ("exit-ngo", "exit.worker")],
        [
            (
                "muni.coordinator",
                "daily_life",
                "note",
                "Six months after release",
                "Has a job at a bakery and her own flat. Sees her exit worker monthly.",
                [],
            ),
        ],
    ),
]


@transaction.atomic
def seed() -> str:
    users = {u.username: u for u in User.objects.select_related("organisation")}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    created = 0
    for (
        given,
        family,
        birth,
        gender,
        nationality,
        legal_status,
        lead_username,
        phase,
        concluded,
        members,
        entries,
    ) in DEMO_CASES:
        if Person.objects.filter(given_name=given, family_name=family, birth_date=birth).exists():
            continue
        lead = users[lead_username]
        person = do_create_person(
            given_name=given,
            family_name=family,
            birth_date=birth,
            gender=gender,
            nationality=nationality,
            legal_status=legal_status,
            acting_user=lead,
        )
        lead_org = organisations[lead.organisation.slug] if lead.organisation else None
        if lead_org is None:
            raise RuntimeError(f"Demo user {lead_username} has no organisation.")
        case = do_open_case(person=person, lead_organisation=lead_org, phase=phase, acting_user=lead)
        for slug, responsible in members:
            do_add_member(case, organisation=organisations[slug], responsible=users[responsible], acting_user=lead)
        if concluded:
            case = do_update_case(
                case,
                version=case.version,
                trial_concluded_on=timezone.localdate() - timedelta(days=400),
                acting_user=lead,
            )
        for username, category, kind, title, body, withhold in entries:
            do_add_entry(
                case,
                category=category,
                kind=kind,
                title=title,
                body=body,
                withhold_from=withhold,
                acting_user=users[username],
            )
        created += 1
    amira = Case.objects.filter(person__given_name="Amira", person__family_name="Benali").first()
    if amira is not None and not amira.person.consents.exists():
        do_record_consent(
            amira.person,
            category="counselling",
            recipient=organisations["probation"],
            purpose="Preparing the probation plan together with her exit worker",
            valid_until=timezone.localdate() + timedelta(days=180),
            acting_user=users["exit.worker"],
        )
    # Custody episodes, a transfer, sentences, release conditions and a hand-over (issue 4).
    continuity = seed_continuity()
    return f"{created} persons with cases created; continuity added to {continuity} cases"
