from django.db import models


class Phase(models.TextChoices):
    PRE_TRIAL = "pre_trial", "Pre-trial"
    CUSTODY = "custody", "Custody"
    PRE_RELEASE = "pre_release", "Pre-release"
    PROBATION = "probation", "Probation"
    COMMUNITY = "community", "Community"
    CLOSED = "closed", "Closed"


class EntryKind(models.TextChoices):
    NOTE = "note", "Note"
    OBSERVATION = "observation", "Observation"
    CONTACT = "contact", "Contact"
    DOCUMENT = "document", "Document"


class UnitType(models.TextChoices):
    """The kind of prison unit a person is held on (DESIGN.md section 4, CustodyEpisode)."""

    SPECIALISED_WING = "specialised_wing", "Specialised wing"
    DISPERSAL = "dispersal", "Dispersal (regular wing, extremist offenders spread out)"
    EVALUATION_UNIT = "evaluation_unit", "Evaluation unit"
    MATERNITY_UNIT = "maternity_unit", "Maternity unit"
    REGULAR = "regular", "Regular unit"


class ReleaseConditionType(models.TextChoices):
    ELECTRONIC_MONITORING = "electronic_monitoring", "Electronic monitoring"
    CURFEW = "curfew", "Curfew"
    RESIDENCE_REQUIREMENT = "residence_requirement", "Residence requirement"
    EXCLUSION_ZONE = "exclusion_zone", "Exclusion zone"
    CONTACT_BAN = "contact_ban", "Contact ban"
    REPORTING = "reporting", "Reporting"
    INTERNET_RESTRICTION = "internet_restriction", "Internet restriction"
    TRAVEL_BAN = "travel_ban", "Travel ban"
    PROGRAMME_PARTICIPATION = "programme_participation", "Programme participation"


# Phases in which the person is held in prison: such a case should have a current custody episode.
CUSTODY_PHASES = frozenset({Phase.CUSTODY, Phase.PRE_RELEASE})
# Phases in which a transfer between prisons makes sense (remand custody included).
TRANSFER_PHASES = frozenset({Phase.PRE_TRIAL, Phase.CUSTODY, Phase.PRE_RELEASE})
