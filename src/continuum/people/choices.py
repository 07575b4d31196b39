from django.db import models


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class LegalStatus(models.TextChoices):
    CITIZEN = "citizen", "Citizen"
    RESIDENT = "resident", "Resident"
    NON_EU = "non_eu", "Non-EU national"
    CITIZENSHIP_REVOKED = "citizenship_revoked", "Citizenship revoked"
    DEPORTATION_ORDER = "deportation_order", "Deportation order"


class SubjectCategory(models.TextChoices):
    """Law Enforcement Directive Art. 6: the category of data subject."""

    CONVICTED = "convicted", "Convicted"
    SUSPECT = "suspect", "Suspect"
    RELATIVE = "relative", "Relative"
    CHILD = "child", "Child"
    VICTIM = "victim", "Victim"
    OTHER = "other", "Other"
