"""Opening a case and changing its phase, trial date or lead organisation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User
from continuum.audit.changes import apply_changes, audited_diff, check_version
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.actions._common import _check_responsible, _record_phase_change, _require_manager
from continuum.cases.choices import Phase
from continuum.cases.models import Case, CaseMember
from continuum.cases.policy import can_open_cases, organisations_that_can_lead
from continuum.people.models import Person
from continuum.sharing import engine

CASE_FIELDS = ("phase", "trial_concluded_on", "lead_organisation")


def _next_case_number() -> str:
    year = timezone.localdate().year
    prefix = f"{year}-"
    last = Case.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    sequence = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


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
        raise PermissionDenied(_("Your role cannot open cases."))
    if not organisations_that_can_lead().filter(pk=lead_organisation.pk).exists():
        raise ValidationError({"lead_organisation": _("This organisation cannot lead a case.")})
    if phase not in Phase.values or phase == Phase.CLOSED:
        raise ValidationError({"phase": _("Choose the phase the case starts in.")})
    if responsible is None and acting_user.organisation_id == lead_organisation.pk:
        responsible = acting_user
    _check_responsible(lead_organisation, responsible)
    _refuse_second_open_case(person, acting_user)
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
            _refuse_second_open_case(person, acting_user)  # or the same person: one open case each
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


def _refuse_second_open_case(person: Person, acting_user: User, *, other_than: Any = None) -> None:
    """One open case per person (also a database constraint): the team works on the one record."""
    open_cases = Case.objects.filter(person=person).exclude(phase=Phase.CLOSED).exclude(pk=other_than)
    existing = open_cases.first()
    if existing is None:
        return
    if Case.objects.visible_to(acting_user).filter(pk=existing.pk).exists():
        message = _("This person's case %(number)s is still open: work on it, or close it first.") % {
            "number": existing.number
        }
    else:
        message = _(
            "This person already has an open case that your organisation is not part of: ask the national "
            "central point to add your organisation to it."
        )
    raise ValidationError({"person": message})


@transaction.atomic
def do_update_case(case: Case, *, version: int, acting_user: User, phase_note: str = "", **changes: Any) -> Case:
    """Change phase, trial date or lead organisation; a stale ``version`` is refused (409).

    A change of phase is kept in the case's phase history (``PhaseChange``), with ``phase_note``.
    """
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field cannot be changed here.")))
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    _require_manager(locked, acting_user)
    check_version(locked, version)
    if "phase" in changes and changes["phase"] not in Phase.values:
        raise ValidationError({"phase": _("Unknown phase.")})
    if locked.phase == Phase.CLOSED and changes.get("phase", Phase.CLOSED) != Phase.CLOSED:
        _refuse_second_open_case(locked.person, acting_user, other_than=locked.pk)
    if "lead_organisation" in changes and not engine.is_current_member(changes["lead_organisation"].pk, case.pk):
        raise ValidationError({"lead_organisation": _("The new lead organisation must be a member of the case.")})
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
        detail={"changes": audited_diff(before, changes, Case)},
    )
    if "phase" in before:
        _record_phase_change(locked, before["phase"], changes["phase"], note=phase_note, acting_user=acting_user)
    return locked
