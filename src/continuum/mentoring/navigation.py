"""The mentoring links of the navigation (hooked in ``continuum.context_processors``): the mentors for
those who read profiles (coordinators and case managers), "My mentor profile" for mentors. By role
only, so that the navigation asks no query of its own."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from continuum.accounts.choices import OrgType, Role
from continuum.mentoring import policy
from continuum.sharing import engine


def mentoring_nav(user: Any) -> list[tuple[str, str]]:
    viewer = engine.viewer_for(user)
    if not viewer.sees_content:
        return []
    items = []
    if policy.can_read_all_profiles(user):
        items.append((_("Mentors"), reverse("mentoring:mentor_list")))
    if user.role == Role.MENTOR and viewer.org_type == OrgType.MENTORING:
        items.append((_("My mentor profile"), reverse("mentoring:my_profile")))
    return items
