"""The doors to signals for views and the API (one door: ``Signal.objects.visible_to``).

``access_signal`` answers 404 for a signal that is not visible and for one that does not exist (R12),
and logs the read (R11). Lists are built on ``visible_to`` too: the central point's basis is triage
(every signal), a reporting organisation's is R0 (its own), a case member's the matrix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from continuum.cases.choices import Phase
from continuum.cases.models import Case
from continuum.people.matching import Candidate, CandidateIndex, Subject
from continuum.people.models import Person
from continuum.sharing.disclosure import log_denied, log_reads
from continuum.signals.models import Signal
from continuum.signals.policy import can_triage_signals

PERSON_MATCH_FIELDS = ("id", "reference", "given_name", "family_name", "aliases", "birth_date", "nationality")


def _uuid(value: Any) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


def visible_signals(user: Any) -> QuerySet[Signal]:
    return Signal.objects.visible_to(user).select_related("author_org", "author", "triaged_by", "person")


def access_signal(user: Any, signal_id: Any, *, purpose: str = "") -> Signal:
    """A signal the user may see (logged as a read or a disclosure), or 404."""
    pk = _uuid(signal_id)
    signal = visible_signals(user).filter(pk=pk).first() if pk else None
    if signal is None:
        log_denied(user, "signal", signal_id)
        raise Http404
    log_reads(user, [signal], purpose=purpose)
    return signal


def listed_signals(user: Any) -> QuerySet[Signal]:
    """The signals list: every signal for the central point, the signals it reported for anyone else."""
    signals = visible_signals(user)
    if can_triage_signals(user):
        return signals
    return signals.filter(author_org_id=user.organisation_id)


def read_signals(user: Any, signals: Sequence[Signal], *, purpose: str = "") -> Sequence[Signal]:
    """Log a page of signals as read (R11) and hand them back."""
    log_reads(user, list(signals), purpose=purpose)
    return signals


def subject_of(signal: Signal) -> Subject:
    return Subject(
        given_name=signal.subject_given_name,
        family_name=signal.subject_family_name,
        birth_date=signal.subject_birth_date,
        nationality=signal.subject_nationality,
    )


def candidate_index(user: Any) -> CandidateIndex:
    """The persons the user may see, ready for duplicate detection (one query).

    Only these are ever proposed, so a reporter's candidates never reveal that a person it may not
    see exists (R12); the central point's cover every person its triage or its cases let it see.
    """
    return CandidateIndex(Person.objects.visible_to(user).only(*PERSON_MATCH_FIELDS).order_by())


def duplicate_candidates(user: Any, signals: Iterable[Signal]) -> dict[Any, list[Candidate]]:
    """Likely duplicates per signal not yet linked to a person: one query for any number of signals."""
    open_signals = [s for s in signals if s.person_id is None]
    if not open_signals:
        return {}
    index = candidate_index(user)
    return {s.pk: index.rank(subject_of(s)) for s in open_signals}


def candidates_open_cases(user: Any, candidates: Iterable[Candidate]) -> dict[Any, Case]:
    """The open case of each candidate, by person id, among the cases the user may see (one query).

    Only cases the user's organisation is a current member of (``Case.objects.visible_to``, R1): of a
    case it may not see, nothing is said, not even that there is one (R12).
    """
    person_ids = {c.person.pk for c in candidates}
    if not person_ids:
        return {}
    cases = (
        Case.objects.visible_to(user)
        .filter(person_id__in=person_ids)
        .exclude(phase=Phase.CLOSED)
        .select_related("lead_organisation")
        .order_by("opened_at")
    )
    # One open case per person (a constraint of cases); the latest wins should there ever be two.
    return {case.person_id: case for case in cases}


def visible_links(user: Any, signals: Iterable[Signal]) -> tuple[set[Any], set[Any]]:
    """Of the signals' persons and cases, those the user may see (two queries at most).

    A reporter learns the person or case its signal was linked to only when it may see them (R12).
    """
    signals = list(signals)
    person_ids = {s.person_id for s in signals if s.person_id}
    case_ids = {s.case_id for s in signals if s.case_id}
    persons = (
        set(Person.objects.visible_to(user).filter(pk__in=person_ids).values_list("pk", flat=True))
        if person_ids
        else set()
    )
    cases = (
        set(Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True)) if case_ids else set()
    )
    return persons, cases
