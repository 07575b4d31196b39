"""Kinds of conference (seeds 003 and 004), recurrence, and the consensus vocabulary (API.md, "Conferences")."""

from django.db import models


class ConferenceKind(models.TextChoices):
    MAR_MEETING = "mar_meeting", "MAR meeting"
    CASE_CONFERENCE = "case_conference", "Case conference"
    SOCIAL_NETWORK_MEETING = "social_network_meeting", "Social network meeting"
    PRE_RELEASE_MEETING = "pre_release_meeting", "Pre-release case meeting"
    COORDINATION_UNIT = "coordination_unit", "Coordination unit"
    WELCOME_HOME = "welcome_home", "Welcome home meeting"


# One line from the papers for each kind, shown on the form and the conference page.
KIND_DESCRIPTIONS: dict[str, str] = {
    ConferenceKind.MAR_MEETING: (
        "Dutch MAR: prison, probation and municipality meet about each person from the first day in prison "
        "and decide together on one reintegration plan."
    ),
    ConferenceKind.CASE_CONFERENCE: (
        "Rotterdam model: a weekly multi-agency case conference that reviews each person's situation and plan."
    ),
    ConferenceKind.SOCIAL_NETWORK_MEETING: (
        "Austria: the person, family and professionals draw up a release plan together that goes to the judge."
    ),
    ConferenceKind.PRE_RELEASE_MEETING: (
        "Hessen: a case meeting before release about housing, work, supervision and support after prison."
    ),
    ConferenceKind.COORDINATION_UNIT: (
        "Copenhagen: the coordination unit meets every two weeks to align the agencies' work on each case."
    ),
    ConferenceKind.WELCOME_HOME: (
        "A meeting on or just after release with the person, to welcome them and agree the first steps."
    ),
}


class Recurrence(models.TextChoices):
    NONE = "none", "Does not repeat"
    WEEKLY = "weekly", "Every week"
    EVERY_TWO_WEEKS = "every_two_weeks", "Every two weeks"
    MONTHLY = "monthly", "Every month"


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    BLOCKED = "blocked", "Blocked"
    AGREED = "agreed", "Agreed"


class PositionChoice(models.TextChoices):
    AGREE = "agree", "Agree"
    DISAGREE = "disagree", "Disagree"
    ABSTAIN = "abstain", "Abstain"
