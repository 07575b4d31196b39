from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    PRE_TRIAL = "pre_trial", _("Pre-trial")
    CUSTODY = "custody", _("Custody")
    PRE_RELEASE = "pre_release", _("Pre-release")
    PROBATION = "probation", _("Probation")
    COMMUNITY = "community", _("Community")
    CLOSED = "closed", _("Closed")


class EntryKind(models.TextChoices):
    NOTE = "note", _("Note")
    OBSERVATION = "observation", _("Observation")
    CONTACT = "contact", _("Contact")
    DOCUMENT = "document", _("Document")


class UnitType(models.TextChoices):
    """The kind of prison unit a person is held on (DESIGN.md section 4, CustodyEpisode)."""

    SPECIALISED_WING = "specialised_wing", _("Specialised wing")
    DISPERSAL = "dispersal", _("Dispersal (regular wing, extremist offenders spread out)")
    EVALUATION_UNIT = "evaluation_unit", _("Evaluation unit")
    MATERNITY_UNIT = "maternity_unit", _("Maternity unit")
    REGULAR = "regular", _("Regular unit")


class ReleaseConditionType(models.TextChoices):
    ELECTRONIC_MONITORING = "electronic_monitoring", _("Electronic monitoring")
    CURFEW = "curfew", _("Curfew")
    RESIDENCE_REQUIREMENT = "residence_requirement", _("Residence requirement")
    EXCLUSION_ZONE = "exclusion_zone", _("Exclusion zone")
    CONTACT_BAN = "contact_ban", _("Contact ban")
    REPORTING = "reporting", _("Reporting")
    INTERNET_RESTRICTION = "internet_restriction", _("Internet restriction")
    TRAVEL_BAN = "travel_ban", _("Travel ban")
    PROGRAMME_PARTICIPATION = "programme_participation", _("Programme participation")


# Phases in which the person is held in prison: such a case should have a current custody episode.
CUSTODY_PHASES = frozenset({Phase.CUSTODY, Phase.PRE_RELEASE})
# Phases in which a transfer between prisons makes sense (remand custody included).
TRANSFER_PHASES = frozenset({Phase.PRE_TRIAL, Phase.CUSTODY, Phase.PRE_RELEASE})


def in_sentence(label: object) -> str:
    """A choice's label inside a sentence: lower case, except in German, where nouns keep their capital."""
    text = str(label)
    return text if (get_language() or "").startswith("de") else text.lower()
