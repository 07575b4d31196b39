"""Hand-overs of responsibility for a case within an organisation, and their acknowledgement."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.actions._common import _recheck_visible, _record_fields
from continuum.cases.models import Case, CaseMember, Handover
from continuum.cases.policy import can_hand_over
from continuum.sharing import engine
from continuum.sharing.choices import Category


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
            _("Only the responsible practitioner, or a coordinator or case manager of the organisation, hands over.")
        )
    if category not in Category.values:
        raise ValidationError({"category": _("Unknown category.")})
    if not engine.can_write(acting_user, case, category):
        raise PermissionDenied(_("Your organisation may not write this category on this case."))
    if not note.strip():
        raise ValidationError({"note": _("Write what the new practitioner needs to know.")})
    if (
        to_user.organisation_id != member.organisation_id
        or not to_user.is_active
        or not engine.viewer_for(to_user).sees_content
    ):
        raise ValidationError({"to_user": _("Hand over to an active practitioner of your own organisation.")})
    if member.responsible_id == to_user.pk:
        raise ValidationError({"to_user": _("This practitioner is responsible already.")})
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
        raise PermissionDenied(_("Only the practitioner the case was handed to acknowledges the hand-over."))
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
