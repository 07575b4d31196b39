"""Kinds of conference (seeds 003 and 004), recurrence, and the consensus vocabulary (API.md, "Conferences")."""

from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ConferenceKind(models.TextChoices):
    MAR_MEETING = "mar_meeting", _("MAR meeting")
    CASE_CONFERENCE = "case_conference", _("Case conference")
    SOCIAL_NETWORK_MEETING = "social_network_meeting", _("Social network meeting")
    PRE_RELEASE_MEETING = "pre_release_meeting", _("Pre-release case meeting")
    COORDINATION_UNIT = "coordination_unit", _("Coordination unit")
    WELCOME_HOME = "welcome_home", _("Welcome home meeting")


# One line from the papers for each kind, shown on the form and the conference page.
KIND_DESCRIPTIONS: dict[str, Any] = {
    ConferenceKind.MAR_MEETING: _(
        "Dutch MAR: prison, probation and municipality meet about each person from the first day in prison "
        "and decide together on one reintegration plan."
    ),
    ConferenceKind.CASE_CONFERENCE: _(
        "Rotterdam model: a weekly multi-agency case conference that reviews each person's situation and plan."
    ),
    ConferenceKind.SOCIAL_NETWORK_MEETING: _(
        "Austria: the person, family and professionals draw up a release plan together that goes to the judge."
    ),
    ConferenceKind.PRE_RELEASE_MEETING: _(
        "Hessen: a case meeting before release about housing, work, supervision and support after prison."
    ),
    ConferenceKind.COORDINATION_UNIT: _(
        "Copenhagen: the coordination unit meets every two weeks to align the agencies' work on each case."
    ),
    ConferenceKind.WELCOME_HOME: _(
        "A meeting on or just after release with the person, to welcome them and agree the first steps."
    ),
}


class Recurrence(models.TextChoices):
    NONE = "none", _("Does not repeat")
    WEEKLY = "weekly", _("Every week")
    EVERY_TWO_WEEKS = "every_two_weeks", _("Every two weeks")
    MONTHLY = "monthly", _("Every month")


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    BLOCKED = "blocked", _("Blocked")
    AGREED = "agreed", _("Agreed")


class PositionChoice(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    ABSTAIN = "abstain", _("Abstain")


def in_sentence(label: Any) -> str:
    """A choice's label inside a sentence ("person 7Q2X, custody"): its first letter in lower case, except
    in German, whose nouns keep their capital ("Person 7Q2X, Haft"), and in an abbreviation ("MAR")."""
    text = str(label)
    if not text or (get_language() or "").startswith("de") or text[1:2].isupper():
        return text
    return text[0].lower() + text[1:]
