"""Interventions of a plan and their sessions."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.actions import resolve_withholding
from continuum.cases.models import Case
from continuum.plans.actions._common import (
    _audit,
    _author_fields,
    _case_of,
    _check_member_organisation,
    _recheck_visible,
    _text,
)
from continuum.plans.choices import (
    INTERVENTION_CATEGORY,
    InterventionStatus,
    InterventionType,
    ParentingApproach,
    SessionKind,
)
from continuum.plans.models import GroupProgramme, Intervention, InterventionSession
from continuum.plans.policy import can_write_intervention
from continuum.sharing.choices import Category


def intervention_category(intervention_type: str, chosen: str = "") -> str:
    """The category an intervention of this type is filed under (``other``: the author's choice)."""
    if intervention_type not in InterventionType.values:
        raise ValidationError(
            {"type": _("Unknown type; choose one of %(values)s.") % {"values": ", ".join(InterventionType.values)}}
        )
    if intervention_type == InterventionType.OTHER:
        if chosen not in Category.values:
            raise ValidationError({"category": _("For another kind of intervention, choose its category.")})
        return chosen
    return INTERVENTION_CATEGORY[intervention_type]


@transaction.atomic
def do_add_intervention(
    case: Case,
    *,
    type: str,
    provider_organisation: Organisation | None,
    practitioner: User | None = None,
    voluntary: bool = True,
    starts_on: date,
    frequency: str = "",
    category: str = "",
    approach: str = "",
    withhold_from: list[str] | None = None,
    group: GroupProgramme | None = None,
    acting_user: User,
) -> Intervention:
    """Record an intervention the person takes part in; filed under the category its type implies.

    ``approach`` (attachment-based, a parenting course, other) is for parenting support only.
    """
    chosen = intervention_category(type, category)
    approach = approach or ""
    if approach and type != InterventionType.PARENTING_SUPPORT:
        raise ValidationError({"approach": _("An approach is recorded for parenting support only.")})
    if approach and approach not in ParentingApproach.values:
        raise ValidationError(
            {"approach": _("Choose one of %(values)s.") % {"values": ", ".join(ParentingApproach.values)}}
        )
    if not can_write_intervention(acting_user, case, chosen):
        raise PermissionDenied(
            _("Your organisation may not write records of this kind on this case: %(category)s.")
            % {"category": Category(chosen).label}
        )
    provider = _check_member_organisation(case, provider_organisation, "provider_organisation")
    if practitioner is not None and (practitioner.organisation_id != provider.pk or not practitioner.is_active):
        raise ValidationError({"practitioner": _("The practitioner must be an active user of the provider.")})
    if not isinstance(starts_on, date):
        raise ValidationError({"starts_on": _("Give the date it starts.")})
    intervention = Intervention.objects.create(
        **_author_fields(case, acting_user),
        category=chosen,
        withhold_from=resolve_withholding(withhold_from or []),
        type=type,
        provider_organisation=provider,
        practitioner=practitioner,
        voluntary=bool(voluntary),
        starts_on=starts_on,
        frequency=_text(frequency, "frequency", limit=100),
        approach=approach,
        group=group,
    )
    _recheck_visible(Intervention, intervention.pk, acting_user)
    _audit(
        AuditAction.CREATE,
        intervention,
        acting_user,
        {
            "type": type,
            "category": chosen,
            "provider": provider.slug,
            "voluntary": intervention.voluntary,
            **({"approach": approach} if approach else {}),
            **({"group": str(group.pk)} if group is not None else {}),
        },
    )
    return intervention


def _lock_intervention(intervention: Intervention, acting_user: User) -> Intervention:
    locked = Intervention.objects.select_for_update(of=("self",)).select_related("case").get(pk=intervention.pk)
    if not can_write_intervention(acting_user, _case_of(locked), locked.category):
        raise PermissionDenied(_("Your organisation may not record this intervention's sessions."))
    return locked


@transaction.atomic
def do_record_session(
    intervention: Intervention,
    *,
    held_on: date,
    attended: bool,
    note: str = "",
    video_feedback: bool = False,
    assignment: str = "",
    acting_user: User,
) -> InterventionSession:
    """One session of an intervention and whether the person attended; for a participant of a group
    programme, an individual interview the person asked for (the group's sessions are recorded per
    group session: ``do_record_attendance``).

    For parenting support also whether video feedback on how the child reacted to the parent was
    discussed, and the assignment agreed for before the next session; refused for other types.
    """
    locked = _lock_intervention(intervention, acting_user)
    if locked.type != InterventionType.PARENTING_SUPPORT:
        wrong = {}
        if video_feedback:
            wrong["video_feedback"] = _("Video feedback is recorded for parenting support only.")
        if (assignment or "").strip():
            wrong["assignment"] = _("An assignment is recorded for parenting support only.")
        if wrong:
            raise ValidationError(wrong)
    if not isinstance(held_on, date):
        raise ValidationError({"held_on": _("Give the date of the session.")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A session cannot be recorded before it is held.")})
    if held_on < locked.starts_on:
        raise ValidationError({"held_on": _("The session is before the intervention started.")})
    if locked.ends_on is not None and held_on > locked.ends_on:
        raise ValidationError({"held_on": _("The session is after the intervention ended.")})
    session = InterventionSession.objects.create(
        intervention=locked,
        held_on=held_on,
        attended=bool(attended),
        note=_text(note, "note"),
        video_feedback=bool(video_feedback),
        assignment=_text(assignment, "assignment"),
        kind=SessionKind.INDIVIDUAL_INTERVIEW if locked.group_id else SessionKind.SESSION,
        recorded_by=acting_user,
    )
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="intervention_session",
        object_id=session.pk,
        person_id=locked.person_id,
        case_id=locked.case_id,
        detail={
            "intervention": str(locked.pk),
            "held_on": held_on.isoformat(),
            "attended": session.attended,
            "kind": session.kind,
            **({"video_feedback": True} if session.video_feedback else {}),
        },
    )
    return session


@transaction.atomic
def do_end_intervention(
    intervention: Intervention, *, ends_on: date, outcome_note: str = "", acting_user: User
) -> Intervention:
    """End an intervention on a date, with a note on how it went."""
    locked = _lock_intervention(intervention, acting_user)
    if locked.status == InterventionStatus.ENDED:
        raise ValidationError(_("This intervention has ended already."))
    if not isinstance(ends_on, date):
        raise ValidationError({"ends_on": _("Give the date it ended.")})
    if ends_on < locked.starts_on:
        raise ValidationError({"ends_on": _("It cannot end before it started.")})
    locked.ends_on = ends_on
    locked.status = InterventionStatus.ENDED
    locked.outcome_note = _text(outcome_note, "outcome_note")
    locked.save(update_fields=["ends_on", "status", "outcome_note"])
    _audit(AuditAction.UPDATE, locked, acting_user, {"status": "ended", "ends_on": ends_on.isoformat()})
    return locked
