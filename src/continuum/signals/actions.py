"""Reporting, enriching, matching and triaging signals (issue 4; seed 003: the Dutch central point, PARE).

Every state change of a signal goes through one of these actions: atomic, validating, writing, and
appending its audit event in the same transaction (STYLE.md 2). Views, the API, the CSV import, the
demo seeder and the tests call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from continuum.accounts.choices import OrgType
from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.actions import do_open_case
from continuum.cases.choices import Phase
from continuum.cases.models import Case, CaseMember
from continuum.cases.policy import can_open_cases
from continuum.people.actions import do_create_person
from continuum.people.choices import Gender, SubjectCategory
from continuum.people.models import Person
from continuum.sharing import engine
from continuum.signals.choices import (
    AUTOMATIC_RATIONALE,
    CASE_LEAD_ORG_TYPES,
    DECISION_STATUS,
    REPORTING_ORG_TYPES,
    Channel,
    Decision,
    ExtremismType,
    OffenceType,
    Setting,
    SignalStatus,
)
from continuum.signals.models import Signal, SignalNote
from continuum.signals.policy import can_report_signals, can_triage_signals

MAX_DESCRIPTION = 10_000
MAX_NOTE = 5_000
MAX_RATIONALE = 5_000


@dataclass(frozen=True)
class SubjectDetails:
    """Whom a signal is about, as the reporter typed it (no person search is offered: R12)."""

    given_name: str
    family_name: str
    birth_date: date | None = None
    gender: str = Gender.UNKNOWN
    nationality: str = ""


def subject_errors(subject: SubjectDetails) -> dict[str, str]:
    """What is wrong with a subject's details, by field (also used row by row by the CSV import)."""
    errors: dict[str, str] = {}
    for field, label in (("given_name", "given name"), ("family_name", "family name")):
        value = getattr(subject, field).strip()
        if not value:
            errors[field] = f"Give the person's {label} (as far as it is known)."
        elif len(value) > 100:
            errors[field] = f"The {label} is longer than 100 characters."
    if subject.birth_date is not None and subject.birth_date > timezone.localdate():
        errors["birth_date"] = "The date of birth cannot be in the future."
    if subject.gender not in Gender.values:
        errors["gender"] = f"Choose one of: {', '.join(Gender.values)}."
    if len(subject.nationality.strip()) > 64:
        errors["nationality"] = "The nationality is longer than 64 characters."
    return errors


def report_errors(*, description: str, extremism_type: str, offence_type: str, setting: str) -> dict[str, str]:
    """What is wrong with the rest of a report, by field."""
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Describe what was seen or heard."
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = f"Keep the description under {MAX_DESCRIPTION} characters."
    if extremism_type not in ExtremismType.values:
        errors["extremism_type"] = f"Choose one of: {', '.join(ExtremismType.values)}."
    if offence_type not in OffenceType.values:
        errors["offence_type"] = f"Choose one of: {', '.join(OffenceType.values)}."
    if setting not in Setting.values:
        errors["setting"] = f"Choose one of: {', '.join(Setting.values)}."
    return errors


def _next_number() -> int:
    return (Signal.objects.aggregate(m=Max("number"))["m"] or 0) + 1


def _save_new(signal: Signal) -> None:
    for _attempt in range(5):
        signal.number = _next_number()
        try:
            with transaction.atomic():
                signal.save(force_insert=True)
            return
        except IntegrityError:  # two signals reported at once took the same number: take the next
            continue
    raise RuntimeError("Could not allocate a signal number.")


def _recheck_visible(model: type[Signal] | type[SignalNote], pk: Any, acting_user: User) -> None:
    """Re-check after writing (NetBox): the actor must still see what it wrote or decided."""
    if not model.objects.visible_to(acting_user).filter(pk=pk).exists():
        raise PermissionDenied("The signal would not be visible to you.")


# --- reporting ------------------------------------------------------------------------------------------


@transaction.atomic
def do_report_signal(
    *,
    description: str,
    extremism_type: str,
    offence_type: str,
    setting: str = Setting.OTHER,
    subject: SubjectDetails | None = None,
    person: Person | None = None,
    channel: str = Channel.FORM,
    on_behalf_of: Organisation | None = None,
    batch: str = "",
    acting_user: User,
) -> Signal:
    """Report a signal to the central point, about someone described (``subject``) or a known ``person``.

    Members of reporting organisations report for their own organisation; the central point reports
    ``on_behalf_of`` one (the CSV import). A terrorist offence is included at once (seed 003); a new
    signal about a monitored person puts that person's monitored signals back in the queue.
    """
    if on_behalf_of is None:
        if not can_report_signals(acting_user):
            raise PermissionDenied("Your organisation or role does not report signals.")
        reporting_org = acting_user.organisation
        assert reporting_org is not None  # noqa: S101  (can_report_signals checked it)
    else:
        if not can_triage_signals(acting_user):
            raise PermissionDenied("Only the central point records signals on behalf of another organisation.")
        if on_behalf_of.type not in REPORTING_ORG_TYPES or not on_behalf_of.is_active:
            raise ValidationError({"reporting_organisation": "This organisation does not report signals."})
        reporting_org = on_behalf_of
    errors = report_errors(
        description=description, extremism_type=extremism_type, offence_type=offence_type, setting=setting
    )
    if channel not in Channel.values:
        errors["channel"] = "Unknown channel."
    if (subject is None) == (person is None):
        errors["subject"] = "Give either the person's details or a known person, not both."
    elif person is not None:
        # A person the reporter may not see is answered like one that does not exist (R12).
        if not Person.objects.visible_to(acting_user).filter(pk=person.pk).exists():
            errors["person"] = "Unknown person."
        else:
            subject = SubjectDetails(
                given_name=person.given_name,
                family_name=person.family_name,
                birth_date=person.birth_date,
                gender=person.gender,
                nationality=person.nationality,
            )
    if subject is not None and person is None:
        errors.update(subject_errors(subject))
    if errors:
        raise ValidationError(errors)
    assert subject is not None  # noqa: S101  (narrowing for mypy)
    signal = Signal(
        person=person,
        author=acting_user,
        author_org=reporting_org,
        subject_given_name=subject.given_name.strip(),
        subject_family_name=subject.family_name.strip(),
        subject_birth_date=subject.birth_date,
        subject_gender=subject.gender,
        subject_nationality=subject.nationality.strip(),
        description=description.strip(),
        extremism_type=extremism_type,
        offence_type=offence_type,
        setting=setting,
        channel=channel,
    )
    signal.full_clean(exclude=["number"])
    _save_new(signal)
    detail: dict[str, Any] = {
        "reference": signal.reference,
        "reporting_organisation": reporting_org.slug,
        "channel": channel,
        "extremism_type": extremism_type,
        "offence_type": offence_type,
        "setting": setting,
        "subject": "person" if person is not None else "details",
    }
    if on_behalf_of is not None:
        detail["importer"] = acting_user.username
    if batch:
        detail["batch"] = batch
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="signal",
        object_id=signal.pk,
        person_id=signal.person_id,
        detail=detail,
    )
    if person is not None:
        _retriage_monitored(person, new_signal=signal, acting_user=acting_user)
    if offence_type == OffenceType.TERRORIST_OFFENCE:
        _include(signal, acting_user=acting_user, decided_by=None, rationale=AUTOMATIC_RATIONALE)
        _save_triage(signal)
        _audit_triage(signal, acting_user=acting_user, automatic=True)
    _recheck_visible(Signal, signal.pk, acting_user)
    return signal


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


# --- the central point: enrichment, matching, triage -----------------------------------------------------


def _require_triage(acting_user: User) -> None:
    if not can_triage_signals(acting_user):
        raise PermissionDenied("Only the central point's analysts and coordinators do this.")


def _lock(signal: Signal) -> Signal:
    return Signal.objects.select_for_update(of=("self",)).select_related("author_org", "author").get(pk=signal.pk)


def _refresh(signal: Signal, locked: Signal) -> None:
    """Hand the caller's instance the saved state (the caller keeps using it)."""
    for field in locked._meta.concrete_fields:
        setattr(signal, field.attname, getattr(locked, field.attname))


@transaction.atomic
def do_add_signal_note(signal: Signal, *, text: str, acting_user: User) -> SignalNote:
    """The central point adds what it knows or found out to a signal (enrichment)."""
    _require_triage(acting_user)
    if not text.strip():
        raise ValidationError({"text": "Write the note."})
    if len(text) > MAX_NOTE:
        raise ValidationError({"text": f"Keep a note under {MAX_NOTE} characters."})
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
        raise ValidationError({"person": "This signal belongs to a case already; its person cannot change any more."})


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
        raise ValidationError({"person": "Unknown person."})
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
        raise ValidationError({"person": "This signal is linked to a person already."})
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


AUTOMATIC_INCLUSION_RULE = "pare_terrorist_offence"


def central_point_organisation() -> Organisation | None:
    """The national central point that leads cases opened by rule (``CONTINUUM_CENTRAL_POINT``)."""
    return Organisation.objects.filter(
        slug=settings.CONTINUUM_CENTRAL_POINT, type=OrgType.CENTRAL_POINT, is_active=True
    ).first()


def _starting_phase(signal: Signal) -> str:
    if signal.setting == Setting.PRISON:
        return Phase.CUSTODY
    if signal.setting == Setting.PROBATION:
        return Phase.PROBATION
    if signal.offence_type in (OffenceType.TERRORIST_OFFENCE, OffenceType.OTHER_OFFENCE):
        return Phase.PRE_TRIAL
    return Phase.COMMUNITY


def _join_case(case: Case, organisation: Organisation, *, acting_user: User, signal: Signal) -> None:
    """The reporting organisation takes part in the case its included signal joined.

    Written here rather than through ``cases.actions.do_add_member``, which only the case's managers
    may call: the central point's inclusion decision (or the PARE rule) is the authority for it.
    """
    if engine.is_current_member(organisation.pk, case.pk):
        return
    member = CaseMember.objects.create(case=case, organisation=organisation, responsible=None)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="case_member",
        object_id=member.pk,
        person_id=case.person_id,
        case_id=case.pk,
        detail={"organisation": organisation.slug, "responsible": None, "reason": f"signal {signal.reference}"},
    )


def _include(signal: Signal, *, acting_user: User, decided_by: User | None, rationale: str) -> None:
    """Include the signal's person in the multi-agency approach: reuse their open case or open one.

    The lead of a new case is the reporting organisation when it can lead a case (prison, probation,
    municipality), otherwise the central point; the reporter is its responsible practitioner when
    the reporting organisation leads. When someone who may not register persons or open cases (a police
    liaison) reports a terrorist offence, the PARE rule registers the person and opens the case on the
    central point's behalf; without a configured central point the signal waits for an analyst.
    """
    may_open = can_open_cases(acting_user)
    # PARE: a terrorist offence is included automatically whoever reports it. When the reporter may not
    # register persons or open cases (a police liaison, an NGO), the rule does it on the central
    # point's behalf: the central point leads, and the reporter's organisation does not join by that.
    rule = AUTOMATIC_INCLUSION_RULE if decided_by is None and not may_open else ""
    central = central_point_organisation() if rule else None
    if rule and central is None:
        rule = ""  # no central point configured: the signal waits for an analyst, as before
    if signal.person_id is None and (may_open or rule):
        person = _person_from_subject(signal, acting_user=acting_user, by_rule=rule, on_behalf_of=central)
        _link_person(signal, person, acting_user=acting_user)
    case = None
    if signal.person_id is not None:
        case = (
            Case.objects.select_for_update(of=("self",))
            .filter(person_id=signal.person_id)
            .exclude(phase=Phase.CLOSED)
            .order_by("-opened_at")
            .first()
        )
        reporter_org = signal.author_org
        if case is not None:
            if reporter_org.type in CASE_LEAD_ORG_TYPES and reporter_org.is_active:
                _join_case(case, reporter_org, acting_user=acting_user, signal=signal)
        elif may_open or rule:
            # The actor is the central point (triage, import) or the reporter itself (automatic).
            leads = reporter_org.type in CASE_LEAD_ORG_TYPES and reporter_org.is_active
            lead = reporter_org if leads else (central if rule else acting_user.organisation)
            assert lead is not None  # noqa: S101  (may_open implies an organisation; rule implies central)
            reporter = signal.author
            subject = signal.person
            assert subject is not None  # noqa: S101  (person_id is set)
            responsible = reporter if reporter.organisation_id == lead.pk and reporter.is_active else None
            case = do_open_case(
                person=subject,
                lead_organisation=lead,
                phase=_starting_phase(signal),
                responsible=responsible,
                acting_user=acting_user,
                by_rule=rule,
            )
    signal.case = case
    signal.status = SignalStatus.INCLUDED
    signal.decision = Decision.INCLUDE
    signal.rationale = rationale
    signal.review_date = None
    signal.triaged_by = decided_by
    signal.triaged_at = timezone.now()
    signal.queue_note = ""
    if case is not None:
        SignalNote.objects.filter(signal=signal).update(case=case)


_TRIAGE_FIELDS = ["case", "status", "decision", "rationale", "review_date", "triaged_by", "triaged_at", "queue_note"]


def _save_triage(signal: Signal) -> None:
    signal.save(update_fields=_TRIAGE_FIELDS)


def _audit_triage(signal: Signal, *, acting_user: User, automatic: bool = False) -> None:
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="signal",
        object_id=signal.pk,
        person_id=signal.person_id,
        case_id=signal.case_id,
        purpose=signal.rationale[:500],
        detail={
            "reference": signal.reference,
            "decision": signal.decision,
            "status": signal.status,
            "review_date": signal.review_date.isoformat() if signal.review_date else None,
            "case": str(signal.case_id) if signal.case_id else None,
            "decided_by": "system" if automatic else acting_user.username,
        },
    )


@transaction.atomic
def do_triage_signal(
    signal: Signal,
    *,
    decision: str,
    rationale: str,
    review_date: date | None = None,
    acting_user: User,
) -> Signal:
    """The central point's decision: no further action, monitor until a review date, or include.

    Always with a written rationale. ``include`` reuses the person's open case or opens one (and
    registers the person from the signal's details when no match was confirmed). A signal can be
    decided while it waits in the queue or is monitored, and an automatically included signal still
    waiting for its case can be included again to open it.
    """
    _require_triage(acting_user)
    locked = _lock(signal)
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = "Choose no further action, monitor or include."
    if not rationale.strip():
        errors["rationale"] = "Write down why: every decision has a rationale."
    elif len(rationale) > MAX_RATIONALE:
        errors["rationale"] = f"Keep the rationale under {MAX_RATIONALE} characters."
    if decision == Decision.MONITOR:
        if review_date is None:
            errors["review_date"] = "A monitored signal needs a review date."
        elif review_date <= timezone.localdate():
            errors["review_date"] = "The review date must be in the future."
    open_for_triage = locked.status in (SignalStatus.NEW, SignalStatus.MONITORING)
    if not open_for_triage and not (locked.case_pending and decision == Decision.INCLUDE):
        errors["decision"] = f"This signal is decided already: {locked.get_status_display().lower()}."
    if errors:
        raise ValidationError(errors)
    if decision == Decision.INCLUDE:
        _include(locked, acting_user=acting_user, decided_by=acting_user, rationale=rationale.strip())
    else:
        locked.status = DECISION_STATUS[Decision(decision)]
        locked.decision = decision
        locked.rationale = rationale.strip()
        locked.review_date = review_date if decision == Decision.MONITOR else None
        locked.triaged_by = acting_user
        locked.triaged_at = timezone.now()
        locked.queue_note = ""
    _save_triage(locked)
    _audit_triage(locked, acting_user=acting_user)
    _recheck_visible(Signal, locked.pk, acting_user)
    _refresh(signal, locked)
    return signal
