"""The case team: organisations joining and leaving a case, and their responsible practitioners."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.choices import OrgType
from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.actions._common import _check_responsible, _require_manager
from continuum.cases.models import Case, CaseMember
from continuum.sharing import engine


@transaction.atomic
def do_add_member(
    case: Case, *, organisation: Organisation, responsible: User | None = None, acting_user: User
) -> CaseMember:
    """Add an organisation to the case team (or name its responsible practitioner anew)."""
    _require_manager(case, acting_user)
    if organisation.type == OrgType.RESEARCH or not organisation.is_active:
        raise ValidationError({"organisation": _("Research organisations never take part in cases (R9).")})
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
        raise ValidationError(
            {"organisation": _("Hand the lead to another member before the lead organisation leaves.")}
        )
    updated = CaseMember.objects.filter(case=case, organisation=organisation, until__isnull=True).update(
        until=timezone.localdate()
    )
    if not updated:
        raise ValidationError({"organisation": _("This organisation is not a member of the case.")})
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="case_member",
        object_id=organisation.slug,
        person_id=case.person_id,
        case_id=case.pk,
        detail={"organisation": organisation.slug, "ended": timezone.localdate().isoformat()},
    )


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
