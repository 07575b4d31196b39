"""Categories of case information and access levels (DESIGN.md section 5)."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from continuum.accounts.choices import OrgType


class Category(models.TextChoices):
    IDENTITY = "identity", pgettext_lazy("category", "Identity")
    LEGAL = "legal", pgettext_lazy("category", "Legal")
    SECURITY = "security", pgettext_lazy("category", "Security")
    RISK_ASSESSMENT = "risk_assessment", pgettext_lazy("category", "Risk assessment")
    IDEOLOGY = "ideology", pgettext_lazy("category", "Ideology")
    MENTAL_HEALTH = "mental_health", pgettext_lazy("category", "Mental health")
    COUNSELLING = "counselling", pgettext_lazy("category", "Counselling")
    FAMILY = "family", pgettext_lazy("category", "Family")
    CHILDREN = "children", pgettext_lazy("category", "Children")
    DAILY_LIFE = "daily_life", pgettext_lazy("category", "Daily life")
    PLAN = "plan", pgettext_lazy("category", "Plan")
    CONFERENCE = "conference", pgettext_lazy("category", "Conference")

    if TYPE_CHECKING:  # a label is text in the reader's language wherever it is used (``str`` of it)

        @property
        def label(self) -> str: ...


class Access(models.TextChoices):
    NONE = "none", pgettext_lazy("access", "No access")
    READ = "read", pgettext_lazy("access", "Read")
    WRITE = "write", pgettext_lazy("access", "Read and write")


class Statement(models.TextChoices):
    """Law Enforcement Directive Art. 7: facts are kept apart from personal assessments."""

    FACT = "fact", _("Fact")
    ASSESSMENT = "assessment", _("Professional assessment")


class Reliability(models.TextChoices):
    RELIABLE = "reliable", _("Reliable source")
    USUALLY_RELIABLE = "usually_reliable", _("Usually reliable")
    UNRELIABLE = "unreliable", _("Not reliable")
    UNKNOWN = "unknown", _("Cannot be judged")


class LegalBasis(models.TextChoices):
    PUBLIC_SAFETY = "public_safety", _("Public safety")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    VITAL_INTEREST = "vital_interest", _("Vital interest")


class Basis(models.TextChoices):
    AUTHOR = "author", _("Written by your organisation")
    MATRIX = "matrix", _("Sharing policy")
    CONSENT = "consent", _("The person's consent")
    OVERRIDE = "override", _("Legal override")
    TRIAGE = "triage", _("Central point triage")


# R6: children's records are only ever shared with these organisation types (R5 aside).
CHILDREN_READERS = frozenset({OrgType.CHILD_WELFARE, OrgType.NGO_FAMILY, OrgType.MENTAL_HEALTH})
# R7: child welfare sees a parent's legal and risk records only once the trial is concluded.
AFTER_TRIAL_FOR_CHILD_WELFARE = frozenset({Category.LEGAL, Category.RISK_ASSESSMENT})
# R8: mentoring organisations see identity (and milestones assigned to them, per model).
MENTORING_CATEGORIES = frozenset({Category.IDENTITY})
# Organisation types that take part in cases (research sees only anonymised aggregates, R9).
MEMBER_TYPES = [t for t in OrgType.values if t != OrgType.RESEARCH]

R, W = Access.READ, Access.WRITE
N = Access.NONE
# DESIGN.md section 5, the default matrix: category -> access per organisation type, in the column
# order central_point, prison, probation, municipality, police, ngo_exit, ngo_family, mental_health,
# child_welfare, mentoring.
DEFAULT_MATRIX_COLUMNS = [
    OrgType.CENTRAL_POINT,
    OrgType.PRISON,
    OrgType.PROBATION,
    OrgType.MUNICIPALITY,
    OrgType.POLICE,
    OrgType.NGO_EXIT,
    OrgType.NGO_FAMILY,
    OrgType.MENTAL_HEALTH,
    OrgType.CHILD_WELFARE,
    OrgType.MENTORING,
]
DEFAULT_MATRIX: dict[str, list[str]] = {
    Category.IDENTITY: [W, W, W, W, W, R, R, R, R, R],
    Category.LEGAL: [W, W, W, R, W, R, N, R, R, N],
    Category.SECURITY: [W, W, R, N, W, N, N, N, N, N],
    Category.RISK_ASSESSMENT: [W, W, W, R, R, R, N, R, R, N],
    Category.IDEOLOGY: [W, W, W, N, R, W, N, R, N, N],
    Category.MENTAL_HEALTH: [N, N, N, N, N, N, N, W, N, N],
    Category.COUNSELLING: [N, N, N, N, N, W, W, N, N, N],
    Category.FAMILY: [R, W, W, W, N, W, W, R, W, N],
    Category.CHILDREN: [N, N, N, N, N, N, R, R, W, N],
    Category.DAILY_LIFE: [R, W, W, W, N, W, R, R, R, R],
    Category.PLAN: [W, W, W, W, R, W, R, R, R, R],
    Category.CONFERENCE: [W, W, W, W, R, R, R, R, R, N],
}


def default_access(org_type: str, category: str) -> str:
    if org_type not in DEFAULT_MATRIX_COLUMNS:
        return Access.NONE
    return DEFAULT_MATRIX[category][DEFAULT_MATRIX_COLUMNS.index(OrgType(org_type))]
