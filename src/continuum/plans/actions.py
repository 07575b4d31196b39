"""Plans, goals, milestones, the person's agreement, and interventions with their sessions (issue 6).

Every action is atomic, validates before it writes, re-checks that the author's organisation sees
what it wrote, and writes its audit event in the same transaction. Agreed and superseded plans
never change: a change is a new revision (``do_start_plan_revision``). A plan becomes agreed only
through ``do_agree_plan``, which the conferences app calls for an agreed decision; no page or API
call of this app sets a plan to agreed.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from continuum.accounts.models import Organisation, User
from continuum.audit.changes import apply_changes, check_version
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.actions import resolve_withholding
from continuum.cases.models import Case
from continuum.plans.choices import (
    INTERVENTION_CATEGORY,
    AgreementPosition,
    FocusArea,
    InterventionStatus,
    InterventionType,
    PlanStatus,
)
from continuum.plans.models import Goal, Intervention, InterventionSession, Milestone, Plan
from continuum.plans.policy import can_write_intervention, can_write_plan
from continuum.sharing import engine
from continuum.sharing.choices import Category, Statement

MAX_TEXT = 5000
PLAN_FIELDS = ("summary",)
GOAL_FIELDS = ("focus_area", "description", "persons_own_words", "owner_organisation")


# --- shared ------------------------------------------------------------------------------------------------


def _author_fields(case: Case, acting_user: User) -> dict[str, Any]:
    if acting_user.organisation is None:
        raise PermissionDenied("Only members of an organisation record case information.")
    return {"person_id": case.person_id, "case": case, "author": acting_user, "author_org": acting_user.organisation}


def _recheck_visible(model: type[Any], pk: Any, acting_user: User) -> None:
    """Re-check after writing (NetBox): the author's organisation must see what it wrote."""
    if not model.objects.visible_to(acting_user).filter(pk=pk).exists():
        raise PermissionDenied("The record would not be visible to its author.")


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
        raise ValidationError("This record belongs to no case.")
    return case


def _require_plan_writer(case: Case, acting_user: User) -> None:
    if not can_write_plan(acting_user, case):
        raise PermissionDenied("Your organisation may not write the plan of this case.")


def _lock_plan(plan: Plan) -> Plan:
    return Plan.objects.select_for_update(of=("self",)).select_related("case").get(pk=plan.pk)


def _require_draft(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            f"Revision {plan.revision} of the plan is {plan.get_status_display().lower()} and cannot change: "
            "start a new revision to change it."
        )


def _text(value: str, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: "This field is required."})
    if len(value) > limit:
        raise ValidationError({field: f"Write at most {limit} characters."})
    return value


def _check_member_organisation(case: Case, organisation: Organisation | None, field: str) -> Organisation:
    if organisation is None or not organisation.is_active or not engine.is_current_member(organisation.pk, case.pk):
        raise ValidationError({field: "Choose an organisation that takes part in this case."})
    return organisation


def _check_focus_area(focus_area: str) -> None:
    if focus_area not in FocusArea.values:
        raise ValidationError({"focus_area": f"Unknown focus area; choose one of {', '.join(FocusArea.values)}."})


# --- plans ---------------------------------------------------------------------------------------------------


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
        raise ValidationError("This case has a plan already: start a new revision of it instead.")
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
            f"Revision {current.revision} is still a draft: change that draft, or wait until it is agreed."
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
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
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
        raise ValidationError({"position": f"Choose one of {', '.join(AgreementPosition.values)}."})
    words = _text(persons_words, "persons_words")
    why = _text(reason, "reason")
    if position == AgreementPosition.COULD_NOT_ANSWER and not why:
        raise ValidationError({"reason": "Say why the person could not answer."})
    if position != AgreementPosition.COULD_NOT_ANSWER and not words:
        raise ValidationError({"persons_words": "Write down what the person said, in their own words."})
    day = recorded_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"recorded_on": "The date cannot be in the future."})
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
        raise ValidationError({"decision_id": "A conference decision's id is required."})
    locked = _lock_plan(plan)
    current = _current(_case_of(locked), lock=True)
    if locked.status != PlanStatus.DRAFT or current is None or current.pk != locked.pk:
        raise ValidationError("Only the case's current draft plan can be agreed.")
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


# --- goals and milestones --------------------------------------------------------------------------------------


@transaction.atomic
def do_add_goal(
    plan: Plan,
    *,
    focus_area: str,
    description: str,
    persons_own_words: str = "",
    owner_organisation: Organisation | None,
    withhold_from: list[str] | None = None,
    acting_user: User,
) -> Goal:
    """Add a goal in one MAR focus area to a draft plan, with the person's own words and an owner."""
    locked = _lock_plan(plan)
    case = _case_of(locked)
    _require_plan_writer(case, acting_user)
    _require_draft(locked)
    _check_focus_area(focus_area)
    goal = Goal.objects.create(
        **_author_fields(case, acting_user),
        category=Category.PLAN,
        withhold_from=resolve_withholding(withhold_from or []),
        plan=locked,
        focus_area=focus_area,
        description=_text(description, "description", required=True),
        persons_own_words=_text(persons_own_words, "persons_own_words"),
        owner_organisation=_check_member_organisation(case, owner_organisation, "owner_organisation"),
    )
    _recheck_visible(Goal, goal.pk, acting_user)
    _audit(
        AuditAction.CREATE,
        goal,
        acting_user,
        {"plan": str(locked.pk), "focus_area": focus_area, "owner": goal.owner_organisation.slug},
    )
    return goal


def _lock_goal(goal: Goal) -> Goal:
    return Goal.objects.select_for_update(of=("self",)).select_related("plan", "case").get(pk=goal.pk)


@transaction.atomic
def do_update_goal(goal: Goal, *, version: int | None = None, acting_user: User, **changes: Any) -> Goal:
    """Change a goal of a draft plan; with ``version``, a stale one is refused (409)."""
    unknown = set(changes) - set(GOAL_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    locked = _lock_goal(goal)
    _require_plan_writer(_case_of(locked), acting_user)
    check_version(locked, version)
    _require_draft(locked.plan)
    cleaned: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "focus_area":
            _check_focus_area(value)
            cleaned[field] = value
        elif field == "owner_organisation":
            cleaned[field] = _check_member_organisation(_case_of(locked), value, field)
        else:
            cleaned[field] = _text(value, field, required=field == "description")
    changed = list(apply_changes(locked, cleaned, version=version))
    if not changed:
        return locked
    _audit(AuditAction.UPDATE, locked, acting_user, {"changed": changed})
    return locked


@transaction.atomic
def do_remove_goal(goal: Goal, *, acting_user: User) -> None:
    """Remove a goal (and its milestones) from a draft plan; an agreed plan keeps its goals."""
    locked = _lock_goal(goal)
    _require_plan_writer(_case_of(locked), acting_user)
    _require_draft(locked.plan)
    milestones = list(Milestone.objects.filter(goal=locked).values_list("pk", flat=True))
    _audit(AuditAction.DELETE, locked, acting_user, {"plan": str(locked.plan_id), "milestones": len(milestones)})
    Milestone.objects.filter(pk__in=milestones).delete()
    locked.delete()


@transaction.atomic
def do_add_milestone(
    goal: Goal,
    *,
    description: str,
    target_on: date,
    assigned_organisation: Organisation | None = None,
    acting_user: User,
) -> Milestone:
    """A small, dated step towards a goal of a draft plan; optionally assigned to one member organisation.

    A milestone is withheld from whomever its goal is withheld from (R4).
    """
    locked = _lock_goal(goal)
    case = _case_of(locked)
    _require_plan_writer(case, acting_user)
    _require_draft(locked.plan)
    if not isinstance(target_on, date):
        raise ValidationError({"target_on": "Give the date this step should be reached by."})
    if assigned_organisation is not None:
        _check_member_organisation(case, assigned_organisation, "assigned_organisation")
    milestone = Milestone.objects.create(
        **_author_fields(case, acting_user),
        category=Category.PLAN,
        withhold_from=locked.withhold_from,
        goal=locked,
        description=_text(description, "description", required=True, limit=1000),
        target_on=target_on,
        assigned_organisation=assigned_organisation,
    )
    _recheck_visible(Milestone, milestone.pk, acting_user)
    detail = {"goal": str(locked.pk), "target_on": target_on.isoformat()}
    if assigned_organisation is not None:
        detail["assigned_organisation"] = assigned_organisation.slug
    _audit(AuditAction.CREATE, milestone, acting_user, detail)
    return milestone


@transaction.atomic
def do_achieve_milestone(milestone: Milestone, *, achieved_on: date, note: str = "", acting_user: User) -> Milestone:
    """Mark a milestone achieved on a date, with a note.

    Progress is not a change of the plan: milestones of the agreed plan are achieved too (not those
    of a superseded one). When a draft revision holds a copy of the milestone, the copy is achieved
    with it, so the next revision does not ask for it again.
    """
    locked = Milestone.objects.select_for_update(of=("self",)).select_related("goal__plan", "case").get(pk=milestone.pk)
    _require_plan_writer(_case_of(locked), acting_user)
    if locked.goal.plan.status == PlanStatus.SUPERSEDED:
        raise ValidationError("This milestone belongs to a superseded revision of the plan.")
    if locked.achieved_on is not None:
        raise ValidationError("This milestone is already achieved.")
    if not isinstance(achieved_on, date):
        raise ValidationError({"achieved_on": "Give the date it was achieved."})
    if achieved_on > timezone.localdate():
        raise ValidationError({"achieved_on": "The date cannot be in the future."})
    text = _text(note, "note")
    copies = list(
        Milestone.objects.select_for_update(of=("self",)).filter(
            copied_from=locked, achieved_on__isnull=True, goal__plan__status=PlanStatus.DRAFT
        )
    )
    for milestone_ in [locked, *copies]:
        milestone_.achieved_on = achieved_on
        milestone_.note = text
        milestone_.save(update_fields=["achieved_on", "note"])
        _audit(AuditAction.UPDATE, milestone_, acting_user, {"achieved_on": achieved_on.isoformat()})
    return locked


# --- interventions ---------------------------------------------------------------------------------------------------


def intervention_category(intervention_type: str, chosen: str = "") -> str:
    """The category an intervention of this type is filed under (``other``: the author's choice)."""
    if intervention_type not in InterventionType.values:
        raise ValidationError({"type": f"Unknown type; choose one of {', '.join(InterventionType.values)}."})
    if intervention_type == InterventionType.OTHER:
        if chosen not in Category.values:
            raise ValidationError({"category": "For another kind of intervention, choose its category."})
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
    withhold_from: list[str] | None = None,
    acting_user: User,
) -> Intervention:
    """Record an intervention the person takes part in; filed under the category its type implies."""
    chosen = intervention_category(type, category)
    if not can_write_intervention(acting_user, case, chosen):
        raise PermissionDenied(
            f"Your organisation may not write {Category(chosen).label.lower()} records on this case."
        )
    provider = _check_member_organisation(case, provider_organisation, "provider_organisation")
    if practitioner is not None and (practitioner.organisation_id != provider.pk or not practitioner.is_active):
        raise ValidationError({"practitioner": "The practitioner must be an active user of the provider."})
    if not isinstance(starts_on, date):
        raise ValidationError({"starts_on": "Give the date it starts."})
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
    )
    _recheck_visible(Intervention, intervention.pk, acting_user)
    _audit(
        AuditAction.CREATE,
        intervention,
        acting_user,
        {"type": type, "category": chosen, "provider": provider.slug, "voluntary": intervention.voluntary},
    )
    return intervention


def _lock_intervention(intervention: Intervention, acting_user: User) -> Intervention:
    locked = Intervention.objects.select_for_update(of=("self",)).select_related("case").get(pk=intervention.pk)
    if not can_write_intervention(acting_user, _case_of(locked), locked.category):
        raise PermissionDenied("Your organisation may not record this intervention's sessions.")
    return locked


@transaction.atomic
def do_record_session(
    intervention: Intervention, *, held_on: date, attended: bool, note: str = "", acting_user: User
) -> InterventionSession:
    """One session of an intervention and whether the person attended."""
    locked = _lock_intervention(intervention, acting_user)
    if not isinstance(held_on, date):
        raise ValidationError({"held_on": "Give the date of the session."})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "A session cannot be recorded before it is held."})
    if held_on < locked.starts_on:
        raise ValidationError({"held_on": "The session is before the intervention started."})
    if locked.ends_on is not None and held_on > locked.ends_on:
        raise ValidationError({"held_on": "The session is after the intervention ended."})
    session = InterventionSession.objects.create(
        intervention=locked,
        held_on=held_on,
        attended=bool(attended),
        note=_text(note, "note"),
        recorded_by=acting_user,
    )
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="intervention_session",
        object_id=session.pk,
        person_id=locked.person_id,
        case_id=locked.case_id,
        detail={"intervention": str(locked.pk), "held_on": held_on.isoformat(), "attended": session.attended},
    )
    return session


@transaction.atomic
def do_end_intervention(
    intervention: Intervention, *, ends_on: date, outcome_note: str = "", acting_user: User
) -> Intervention:
    """End an intervention on a date, with a note on how it went."""
    locked = _lock_intervention(intervention, acting_user)
    if locked.status == InterventionStatus.ENDED:
        raise ValidationError("This intervention has ended already.")
    if not isinstance(ends_on, date):
        raise ValidationError({"ends_on": "Give the date it ended."})
    if ends_on < locked.starts_on:
        raise ValidationError({"ends_on": "It cannot end before it started."})
    locked.ends_on = ends_on
    locked.status = InterventionStatus.ENDED
    locked.outcome_note = _text(outcome_note, "outcome_note")
    locked.save(update_fields=["ends_on", "status", "outcome_note"])
    _audit(AuditAction.UPDATE, locked, acting_user, {"status": "ended", "ends_on": ends_on.isoformat()})
    return locked
