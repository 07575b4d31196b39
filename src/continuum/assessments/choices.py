"""Kinds of instruments, item types and the states of an assessment (DESIGN.md section 4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from continuum.sharing.choices import Category


class InstrumentKind(models.TextChoices):
    SPJ = "spj", _("Structured professional judgement")
    IDEOLOGICAL_EVALUATION = "ideological_evaluation", _("Ideological evaluation")
    NETWORK_EVALUATION = "network_evaluation", _("Network evaluation")
    PSYCHOLOGICAL_EVALUATION = "psychological_evaluation", _("Psychological evaluation")
    NEEDS_ASSESSMENT = "needs_assessment", _("Needs assessment")
    OTHER = "other", _("Other")


class ItemType(models.TextChoices):
    RISK = "risk", _("Risk")
    NEED = "need", _("Need")
    PROTECTIVE = "protective", _("Protective")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Assessors rating")
    CONSENSUS = "consensus", _("Agreeing a consensus")
    FINALISED = "finalised", _("Finalised")


# The sharing categories an instrument may file its assessments under (issue 5).
INSTRUMENT_CATEGORIES = (Category.RISK_ASSESSMENT, Category.IDEOLOGY, Category.MENTAL_HEALTH, Category.FAMILY)
