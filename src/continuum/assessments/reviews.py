"""Dynamic reassessment (issue 5): reviews that are overdue, and events that call for a review.

- ``overdue_reviews``: finalised assessments whose next review date has passed and that have no
  newer assessment of the same instrument on the case (a review started counts), for the cases the
  user can see. Shown on the overdue list, the home page and the case page.
- ``review_prompts``: for each instrument with a finalised assessment on a case, the events since it
  that call for a review: a transfer, a change of phase, a new signal about the person, and a release
  date (earliest release, else the end of the sentence) within six months. Each prompt says why.

Everything is read through ``visible_to`` (an event the user may not see prompts nothing: R12), in a
fixed number of queries, and the records shown are logged as read (R11). Nothing here decides
anything: a prompt is a reminder to the people, who open the review or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from continuum.assessments.access import assessments_visible_to
from continuum.assessments.choices import AssessmentStatus
from continuum.assessments.models import Assessment
from continuum.assessments.policy import can_open_assessment
from continuum.cases.choices import Phase
from continuum.cases.models import Case, PhaseChange, Sentence, Transfer
from continuum.sharing.access import read_records

# A release within about six months calls for a review before it (the same horizon as the deadlines).
RELEASE_HORIZON = timedelta(days=183)


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _superseded(user: Any, candidates: list[Assessment]) -> set[Any]:
    """The candidates that have a newer visible assessment of the same instrument on their case (one query)."""
    if not candidates:
        return set()
    newer = (
        assessments_visible_to(user)
        .filter(
            case_id__in={a.case_id for a in candidates}, instrument__code__in={a.instrument.code for a in candidates}
        )
        .values_list("case_id", "instrument__code", "created_at")
    )
    latest: dict[tuple[Any, str], Any] = {}
    for case_id, code, created in newer:
        key = (case_id, code)
        latest[key] = max(latest.get(key, created), created)
    return {a.pk for a in candidates if latest.get((a.case_id, a.instrument.code), a.created_at) > a.created_at}


def overdue_assessments(user: Any) -> QuerySet[Assessment]:
    """Candidates for the overdue list: finalised, visible, review date passed, case not closed."""
    return (
        assessments_visible_to(user)
        .filter(status=AssessmentStatus.FINALISED, next_review_on__lt=timezone.localdate())
        .exclude(case__phase=Phase.CLOSED)
        .select_related("case", "person")
        .order_by("next_review_on", "pk")
    )


def overdue_reviews(user: Any, *, case: Case | None = None) -> list[Assessment]:
    """Overdue reviews the user can see, oldest review date first (the caller logs those it shows).

    Two queries whatever their number: candidates, newer assessments.
    """
    candidates = overdue_assessments(user)
    if case is not None:
        candidates = candidates.filter(case=case)
    rows = list(candidates)
    superseded = _superseded(user, rows)
    overdue = [a for a in rows if a.pk not in superseded]
    today = timezone.localdate()
    for assessment in overdue:
        assessment.days_overdue = (today - assessment.next_review_on).days  # type: ignore[attr-defined,operator]
    return overdue


@dataclass(frozen=True)
class ReviewPrompt:
    """One event since the last finalised assessment of an instrument that calls for a review."""

    day: date
    kind: str
    message: str
    assessment: Assessment
    can_start: bool


def review_prompts(user: Any, case: Case, assessments: list[Assessment]) -> list[ReviewPrompt]:
    """The events on ``case`` since the last finalised assessment of each instrument among ``assessments``
    (the case's assessments the user sees) that call for a review; none for an instrument whose review
    has started already. At most four queries, whatever the number of events."""
    latest: dict[str, Assessment] = {}
    for assessment in sorted(assessments, key=lambda a: a.created_at):
        code = assessment.instrument.code
        if assessment.status == AssessmentStatus.FINALISED:
            latest[code] = assessment
        elif code in latest:
            del latest[code]  # a newer review is under way
    if not latest or case.phase == Phase.CLOSED:
        return []
    since = min(a.finalised_on for a in latest.values() if a.finalised_on)
    today = timezone.localdate()
    transfers = list(
        Transfer.objects.visible_to(user)
        .filter(case=case, transferred_on__gt=since)
        .select_related("to_facility")
        .order_by("transferred_on")
    )
    phases = list(PhaseChange.objects.filter(case=case, changed_at__date__gt=since).order_by("changed_at"))
    sentences = [
        s
        for s in Sentence.objects.visible_to(user).filter(case=case, ends_on__gte=today)
        if today <= s.release_on <= today + RELEASE_HORIZON
    ]
    signals = _signals_since(user, case, since)
    read_records(user, [*transfers, *sentences], purpose="review prompts")
    if signals:
        from continuum.signals.access import read_signals

        read_signals(user, signals, purpose="review prompts")

    prompts: list[ReviewPrompt] = []
    for assessment in latest.values():
        done = assessment.finalised_on or today
        events: list[tuple[date, str, str]] = []
        for t in transfers:
            if t.transferred_on > done and not t.within_facility:
                events.append(
                    (
                        t.transferred_on,
                        "transfer",
                        _("Transferred to %(facility)s on %(day)s")
                        % {"facility": t.to_facility.name, "day": _day(t.transferred_on)},
                    )
                )
        for p in phases:
            changed = timezone.localdate(p.changed_at)
            if changed > done:
                events.append(
                    (
                        changed,
                        "phase",
                        _("Phase changed to %(phase)s on %(day)s")
                        % {"phase": p.get_to_phase_display().lower(), "day": _day(changed)},
                    )
                )
        for signal in signals:
            reported = timezone.localdate(signal.created_at)
            if reported > done:
                events.append(
                    (
                        reported,
                        "signal",
                        _("New signal %(reference)s on %(day)s")
                        % {"reference": signal.reference, "day": _day(reported)},
                    )
                )
        for s in sentences:
            if done < s.release_on - RELEASE_HORIZON:
                template = (
                    _("Earliest release on %(day)s, within six months")
                    if s.earliest_release_on
                    else _("End of the sentence on %(day)s, within six months")
                )
                events.append((s.release_on, "release", template % {"day": _day(s.release_on)}))
        can_start = bool(events) and can_open_assessment(user, case, assessment.category)
        name = assessment.instrument.display_name
        for day, kind, what in events:
            message = _("%(event)s: review the %(instrument)s of %(day)s.") % {
                "event": what,
                "instrument": name,
                "day": _day(done),
            }
            prompts.append(ReviewPrompt(day, kind, message, assessment, can_start))
    prompts.sort(key=lambda p: (p.day, p.kind))
    return prompts


def _signals_since(user: Any, case: Case, since: date) -> list[Any]:
    from continuum.signals.models import Signal

    return list(
        Signal.objects.visible_to(user)
        .filter(person_id=case.person_id, created_at__date__gt=since)
        .order_by("created_at")
    )
