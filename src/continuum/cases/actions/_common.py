"""What the case actions share: who manages a case, locking it, and writing case records."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User
from continuum.audit.changes import apply_changes, audited_diff
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.models import Case, PhaseChange
from continuum.cases.policy import can_manage_case


def _check_responsible(organisation: Organisation, responsible: User | None) -> None:
    if responsible is not None and (responsible.organisation_id != organisation.pk or not responsible.is_active):
        raise ValidationError(
            {"responsible": _("The responsible practitioner must be an active user of that organisation.")}
        )


def _require_manager(case: Case, acting_user: User) -> None:
    if not can_manage_case(acting_user, case):
        raise PermissionDenied(_("Only the lead organisation's coordinator or case manager changes this case."))


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


def _not_in_future(day: date | None, field: str, message: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: message})


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("lead_organisation").get(pk=case.pk)


def _record_fields(case: Case, acting_user: User) -> dict[str, Any]:
    """What every case record written here shares: its person, case and author (R0)."""
    if acting_user.organisation is None:
        raise PermissionDenied(_("Only members of an organisation record case information."))
    return {"person_id": case.person_id, "case": case, "author": acting_user, "author_org": acting_user.organisation}


def _recheck_visible(model: type[Any], pk: Any, acting_user: User) -> None:
    """Re-check after writing (NetBox): the author's organisation must see what it wrote."""
    if not model.objects.visible_to(acting_user).filter(pk=pk).exists():
        raise PermissionDenied(_("The record would not be visible to its author."))


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


def _change_case(case: Case, changes: dict[str, Any], *, acting_user: User | None, reason: str) -> dict[str, Any]:
    """Change fields of the locked case as a consequence of another record (a re-entry, a transfer).

    No version is checked: the caller changed something else. The audit event names ``reason``.
    Returns the old values of the fields that changed.
    """
    before = apply_changes(case, changes, version=None)
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="case",
        object_id=case.pk,
        person_id=case.person_id,
        case_id=case.pk,
        detail={"changes": audited_diff(before, changes, Case), "reason": reason},
    )
    return before
