"""The insights items of the main navigation (``continuum.context_processors``): statistics for who may
see tables, the lessons-learned library for every user of an organisation."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from continuum.insights.policy import can_read_lessons, can_use_tables


def insights_nav(user: Any) -> list[tuple[str, str]]:
    items = []
    if can_use_tables(user):
        items.append((_("Statistics"), reverse("insights:tables")))
    if can_read_lessons(user):
        items.append((_("Lessons learned"), reverse("insights:lessons")))
    return items
