"""The demo world's organisations and users (DESIGN.md section 6, a contract tests rely on).

All demo data is synthetic. ``seed`` is idempotent: it creates what is missing and
leaves what exists alone.
"""

from __future__ import annotations

from django.db import transaction

from continuum.accounts import actions
from continuum.accounts.choices import OrgType, Role
from continuum.accounts.models import Organisation, User

DEMO_PASSWORD = "continuum-demo"  # noqa: S105  (documented demo password, synthetic accounts only)

# slug, name, type, [(username, role, first name, last name)]
DEMO_ORGANISATIONS: list[tuple[str, str, str, list[tuple[str, str, str, str]]]] = [
    (
        "central-point",
        "National Central Point",
        OrgType.CENTRAL_POINT,
        [
            ("cp.analyst", Role.ANALYST, "Anouk", "Visser"),
            ("cp.coordinator", Role.COORDINATOR, "Ruben", "de Wit"),
        ],
    ),
    (
        "prison-north",
        "Prison North",
        OrgType.PRISON,
        [
            ("pn.casemanager", Role.CASE_MANAGER, "Marta", "Kowalska"),
            ("pn.psychologist", Role.PSYCHOLOGIST, "Jonas", "Berg"),
            ("pn.security", Role.SECURITY_OFFICER, "Ilse", "Brouwer"),
        ],
    ),
    (
        "prison-south",
        "Prison South",
        OrgType.PRISON,
        [
            ("ps.casemanager", Role.CASE_MANAGER, "Pieter", "Smit"),
        ],
    ),
    (
        "probation",
        "Probation Service",
        OrgType.PROBATION,
        [
            ("prob.officer", Role.CASE_MANAGER, "Sanne", "Jacobs"),
            ("prob.officer2", Role.CASE_MANAGER, "Tomas", "Novak"),
        ],
    ),
    (
        "municipality-harbour",
        "Harbour Municipality",
        OrgType.MUNICIPALITY,
        [
            ("muni.coordinator", Role.COORDINATOR, "Layla", "Haddad"),
        ],
    ),
    (
        "police",
        "Police Liaison Unit",
        OrgType.POLICE,
        [
            ("police.liaison", Role.PRACTITIONER, "Erik", "Lund"),
        ],
    ),
    (
        "exit-ngo",
        "Exit Programme",
        OrgType.NGO_EXIT,
        [
            ("exit.worker", Role.PRACTITIONER, "Nadia", "Rahman"),
        ],
    ),
    (
        "family-counselling",
        "Family Counselling Service",
        OrgType.NGO_FAMILY,
        [
            ("family.counsellor", Role.PRACTITIONER, "Clara", "Meyer"),
        ],
    ),
    (
        "mental-health",
        "Forensic Mental Health Service",
        OrgType.MENTAL_HEALTH,
        [
            ("mh.clinician", Role.PSYCHOLOGIST, "Amir", "Karimi"),
        ],
    ),
    (
        "child-welfare",
        "Child Welfare Office",
        OrgType.CHILD_WELFARE,
        [
            ("cw.worker", Role.PRACTITIONER, "Greta", "Olsen"),
        ],
    ),
    (
        "mentor-network",
        "Mentor Network",
        OrgType.MENTORING,
        [
            ("mentor.one", Role.MENTOR, "Youssef", "Amrani"),
        ],
    ),
    (
        "evaluation-institute",
        "Evaluation Institute",
        OrgType.RESEARCH,
        [
            ("evaluator", Role.EVALUATOR, "Lena", "Fischer"),
        ],
    ),
    (
        "continuum-admin",
        "Continuum Administration",
        OrgType.CENTRAL_POINT,
        [
            ("dpo", Role.DPO, "Data Protection", "Officer"),
            ("admin", Role.ADMIN, "System", "Administrator"),
        ],
    ),
]


@transaction.atomic
def seed(password: str = DEMO_PASSWORD) -> str:
    """Create the demo organisations and users that are missing; say how many of each were created."""
    created_orgs = created_users = 0
    for slug, name, org_type, users in DEMO_ORGANISATIONS:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            organisation = actions.do_create_organisation(
                slug=slug, name=name, type=org_type, mandate="Synthetic demo organisation.", acting_user=None
            )
            created_orgs += 1
        for username, role, first_name, last_name in users:
            if User.objects.filter(username=username).exists():
                continue
            actions.do_create_user(
                username=username,
                organisation=organisation,
                role=role,
                password=password,
                first_name=first_name,
                last_name=last_name,
                acting_user=None,
            )
            created_users += 1
    return f"{created_orgs} organisations and {created_users} users created"
