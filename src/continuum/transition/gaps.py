"""A case before release without a release plan, as a gap (``cases.gaps``, issue 14).

Seed 004: transition management starts well before release. A case in the pre-release phase whose
release plan the reader cannot find shows a gap, only to organisations that read ``plan`` records by
the matrix (for anyone else the absence itself would be news, R12): two queries for any number of cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from continuum.cases.access import cases_reading_category
from continuum.cases.choices import Phase
from continuum.cases.gaps import Gap
from continuum.cases.models import Case
from continuum.sharing.choices import Category
from continuum.transition.models import ReleasePlan


def release_plan_gaps(user: Any, cases: Sequence[Case]) -> list[Gap]:
    before_release = [c for c in cases if c.phase == Phase.PRE_RELEASE]
    readable = cases_reading_category(user, before_release, Category.PLAN)
    candidates = [c for c in before_release if c.pk in readable]
    if not candidates:
        return []
    planned = set(
        ReleasePlan.objects.visible_to(user)
        .filter(case__in=[c.pk for c in candidates])
        .values_list("case_id", flat=True)
    )
    return [
        Gap(case, "no_release_plan", _("The person is due for release, and there is no release plan yet."))
        for case in candidates
        if case.pk not in planned
    ]
