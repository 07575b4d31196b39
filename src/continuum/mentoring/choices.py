"""The words of mentoring (issue 16): kinds of mentors, their experience, vetting and risk levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MentorType(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner mentor")
    FORMER = "former", _("Former (disengaged) mentor")
    VOLUNTEER = "volunteer", _("Volunteer mentor")


class MentorExperience(models.TextChoices):
    JIHADIST = "jihadist", _("Jihadist extremism")
    RIGHT_WING = "right_wing", _("Right-wing extremism")
    LEFT_WING = "left_wing", _("Left-wing extremism")
    OTHER = "other", _("Other extremism")
    WOMEN = "women", _("Women")
    YOUNG_PEOPLE = "young_people", _("Young people")


class MentorRiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class MentorVetting(models.TextChoices):
    PENDING = "pending", _("Pending")
    VETTED = "vetted", _("Vetted")
    REFUSED = "refused", _("Refused")
