"""Readiness, alerts and the release calendar (API.md, "Transition and release").

- **Readiness** of a plan counts the items the reader may see: settled (done, support not required,
  support declined) of all. A reader never learns from a count that an item it may not see exists
  in some state (R12); every plan has the same sixteen domains, so the total says nothing.
- **Alerts**: 12, 6 and 3 months and 2 weeks before the expected release, while domains are open;
  the alert of a plan is the nearest threshold passed (``alert_on``). A released plan has none.
- **The calendar** lists the releases of cases the user's organisation is a member of, read
  through ``visible_to`` (R1-R12). Besides those, the central point sees every release in the
  country and a municipality the releases naming it as the destination (API.md): for cases it is
  not a member of, only an *announcement*: the case number, the day, the destination, and readiness
  and open domains counted over the items its kind of organisation would read as a member (the
  matrix, and no item withheld from it); never the person, an item's owner or note. Each page of
  announcements is audited (``release_calendar``, with the cases named).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from continuum.accounts.choices import OrgType
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.sharing import engine
from continuum.sharing.access import read_records
from continuum.sharing.choices import Access
from continuum.transition.choices import ALERT_LABELS, OPEN, SETTLED, THRESHOLDS, Domain, Threshold
from continuum.transition.models import ReleaseItem, ReleasePlan

DEFAULT_WITHIN_DAYS = 365
MAX_WITHIN_DAYS = 3650
LIST_LIMIT = 200
# Open domains are listed in the order of the plan (API.md's order), whatever the order of the rows.
DOMAIN_ORDER = {domain: index for index, domain in enumerate(Domain.values)}


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day where it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def threshold_day(expected: date, threshold: Threshold) -> date:
    """The day a threshold is passed for a release expected on ``expected``."""
    if threshold.months:
        return months_before(expected, threshold.months)
    return expected - timedelta(days=threshold.days)


def alert_on(expected: date, today: date, *, open_domains: int, released: bool = False) -> str | None:
    """The nearest threshold passed on ``today`` while domains are open (``None``: no alert)."""
    if released or not open_domains:
        return None
    for threshold in THRESHOLDS:
        if today >= threshold_day(expected, threshold):
            return threshold.code
    return None


def alert_label(code: str | None) -> str:
    return str(ALERT_LABELS.get(code, "")) if code else ""


def readiness(statuses: list[str]) -> dict[str, int]:
    """``{"settled", "total", "percent"}`` over the statuses of the items a reader may see."""
    settled = sum(1 for status in statuses if status in SETTLED)
    total = len(statuses)
    # Halves round up, as people round: ``round`` rounds them to even (2 of 16 "12 %", yet 6 of 16 "38 %").
    return {"settled": settled, "total": total, "percent": (200 * settled + total) // (2 * total) if total else 0}


@dataclass
class Release:
    """One row of the release calendar."""

    plan: ReleasePlan
    member: bool
    readiness: dict[str, int]
    open_domains: list[str]
    alert: str | None
    items: list[ReleaseItem] = field(default_factory=list)

    @property
    def alert_label(self) -> str:
        return alert_label(self.alert)

    @property
    def open_domain_labels(self) -> list[str]:
        return [str(Domain(d).label) for d in self.open_domains]


def visible_items(user: Any, plans: list[ReleasePlan]) -> dict[Any, list[ReleaseItem]]:
    """The items of ``plans`` the user may see, by plan (one query), not yet logged as read."""
    by_plan: dict[Any, list[ReleaseItem]] = {plan.pk: [] for plan in plans}
    if plans:
        items = (
            ReleaseItem.objects.visible_to(user)
            .filter(plan__in=[p.pk for p in plans])
            .select_related("owner_organisation")
        )
        for item in items.order_by("plan_id", "pk"):
            by_plan[item.plan_id].append(item)
        for group in by_plan.values():
            group.sort(key=lambda item: DOMAIN_ORDER.get(item.domain, len(DOMAIN_ORDER)))
    return by_plan


def _announcement_statuses(user: Any, plans: list[ReleasePlan]) -> dict[Any, list[tuple[str, str]]]:
    """(domain, status) of the items of ``plans`` that the user's kind of organisation would read as a
    member: the matrix's categories, and nothing withheld from it (one query, no content read)."""
    viewer = engine.viewer_for(user)
    by_plan: dict[Any, list[tuple[str, str]]] = {plan.pk: [] for plan in plans}
    if not plans:
        return by_plan
    readable = [c for c, a in engine.matrix_for(viewer.org_type).items() if a in (Access.READ, Access.WRITE)]
    withheld = Q(withhold_from__contains=f",type:{viewer.org_type},") | Q(
        withhold_from__contains=f",org:{viewer.org_slug},"
    )
    rows = (
        ReleaseItem.objects.filter(plan__in=[p.pk for p in plans], category__in=readable)
        .exclude(withheld)
        .values_list("plan_id", "domain", "status")
    )
    for plan_id, domain, status in rows:
        by_plan[plan_id].append((domain, status))
    for pairs in by_plan.values():
        pairs.sort(key=lambda pair: DOMAIN_ORDER.get(pair[0], len(DOMAIN_ORDER)))
    return by_plan


def _announced_plans(user: Any, base: Any, seen: set[Any]) -> list[ReleasePlan]:
    viewer = engine.viewer_for(user)
    if viewer.org_type == OrgType.CENTRAL_POINT:
        others = base
    elif viewer.org_type == OrgType.MUNICIPALITY:
        others = base.filter(destination_municipality_id=viewer.organisation_id)
    else:
        return []
    shown = others.exclude(pk__in=seen).select_related("case", "destination_municipality")
    return list(shown[:LIST_LIMIT])


def releases_for(
    user: Any, *, within_days: int = DEFAULT_WITHIN_DAYS, today: date | None = None, since: date | None = None
) -> list[Release]:
    """The releases expected within ``within_days`` (and those overdue, not yet released), soonest first;
    with ``since``, only those expected on that day or later (the calendar's month view).

    A fixed number of queries whatever the number of plans: the plans, their items, the announcements
    and their statuses. The items shown are logged as read (R11); announcements are audited.
    """
    viewer = engine.viewer_for(user)
    if not viewer.sees_content:
        return []
    today = today or timezone.localdate()
    base = ReleasePlan.objects.filter(
        released_on__isnull=True, expected_release_on__lte=today + timedelta(days=within_days)
    ).order_by("expected_release_on", "pk")
    if since is not None:
        base = base.filter(expected_release_on__gte=since)
    plans = list(base.visible_to(user).select_related("case", "destination_municipality")[:LIST_LIMIT])
    items = visible_items(user, plans)
    read_records(user, [*plans, *(i for group in items.values() for i in group)], purpose="release calendar")
    rows = []
    for plan in plans:
        statuses = [i.status for i in items[plan.pk]]
        open_domains = [i.domain for i in items[plan.pk] if i.status in OPEN]
        rows.append(
            Release(
                plan=plan,
                member=True,
                readiness=readiness(statuses),
                open_domains=open_domains,
                alert=alert_on(plan.expected_release_on, today, open_domains=len(open_domains)),
                items=items[plan.pk],
            )
        )
    announced = _announced_plans(user, base, {p.pk for p in plans})
    if announced:
        statuses_of = _announcement_statuses(user, announced)
        for plan in announced:
            pairs = statuses_of[plan.pk]
            open_domains = [d for d, s in pairs if s in OPEN]
            rows.append(
                Release(
                    plan=plan,
                    member=False,
                    readiness=readiness([s for _, s in pairs]),
                    open_domains=open_domains,
                    alert=alert_on(plan.expected_release_on, today, open_domains=len(open_domains)),
                )
            )
        record(
            AuditAction.READ,
            actor=user,
            object_type="release_calendar",
            object_id=viewer.org_slug,
            detail={"announced_cases": sorted(str(p.case_id) for p in announced), "purpose": "release calendar"},
        )
    rows.sort(key=lambda r: (r.plan.expected_release_on, r.plan.case.number if r.plan.case else ""))
    return rows[:LIST_LIMIT]


def plan_readiness(user: Any, plan: ReleasePlan, items: list[ReleaseItem], today: date | None = None) -> dict[str, Any]:
    """Readiness, open domains and the alert of one plan as ``user`` sees its ``items``."""
    today = today or timezone.localdate()
    open_domains = [i.domain for i in items if i.status in OPEN]
    return {
        "readiness": readiness([i.status for i in items]),
        "open_domains": open_domains,
        "alert": alert_on(plan.expected_release_on, today, open_domains=len(open_domains), released=plan.is_released),
    }
