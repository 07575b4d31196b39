"""How a mentor profile reads on the pages: languages by their names, experience and gender in words,
vetting and supervision with whether they are in date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language_info

from continuum.mentoring.actions import vetting_in_date
from continuum.mentoring.choices import MentorExperience
from continuum.mentoring.models import MentorProfile
from continuum.people.choices import Gender


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@dataclass
class ProfileView:
    profile: MentorProfile
    name: str
    languages: list[str]
    experience: list[str]
    gender: str
    vetting_in_date: bool
    active_count: int | None


def describe_profile(profile: MentorProfile, *, today: date | None = None) -> ProfileView:
    today = today or timezone.localdate()
    experience_labels = dict(MentorExperience.choices)
    gender_labels: dict[str, Any] = dict(Gender.choices)
    return ProfileView(
        profile=profile,
        name=profile.user.get_full_name() or profile.user.username,
        languages=[language_name(str(c)) for c in profile.languages or []],
        experience=[str(experience_labels.get(e, e)) for e in profile.experience or []],
        gender=str(gender_labels.get(profile.gender, "")) if profile.gender else "",
        vetting_in_date=vetting_in_date(profile, today),
        active_count=getattr(profile, "active_count", None),
    )
