"""The case worker's sections of the home page: my cases, deadlines, hand-overs waiting, gaps.

Everything is read through ``visible_to`` and the access helpers, in a fixed number of queries
whatever the number of cases; the records shown (sentences, release conditions, hand-overs) are
logged as read (R11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.choices import Role
from continuum.cases.access import handovers_waiting_for
from continuum.cases.gaps import Gap, gaps_for
from continuum.cases.models import Case, CaseMember, ReleaseCondition, Sentence
from continuum.cases.policy import can_use_cases
from continuum.people.models import Person
from continuum.sharing.access import read_records

# Release dates within about six months, and release conditions ending within two, are deadlines.
RELEASE_HORIZON = timedelta(days=183)
CONDITION_HORIZON = timedelta(days=61)
# Each list on the home page shows at most this many rows (and says how many more there are).
LIST_LIMIT = 50


@dataclass(frozen=True)
class Deadline:
    day: date
    case: Case
    what: str


def _responsible_case_ids(user: Any) -> Any:
    return CaseMember.objects.filter(responsible=user, organisation_id=user.organisation_id, until__isnull=True).values(
        "case_id"
    )


def case_dashboard(user: Any) -> dict[str, Any]:
    """The context of the home page's case sections; empty for those who do not work on cases."""
    if not can_use_cases(user):
        return {}
    today = timezone.localdate()
    mine = _responsible_case_ids(user)
    visible = Case.objects.visible_to(user).select_related("person", "lead_organisation")

    my_cases = list(visible.filter(pk__in=mine).order_by("-opened_at", "pk")[: LIST_LIMIT + 1])
    readable = set(
        Person.objects.visible_to(user).filter(pk__in=[c.person_id for c in my_cases]).values_list("pk", flat=True)
    )
    for case in my_cases:
        case.identity_readable = case.person_id in readable  # type: ignore[attr-defined]

    release_window = (today, today + RELEASE_HORIZON)
    sentences = list(
        Sentence.objects.visible_to(user)
        .filter(case__in=mine)
        .filter(
            Q(earliest_release_on__range=release_window)
            | Q(earliest_release_on__isnull=True, ends_on__range=release_window)
        )
        .select_related("case")
        .order_by("ends_on", "pk")[:LIST_LIMIT]
    )
    conditions = list(
        ReleaseCondition.objects.visible_to(user)
        .filter(case__in=mine, valid_until__range=(today, today + CONDITION_HORIZON))
        .select_related("case")
        .order_by("valid_until", "pk")[:LIST_LIMIT]
    )
    waiting = list(handovers_waiting_for(user)[:LIST_LIMIT])
    read_records(user, [*sentences, *conditions, *waiting], purpose="home page")

    deadlines = [
        Deadline(
            s.release_on,
            s.case,
            _("Earliest release") if s.earliest_release_on else _("End of the sentence: release"),
        )
        for s in sentences
    ]
    deadlines += [
        Deadline(c.valid_until, c.case, _("%(condition)s ends") % {"condition": c.get_condition_type_display()})
        for c in conditions
    ]
    deadlines.sort(key=lambda d: (d.day, d.case.number))

    coordinator = user.role == Role.COORDINATOR
    all_gaps = gaps_for(user, list(visible.order_by("-opened_at", "pk")))
    my_ids = {c.pk for c in my_cases}
    if coordinator:
        gaps: list[Gap] = all_gaps
    else:
        gaps = [
            g
            for g in all_gaps
            if g.case.pk in my_ids or (g.organisation is not None and g.organisation.pk == user.organisation_id)
        ]
    return {
        "dashboard": {
            "my_cases": my_cases[:LIST_LIMIT],
            "my_cases_more": len(my_cases) > LIST_LIMIT,
            "deadlines": deadlines,
            "handovers_waiting": waiting,
            "gaps": gaps[:LIST_LIMIT],
            "gaps_more": max(len(gaps) - LIST_LIMIT, 0),
            "coordinator": coordinator,
            "release_horizon_months": 6,
        }
    }
