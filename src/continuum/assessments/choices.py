"""Kinds of instruments, item types and the states of an assessment (DESIGN.md section 4)."""

from django.db import models

from continuum.sharing.choices import Category


class InstrumentKind(models.TextChoices):
    SPJ = "spj", "Structured professional judgement"
    IDEOLOGICAL_EVALUATION = "ideological_evaluation", "Ideological evaluation"
    NETWORK_EVALUATION = "network_evaluation", "Network evaluation"
    PSYCHOLOGICAL_EVALUATION = "psychological_evaluation", "Psychological evaluation"
    NEEDS_ASSESSMENT = "needs_assessment", "Needs assessment"
    OTHER = "other", "Other"


class ItemType(models.TextChoices):
    RISK = "risk", "Risk"
    NEED = "need", "Need"
    PROTECTIVE = "protective", "Protective"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Assessors rating"
    CONSENSUS = "consensus", "Agreeing a consensus"
    FINALISED = "finalised", "Finalised"


# The sharing categories an instrument may file its assessments under (issue 5).
INSTRUMENT_CATEGORIES = (Category.RISK_ASSESSMENT, Category.IDEOLOGY, Category.MENTAL_HEALTH, Category.FAMILY)
