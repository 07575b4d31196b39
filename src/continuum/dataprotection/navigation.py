"""The data protection items of the main navigation (``continuum.context_processors``): for the data
protection officer only."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from continuum.dataprotection.policy import can_take_subject_access


def dataprotection_nav(user: Any) -> list[tuple[str, str]]:
    items = []
    if can_take_subject_access(user):
        items.append((_("Data protection"), reverse("dataprotection:subject_access_find")))
        items.append((_("Retention"), reverse("dataprotection:retention")))
    return items
