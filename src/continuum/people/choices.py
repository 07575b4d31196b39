from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", pgettext_lazy("gender", "Other")
    UNKNOWN = "unknown", _("Not known")


class LegalStatus(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    RESIDENT = "resident", _("Resident")
    NON_EU = "non_eu", _("Non-EU national")
    CITIZENSHIP_REVOKED = "citizenship_revoked", _("Citizenship revoked")
    DEPORTATION_ORDER = "deportation_order", _("Deportation order")


class SubjectCategory(models.TextChoices):
    """Law Enforcement Directive Art. 6: the category of data subject."""

    CONVICTED = "convicted", _("Convicted")
    SUSPECT = "suspect", _("Suspect")
    RELATIVE = "relative", _("Relative")
    CHILD = "child", _("Child")
    VICTIM = "victim", _("Victim")
    OTHER = "other", pgettext_lazy("data subject", "Other")
