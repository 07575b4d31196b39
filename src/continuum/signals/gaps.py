"""Monitoring reviews that are due, as gaps of the person's case (``cases.gaps``, issue 4).

A monitored signal about a person with a case is part of the person's history; when its review date
has come, the case shows a gap to whoever may see the signal (the central point by triage, case
members whose matrix row reads ``security``): one query for any number of cases (R12: nobody learns
of a signal they may not see). A monitored signal back in the queue is still due: its gap does not
vanish, which would tell case members that a new signal arrived (``Signal.outside_status``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from continuum.cases.gaps import Gap
from continuum.cases.models import Case
from continuum.signals.choices import SignalStatus
from continuum.signals.models import Signal, outside_status_q


def monitoring_gaps(user: Any, cases: Sequence[Case]) -> list[Gap]:
    today = timezone.localdate()
    by_person: dict[Any, list[Case]] = {}
    for case in cases:
        by_person.setdefault(case.person_id, []).append(case)
    due = (
        Signal.objects.visible_to(user)
        .filter(outside_status_q(SignalStatus.MONITORING), person_id__in=list(by_person), review_date__lte=today)
        .order_by("review_date", "number")
    )
    return [
        Gap(
            case,
            "monitoring_review_due",
            _("The monitoring review of signal %(reference)s is due since %(day)s.")
            % {"reference": s.reference, "day": formats.date_format(s.review_date, "DATE_FORMAT")},
        )
        for s in due
        for case in by_person.get(s.person_id, [])
    ]
