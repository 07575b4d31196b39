"""Every state change of release planning: the plan, its items, scenarios, condition reviews, the release;
after it, follow-ups (resettlement checks) and recalls or re-offending as recorded.

Each action is atomic, validates, writes and appends its audit event in the same transaction
(docs/architecture.md, "Rules every change follows"). Updates of versioned rows go through
``audit.changes``: a stale ``version`` is a 409, the old and new values are audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from continuum.accounts.choices import OrgType
from continuum.accounts.models import Organisation, User
from continuum.audit.changes import apply_changes, audited_diff, check_version
from continuum.audit.models import AuditAction
from continuum.cases.actions import do_leave_custody
from continuum.cases.models import Case, CaseMember, ReleaseCondition, Sentence

# The case-record helpers every domain app's actions share (plans is a layer below).
from continuum.plans.actions._common import _audit, _author_fields, _recheck_visible, _text
from continuum.sharing import engine
from continuum.sharing.choices import Category
from continuum.transition.choices import (
    NEEDS_REASON,
    OPEN,
    Accommodation,
    Domain,
    FamilyContact,
    ItemStatus,
    ReleaseType,
    ReoffendingKind,
    ReoffendingSource,
    ReviewOutcome,
    WorkOrEducation,
    domain_category,
)
from continuum.transition.models import (
    ConditionReview,
    ReleaseItem,
    ReleasePlan,
    ReoffendingRecord,
    ResettlementCheck,
    Scenario,
)
from continuum.transition.policy import (
    NEW_LEAD_PHASE,
    PLANNING_PHASES,
    RELEASE_PHASES,
    can_record_reoffending,
    can_record_resettlement_check,
    can_release,
    can_review_condition,
    can_update_item,
    can_write_release_plan,
)

PLAN_FIELDS = ("expected_release_on", "release_type", "destination_municipality")
ITEM_FIELDS = ("status", "owner_organisation", "due_on", "note")

# Who usually owns a domain, by organisation type, when such an organisation is on the team (a
# proposal the team changes freely): the municipality the material basis, probation its first
# appointment, the police its contact, the prison the gate and the legal status.
DEFAULT_OWNER_TYPES: dict[str, tuple[str, ...]] = {
    Domain.ACCOMMODATION: (OrgType.MUNICIPALITY,),
    Domain.FINANCE_BENEFITS: (OrgType.MUNICIPALITY,),
    Domain.ID_DOCUMENTS: (OrgType.MUNICIPALITY, OrgType.PRISON),
    Domain.BANK_ACCOUNT: (OrgType.MUNICIPALITY,),
    Domain.EDUCATION_WORK: (OrgType.MUNICIPALITY, OrgType.PROBATION),
    Domain.HEALTH: (OrgType.PRISON,),
    Domain.MENTAL_HEALTH: (OrgType.MENTAL_HEALTH, OrgType.PRISON),
    Domain.DRUGS_ALCOHOL: (OrgType.PROBATION,),
    Domain.FAMILY_CHILDREN: (OrgType.NGO_FAMILY, OrgType.CHILD_WELFARE, OrgType.MUNICIPALITY),
    Domain.FAITH_COMMUNITY: (OrgType.PRISON,),
    Domain.MENTOR: (OrgType.MENTORING, OrgType.NGO_EXIT),
    Domain.PROBATION_APPOINTMENT: (OrgType.PROBATION,),
    Domain.POLICE_CONTACT: (OrgType.POLICE,),
    Domain.GATE_PLAN: (OrgType.PRISON,),
    Domain.MEDIA_PLAN: (OrgType.PRISON, OrgType.CENTRAL_POINT),
    Domain.LEGAL_STATUS: (OrgType.PRISON,),
}


# --- shared checks ------------------------------------------------------------------------------------


def _check_release_type(value: str) -> str:
    if value not in ReleaseType.values:
        raise ValidationError(
            {
                "release_type": _("Unknown release type; choose one of %(values)s.")
                % {"values": ", ".join(ReleaseType.values)}
            }
        )
    return value


def _check_municipality(organisation: Organisation | None) -> Organisation | None:
    if organisation is not None and (organisation.type != OrgType.MUNICIPALITY or not organisation.is_active):
        raise ValidationError({"destination_municipality": _("Choose a municipality.")})
    return organisation


def _check_expected(day: date | None, case: Case) -> date:
    if day is None:
        raise ValidationError({"expected_release_on": _("Give the expected day of release.")})
    if day.year < 2000 or day.year > 2200:
        raise ValidationError({"expected_release_on": _("Give a real date.")})
    return day


def _check_owner(case: Case, organisation: Organisation | None) -> Organisation | None:
    if organisation is not None and (
        not organisation.is_active or not engine.is_current_member(organisation.pk, case.pk)
    ):
        raise ValidationError({"owner_organisation": _("Choose an organisation that takes part in this case.")})
    return organisation


def proposed_release_date(case: Case, user: User) -> date | None:
    """The sentence's earliest release, else its end (as far as the user may read the sentence)."""
    sentence = Sentence.objects.visible_to(user).filter(case=case).order_by("-imposed_on", "-created_at").first()
    if sentence is None:
        return None
    return sentence.earliest_release_on or sentence.ends_on


def _default_owners(case: Case) -> dict[str, Organisation]:
    members = [
        m.organisation
        for m in CaseMember.objects.filter(case=case, until__isnull=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("since")
    ]
    owners: dict[str, Organisation] = {}
    for domain, types in DEFAULT_OWNER_TYPES.items():
        for org_type in types:
            match = next((o for o in members if o.type == org_type), None)
            if match is not None:
                owners[domain] = match
                break
    return owners


# --- the release plan ---------------------------------------------------------------------------------


@transaction.atomic
def do_create_release_plan(
    case: Case,
    *,
    expected_release_on: date | None = None,
    release_type: str = ReleaseType.END_OF_SENTENCE,
    destination_municipality: Organisation | None = None,
    acting_user: User,
) -> ReleasePlan:
    """Begin the case's release plan: one item per domain, each ``not_started``, owners proposed from the team.

    Without ``expected_release_on`` the sentence's earliest release (else its end) is taken.
    """
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not can_write_release_plan(acting_user, locked):
        raise PermissionDenied(_("Your organisation may not write the plan of this case."))
    if locked.phase not in PLANNING_PHASES:
        raise ValidationError(
            _("A release plan is made for a person in custody or after release; this case is in the %(phase)s phase.")
            % {"phase": locked.get_phase_display()}
        )
    if ReleasePlan.objects.filter(case=locked).exists():
        raise ValidationError(_("This case has a release plan already."))
    if expected_release_on is None:
        expected_release_on = proposed_release_date(locked, acting_user)
    plan = ReleasePlan.objects.create(
        **_author_fields(locked, acting_user),
        category=Category.PLAN,
        expected_release_on=_check_expected(expected_release_on, locked),
        release_type=_check_release_type(release_type),
        destination_municipality=_check_municipality(destination_municipality),
    )
    owners = _default_owners(locked)
    fields = _author_fields(locked, acting_user)
    ReleaseItem.objects.bulk_create(
        [
            ReleaseItem(
                **fields,
                category=domain_category(domain),
                plan=plan,
                domain=domain,
                owner_organisation=owners.get(domain),
            )
            for domain in Domain.values
        ]
    )
    _recheck_visible(ReleasePlan, plan.pk, acting_user)
    _audit(
        AuditAction.CREATE,
        plan,
        acting_user,
        {
            "expected_release_on": plan.expected_release_on.isoformat(),
            "release_type": plan.release_type,
            "destination_municipality": plan.destination_municipality.slug if plan.destination_municipality else None,
            "items": len(Domain.values),
        },
    )
    return plan


def _lock_plan(plan: ReleasePlan) -> ReleasePlan:
    return ReleasePlan.objects.select_for_update(of=("self",)).select_related("case").get(pk=plan.pk)


@transaction.atomic
def do_update_release_plan(
    plan: ReleasePlan, *, version: int | None = None, acting_user: User, **changes: Any
) -> ReleasePlan:
    """Change the expected day, the release type or the destination; a stale ``version`` is a 409."""
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field cannot be changed here.")))
    locked = _lock_plan(plan)
    case = locked.case
    if case is None or not can_write_release_plan(acting_user, case):
        raise PermissionDenied(_("Your organisation may not write the plan of this case."))
    check_version(locked, version)
    if locked.is_released:
        raise ValidationError(_("The person has been released: the plan's date and type no longer change."))
    cleaned: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "expected_release_on":
            cleaned[field] = _check_expected(value, case)
        elif field == "release_type":
            cleaned[field] = _check_release_type(value)
        else:
            cleaned[field] = _check_municipality(value)
    before = apply_changes(locked, cleaned, version=version)
    if before:
        _audit(AuditAction.UPDATE, locked, acting_user, {"changes": audited_diff(before, cleaned, ReleasePlan)})
    return locked


# --- items --------------------------------------------------------------------------------------------


@transaction.atomic
def do_update_release_item(
    item: ReleaseItem, *, version: int | None = None, acting_user: User, **changes: Any
) -> ReleaseItem:
    """Change an item's status, owner, due date or note; declining support or marking it not needed
    needs a note saying why. A stale ``version`` is a 409."""
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field cannot be changed here.")))
    locked = ReleaseItem.objects.select_for_update(of=("self",)).select_related("case", "plan").get(pk=item.pk)
    case = locked.case
    if case is None or not can_update_item(acting_user, case, locked):
        raise PermissionDenied(_("Only the organisation that owns this item, or one that writes it, changes it."))
    check_version(locked, version)
    cleaned: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "status":
            if value not in ItemStatus.values:
                raise ValidationError(
                    {
                        "status": _("Unknown status; choose one of %(values)s.")
                        % {"values": ", ".join(ItemStatus.values)}
                    }
                )
            cleaned[field] = value
        elif field == "owner_organisation":
            cleaned[field] = _check_owner(case, value)
        elif field == "due_on":
            if value is not None and (value.year < 2000 or value.year > 2200):
                raise ValidationError({"due_on": _("Give a real date.")})
            cleaned[field] = value
        else:
            cleaned[field] = _text(value, "note")
    status = cleaned.get("status", locked.status)
    # Declining support or marking it not needed is a decision: its reason comes with it, in the same
    # change (the note written for an earlier status is not a reason for this one).
    reason = cleaned.get("note", "") if status != locked.status else cleaned.get("note", locked.note)
    if status in NEEDS_REASON and not reason:
        raise ValidationError({"note": _("Say why: support declined or not needed is a decision to account for.")})
    before = apply_changes(locked, cleaned, version=version)
    if not before:
        return locked
    locked.updated_at = timezone.now()
    locked.updated_by = acting_user
    locked.save(update_fields=["updated_at", "updated_by"])
    shown = {field: value for field, value in before.items() if field != "note"}
    detail: dict[str, Any] = {"domain": locked.domain, "changes": audited_diff(shown, cleaned, ReleaseItem)}
    if "note" in before:
        detail["note_changed"] = True
    _audit(AuditAction.UPDATE, locked, acting_user, detail)
    return locked


# --- scenarios ----------------------------------------------------------------------------------------


@transaction.atomic
def do_record_scenario(
    case: Case,
    *,
    scenario: str,
    persons_expected_reaction: str,
    coping_strategy: str = "",
    support_contact: str = "",
    discussed_on: date,
    acting_user: User,
) -> Scenario:
    """Record a situation after release that was talked through with the person, in their words."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not can_write_release_plan(acting_user, locked):
        raise PermissionDenied(_("Your organisation may not write the plan of this case."))
    plan = ReleasePlan.objects.filter(case=locked).first()
    if plan is None:
        raise ValidationError(_("Begin the release plan first: scenarios are part of it."))
    if discussed_on > timezone.localdate():
        raise ValidationError({"discussed_on": _("Record a scenario once it has been discussed.")})
    if discussed_on.year < 2000:
        raise ValidationError({"discussed_on": _("Give a real date.")})
    row = Scenario.objects.create(
        **_author_fields(locked, acting_user),
        category=Category.PLAN,
        plan=plan,
        scenario=_text(scenario, "scenario", required=True),
        persons_expected_reaction=_text(persons_expected_reaction, "persons_expected_reaction", required=True),
        coping_strategy=_text(coping_strategy, "coping_strategy"),
        support_contact=_text(support_contact, "support_contact", limit=200),
        discussed_on=discussed_on,
    )
    _recheck_visible(Scenario, row.pk, acting_user)
    _audit(AuditAction.CREATE, row, acting_user, {"plan": str(plan.pk), "discussed_on": discussed_on.isoformat()})
    return row


# --- release conditions -------------------------------------------------------------------------------


@transaction.atomic
def do_review_condition(
    condition: ReleaseCondition,
    *,
    reviewed_on: date,
    outcome: str,
    note: str,
    new_valid_until: date | None = None,
    next_review_on: date | None = None,
    acting_user: User,
) -> ConditionReview:
    """Record a review of a release condition: kept, relaxed, tightened or lifted, and the next review."""
    case = condition.case
    if case is None:
        raise ValidationError(_("This record belongs to no case."))
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not can_review_condition(acting_user, locked):
        raise PermissionDenied(_("Only the case's managers and probation review release conditions."))
    if outcome not in ReviewOutcome.values:
        raise ValidationError(
            {"outcome": _("Unknown outcome; choose one of %(values)s.") % {"values": ", ".join(ReviewOutcome.values)}}
        )
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("Record a review once it has taken place.")})
    if reviewed_on < condition.valid_from:
        raise ValidationError({"reviewed_on": _("A condition cannot be reviewed before it starts.")})
    if new_valid_until is not None and new_valid_until < condition.valid_from:
        raise ValidationError({"new_valid_until": _("A condition cannot end before it starts.")})
    if outcome == ReviewOutcome.LIFTED:
        new_valid_until = reviewed_on
        next_review_on = None
    if next_review_on is not None and next_review_on <= reviewed_on:
        raise ValidationError({"next_review_on": _("The next review comes after this one.")})
    review = ConditionReview.objects.create(
        **_author_fields(locked, acting_user),
        category=condition.category,
        condition=condition,
        reviewed_on=reviewed_on,
        outcome=outcome,
        note=_text(note, "note", required=True),
        new_valid_until=new_valid_until,
        next_review_on=next_review_on,
    )
    _recheck_visible(ConditionReview, review.pk, acting_user)
    _audit(
        AuditAction.CREATE,
        review,
        acting_user,
        {
            "condition": str(condition.pk),
            "outcome": outcome,
            "new_valid_until": new_valid_until.isoformat() if new_valid_until else None,
            "next_review_on": next_review_on.isoformat() if next_review_on else None,
        },
    )
    return review


# --- the release ----------------------------------------------------------------------------------------


@transaction.atomic
def do_release(
    case: Case,
    *,
    released_on: date,
    lead_organisation: Organisation,
    responsible: User | None = None,
    handover_note: str = "",
    acting_user: User,
) -> ReleasePlan:
    """The release, in one recorded step: the case moves to probation (or the community) under its new
    lead, the prison's membership ends, the plan and its open milestones and interventions carry on,
    the hand-over is recorded, and the release plan says when and to whom (begun here if there was none).
    """
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not can_release(acting_user, locked):
        raise PermissionDenied(_("Only the lead organisation's coordinator or case manager records the release."))
    if locked.phase not in RELEASE_PHASES:
        raise ValidationError(
            _("Only a person in custody or before release can be released; this case is in the %(phase)s phase.")
            % {"phase": locked.get_phase_display()}
        )
    phase = NEW_LEAD_PHASE.get(OrgType(lead_organisation.type))
    if phase is None:
        raise ValidationError(
            {"lead_organisation": _("After release the case is led by probation or by the municipality.")}
        )
    plan = ReleasePlan.objects.select_for_update(of=("self",)).filter(case=locked).first()
    if plan is None:
        # Begun here so that the release is recorded on it (the prison still writes the plan now).
        plan = _lock_plan(do_create_release_plan(locked, expected_release_on=released_on, acting_user=acting_user))
    if plan.is_released:
        raise ValidationError(_("The release is recorded already."))
    open_items = list(ReleaseItem.objects.filter(plan=plan, status__in=OPEN).values_list("domain", flat=True))
    note = _text(handover_note, "handover_note")
    if not note:
        note = _("Released on %(day)s.") % {"day": date_format(released_on, "DATE_FORMAT")}
        if open_items:
            note += " " + _("Still open in the release plan: %(domains)s.") % {
                "domains": ", ".join(str(Domain(d).label).lower() for d in open_items)
            }
    handover = do_leave_custody(
        locked,
        released_on=released_on,
        lead_organisation=lead_organisation,
        phase=phase,
        responsible=responsible,
        handover_note=note,
        acting_user=acting_user,
    )
    plan.released_on = released_on
    plan.released_to = lead_organisation
    plan.released_by = acting_user
    plan.version += 1
    plan.save(update_fields=["released_on", "released_to", "released_by", "version"])
    _audit(
        AuditAction.UPDATE,
        plan,
        acting_user,
        {
            "released_on": released_on.isoformat(),
            "lead_organisation": lead_organisation.slug,
            "phase": phase,
            "open_domains": open_items,
            "handover": str(handover.pk) if handover else None,
        },
    )
    return plan


@transaction.atomic
def do_record_earlier_release(
    case: Case, *, released_on: date, released_to: Organisation, acting_user: User
) -> ReleasePlan:
    """Record on the release plan a release that took place before the plan was kept in Continuum
    (a case taken on after the gate). Nothing of the case changes: it is past the gate already."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not can_release(acting_user, locked):
        raise PermissionDenied(_("Only the lead organisation's coordinator or case manager records the release."))
    if locked.phase not in NEW_LEAD_PHASE.values():
        raise ValidationError(_("Only a case past the gate (probation or community) records an earlier release."))
    plan = ReleasePlan.objects.select_for_update(of=("self",)).filter(case=locked).first()
    if plan is None:
        raise ValidationError(_("Begin the release plan first."))
    if plan.is_released:
        raise ValidationError(_("The release is recorded already."))
    if released_on > timezone.localdate():
        raise ValidationError({"released_on": _("Record the release on the day it happens, not before.")})
    plan.released_on = released_on
    plan.released_to = released_to
    plan.released_by = acting_user
    plan.version += 1
    plan.save(update_fields=["released_on", "released_to", "released_by", "version"])
    _audit(
        AuditAction.UPDATE,
        plan,
        acting_user,
        {"released_on": released_on.isoformat(), "lead_organisation": released_to.slug, "earlier_release": True},
    )
    return plan


# --- after release: follow-ups, recalls and re-offending as recorded (issue 17) --------------------------


def _check_choice(value: str, field: str, choices: type[Any]) -> str:
    if value not in choices.values:
        raise ValidationError(
            {field: _("Unknown value; choose one of %(values)s.") % {"values": ", ".join(choices.values)}}
        )
    return value


def _check_past(day: date | None, field: str, future: str) -> date:
    if day is None:
        raise ValidationError({field: _("Give the date.")})
    if day.year < 2000:
        raise ValidationError({field: _("Give a real date.")})
    if day > timezone.localdate():
        raise ValidationError({field: future})
    return day


@transaction.atomic
def do_record_resettlement_check(
    case: Case,
    *,
    checked_on: date,
    accommodation: str,
    work_or_education: str,
    family_contact: str,
    note: str = "",
    acting_user: User,
) -> ResettlementCheck:
    """Record a follow-up after release on the case's released release plan: where the person lives,
    work or education, and family contact (coded values; "not known" where the team does not know)."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not can_record_resettlement_check(acting_user, locked):
        raise PermissionDenied(_("Your organisation may not write the plan of this case."))
    plan = ReleasePlan.objects.filter(case=locked).first()
    if plan is None or plan.released_on is None:
        raise ValidationError(_("A follow-up after release is recorded once the release is recorded on the plan."))
    checked_on = _check_past(checked_on, "checked_on", _("Record a follow-up once it has taken place."))
    if checked_on < plan.released_on:
        raise ValidationError({"checked_on": _("A follow-up after release comes on or after the day of release.")})
    row = ResettlementCheck.objects.create(
        **_author_fields(locked, acting_user),
        category=Category.PLAN,
        plan=plan,
        checked_on=checked_on,
        accommodation=_check_choice(accommodation, "accommodation", Accommodation),
        work_or_education=_check_choice(work_or_education, "work_or_education", WorkOrEducation),
        family_contact=_check_choice(family_contact, "family_contact", FamilyContact),
        note=_text(note, "note"),
    )
    _recheck_visible(ResettlementCheck, row.pk, acting_user)
    _audit(
        AuditAction.CREATE,
        row,
        acting_user,
        {
            "plan": str(plan.pk),
            "checked_on": checked_on.isoformat(),
            "months_after_release": _months_between(plan.released_on, checked_on),
            "accommodation": row.accommodation,
            "work_or_education": row.work_or_education,
            "family_contact": row.family_contact,
        },
    )
    return row


def _months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (a follow-up's distance from the release)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


@transaction.atomic
def do_record_reoffending(
    case: Case,
    *,
    kind: str,
    occurred_on: date,
    source: str,
    source_reference: str = "",
    note: str = "",
    acting_user: User,
) -> ReoffendingRecord:
    """Record a recall to prison, a new charge or a new conviction as its source reported it, with the
    source and its reference. Any case may have one, released or not; it changes nothing else of the
    case (a recall's new custody is recorded as custody, by the prison)."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not can_record_reoffending(acting_user, locked):
        raise PermissionDenied(_("Only members that write the case's legal records record a recall or re-offending."))
    row = ReoffendingRecord.objects.create(
        **_author_fields(locked, acting_user),
        category=Category.LEGAL,
        kind=_check_choice(kind, "kind", ReoffendingKind),
        occurred_on=_check_past(occurred_on, "occurred_on", _("Record what happened once it has happened.")),
        source=_check_choice(source, "source", ReoffendingSource),
        source_reference=_text(source_reference, "source_reference", limit=200),
        note=_text(note, "note"),
    )
    _recheck_visible(ReoffendingRecord, row.pk, acting_user)
    _audit(
        AuditAction.CREATE,
        row,
        acting_user,
        {"kind": row.kind, "occurred_on": row.occurred_on.isoformat(), "source": row.source},
    )
    return row
