"""Kinds of signals and the central point's triage decisions (DESIGN.md section 4, issue 4)."""

from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from continuum.accounts.choices import OrgType


class ExtremismType(models.TextChoices):
    JIHADIST = "jihadist", pgettext_lazy("extremism", "Jihadist")
    RIGHT_WING = "right_wing", pgettext_lazy("extremism", "Right-wing")
    LEFT_WING = "left_wing", pgettext_lazy("extremism", "Left-wing")
    SEPARATIST = "separatist", pgettext_lazy("extremism", "Separatist")
    SINGLE_ISSUE = "single_issue", pgettext_lazy("extremism", "Single issue")
    OTHER = "other", pgettext_lazy("extremism", "Other")
    UNKNOWN = "unknown", pgettext_lazy("extremism", "Not known")


class OffenceType(models.TextChoices):
    TERRORIST_OFFENCE = "terrorist_offence", _("Terrorist offence (suspected or convicted)")
    OTHER_OFFENCE = "other_offence", _("Other offence")
    NONE = "none", _("No offence")


class Setting(models.TextChoices):
    """Where the reporter noticed what the signal is about."""

    PRISON = "prison", pgettext_lazy("setting", "Prison")
    PROBATION = "probation", pgettext_lazy("setting", "Probation")
    COMMUNITY = "community", pgettext_lazy("setting", "Community")
    ONLINE = "online", pgettext_lazy("setting", "Online")
    SCHOOL = "school", pgettext_lazy("setting", "School or training")
    OTHER = "other", pgettext_lazy("setting", "Other")


class SignalStatus(models.TextChoices):
    NEW = "new", _("Waiting for triage")
    MONITORING = "monitoring", _("Monitored")
    INCLUDED = "included", _("Included in the multi-agency approach")
    NO_ACTION = "no_action", _("No further action")


class Decision(models.TextChoices):
    """The central point's triage: downscale, monitor, or include (seed 003, PARE)."""

    NO_ACTION = "no_action", _("No further action")
    MONITOR = "monitor", _("Monitor, with a review date")
    INCLUDE = "include", _("Include in the multi-agency approach")


class Channel(models.TextChoices):
    """How the signal reached Continuum."""

    FORM = "form", _("Reporting form")
    API = "api", _("API")
    IMPORT = "import", _("CSV import by the central point")


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


def in_sentence(label: object) -> str:
    """A choice's label inside a sentence: lower case, except in German, where nouns keep their capital."""
    text = str(label)
    return text if (get_language() or "").startswith("de") else text.lower()
