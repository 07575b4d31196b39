"""Kinds of signals and the central point's triage decisions (DESIGN.md section 4, issue 4)."""

from django.db import models

from continuum.accounts.choices import OrgType


class ExtremismType(models.TextChoices):
    JIHADIST = "jihadist", "Jihadist"
    RIGHT_WING = "right_wing", "Right-wing"
    LEFT_WING = "left_wing", "Left-wing"
    SEPARATIST = "separatist", "Separatist"
    SINGLE_ISSUE = "single_issue", "Single issue"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class OffenceType(models.TextChoices):
    TERRORIST_OFFENCE = "terrorist_offence", "Terrorist offence (suspected or convicted)"
    OTHER_OFFENCE = "other_offence", "Other offence"
    NONE = "none", "No offence"


class Setting(models.TextChoices):
    """Where the reporter noticed what the signal is about."""

    PRISON = "prison", "Prison"
    PROBATION = "probation", "Probation"
    COMMUNITY = "community", "Community"
    ONLINE = "online", "Online"
    SCHOOL = "school", "School or training"
    OTHER = "other", "Other"


class SignalStatus(models.TextChoices):
    NEW = "new", "Waiting for triage"
    MONITORING = "monitoring", "Monitored"
    INCLUDED = "included", "Included in the multi-agency approach"
    NO_ACTION = "no_action", "No further action"


class Decision(models.TextChoices):
    """The central point's triage: downscale, monitor, or include (seed 003, PARE)."""

    NO_ACTION = "no_action", "No further action"
    MONITOR = "monitor", "Monitor, with a review date"
    INCLUDE = "include", "Include in the multi-agency approach"


class Channel(models.TextChoices):
    """How the signal reached Continuum."""

    FORM = "form", "Reporting form"
    API = "api", "API"
    IMPORT = "import", "CSV import by the central point"


DECISION_STATUS = {
    Decision.NO_ACTION: SignalStatus.NO_ACTION,
    Decision.MONITOR: SignalStatus.MONITORING,
    Decision.INCLUDE: SignalStatus.INCLUDED,
}

# Organisations that report signals to the central point. Mentoring organisations work with persons
# already in the approach, and researchers see anonymised aggregates only (R9).
REPORTING_ORG_TYPES = frozenset(
    {
        OrgType.PRISON,
        OrgType.POLICE,
        OrgType.PROBATION,
        OrgType.MUNICIPALITY,
        OrgType.NGO_EXIT,
        OrgType.NGO_FAMILY,
        OrgType.MENTAL_HEALTH,
        OrgType.CHILD_WELFARE,
    }
)
# A reporting organisation of these types leads the case its signal opens, and joins an existing case
# when its signal is included; for any other reporter the central point leads, and the case's lead
# decides whether the reporter takes part (need-to-know).
CASE_LEAD_ORG_TYPES = frozenset({OrgType.PRISON, OrgType.PROBATION, OrgType.MUNICIPALITY})

# The rationale recorded when a terrorist offence is included at intake (seed 003: "anyone suspected
# or convicted of a terrorist offence is included automatically").
AUTOMATIC_RATIONALE = "Terrorist offence: included automatically (PARE rule)"
