"""The central point enriches a signal (notes) and matches it to a known or a new person; a match puts
the person's monitored signals back in the queue."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.people.actions import do_create_person
from continuum.people.choices import SubjectCategory
from continuum.people.models import Person
from continuum.signals.actions._common import MAX_NOTE, _lock, _recheck_visible, _refresh, _require_triage
from continuum.signals.choices import OffenceType, SignalStatus
from continuum.signals.models import Signal, SignalNote


def _retriage_monitored(person: Person, *, new_signal: Signal, acting_user: User) -> None:
    """A new signal about a monitored person puts the person's monitored signals back in the queue."""
    monitored = list(
        Signal.objects.select_for_update(of=("self",))
        .filter(person=person, status=SignalStatus.MONITORING)
        .exclude(pk=new_signal.pk)
        .order_by("number")
    )
    now = timezone.now()
    for signal in monitored:
        signal.status = SignalStatus.NEW
        signal.queued_at = now
        signal.queue_note = (
            f"Back for triage: a new signal ({new_signal.reference}) about this person arrived on "
            f"{timezone.localdate():%Y-%m-%d}, before the review date."
        )
        signal.save(update_fields=["status", "queued_at", "queue_note"])
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            object_type="signal",
            object_id=signal.pk,
            person_id=person.pk,
            detail={"reference": signal.reference, "retriage": True, "because_of": new_signal.reference},
        )


@transaction.atomic
def do_add_signal_note(signal: Signal, *, text: str, acting_user: User) -> SignalNote:
    """The central point adds what it knows or found out to a signal (enrichment)."""
    _require_triage(acting_user)
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > MAX_NOTE:
        raise ValidationError({"text": _("Keep a note under %(count)s characters.") % {"count": MAX_NOTE}})
    assert acting_user.organisation is not None  # noqa: S101  (can_triage_signals checked it)
    note = SignalNote(
        signal=signal,
        person_id=signal.person_id,
        case_id=signal.case_id,
        author=acting_user,
        author_org=acting_user.organisation,
        text=text.strip(),
    )
    note.full_clean()
    note.save(force_insert=True)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="signal_note",
        object_id=note.pk,
        person_id=signal.person_id,
        case_id=signal.case_id,
        detail={"signal": signal.reference},
    )
    _recheck_visible(SignalNote, note.pk, acting_user)
    return note


def _check_can_link(signal: Signal) -> None:
    if signal.case_id is not None:
        raise ValidationError(
            {"person": _("This signal belongs to a case already; its person cannot change any more.")}
        )


def _link_person(signal: Signal, person: Person, *, acting_user: User) -> None:
    signal.person = person
    signal.save(update_fields=["person"])
    SignalNote.objects.filter(signal=signal).update(person=person)
    # A repeat signal about a monitored person: the earlier ones are looked at again.
    _retriage_monitored(person, new_signal=signal, acting_user=acting_user)


@transaction.atomic
def do_confirm_match(signal: Signal, *, person: Person, acting_user: User) -> Signal:
    """The analyst confirms that the signal is about ``person`` (a duplicate candidate or another)."""
    _require_triage(acting_user)
    locked = _lock(signal)
    _check_can_link(locked)
    if not Person.objects.visible_to(acting_user).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("Unknown person.")})
    if locked.person_id != person.pk:
        previous = locked.person_id
        _link_person(locked, person, acting_user=acting_user)
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            object_type="signal",
            object_id=locked.pk,
            person_id=person.pk,
            detail={
                "reference": locked.reference,
                "matched_person": person.reference,
                "previous_person": str(previous) if previous else None,
            },
        )
    _refresh(signal, locked)
    return signal


def _person_from_subject(
    signal: Signal, *, acting_user: User, by_rule: str = "", on_behalf_of: Organisation | None = None
) -> Person:
    return do_create_person(
        by_rule=by_rule,
        on_behalf_of=on_behalf_of,
        given_name=signal.subject_given_name,
        family_name=signal.subject_family_name,
        birth_date=signal.subject_birth_date,
        gender=signal.subject_gender,
        nationality=signal.subject_nationality,
        subject_category=(
            SubjectCategory.SUSPECT if signal.offence_type == OffenceType.TERRORIST_OFFENCE else SubjectCategory.OTHER
        ),
        acting_user=acting_user,
    )


@transaction.atomic
def do_create_person_from_signal(signal: Signal, *, acting_user: User) -> Person:
    """No known person fits: register the signal's subject as a new person and link the signal."""
    _require_triage(acting_user)
    locked = _lock(signal)
    _check_can_link(locked)
    if locked.person_id is not None:
        raise ValidationError({"person": _("This signal is linked to a person already.")})
    person = _person_from_subject(locked, acting_user=acting_user)
    _link_person(locked, person, acting_user=acting_user)
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="signal",
        object_id=locked.pk,
        person_id=person.pk,
        detail={"reference": locked.reference, "new_person": person.reference},
    )
    _refresh(signal, locked)
    return person
