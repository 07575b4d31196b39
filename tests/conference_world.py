"""Helpers for the conference tests, on top of ``tests/api_world.py`` (Amira's case with nearly every
organisation in its team, Bilal's with the municipality and probation only)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from continuum.accounts.models import User
from continuum.conferences import actions

MAR_PARTICIPANTS = ["prison-north", "probation", "municipality-harbour"]


def user(username: str) -> User:
    return User.objects.select_related("organisation").get(username=username)


def schedule(
    cases: list[Any],
    participants: list[str] | None = None,
    *,
    by: str = "pn.casemanager",
    chair: str = "prison-north",
    **extra: Any,
):
    values: dict[str, Any] = {
        "kind": "mar_meeting",
        "title": "MAR meeting",
        "scheduled_at": timezone.now() + timedelta(days=1),
        "location": "Room 1",
    }
    values.update(extra)
    return actions.do_schedule_conference(
        chair_organisation=chair,
        participants=participants or MAR_PARTICIPANTS,
        cases=cases,
        acting_user=user(by),
        **values,
    )


def acknowledge(conference: Any, *usernames: str) -> None:
    for username in usernames:
        actions.do_record_attendance(
            conference, present=True, acknowledge_confidentiality=True, acting_user=user(username)
        )
