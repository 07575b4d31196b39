"""Organisation types and roles (DESIGN.md section 1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgType(models.TextChoices):
    CENTRAL_POINT = "central_point", _("National central point")
    PRISON = "prison", _("Prison")
    PROBATION = "probation", _("Probation service")
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")
    NGO_EXIT = "ngo_exit", _("Exit NGO")
    NGO_FAMILY = "ngo_family", _("Family counselling NGO")
    MENTAL_HEALTH = "mental_health", _("Mental health service")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    MENTORING = "mentoring", _("Mentoring organisation")
    RESEARCH = "research", _("Research and evaluation")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    CASE_MANAGER = "case_manager", _("Case manager")
    PRACTITIONER = "practitioner", _("Practitioner")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    SECURITY_OFFICER = "security_officer", _("Security officer")
    ANALYST = "analyst", _("Analyst")
    MENTOR = "mentor", _("Mentor")
    EVALUATOR = "evaluator", _("Evaluator")
    DPO = "dpo", _("Data protection officer")
    ADMIN = "admin", _("Administrator")


# Short names for sentences such as "matrix: probation reads plan". Left in English here: the sharing
# engine puts them into its own sentences (the sharing app's texts).
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
