"""Plan states, the MAR focus areas, the person's agreement and the kinds of intervention (issue 6)."""

from django.db import models

from continuum.sharing.choices import Category


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    SUPERSEDED = "superseded", "Superseded"


class FocusArea(models.TextChoices):
    """The eight focus areas of the Dutch MAR (seed 003), in plain words."""

    RISK_PROFILE = "risk_profile", "Staying on track"
    FAMILY = "family", "Family"
    SOCIAL_NETWORK = "social_network", "Friends and contacts"
    PERSONAL_IDENTITY = "personal_identity", "Who I am"
    IDEOLOGY = "ideology", "Beliefs and ideas"
    DAILY_LIFE = "daily_life", "Daily life: home, work, money, school"
    RESILIENCE = "resilience", "Strengths and coping"
    RESPONSIVITY = "responsivity", "What helps me take part"


class AgreementPosition(models.TextChoices):
    AGREES = "agrees", "Agrees with the plan"
    PARTLY_AGREES = "partly_agrees", "Partly agrees"
    DISAGREES = "disagrees", "Disagrees"
    COULD_NOT_ANSWER = "could_not_answer", "Could not answer"


class InterventionType(models.TextChoices):
    PSYCHOLOGICAL_SUPPORT = "psychological_support", "Psychological support"
    TRAUMA_THERAPY = "trauma_therapy", "Trauma therapy"
    IDEOLOGICAL_DIALOGUE = "ideological_dialogue", "Ideological or theological dialogue"
    RELIGIOUS_COUNSELLING = "religious_counselling", "Religious counselling"
    MENTORING = "mentoring", "Mentoring"
    FAMILY_COUNSELLING = "family_counselling", "Family counselling"
    EDUCATION = "education", "Education"
    VOCATIONAL_TRAINING = "vocational_training", "Vocational training"
    EMPLOYMENT_SUPPORT = "employment_support", "Employment support"
    HOUSING_SUPPORT = "housing_support", "Housing support"
    PARENTING_SUPPORT = "parenting_support", "Parenting support"
    OTHER = "other", "Other"


class InterventionStatus(models.TextChoices):
    ACTIVE = "active", "Running"
    ENDED = "ended", "Ended"


# An intervention's category follows its type: that a person has trauma therapy is itself health
# information (docs/plans.md, "Interventions and their categories"). ``other`` has no fixed category:
# its author chooses one they may write.
INTERVENTION_CATEGORY: dict[str, str] = {
    InterventionType.PSYCHOLOGICAL_SUPPORT: Category.MENTAL_HEALTH,
    InterventionType.TRAUMA_THERAPY: Category.MENTAL_HEALTH,
    InterventionType.IDEOLOGICAL_DIALOGUE: Category.IDEOLOGY,
    InterventionType.RELIGIOUS_COUNSELLING: Category.IDEOLOGY,
    InterventionType.FAMILY_COUNSELLING: Category.FAMILY,
    InterventionType.PARENTING_SUPPORT: Category.FAMILY,
    InterventionType.MENTORING: Category.DAILY_LIFE,
    InterventionType.EDUCATION: Category.DAILY_LIFE,
    InterventionType.VOCATIONAL_TRAINING: Category.DAILY_LIFE,
    InterventionType.EMPLOYMENT_SUPPORT: Category.DAILY_LIFE,
    InterventionType.HOUSING_SUPPORT: Category.DAILY_LIFE,
}
