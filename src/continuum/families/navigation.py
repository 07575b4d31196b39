"""The family pages' items of the main navigation (``continuum.context_processors``), for the
organisation types that use them: family files for the counselling organisations, family days for
prisons. By organisation type only, so that the navigation asks no query of its own."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from continuum.accounts.choices import OrgType
from continuum.families.policy import FAMILY_DAY_TYPES
from continuum.sharing import engine

# The organisation types that counsel families (the matrix writes them ``counselling``).
COUNSELLING_TYPES = (OrgType.NGO_FAMILY, OrgType.NGO_EXIT)


def family_nav(user: Any) -> list[tuple[str, str]]:
    viewer = engine.viewer_for(user)
    if not viewer.sees_content:
        return []
    items = []
    if viewer.org_type in COUNSELLING_TYPES:
        items.append((_("Family files"), reverse("families:file_list")))
    if viewer.org_type in FAMILY_DAY_TYPES:
        items.append((_("Family days"), reverse("families:day_list")))
    return items
