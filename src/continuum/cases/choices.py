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
