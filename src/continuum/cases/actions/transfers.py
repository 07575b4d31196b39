"""Transfers of the person from one prison (or unit) to another."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from continuum.accounts.choices import OrgType
from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.actions._common import (
    _change_case,
    _check_responsible,
    _lock_case,
    _not_in_future,
    _recheck_visible,
    _record_fields,
    _record_phase_change,
)
from continuum.cases.actions.continuity import _check_prison, _check_unit_type, current_custody_episode
from continuum.cases.actions.team import _join_team, _leave_team
from continuum.cases.choices import TRANSFER_PHASES, Phase, UnitType
from continuum.cases.models import Case, CaseMember, CustodyEpisode, Handover, Transfer
from continuum.cases.policy import can_manage_case, can_record_transfer
from continuum.sharing.choices import Category


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
            _("Only the case's managers, or the case manager of the prison holding the person, record a transfer.")
        )
    if locked.phase not in TRANSFER_PHASES:
        raise ValidationError(
            _("Only a person in custody can be transferred; this case is in the %(phase)s phase.")
            % {"phase": locked.get_phase_display()}
        )
    _check_prison(to_facility, "to_facility")
    _check_unit_type(unit_type)
    _not_in_future(transferred_on, "date", _("The date of the transfer cannot be in the future."))
    if current is not None and transferred_on < current.started_on:
        raise ValidationError(
            {
                "date": _("The current custody episode started on %(day)s.")
                % {"day": date_format(current.started_on, "DATE_FORMAT")}
            }
        )
    from_facility = current.facility if current is not None else _sending_prison(locked, acting_user)
    same_place = current is not None and current.facility_id == to_facility.pk and current.unit_type == unit_type
    if same_place:
        raise ValidationError({"to_facility": _("The person is on this unit of this prison already.")})
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
                _change_case(locked, {"lead_organisation": to_facility}, acting_user=acting_user, reason="transfer")
            _leave_team(locked, from_facility, acting_user=acting_user, reason="transfer")
    _recheck_visible(Transfer, transfer.pk, acting_user)
    return transfer


@transaction.atomic
def do_leave_custody(
    case: Case,
    *,
    released_on: date,
    lead_organisation: Organisation,
    phase: str,
    responsible: User | None = None,
    handover_note: str = "",
    acting_user: User,
) -> Handover | None:
    """The case's side of a release at the gate (``transition.actions.do_release`` records the rest).

    In one transaction: the current custody episode ends on ``released_on``; ``lead_organisation``
    joins (with ``responsible``, or keeping the practitioner it has) and takes the lead; the phase
    changes to ``phase`` (kept in the phase history); every prison's membership ends (each keeps what
    it wrote, R0/R1); the other members stay, and the plan, its milestones and interventions carry on
    untouched. When the new lead has a responsible practitioner, the hand-over to them is recorded
    (a ``Handover`` of the new lead, category ``plan``), shown on the case page until acknowledged.
    Returns that hand-over, or None.
    """
    locked = _lock_case(case)
    if not can_manage_case(acting_user, locked):
        raise PermissionDenied(_("Only the lead organisation's coordinator or case manager records the release."))
    if locked.phase not in (Phase.CUSTODY, Phase.PRE_RELEASE):
        raise ValidationError(
            _("Only a person in custody or before release can be released; this case is in the %(phase)s phase.")
            % {"phase": locked.get_phase_display()}
        )
    if phase not in (Phase.PROBATION, Phase.COMMUNITY):
        raise ValidationError({"phase": _("After release a case is in the probation or the community phase.")})
    if not lead_organisation.is_active or lead_organisation.type == OrgType.PRISON:
        raise ValidationError({"lead_organisation": _("Choose the organisation that takes the case over outside.")})
    _check_responsible(lead_organisation, responsible)
    _not_in_future(released_on, "released_on", _("Record the release on the day it happens, not before."))
    current = current_custody_episode(locked, lock=True)
    if current is not None and released_on < current.started_on:
        raise ValidationError(
            {
                "released_on": _("The current custody episode started on %(day)s.")
                % {"day": date_format(current.started_on, "DATE_FORMAT")}
            }
        )
    if current is not None:
        current.ended_on = released_on
        current.save(update_fields=["ended_on"])
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            object_type="custody_episode",
            object_id=current.pk,
            person_id=locked.person_id,
            case_id=locked.pk,
            detail={"ended_on": released_on.isoformat(), "reason": "release"},
        )
    _join_team(locked, lead_organisation, acting_user=acting_user, reason="release")
    member = CaseMember.objects.select_for_update(of=("self",)).get(
        case=locked, organisation=lead_organisation, until__isnull=True
    )
    previous_responsible = member.responsible
    if responsible is not None and member.responsible_id != responsible.pk:
        member.responsible = responsible
        member.save(update_fields=["responsible"])
    before = _change_case(
        locked, {"lead_organisation": lead_organisation, "phase": phase}, acting_user=acting_user, reason="release"
    )
    if "phase" in before:
        _record_phase_change(locked, before["phase"], phase, note=_("Released"), acting_user=acting_user)
    prisons = CaseMember.objects.filter(case=locked, until__isnull=True, organisation__type=OrgType.PRISON)
    for prison in [m.organisation for m in prisons.select_related("organisation")]:
        _leave_team(locked, prison, acting_user=acting_user, reason="release")
    handover = None
    to_user = member.responsible
    if to_user is not None and acting_user.organisation_id is not None:
        handover = Handover(
            **_record_fields(locked, acting_user),
            category=Category.PLAN,
            organisation=lead_organisation,
            from_user=previous_responsible if previous_responsible != to_user else None,
            to_user=to_user,
            note=handover_note.strip() or _("Released on %(day)s.") % {"day": date_format(released_on, "DATE_FORMAT")},
        )
        handover.full_clean()
        handover.save(force_insert=True)
        record(
            AuditAction.CREATE,
            actor=acting_user,
            object_type="handover",
            object_id=handover.pk,
            person_id=locked.person_id,
            case_id=locked.pk,
            detail={"organisation": lead_organisation.slug, "to": to_user.username, "reason": "release"},
        )
    return handover
