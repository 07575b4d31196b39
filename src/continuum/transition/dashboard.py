"""The home page's release sections: what the user's organisation still has to settle before a
release, and the cases released to it lately, with their plan's open milestones.

- **To settle before release**: the open domains of release plans that the organisation takes care
  of, in plans with an alert (a release within twelve months, not yet recorded). A coordinator sees
  all of the organisation's; anyone else those of the cases they are responsible for (as the case
  sections of the home page decide, ``cases/dashboard.py``).
- **Released to us**: release plans released to the organisation in the last three months (the
  coordinator: all; anyone else: the cases they are responsible for), each with its case's current
  plan and the milestones still open, and the domains of the release plan still open.

Read through ``visible_to`` in a fixed number of queries whatever the number of cases, and logged as
read (R11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from continuum.accounts.choices import Role
from continuum.cases.models import CaseMember
from continuum.cases.policy import can_use_cases
from continuum.plans.access import contents_of_plans, current_plans_of
from continuum.sharing.access import read_records
from continuum.transition.choices import OPEN, Domain
from continuum.transition.models import ReleaseItem, ReleasePlan
from continuum.transition.releases import alert_label, alert_on, months_before, visible_items

LIST_LIMIT = 50
RELEASED_LATELY = timedelta(days=92)
DOMAIN_ORDER = {domain: index for index, domain in enumerate(Domain.values)}


@dataclass
class ReleasedCase:
    release_plan: ReleasePlan
    plan: Any  # the case's current plan (plans.Plan), if the user sees one
    open_milestones: int
    overdue_milestones: int
    open_domains: int


def release_dashboard(user: Any) -> dict[str, Any]:
    if not can_use_cases(user) or user.organisation_id is None:
        return {}
    today = timezone.localdate()
    coordinator = user.role == Role.COORDINATOR
    mine = CaseMember.objects.filter(responsible=user, organisation_id=user.organisation_id, until__isnull=True).values(
        "case_id"
    )

    # Our open domains in plans released within twelve months (an alert; overdue ones included).
    plans = ReleasePlan.objects.visible_to(user).filter(
        released_on__isnull=True, expected_release_on__lte=months_before(today, -12)
    )
    items_qs = ReleaseItem.objects.visible_to(user).filter(
        owner_organisation_id=user.organisation_id, status__in=list(OPEN), plan__in=plans.values("pk")
    )
    if not coordinator:
        items_qs = items_qs.filter(case__in=mine)
    items = list(
        items_qs.select_related("plan", "case").order_by("plan__expected_release_on", "plan_id", "pk")[: LIST_LIMIT + 1]
    )
    shown = []
    for item in items[:LIST_LIMIT]:
        # Our own item is open: the plan's alert as we see it is the threshold passed, if any.
        item.alert = alert_on(item.plan.expected_release_on, today, open_domains=1)
        if item.alert:
            item.alert_label = alert_label(item.alert)
            item.overdue = bool(item.due_on and item.due_on < today)
            shown.append(item)
    shown.sort(
        key=lambda i: (i.plan.expected_release_on, i.case.number if i.case else "", DOMAIN_ORDER.get(i.domain, 99))
    )

    # Cases released to us lately, with their plan and what is still open.
    released_qs = (
        ReleasePlan.objects.visible_to(user)
        .filter(released_to_id=user.organisation_id, released_on__gte=today - RELEASED_LATELY)
        .select_related("case", "released_to")
    )
    if not coordinator:
        released_qs = released_qs.filter(case__in=mine)
    released = list(released_qs.order_by("-released_on", "pk")[:LIST_LIMIT])
    cases = [p.case for p in released if p.case is not None]
    current = current_plans_of(user, cases) if cases else {}
    contents = contents_of_plans(user, list(current.values()), purpose="home page") if current else {}
    release_items = visible_items(user, released)
    read_records(
        user,
        [*shown, *released, *current.values(), *(i for group in release_items.values() for i in group)],
        purpose="home page",
    )
    released_cases = []
    for release_plan in released:
        plan = current.get(release_plan.case_id) if release_plan.case_id else None
        progress = contents[plan.pk].progress if plan is not None else None
        released_cases.append(
            ReleasedCase(
                release_plan=release_plan,
                plan=plan,
                open_milestones=(progress.total - progress.achieved) if progress else 0,
                overdue_milestones=progress.overdue if progress else 0,
                open_domains=sum(1 for i in release_items[release_plan.pk] if i.status in OPEN),
            )
        )
    if not shown and not released_cases:
        return {}
    return {
        "release_summary": {
            "to_settle": shown,
            "to_settle_more": len(items) > LIST_LIMIT,
            "released": released_cases,
            "coordinator": coordinator,
        }
    }
