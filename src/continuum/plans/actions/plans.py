"""Plans and their revisions, their summary, the person's agreement, and agreeing a plan."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import User
from continuum.audit.changes import apply_changes, check_version
from continuum.audit.models import AuditAction
from continuum.cases.models import Case
from continuum.plans.actions._common import (
    _audit,
    _author_fields,
    _case_of,
    _lock_plan,
    _recheck_visible,
    _require_draft,
    _require_plan_writer,
    _text,
)
from continuum.plans.choices import AgreementPosition, PlanStatus
from continuum.plans.models import Goal, Milestone, Plan
from continuum.sharing.choices import Category, Statement

PLAN_FIELDS = ("summary",)


def _next_revision(case: Case) -> int:
    return (Plan.objects.filter(case=case).aggregate(m=Max("revision"))["m"] or 0) + 1


def _current(case: Case, *, lock: bool = False) -> Plan | None:
    """The case's current plan (the newest revision not superseded), for actions; reads use ``access``."""
    plans = Plan.objects.filter(case=case).exclude(status=PlanStatus.SUPERSEDED)
    if lock:
        plans = plans.select_for_update(of=("self",))
    return plans.order_by("-revision").first()


def _lock_case(case: Case) -> Case:
    # Serialises the start of revisions on one case: two people starting one at once get one draft.
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


@transaction.atomic
def do_create_plan(case: Case, *, summary: str = "", acting_user: User) -> Plan:
    """Start the first plan of a case (revision 1, a draft)."""
    _require_plan_writer(case, acting_user)
    _lock_case(case)
    if Plan.objects.filter(case=case).exists():
        raise ValidationError(_("This case has a plan already: start a new revision of it instead."))
    plan = Plan.objects.create(
        **_author_fields(case, acting_user),
        category=Category.PLAN,
        statement=Statement.ASSESSMENT,
        revision=1,
        summary=_text(summary, "summary"),
    )
    _recheck_visible(Plan, plan.pk, acting_user)
    _audit(AuditAction.CREATE, plan, acting_user, {"revision": 1})
    return plan


@transaction.atomic
def do_start_plan_revision(case: Case, *, acting_user: User) -> Plan:
    """A new draft revision copied from the current plan, with its goals and open milestones.

    Only one draft at a time: while the current plan is a draft, it is refused. The first plan of a
    case is started by ``do_create_plan`` (this action does that when the case has none yet).
    Copies keep their authors, owners and withholdings: the plan is the team's, and what an author
    withheld from someone stays withheld in the new revision.
    """
    _require_plan_writer(case, acting_user)
    _lock_case(case)
    current = _current(case, lock=True)
    if current is None:
        return do_create_plan(case, acting_user=acting_user)
    if current.status == PlanStatus.DRAFT:
        raise ValidationError(
            _("Revision %(revision)s is still a draft: change that draft, or wait until it is agreed.")
            % {"revision": current.revision}
        )
    revision = _next_revision(case)
    plan = Plan.objects.create(
        **_author_fields(case, acting_user),
        category=Category.PLAN,
        statement=Statement.ASSESSMENT,
        revision=revision,
        summary=current.summary,
    )
    goals = list(Goal.objects.filter(plan=current).order_by("created_at", "pk"))
    milestones = list(
        Milestone.objects.filter(goal__plan=current, achieved_on__isnull=True).order_by("target_on", "pk")
    )
    copies: dict[Any, Goal] = {}
    for goal in goals:
        copy = Goal(
            **_copied_record_fields(goal),
            plan=plan,
            focus_area=goal.focus_area,
            description=goal.description,
            persons_own_words=goal.persons_own_words,
            owner_organisation_id=goal.owner_organisation_id,
            copied_from=goal,
        )
        copies[goal.pk] = copy
    Goal.objects.bulk_create(copies.values())
    Milestone.objects.bulk_create(
        [
            Milestone(
                **_copied_record_fields(m),
                goal=copies[m.goal_id],
                description=m.description,
                target_on=m.target_on,
                assigned_organisation_id=m.assigned_organisation_id,
                copied_from=m,
            )
            for m in milestones
        ]
    )
    _recheck_visible(Plan, plan.pk, acting_user)
    _audit(
        AuditAction.CREATE,
        plan,
        acting_user,
        {"revision": revision, "copied_from": str(current.pk), "goals": len(goals), "milestones": len(milestones)},
    )
    return plan


def _copied_record_fields(obj: Any) -> dict[str, Any]:
    """A copy keeps the record's person, case, category, author and withholding (R0, R4 carry over)."""
    return {
        "id": uuid.uuid4(),
        "person_id": obj.person_id,
        "case_id": obj.case_id,
        "category": obj.category,
        "author_id": obj.author_id,
        "author_org_id": obj.author_org_id,
        "withhold_from": obj.withhold_from,
        "statement": obj.statement,
        "source": obj.source,
        "reliability": obj.reliability,
    }


@transaction.atomic
def do_update_plan(plan: Plan, *, version: int, acting_user: User, **changes: Any) -> Plan:
    """Change a draft plan's summary; a stale ``version`` is refused (409) and nothing is written."""
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field cannot be changed here.")))
    locked = _lock_plan(plan)
    _require_plan_writer(_case_of(locked), acting_user)
    check_version(locked, version)
    _require_draft(locked)
    cleaned = {field: _text(value, field) for field, value in changes.items()}
    changed = list(apply_changes(locked, cleaned, version=version))
    if not changed:
        return locked
    _audit(AuditAction.UPDATE, locked, acting_user, {"changed": changed, "version": locked.version})
    return locked


@transaction.atomic
def do_record_agreement(
    plan: Plan,
    *,
    position: str,
    persons_words: str = "",
    reason: str = "",
    recorded_on: date | None = None,
    version: int | None = None,
    acting_user: User,
) -> Plan:
    """Record the person's own position on a draft plan, in their words (or why they could not answer).

    Recorded by a practitioner of a member organisation that writes the plan; ``could_not_answer``
    needs the reason. A later recording replaces the earlier one (the audit log keeps both).
    """
    locked = _lock_plan(plan)
    _require_plan_writer(_case_of(locked), acting_user)
    check_version(locked, version)
    _require_draft(locked)
    if position not in AgreementPosition.values:
        raise ValidationError(
            {"position": _("Choose one of %(values)s.") % {"values": ", ".join(AgreementPosition.values)}}
        )
    words = _text(persons_words, "persons_words")
    why = _text(reason, "reason")
    if position == AgreementPosition.COULD_NOT_ANSWER and not why:
        raise ValidationError({"reason": _("Say why the person could not answer.")})
    if position != AgreementPosition.COULD_NOT_ANSWER and not words:
        raise ValidationError({"persons_words": _("Write down what the person said, in their own words.")})
    day = recorded_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"recorded_on": _("The date cannot be in the future.")})
    locked.agreement_position = position
    locked.agreement_persons_words = words
    locked.agreement_reason = why
    locked.agreement_recorded_by = acting_user
    locked.agreement_recorded_on = day
    locked.version += 1
    locked.save(
        update_fields=[
            "agreement_position",
            "agreement_persons_words",
            "agreement_reason",
            "agreement_recorded_by",
            "agreement_recorded_on",
            "version",
        ]
    )
    _audit(AuditAction.UPDATE, locked, acting_user, {"agreement": position, "version": locked.version})
    return locked


@transaction.atomic
def do_agree_plan(plan: Plan, *, decision_id: uuid.UUID, acting_user: User | None) -> Plan:
    """Draft -> agreed, through an agreed decision of a case conference (the only way to agree a plan).

    Called by the conferences app once every participating member organisation agreed the decision
    (it checks that; this action records its id in ``agreed_through_decision``). Refuses a plan that
    is not the case's current draft. The case's previously agreed revision becomes superseded.
    """
    if not isinstance(decision_id, uuid.UUID):
        raise ValidationError({"decision_id": _("A conference decision's id is required.")})
    locked = _lock_plan(plan)
    current = _current(_case_of(locked), lock=True)
    if locked.status != PlanStatus.DRAFT or current is None or current.pk != locked.pk:
        raise ValidationError(_("Only the case's current draft plan can be agreed."))
    now = timezone.now()
    previous = list(
        Plan.objects.select_for_update(of=("self",)).filter(case=_case_of(locked), status=PlanStatus.AGREED)
    )
    for old in previous:
        old.status = PlanStatus.SUPERSEDED
        old.superseded_at = now
        old.save(update_fields=["status", "superseded_at"])
        _audit(AuditAction.UPDATE, old, acting_user, {"status": "superseded", "by_revision": locked.revision})
    locked.status = PlanStatus.AGREED
    locked.agreed_at = now
    locked.agreed_through_decision = decision_id
    locked.version += 1
    locked.save(update_fields=["status", "agreed_at", "agreed_through_decision", "version"])
    _audit(
        AuditAction.UPDATE,
        locked,
        acting_user,
        {"status": "agreed", "decision": str(decision_id), "superseded": [str(p.pk) for p in previous]},
    )
    return locked
