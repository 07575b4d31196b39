"""The home page's family sections.

- **Visits to record**: visits under contact orders whose time has passed and for which nobody has
  yet said whether they took place, and the visits of the next two weeks; for those who see them
  (child welfare, family counselling and mental health members of a parent's case, R6) and only
  for child welfare, who records them.
- **Offer again**: open refusals to take part whose day to offer again has come or comes within two
  weeks, on the cases the user sees the plan of.

Read through ``visible_to`` in a fixed number of queries whatever the number of cases, logged as read.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from continuum.accounts.choices import OrgType
from continuum.cases.choices import Phase
from continuum.cases.policy import can_use_cases
from continuum.families.models import Refusal, Visit
from continuum.sharing import engine
from continuum.sharing.access import read_records

LIST_LIMIT = 30
AHEAD = timedelta(days=14)


def family_dashboard(user: Any) -> dict[str, Any]:
    if not can_use_cases(user) or user.organisation_id is None:
        return {}
    today = timezone.localdate()
    now = timezone.now()
    viewer = engine.viewer_for(user)
    to_record: list[Visit] = []
    coming: list[Visit] = []
    if viewer.org_type == OrgType.CHILD_WELFARE:
        visits = Visit.objects.visible_to(user).select_related("person", "contact_order__parent_case")
        to_record = list(
            visits.filter(took_place__isnull=True, scheduled_for__lt=now).order_by("scheduled_for", "pk")[:LIST_LIMIT]
        )
        coming = list(
            visits.filter(scheduled_for__gte=now, scheduled_for__lt=now + AHEAD).order_by("scheduled_for", "pk")[
                :LIST_LIMIT
            ]
        )
    refusals = list(
        Refusal.objects.visible_to(user)
        .filter(ended_on__isnull=True, offer_again_on__lte=today + AHEAD)
        .exclude(case__phase=Phase.CLOSED)
        .select_related("case", "person")
        .order_by("offer_again_on", "pk")[:LIST_LIMIT]
    )
    for refusal in refusals:
        refusal.due = refusal.offer_again_on <= today
    if not (to_record or coming or refusals):
        return {}
    read_records(user, [*to_record, *coming, *refusals], purpose="home page")
    return {"family_summary": {"to_record": to_record, "coming": coming, "refusals": refusals}}
