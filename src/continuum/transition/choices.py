"""Release types, the sixteen domains of a release plan, their statuses, and the alert thresholds (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from continuum.sharing.choices import Category


class ReleaseType(models.TextChoices):
    END_OF_SENTENCE = "end_of_sentence", _("End of sentence")
    CONDITIONAL = "conditional", _("Conditional release")
    PAROLE = "parole", _("Parole")
    DEPORTATION = "deportation", _("Deportation")
    OTHER = "other", pgettext_lazy("release type", "Other")


class Domain(models.TextChoices):
    """What must be in place on the day of release (seed 004: material support from day one; seed 002:
    legal status and media exposure; the Resettlement Passport's pathways and what the papers add)."""

    ACCOMMODATION = "accommodation", _("Somewhere to live")
    FINANCE_BENEFITS = "finance_benefits", _("Income and benefits")
    ID_DOCUMENTS = "id_documents", _("Identity documents")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    EDUCATION_WORK = "education_work", _("Work or education")
    HEALTH = "health", _("Health and medication")
    MENTAL_HEALTH = "mental_health", _("Mental health care")
    DRUGS_ALCOHOL = "drugs_alcohol", _("Drugs and alcohol")
    FAMILY_CHILDREN = "family_children", _("Family and children")
    FAITH_COMMUNITY = "faith_community", _("Faith community")
    MENTOR = "mentor", pgettext_lazy("release domain", "Mentor")
    PROBATION_APPOINTMENT = "probation_appointment", _("First probation appointment")
    POLICE_CONTACT = "police_contact", _("Police contact")
    GATE_PLAN = "gate_plan", _("Gate plan")
    MEDIA_PLAN = "media_plan", _("Media plan")
    LEGAL_STATUS = "legal_status", _("Legal status and residence")


# What each domain is about, for the plan page.
DOMAIN_HINTS: dict[str, object] = {
    Domain.ACCOMMODATION: _("Where the person sleeps on the first night, and after."),
    Domain.FINANCE_BENEFITS: _("Income from the first day: benefits applied for in time, debts known."),
    Domain.ID_DOCUMENTS: _("A valid identity document, needed for housing, a bank and benefits."),
    Domain.BANK_ACCOUNT: _("An account that benefits and wages can be paid into."),
    Domain.EDUCATION_WORK: _("Work, training or school lined up, or the first step towards it."),
    Domain.HEALTH: _("A GP, medication for the first weeks, health insurance."),
    Domain.MENTAL_HEALTH: _("Care continued or arranged outside, where it is needed."),
    Domain.DRUGS_ALCOHOL: _("Support for use of drugs or alcohol, where it is needed."),
    Domain.FAMILY_CHILDREN: _("Contact with partner, children and family; who is ready to receive the person."),
    Domain.FAITH_COMMUNITY: _("A faith community or religious counsellor, if the person wants one."),
    Domain.MENTOR: _("A mentor matched with the person and met before release."),
    Domain.PROBATION_APPOINTMENT: _("The first appointment with probation: day, time and place."),
    Domain.POLICE_CONTACT: _("What the police know and do around the release."),
    Domain.GATE_PLAN: _(
        "Who meets the person at the gate, transport, and the first 72 hours; who else may be waiting."
    ),
    Domain.MEDIA_PLAN: _("What to do when journalists or social media pick up the release."),
    Domain.LEGAL_STATUS: _("Residence, nationality or deportation: settled before the day of release."),
}


# The category each domain's item is filed under (docs/transition.md): the gate plan and the police
# contact say who may be waiting at the gate and what the police does about it (security: prison,
# probation, police and the central point read it); family and children and legal status follow
# the categories of what they are about; everything else is the plan's.
DOMAIN_CATEGORY: dict[str, str] = {
    Domain.POLICE_CONTACT: Category.SECURITY,
    Domain.GATE_PLAN: Category.SECURITY,
    Domain.FAMILY_CHILDREN: Category.FAMILY,
    Domain.LEGAL_STATUS: Category.LEGAL,
}


def domain_category(domain: str) -> str:
    return DOMAIN_CATEGORY.get(domain, Category.PLAN)


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    SUPPORT_REQUIRED = "support_required", _("Support required")
    IN_PROGRESS = "in_progress", _("In progress")
    SUPPORT_NOT_REQUIRED = "support_not_required", _("Support not required")
    SUPPORT_DECLINED = "support_declined", _("Support declined")
    DONE = "done", pgettext_lazy("release item status", "Done")


SETTLED = frozenset({ItemStatus.DONE, ItemStatus.SUPPORT_NOT_REQUIRED, ItemStatus.SUPPORT_DECLINED})
OPEN = frozenset(set(ItemStatus.values) - {s.value for s in SETTLED})
# Declining support, or saying none is needed, is a decision somebody must be able to account for.
NEEDS_REASON = frozenset({ItemStatus.SUPPORT_NOT_REQUIRED, ItemStatus.SUPPORT_DECLINED})


@dataclass(frozen=True)
class Threshold:
    code: str
    months: int = 0
    days: int = 0
    label: Any = ""


# Nearest first: the alert of a plan is the nearest threshold passed while domains are open.
THRESHOLDS = (
    Threshold("2_weeks", days=14, label=_("Two weeks to release")),
    Threshold("3_months", months=3, label=_("Three months to release")),
    Threshold("6_months", months=6, label=_("Six months to release")),
    Threshold("12_months", months=12, label=_("Twelve months to release")),
)
ALERT_LABELS = {t.code: t.label for t in THRESHOLDS}


class ReviewOutcome(models.TextChoices):
    """What a review of a release condition decided (seed 002, rec. 2: conditions relaxed over time)."""

    KEPT = "kept", _("Kept as it is")
    RELAXED = "relaxed", _("Relaxed")
    TIGHTENED = "tightened", _("Tightened")
    LIFTED = "lifted", _("Lifted")


# --- after release (issue 17's outcome indicators): what a follow-up found, as coded values ------------


class Accommodation(models.TextChoices):
    """Where the person lives at a follow-up after release."""

    SETTLED = "settled", _("Settled accommodation")
    TEMPORARY = "temporary", _("Temporary accommodation")
    NONE = "none", _("No accommodation")
    NOT_KNOWN = "not_known", pgettext_lazy("follow-up", "Not known")


class WorkOrEducation(models.TextChoices):
    WORKING = "working", _("Working")
    IN_EDUCATION = "in_education", _("In education or training")
    NEITHER = "neither", _("Neither working nor in education")
    NOT_KNOWN = "not_known", pgettext_lazy("follow-up", "Not known")


class FamilyContact(models.TextChoices):
    """How often the person is in touch with family: a coded value naming nobody."""

    REGULAR = "regular", _("Regular contact")
    OCCASIONAL = "occasional", _("Occasional contact")
    NONE = "none", _("No contact")
    NOT_KNOWN = "not_known", pgettext_lazy("follow-up", "Not known")


class ReoffendingKind(models.TextChoices):
    """What was recorded: an event as a source reported it, never a prediction or a verdict of Continuum."""

    RECALL = "recall", _("Recalled to prison")
    NEW_CHARGE = "new_charge", _("New charge")
    NEW_CONVICTION = "new_conviction", _("New conviction")


class ReoffendingSource(models.TextChoices):
    """Who reported it."""

    COURT = "court", _("Court")
    POLICE = "police", pgettext_lazy("source", "Police")
    PROBATION = "probation", pgettext_lazy("source", "Probation")
    PRISON = "prison", pgettext_lazy("source", "Prison")
    OTHER = "other", pgettext_lazy("source", "Other")
