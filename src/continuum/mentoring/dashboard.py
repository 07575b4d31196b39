"""The home page's "My mentees": for a mentor of a mentoring organisation, their active matches with
the case and the day of the last session (of those the mentor sees), in two queries, logged as read."""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import OrgType
from continuum.mentoring.access import my_mentees
from continuum.sharing import engine


def mentoring_dashboard(user: Any) -> dict[str, Any]:
    viewer = engine.viewer_for(user)
    if not viewer.sees_content or viewer.org_type != OrgType.MENTORING:
        return {}
    return {"mentees": my_mentees(user), "mentoring_org": True}
