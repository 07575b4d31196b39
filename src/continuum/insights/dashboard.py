"""The home page's statistics section (issue 17): for evaluators, coordinators and the central point,
the way to the outcomes, the tables, the latest published reports and (for research) the export; for
research, whose users see no case (R9), it is the whole of their work. Two queries."""

from __future__ import annotations

from typing import Any

from continuum.insights.models import Lesson, Publication
from continuum.insights.policy import can_export_microdata, can_publish, can_read_lessons, can_see_all

SHOWN = 3


def statistics_dashboard(user: Any) -> dict[str, Any]:
    if not can_see_all(user):
        return {}
    return {
        "statistics": {
            "publishes": can_publish(user),
            "exports": can_export_microdata(user),
            "publications": list(Publication.objects.select_related("organisation")[:SHOWN]),
            "lessons": list(Lesson.objects.all()[:SHOWN]) if can_read_lessons(user) else [],
        }
    }
