"""Opening and changing cases, their teams, and the journal."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from continuum.accounts.choices import OrgType
from continuum.accounts.models import Organisation, User
from continuum.audit.changes import apply_changes, audited_diff, check_version
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.choices import TRANSFER_PHASES, EntryKind, Phase, ReleaseConditionType, UnitType
from continuum.cases.models import (
    Attachment,
    Case,
    CaseMember,
    CustodyEpisode,
    Entry,
    Handover,
    LegalStatusChange,
    PhaseChange,
    ReleaseCondition,
    Sentence,
    Transfer,
)
from continuum.cases.policy import can_hand_over, can_manage_case, can_open_cases, can_record_transfer
from continuum.cases.uploads import check_upload
from continuum.people.actions import do_update_person
from continuum.people.choices import LegalStatus
from continuum.people.models import Person
from continuum.sharing import engine
from continuum.sharing.choices import Category, Reliability, Statement
from continuum.sharing.records import encode_withholding

CASE_FIELDS = ("phase", "trial_concluded_on", "lead_organisation")


def _next_case_number() -> str:
    year = timezone.localdate().year
    prefix = f"{year}-"
    last = Case.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    sequence = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _check_responsible(organisation: Organisation, responsible: User | None) -> None:
    if responsible is not None and (responsible.organisation_id != organisation.pk or not responsible.is_active):
        raise ValidationError(
            {"responsible": "The responsible practitioner must be an active user of that organisation."}
        )


@transaction.atomic
def do_open_case(
    *,
    person: Person,
    lead_organisation: Organisation,
    phase: str = Phase.PRE_TRIAL,
    responsible: User | None = None,
    acting_user: User,
    by_rule: str = "",
) -> Case:
    """Open a case for a person; the lead organisation becomes its first member.

    ``by_rule`` names a rule of the practice that opens the case whoever triggered it (the automatic
    inclusion of a terrorist offence): the user's own permission is not needed then, and the user's
    organisation does not join the case by opening it."""
    if not by_rule and not can_open_cases(acting_user):
        raise PermissionDenied("Your role cannot open cases.")
    if lead_organisation.type in (OrgType.RESEARCH,) or not lead_organisation.is_active:
        raise ValidationError({"lead_organisation": "This organisation cannot lead a case."})
    if phase not in Phase.values or phase == Phase.CLOSED:
        raise ValidationError({"phase": "Choose the phase the case starts in."})
    if responsible is None and acting_user.organisation_id == lead_organisation.pk:
        responsible = acting_user
    _check_responsible(lead_organisation, responsible)
    case = None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    number=_next_case_number(),
                    person=person,
                    phase=phase,
                    lead_organisation=lead_organisation,
                    created_by=acting_user,
                )
            break
        except IntegrityError:  # two cases opened at once took the same number: take the next
            continue
    if case is None:
        raise RuntimeError("Could not allocate a case number.")
    CaseMember.objects.create(case=case, organisation=lead_organisation, responsible=responsible)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="case",
        object_id=case.pk,
        person_id=person.pk,
        case_id=case.pk,
        detail={
            "number": case.number,
            "lead_organisation": lead_organisation.slug,
            "phase": phase,
            **({"rule": by_rule} if by_rule else {}),
        },
    )
    own = acting_user.organisation
    if (
        not by_rule
        and own is not None
        and own.pk != lead_organisation.pk
        and not engine.is_current_member(own.pk, case.pk)
    ):
        # Whoever opens a case for another organisation takes part in it (the central point, usually).
        CaseMember.objects.create(case=case, organisation=own, responsible=acting_user)
    return case


def _require_manager(case: Case, acting_user: User) -> None:
    if not can_manage_case(acting_user, case):
        raise PermissionDenied("Only the lead organisation's coordinator or case manager changes this case.")


@transaction.atomic
def do_update_case(case: Case, *, version: int, acting_user: User, phase_note: str = "", **changes: Any) -> Case:
    """Change phase, trial date or lead organisation; a stale ``version`` is refused (409).

    A change of phase is kept in the case's phase history (``PhaseChange``), with ``phase_note``.
    """
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    _require_manager(locked, acting_user)
    check_version(locked, version)
    if "phase" in changes and changes["phase"] not in Phase.values:
        raise ValidationError({"phase": "Unknown phase."})
    if "lead_organisation" in changes and not engine.is_current_member(changes["lead_organisation"].pk, case.pk):
        raise ValidationError({"lead_organisation": "The new lead organisation must be a member of the case."})
    before = apply_changes(locked, changes, version=version)
    if not before:
        return locked
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="case",
        object_id=case.pk,
        person_id=locked.person_id,
        case_id=case.pk,
        detail={"changes": audited_diff(before, changes)},
    )
    if "phase" in before:
        _record_phase_change(locked, before["phase"], changes["phase"], note=phase_note, acting_user=acting_user)
    return locked


def _record_phase_change(case: Case, from_phase: str, to_phase: str, *, note: str, acting_user: User | None) -> None:
    """Keep a change of phase in the case's history (the caller has saved the case and audited it)."""
    PhaseChange.objects.create(
        case=case,
        from_phase=from_phase,
        to_phase=to_phase,
        changed_by=acting_user,
        changed_org=acting_user.organisation if acting_user else None,
        note=note.strip(),
    )


@transaction.atomic
def do_add_member(
    case: Case, *, organisation: Organisation, responsible: User | None = None, acting_user: User
) -> CaseMember:
    """Add an organisation to the case team (or name its responsible practitioner anew)."""
    _require_manager(case, acting_user)
    if organisation.type == OrgType.RESEARCH or not organisation.is_active:
        raise ValidationError({"organisation": "Research organisations never take part in cases (R9)."})
    _check_responsible(organisation, responsible)
    member = (
        CaseMember.objects.select_for_update(of=("self",))
        .filter(case=case, organisation=organisation, until__isnull=True)
        .first()
    )
    if member is not None:
        if member.responsible_id == (responsible.pk if responsible else None):
            return member
        member.responsible = responsible
        member.save(update_fields=["responsible"])
        action = AuditAction.UPDATE
    else:
        member = CaseMember.objects.create(case=case, organisation=organisation, responsible=responsible)
        action = AuditAction.CREATE
    record(
        action,
        actor=acting_user,
        object_type="case_member",
        object_id=member.pk,
        person_id=case.person_id,
        case_id=case.pk,
        detail={
            "organisation": organisation.slug,
            "responsible": responsible.username if responsible else None,
        },
    )
    return member


@transaction.atomic
def do_end_membership(case: Case, *, organisation: Organisation, acting_user: User) -> None:
    """End an organisation's membership today. It keeps only what it wrote (R1, R0)."""
    _require_manager(case, acting_user)
    if organisation.pk == case.lead_organisation_id:
        raise ValidationError({"organisation": "Hand the lead to another member before the lead organisation leaves."})
    updated = CaseMember.objects.filter(case=case, organisation=organisation, until__isnull=True).update(
        until=timezone.localdate()
    )
    if not updated:
        raise ValidationError({"organisation": "This organisation is not a member of the case."})
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="case_member",
        object_id=organisation.slug,
        person_id=case.person_id,
        case_id=case.pk,
        detail={"organisation": organisation.slug, "ended": timezone.localdate().isoformat()},
    )


def resolve_withholding(entries: list[str]) -> str:
    """Validate withhold-from entries (organisation types or slugs, optionally ``type:``/``org:``) and encode."""
    if len(entries) > 30:
        raise ValidationError({"withhold_from": "Name at most 30 organisations or types."})
    bad_types: list[str] = []
    slugs: set[str] = set()
    for entry in entries:
        if entry.startswith("type:"):
            if entry.removeprefix("type:") not in OrgType.values:
                bad_types.append(entry)
        elif entry.startswith("org:"):
            slugs.add(entry.removeprefix("org:"))
        elif entry not in OrgType.values:
            slugs.add(entry)
    known = set(Organisation.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = bad_types + sorted(slugs - known)
    if unknown:
        raise ValidationError({"withhold_from": f"Unknown organisation or type: {', '.join(unknown)}"})
    return encode_withholding(entries)


@transaction.atomic
def do_add_entry(
    case: Case,
    *,
    category: str,
    title: str,
    body: str = "",
    kind: str = EntryKind.NOTE,
    withhold_from: list[str] | None = None,
    statement: str = Statement.FACT,
    source: str = "",
    reliability: str = Reliability.UNKNOWN,
    attachments: list[UploadedFile] | None = None,
    acting_user: User,
) -> Entry:
    """Write a journal entry. The user's organisation must be a member with write access to the category."""
    if category not in Category.values:
        raise ValidationError({"category": "Unknown category."})
    if not engine.can_write(acting_user, case, category):
        raise PermissionDenied("Your organisation may not write this category on this case.")
    entry = Entry(
        person_id=case.person_id,
        case=case,
        category=category,
        kind=kind,
        title=title.strip(),
        body=body,
        author=acting_user,
        author_org=acting_user.organisation,
        withhold_from=resolve_withholding(withhold_from or []),
        statement=statement,
        source=source,
        reliability=reliability,
    )
    entry.full_clean()
    uploads = attachments or []
    # Every file is checked before anything is written: a bad second file must not leave the
    # first one on disk, where no transaction can roll it back.
    content_types = [check_upload(upload) for upload in uploads]
    entry.save(force_insert=True)
    stored: list[Attachment] = []
    try:
        for upload, content_type in zip(uploads, content_types, strict=True):
            stored.append(_attach(entry, upload, content_type))
        # Re-check after writing (NetBox): the author's organisation must see what it wrote.
        if not Entry.objects.visible_to(acting_user).filter(pk=entry.pk).exists():
            raise PermissionDenied("The entry would not be visible to its author.")
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="entry",
        object_id=entry.pk,
        person_id=case.person_id,
        case_id=case.pk,
        detail={
            "category": category,
            "kind": kind,
            "withhold_from": entry.withheld_from,
            "attachments": len(attachments or []),
        },
    )
    return entry


def _attach(entry: Entry, upload: UploadedFile, content_type: str) -> Attachment:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Attachment.objects.create(
        entry=entry,
        file=upload,
        original_name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
    )


# --- Continuity: custody, transfers, sentence, release conditions, legal status, hand-overs --------
#
# Custody episodes, transfers, sentences, release conditions and legal status changes are recorded by
# those who manage the case (``can_manage_case``), whatever the matrix's write column says for
# ``legal``: they describe the case's course, like its phase. Who reads them follows the matrix as
# for every record. They are never withheld (R4), so every organisation whose matrix row reads
# ``legal`` sees the whole custody history, and gaps about it can be shown without leaking anything.


def _check_prison(organisation: Organisation | None, field: str) -> Organisation:
    if organisation is None or organisation.type != OrgType.PRISON or not organisation.is_active:
        raise ValidationError({field: "Choose an active prison."})
    return organisation


def _check_unit_type(unit_type: str) -> None:
    if unit_type not in UnitType.values:
        raise ValidationError({"unit_type": "Unknown kind of unit."})


def _not_in_future(day: date | None, field: str, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{what} cannot be in the future."})


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("lead_organisation").get(pk=case.pk)


def _record_fields(case: Case, acting_user: User) -> dict[str, Any]:
    """What every case record written here shares: its person, case and author (R0)."""
    if acting_user.organisation is None:
        raise PermissionDenied("Only members of an organisation record case information.")
    return {"person_id": case.person_id, "case": case, "author": acting_user, "author_org": acting_user.organisation}


def _recheck_visible(model: type[Any], pk: Any, acting_user: User) -> None:
    """Re-check after writing (NetBox): the author's organisation must see what it wrote."""
    if not model.objects.visible_to(acting_user).filter(pk=pk).exists():
        raise PermissionDenied("The record would not be visible to its author.")


def _write_record(obj: Any, *, object_type: str, detail: dict[str, Any], acting_user: User) -> None:
    """Validate and insert a new case record, and audit its creation in the same transaction."""
    obj.full_clean()
    obj.save(force_insert=True)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type=object_type,
        object_id=obj.pk,
        person_id=obj.person_id,
        case_id=obj.case_id,
        detail=detail,
    )


def current_custody_episode(case: Case, *, lock: bool = False) -> CustodyEpisode | None:
    """The episode the person is in now (for actions; pages and the API read through ``visible_to``)."""
    episodes = CustodyEpisode.objects.filter(case=case, ended_on__isnull=True).select_related("facility")
    if lock:
        episodes = episodes.select_for_update(of=("self",))
    return episodes.order_by("-started_on", "-created_at").first()


def _join_team(case: Case, organisation: Organisation, *, acting_user: User, reason: str) -> None:
    """Make ``organisation`` a member (without a responsible practitioner: a gap until one is named)."""
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
        detail={"organisation": organisation.slug, "responsible": None, "reason": reason},
    )


def _leave_team(case: Case, organisation: Organisation, *, acting_user: User, reason: str) -> None:
    """End ``organisation``'s membership today: it keeps only what it wrote (R1, R0)."""
    today = timezone.localdate()
    if CaseMember.objects.filter(case=case, organisation=organisation, until__isnull=True).update(until=today):
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            object_type="case_member",
            object_id=organisation.slug,
            person_id=case.person_id,
            case_id=case.pk,
            detail={"organisation": organisation.slug, "ended": today.isoformat(), "reason": reason},
        )


# Phases a re-entry into prison brings the case back from.
_OUTSIDE_PRISON = frozenset({Phase.PROBATION, Phase.COMMUNITY, Phase.CLOSED})


@transaction.atomic
def do_start_custody_episode(
    case: Case,
    *,
    facility: Organisation,
    unit_type: str = UnitType.REGULAR,
    started_on: date,
    ended_on: date | None = None,
    acting_user: User,
) -> CustodyEpisode:
    """Record that the person is held in ``facility`` from ``started_on``.

    Re-entry into prison is a new episode on the existing case, never a new case: the case returns
    to the custody phase (kept in its phase history) and the prison joins the team. An episode with
    ``ended_on`` is history recorded afterwards: it changes neither the phase nor the team.
    """
    locked = _lock_case(case)
    _require_manager(locked, acting_user)
    _check_prison(facility, "facility")
    _check_unit_type(unit_type)
    _not_in_future(started_on, "started_on", "The start of custody")
    current = current_custody_episode(locked, lock=True)
    if ended_on is not None:
        _not_in_future(ended_on, "ended_on", "The end of custody")
        if ended_on < started_on:
            raise ValidationError({"ended_on": "Custody cannot end before it started."})
        if current is not None and ended_on > current.started_on:
            raise ValidationError({"ended_on": f"The current custody episode started on {current.started_on}."})
    elif current is not None:
        raise ValidationError(
            {"facility": f"The person is in custody at {current.facility.name} already. Record a transfer instead."}
        )
    last_end = (
        CustodyEpisode.objects.filter(case=locked, ended_on__isnull=False)
        .order_by("-ended_on")
        .values_list("ended_on", flat=True)
    ).first()
    if ended_on is None and last_end is not None and started_on < last_end:
        raise ValidationError({"started_on": f"The previous custody episode ended on {last_end:%Y-%m-%d}."})
    episode = CustodyEpisode(
        **_record_fields(locked, acting_user),
        category=Category.LEGAL,
        facility=facility,
        unit_type=unit_type,
        started_on=started_on,
        ended_on=ended_on,
    )
    _write_record(
        episode,
        object_type="custody_episode",
        detail={
            "facility": facility.slug,
            "unit_type": unit_type,
            "started_on": started_on.isoformat(),
            "ended_on": ended_on.isoformat() if ended_on else None,
        },
        acting_user=acting_user,
    )
    if ended_on is not None:
        _recheck_visible(CustodyEpisode, episode.pk, acting_user)
        return episode
    _join_team(locked, facility, acting_user=acting_user, reason="custody episode")
    if locked.phase in _OUTSIDE_PRISON:
        changes = {"phase": Phase.CUSTODY}
        before = apply_changes(locked, changes, version=None)
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            object_type="case",
            object_id=locked.pk,
            person_id=locked.person_id,
            case_id=locked.pk,
            detail={"changes": audited_diff(before, changes), "reason": "re-entry into prison"},
        )
        _record_phase_change(
            locked, before["phase"], Phase.CUSTODY, note=f"Back in custody at {facility.name}.", acting_user=acting_user
        )
    _recheck_visible(CustodyEpisode, episode.pk, acting_user)
    return episode


@transaction.atomic
def do_end_custody_episode(case: Case, *, episode_id: Any, ended_on: date, acting_user: User) -> CustodyEpisode:
    """Record the end of a custody episode (a release). The phase is changed separately, by the manager."""
    locked = _lock_case(case)
    episode = (
        CustodyEpisode.objects.select_for_update(of=("self",))
        .select_related("facility")
        .filter(case=locked, pk=episode_id, ended_on__isnull=True)
        .first()
    )
    if episode is None:
        raise ValidationError({"episode": "This custody episode has ended already or is not part of the case."})
    if not can_record_transfer(acting_user, locked, episode.facility_id):
        raise PermissionDenied("Only the case's managers or the prison holding the person end a custody episode.")
    _not_in_future(ended_on, "ended_on", "The end of custody")
    if ended_on < episode.started_on:
        raise ValidationError({"ended_on": "Custody cannot end before it started."})
    episode.ended_on = ended_on
    episode.save(update_fields=["ended_on"])
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="custody_episode",
        object_id=episode.pk,
        person_id=locked.person_id,
        case_id=locked.pk,
        detail={"ended_on": ended_on.isoformat()},
    )
    return episode


def _sending_prison(case: Case, acting_user: User) -> Organisation | None:
    """Without a recorded custody episode: the prison the person is most likely in (for the history)."""
    prisons = [
        m.organisation
        for m in CaseMember.objects.filter(case=case, until__isnull=True, organisation__type=OrgType.PRISON)
        .select_related("organisation")
        .order_by("since")
    ]
    for candidate in (acting_user.organisation_id, case.lead_organisation_id):
        match = next((o for o in prisons if o.pk == candidate), None)
        if match is not None:
            return match
    return prisons[0] if len(prisons) == 1 else None


@transaction.atomic
def do_transfer(
    case: Case,
    *,
    to_facility: Organisation,
    transferred_on: date,
    unit_type: str = UnitType.REGULAR,
    handover_note: str = "",
    acting_user: User,
) -> Transfer:
    """Transfer the person to another prison (or to another unit of the same prison).

    The current custody episode ends and a new one starts; the receiving prison becomes a member
    with no responsible practitioner yet (a gap until one is named), the sending prison's membership
    ends and it keeps only what it wrote (R1, R0). When the sending prison led the case, the lead
    passes to the receiving prison. Nothing of the history is deleted: the receiving prison reads the
    earlier journal and assessments per the matrix, so nothing starts over.
    """
    locked = _lock_case(case)
    current = current_custody_episode(locked, lock=True)
    if not can_record_transfer(acting_user, locked, current.facility_id if current else None):
        raise PermissionDenied(
            "Only the case's managers, or the case manager of the prison holding the person, record a transfer."
        )
    if locked.phase not in TRANSFER_PHASES:
        raise ValidationError(
            f"Only a person in custody can be transferred; this case is in the {locked.get_phase_display()} phase."
        )
    _check_prison(to_facility, "to_facility")
    _check_unit_type(unit_type)
    _not_in_future(transferred_on, "date", "The date of the transfer")
    if current is not None and transferred_on < current.started_on:
        raise ValidationError({"date": f"The current custody episode started on {current.started_on:%Y-%m-%d}."})
    from_facility = current.facility if current is not None else _sending_prison(locked, acting_user)
    same_place = current is not None and current.facility_id == to_facility.pk and current.unit_type == unit_type
    if same_place:
        raise ValidationError({"to_facility": "The person is on this unit of this prison already."})
    fields = _record_fields(locked, acting_user)
    if current is not None:
        current.ended_on = transferred_on
        current.save(update_fields=["ended_on"])
    episode = CustodyEpisode(
        **fields, category=Category.LEGAL, facility=to_facility, unit_type=unit_type, started_on=transferred_on
    )
    transfer = Transfer(
        **fields,
        category=Category.LEGAL,
        from_facility=from_facility,
        to_facility=to_facility,
        transferred_on=transferred_on,
        unit_type=unit_type,
        handover_note=handover_note.strip(),
    )
    episode.full_clean()
    transfer.full_clean()
    episode.save(force_insert=True)
    transfer.save(force_insert=True)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="transfer",
        object_id=transfer.pk,
        person_id=locked.person_id,
        case_id=locked.pk,
        detail={
            "from_facility": from_facility.slug if from_facility else None,
            "to_facility": to_facility.slug,
            "date": transferred_on.isoformat(),
            "unit_type": unit_type,
            "ended_episode": str(current.pk) if current else None,
            "new_episode": str(episode.pk),
        },
    )
    if from_facility is None or from_facility.pk != to_facility.pk:
        _join_team(locked, to_facility, acting_user=acting_user, reason="transfer")
        if from_facility is not None:
            if locked.lead_organisation_id == from_facility.pk:
                changes = {"lead_organisation": to_facility}
                before = apply_changes(locked, changes, version=None)
                record(
                    AuditAction.UPDATE,
                    actor=acting_user,
                    object_type="case",
                    object_id=locked.pk,
                    person_id=locked.person_id,
                    case_id=locked.pk,
                    detail={"changes": audited_diff(before, changes), "reason": "transfer"},
                )
            _leave_team(locked, from_facility, acting_user=acting_user, reason="transfer")
    _recheck_visible(Transfer, transfer.pk, acting_user)
    return transfer


def _require_open(case: Case) -> None:
    if case.phase == Phase.CLOSED:
        raise ValidationError("The case is closed.")


@transaction.atomic
def do_record_sentence(
    case: Case,
    *,
    imposed_on: date,
    starts_on: date,
    ends_on: date,
    earliest_release_on: date | None = None,
    acting_user: User,
) -> Sentence:
    """Record a sentence's dates (a later sentence is recorded as a new one; the history stays)."""
    locked = _lock_case(case)
    _require_manager(locked, acting_user)
    _require_open(locked)
    _not_in_future(imposed_on, "imposed_on", "The date the sentence was imposed")
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "The sentence must end after it starts."})
    if earliest_release_on is not None and not starts_on <= earliest_release_on <= ends_on:
        raise ValidationError({"earliest_release_on": "The earliest release must fall within the sentence."})
    sentence = Sentence(
        **_record_fields(locked, acting_user),
        category=Category.LEGAL,
        imposed_on=imposed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        earliest_release_on=earliest_release_on,
    )
    _write_record(sentence, object_type="sentence", detail={"ends_on": ends_on.isoformat()}, acting_user=acting_user)
    _recheck_visible(Sentence, sentence.pk, acting_user)
    return sentence


@transaction.atomic
def do_add_release_condition(
    case: Case,
    *,
    condition_type: str,
    details: str = "",
    valid_from: date,
    valid_until: date | None = None,
    acting_user: User,
) -> ReleaseCondition:
    """Record a condition of release (electronic monitoring, curfew, reporting, …) and its period."""
    locked = _lock_case(case)
    _require_manager(locked, acting_user)
    _require_open(locked)
    if condition_type not in ReleaseConditionType.values:
        raise ValidationError({"type": "Unknown kind of release condition."})
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": "A condition cannot end before it starts."})
    condition = ReleaseCondition(
        **_record_fields(locked, acting_user),
        category=Category.LEGAL,
        condition_type=condition_type,
        details=details.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    _write_record(condition, object_type="release_condition", detail={"type": condition_type}, acting_user=acting_user)
    _recheck_visible(ReleaseCondition, condition.pk, acting_user)
    return condition


@transaction.atomic
def do_change_legal_status(
    case: Case, *, legal_status: str, changed_on: date | None = None, note: str = "", acting_user: User
) -> LegalStatusChange:
    """Change the person's legal status (e.g. a deportation order) and keep the change in the history."""
    locked = _lock_case(case)
    _require_manager(locked, acting_user)
    if legal_status not in LegalStatus.values:
        raise ValidationError({"legal_status": "Unknown legal status."})
    changed_on = changed_on or timezone.localdate()
    _not_in_future(changed_on, "changed_on", "The date of the change")
    person = Person.objects.get(pk=locked.person_id)
    if person.legal_status == legal_status:
        raise ValidationError({"legal_status": "The person has this legal status already."})
    before = person.legal_status
    do_update_person(person, version=person.version, acting_user=acting_user, legal_status=legal_status)
    change = LegalStatusChange(
        **_record_fields(locked, acting_user),
        category=Category.LEGAL,
        from_status=before,
        to_status=legal_status,
        changed_on=changed_on,
        note=note.strip(),
    )
    _write_record(
        change, object_type="legal_status_change", detail={"from": before, "to": legal_status}, acting_user=acting_user
    )
    _recheck_visible(LegalStatusChange, change.pk, acting_user)
    return change


@transaction.atomic
def do_handover(case: Case, *, to_user: User, note: str, category: str = Category.PLAN, acting_user: User) -> Handover:
    """Hand responsibility for the case within the acting user's organisation to ``to_user``.

    The organisation's responsible practitioner becomes ``to_user``, who sees the hand-over summary
    on the case page until acknowledging it. The note is a case record of ``category`` (one the
    author's organisation may write), shared like any other record of that category.
    """
    organisation = acting_user.organisation
    member = (
        CaseMember.objects.select_for_update(of=("self",))
        .select_related("responsible")
        .filter(case=case, organisation=organisation, until__isnull=True)
        .first()
        if organisation is not None
        else None
    )
    if member is None or not can_hand_over(acting_user, member):
        raise PermissionDenied(
            "Only the responsible practitioner, or a coordinator or case manager of the organisation, hands over."
        )
    if category not in Category.values:
        raise ValidationError({"category": "Unknown category."})
    if not engine.can_write(acting_user, case, category):
        raise PermissionDenied("Your organisation may not write this category on this case.")
    if not note.strip():
        raise ValidationError({"note": "Write what the new practitioner needs to know."})
    if (
        to_user.organisation_id != member.organisation_id
        or not to_user.is_active
        or not engine.viewer_for(to_user).sees_content
    ):
        raise ValidationError({"to_user": "Hand over to an active practitioner of your own organisation."})
    if member.responsible_id == to_user.pk:
        raise ValidationError({"to_user": "This practitioner is responsible already."})
    previous = member.responsible
    handover = Handover(
        **_record_fields(case, acting_user),
        category=category,
        organisation=member.organisation,
        from_user=previous,
        to_user=to_user,
        note=note.strip(),
    )
    handover.full_clean()
    handover.save(force_insert=True)
    member.responsible = to_user
    member.save(update_fields=["responsible"])
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="handover",
        object_id=handover.pk,
        person_id=case.person_id,
        case_id=case.pk,
        detail={
            "organisation": member.organisation.slug,
            "from": previous.username if previous else None,
            "to": to_user.username,
            "category": category,
        },
    )
    _recheck_visible(Handover, handover.pk, acting_user)
    return handover


@transaction.atomic
def do_acknowledge_handover(handover: Handover, *, acting_user: User) -> Handover:
    """The new practitioner has read the hand-over summary; it is no longer shown. Idempotent."""
    if handover.to_user_id != acting_user.pk:
        raise PermissionDenied("Only the practitioner the case was handed to acknowledges the hand-over.")
    locked = Handover.objects.select_for_update(of=("self",)).get(pk=handover.pk)
    if locked.acknowledged_at is None:
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["acknowledged_at"])
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            object_type="handover",
            object_id=locked.pk,
            person_id=locked.person_id,
            case_id=locked.case_id,
            detail={"acknowledged": True},
        )
    handover.acknowledged_at = locked.acknowledged_at
    return handover
