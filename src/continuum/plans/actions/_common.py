"""What the plan actions share: locking, who writes a plan, the draft rule, text and owners."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.cases.models import Case
from continuum.plans.choices import FocusArea, PlanStatus
from continuum.plans.models import Plan
from continuum.plans.policy import can_write_plan
from continuum.sharing import engine

MAX_TEXT = 5000


def _author_fields(case: Case, acting_user: User) -> dict[str, Any]:
    if acting_user.organisation is None:
        raise PermissionDenied(_("Only members of an organisation record case information."))
    return {"person_id": case.person_id, "case": case, "author": acting_user, "author_org": acting_user.organisation}


def _recheck_visible(model: type[Any], pk: Any, acting_user: User) -> None:
    """Re-check after writing (NetBox): the author's organisation must see what it wrote."""
    if not model.objects.visible_to(acting_user).filter(pk=pk).exists():
        raise PermissionDenied(_("The record would not be visible to its author."))


def _audit(action: str, obj: Any, acting_user: User | None, detail: dict[str, Any]) -> None:
    record(
        action,
        actor=acting_user,
        object_type=obj.record_type,
        object_id=obj.pk,
        person_id=obj.person_id,
        case_id=obj.case_id,
        detail=detail,
    )


def _case_of(obj: Any) -> Case:
    """Plans, goals and milestones always belong to a case (the base allows person-level records)."""
    case = obj.case
    if case is None:
        raise ValidationError(_("This record belongs to no case."))
    return case


def _require_plan_writer(case: Case, acting_user: User) -> None:
    if not can_write_plan(acting_user, case):
        raise PermissionDenied(_("Your organisation may not write the plan of this case."))


def _lock_plan(plan: Plan) -> Plan:
    return Plan.objects.select_for_update(of=("self",)).select_related("case").get(pk=plan.pk)


def _require_draft(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        if plan.status == PlanStatus.AGREED:
            text = _(
                "Revision %(revision)s of the plan is agreed and cannot change: start a new revision to change it."
            )
        else:
            text = _(
                "Revision %(revision)s of the plan is superseded and cannot change: start a new revision to change it."
            )
        raise ValidationError(text % {"revision": plan.revision})


def _text(value: str, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("Write at most %(limit)s characters.") % {"limit": limit}})
    return value


def _check_member_organisation(case: Case, organisation: Organisation | None, field: str) -> Organisation:
    if organisation is None or not organisation.is_active or not engine.is_current_member(organisation.pk, case.pk):
        raise ValidationError({field: _("Choose an organisation that takes part in this case.")})
    return organisation


def _check_focus_area(focus_area: str) -> None:
    if focus_area not in FocusArea.values:
        raise ValidationError(
            {"focus_area": _("Unknown focus area; choose one of %(values)s.") % {"values": ", ".join(FocusArea.values)}}
        )
