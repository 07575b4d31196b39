"""Organisation types and roles (DESIGN.md section 1)."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


# In sentences ("the sharing policy lets police read plan records"): the kind of organisation, short, in
# the reader's language; the API's short explanation ("matrix: police reads plan") is made in English.
ORG_TYPE_SHORT: dict[str, str | Promise] = {
    OrgType.CENTRAL_POINT: pgettext_lazy("organisation type", "central point"),
    OrgType.PRISON: pgettext_lazy("organisation type", "prison"),
    OrgType.PROBATION: pgettext_lazy("organisation type", "probation"),
    OrgType.MUNICIPALITY: pgettext_lazy("organisation type", "municipality"),
    OrgType.POLICE: pgettext_lazy("organisation type", "police"),
    OrgType.NGO_EXIT: pgettext_lazy("organisation type", "exit NGO"),
    OrgType.NGO_FAMILY: pgettext_lazy("organisation type", "family counselling"),
    OrgType.MENTAL_HEALTH: pgettext_lazy("organisation type", "mental health"),
    OrgType.CHILD_WELFARE: pgettext_lazy("organisation type", "child welfare"),
    OrgType.MENTORING: pgettext_lazy("organisation type", "mentoring"),
    OrgType.RESEARCH: pgettext_lazy("organisation type", "research"),
}

# Roles that never see case content (DESIGN.md R10): they run the system and its oversight.
NO_CASE_CONTENT_ROLES = frozenset({Role.ADMIN, Role.DPO})
