"""Plan states, the MAR focus areas, the person's agreement and the kinds of intervention (issue 6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from continuum.sharing.choices import Category


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan status", "Draft")
    AGREED = "agreed", pgettext_lazy("plan status", "Agreed")
    SUPERSEDED = "superseded", pgettext_lazy("plan status", "Superseded")


class FocusArea(models.TextChoices):
    """The eight focus areas of the Dutch MAR (seed 003), in plain words."""

    RISK_PROFILE = "risk_profile", _("Staying on track")
    FAMILY = "family", _("Family")
    SOCIAL_NETWORK = "social_network", _("Friends and contacts")
    PERSONAL_IDENTITY = "personal_identity", _("Who I am")
    IDEOLOGY = "ideology", _("Beliefs and ideas")
    DAILY_LIFE = "daily_life", _("Daily life: home, work, money, school")
    RESILIENCE = "resilience", _("Strengths and coping")
    RESPONSIVITY = "responsivity", _("What helps me take part")


class AgreementPosition(models.TextChoices):
    AGREES = "agrees", _("Agrees with the plan")
    PARTLY_AGREES = "partly_agrees", _("Partly agrees")
    DISAGREES = "disagrees", _("Disagrees")
    COULD_NOT_ANSWER = "could_not_answer", _("Could not answer")


class InterventionType(models.TextChoices):
    PSYCHOLOGICAL_SUPPORT = "psychological_support", _("Psychological support")
    TRAUMA_THERAPY = "trauma_therapy", _("Trauma therapy")
    IDEOLOGICAL_DIALOGUE = "ideological_dialogue", _("Ideological or theological dialogue")
    RELIGIOUS_COUNSELLING = "religious_counselling", _("Religious counselling")
    MENTORING = "mentoring", _("Mentoring")
    FAMILY_COUNSELLING = "family_counselling", _("Family counselling")
    EDUCATION = "education", _("Education")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    EMPLOYMENT_SUPPORT = "employment_support", _("Employment support")
    HOUSING_SUPPORT = "housing_support", _("Housing support")
    PARENTING_SUPPORT = "parenting_support", _("Parenting support")
    DISENGAGEMENT_GROUP = "disengagement_group", _("Group disengagement programme")
    OTHER = "other", pgettext_lazy("intervention", "Other")


class InterventionStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("intervention status", "Running")
    ENDED = "ended", pgettext_lazy("intervention status", "Ended")


# An intervention's category follows its type: that a person has trauma therapy is itself health
# information (docs/plans.md, "Interventions and their categories"). ``other`` has no fixed category:
# its author chooses one they may write.
INTERVENTION_CATEGORY: dict[str, str] = {
    InterventionType.PSYCHOLOGICAL_SUPPORT: Category.MENTAL_HEALTH,
    InterventionType.TRAUMA_THERAPY: Category.MENTAL_HEALTH,
    InterventionType.IDEOLOGICAL_DIALOGUE: Category.IDEOLOGY,
    InterventionType.DISENGAGEMENT_GROUP: Category.IDEOLOGY,
    InterventionType.RELIGIOUS_COUNSELLING: Category.IDEOLOGY,
    InterventionType.FAMILY_COUNSELLING: Category.FAMILY,
    InterventionType.PARENTING_SUPPORT: Category.FAMILY,
    InterventionType.MENTORING: Category.DAILY_LIFE,
    InterventionType.EDUCATION: Category.DAILY_LIFE,
    InterventionType.VOCATIONAL_TRAINING: Category.DAILY_LIFE,
    InterventionType.EMPLOYMENT_SUPPORT: Category.DAILY_LIFE,
    InterventionType.HOUSING_SUPPORT: Category.DAILY_LIFE,
}


class ParentingApproach(models.TextChoices):
    """How parenting support works (issue 15); only for parenting support interventions."""

    ATTACHMENT_BASED = "attachment_based", _("Attachment-based (e.g. video feedback)")
    PARENTING_COURSE = "parenting_course", _("Parenting course")
    OTHER = "other", pgettext_lazy("parenting approach", "Other")


class SessionKind(models.TextChoices):
    """A session of one person's intervention, the person's attendance at a group programme's
    session, or an individual interview a group participant asked for (issue 16)."""

    SESSION = "session", pgettext_lazy("session kind", "Session")
    GROUP_SESSION = "group_session", _("Group session")
    INDIVIDUAL_INTERVIEW = "individual_interview", _("Individual interview on request")
