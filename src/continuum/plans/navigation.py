"""The plans app's item of the main navigation (``continuum.context_processors``): group programmes,
for the organisation types that run them. By organisation type only, so that the navigation asks no
query of its own; the page itself shows only the programmes the organisation runs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from continuum.accounts.choices import OrgType
from continuum.sharing import engine

GROUP_TYPES = frozenset(
    {
        OrgType.PRISON,
        OrgType.PROBATION,
        OrgType.MUNICIPALITY,
        OrgType.NGO_EXIT,
        OrgType.NGO_FAMILY,
        OrgType.MENTAL_HEALTH,
    }
)


def group_nav(user: Any) -> list[tuple[str, str]]:
    viewer = engine.viewer_for(user)
    if not viewer.sees_content or viewer.org_type not in GROUP_TYPES:
        return []
    return [(_("Group programmes"), reverse("plans:programme_list"))]
