"""Organisation types and roles (DESIGN.md section 1)."""

from django.db import models


class OrgType(models.TextChoices):
    CENTRAL_POINT = "central_point", "National central point"
    PRISON = "prison", "Prison"
    PROBATION = "probation", "Probation service"
    MUNICIPALITY = "municipality", "Municipality"
    POLICE = "police", "Police"
    NGO_EXIT = "ngo_exit", "Exit NGO"
    NGO_FAMILY = "ngo_family", "Family counselling NGO"
    MENTAL_HEALTH = "mental_health", "Mental health service"
    CHILD_WELFARE = "child_welfare", "Child welfare"
    MENTORING = "mentoring", "Mentoring organisation"
    RESEARCH = "research", "Research and evaluation"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    CASE_MANAGER = "case_manager", "Case manager"
    PRACTITIONER = "practitioner", "Practitioner"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    SECURITY_OFFICER = "security_officer", "Security officer"
    ANALYST = "analyst", "Analyst"
    MENTOR = "mentor", "Mentor"
    EVALUATOR = "evaluator", "Evaluator"
    DPO = "dpo", "Data protection officer"
    ADMIN = "admin", "Administrator"


# Short names for sentences such as "matrix: probation reads plan".
ORG_TYPE_SHORT: dict[str, str] = {
    OrgType.CENTRAL_POINT: "central point",
    OrgType.PRISON: "prison",
    OrgType.PROBATION: "probation",
    OrgType.MUNICIPALITY: "municipality",
    OrgType.POLICE: "police",
    OrgType.NGO_EXIT: "exit NGO",
    OrgType.NGO_FAMILY: "family counselling",
    OrgType.MENTAL_HEALTH: "mental health",
    OrgType.CHILD_WELFARE: "child welfare",
    OrgType.MENTORING: "mentoring",
    OrgType.RESEARCH: "research",
}

# Roles that never see case content (DESIGN.md R10): they run the system and its oversight.
NO_CASE_CONTENT_ROLES = frozenset({Role.ADMIN, Role.DPO})
