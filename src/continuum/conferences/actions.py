"""Scheduling conferences, attendance, decisions by consensus, positions, actions and minutes (issue 6);
cancelling one meeting of a series and the secret calendar link (issue 12).

Every state change goes through one of these actions: atomic, validating, writing, re-checking what
was written, and appending its audit event in the same transaction (STYLE.md 2). Views, the API, the
demo seeder and the tests call them.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User, hash_token_key
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.models import Case, CaseMember
from continuum.conferences.access import participant_ids, required_organisations
from continuum.conferences.choices import ConferenceKind, DecisionStatus, PositionChoice, Recurrence
from continuum.conferences.consensus import consensus_status
from continuum.conferences.models import (
    Attendance,
    CalendarFeed,
    CancelledOccurrence,
    Conference,
    ConferenceAction,
    Decision,
    Minutes,
    Position,
)
from continuum.conferences.policy import (
    can_cancel_occurrence,
    can_complete_action,
    can_schedule_conferences,
    can_write_general_minutes,
    can_write_on_case,
    takes_part,
    uses_conferences,
)
from continuum.plans.actions import do_agree_plan
from continuum.plans.choices import PlanStatus
from continuum.plans.models import Plan
from continuum.sharing.choices import Category

MAX_TEXT = 10_000
MIN_DURATION, MAX_DURATION = 15, 600


def _text(errors: dict[str, str], field: str, value: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = _("This field is required.")
    elif len(value) > limit:
        errors[field] = _("Keep it under %(limit)s characters.") % {"limit": limit}
    return value


def _recheck_visible(model: type[Any], pk: Any, acting_user: User) -> None:
    """Re-check after writing (NetBox): the author's organisation must see what it wrote."""
    if not model.objects.visible_to(acting_user).filter(pk=pk).exists():
        raise PermissionDenied(_("The record would not be visible to its author."))


def _record_fields(case: Case, acting_user: User) -> dict[str, Any]:
    return {"person_id": case.person_id, "case": case, "author": acting_user, "author_org": acting_user.organisation}


def _write_case_record(obj: Any, *, object_type: str, detail: dict[str, Any], acting_user: User) -> None:
    """Validate and insert a new decision, action or minutes, re-check that its author sees it, and
    audit its creation in the same transaction."""
    obj.full_clean()
    obj.save(force_insert=True)
    _recheck_visible(type(obj), obj.pk, acting_user)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type=object_type,
        object_id=obj.pk,
        person_id=obj.person_id,
        case_id=obj.case_id,
        detail=detail,
    )


# --- scheduling -------------------------------------------------------------------------------------------


@transaction.atomic
def do_schedule_conference(
    *,
    kind: str,
    title: str,
    scheduled_at: datetime,
    chair_organisation: Organisation | str,
    cases: Sequence[Case | Any],
    participants: Sequence[Organisation | str],
    duration_minutes: int = 60,
    location: str = "",
    recurrence: str = Recurrence.NONE,
    attendees: Sequence[User] = (),
    acting_user: User,
) -> Conference:
    """Schedule a conference (or a recurring series) about cases the scheduler can see.

    Every participating organisation must be a current member of at least one case on the agenda; a
    participant sees of each case only what it may see (a case it is not a member of: nothing). The
    scheduler's organisation always takes part, and so does the chair's.
    """
    if not can_schedule_conferences(acting_user):
        raise PermissionDenied(_("Only coordinators and case managers of organisations that hold conferences do this."))
    errors: dict[str, str] = {}
    if kind not in ConferenceKind.values:
        errors["kind"] = _("Choose one of: %(values)s.") % {"values": ", ".join(ConferenceKind.values)}
    title = _text(errors, "title", title, limit=200)
    location = _text(errors, "location", location, required=False, limit=200)
    if recurrence not in Recurrence.values:
        errors["recurrence"] = _("Choose one of: %(values)s.") % {"values": ", ".join(Recurrence.values)}
    if not isinstance(scheduled_at, datetime) or timezone.is_naive(scheduled_at):
        errors["scheduled_at"] = _("Give a date and time with its time zone.")
    if not isinstance(duration_minutes, int) or not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        errors["duration_minutes"] = _("A conference lasts between %(min)s and %(max)s minutes.") % {
            "min": MIN_DURATION,
            "max": MAX_DURATION,
        }

    case_ids = {c.pk if isinstance(c, Case) else c for c in cases}
    # A case the scheduler may not see is answered like one that does not exist (R12).
    agenda = list(Case.objects.visible_to(acting_user).filter(pk__in=case_ids)) if case_ids else []
    if not case_ids:
        errors["cases"] = _("Put at least one case on the agenda.")
    elif len(agenda) != len(case_ids):
        errors["cases"] = _("Unknown case.")

    slugs = {p.slug if isinstance(p, Organisation) else str(p) for p in participants}
    chair_slug = chair_organisation.slug if isinstance(chair_organisation, Organisation) else str(chair_organisation)
    own = acting_user.organisation
    assert own is not None  # noqa: S101  (can_schedule_conferences checked it)
    slugs |= {own.slug, chair_slug}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs, is_active=True)}
    unknown = sorted(slugs - set(organisations))
    if unknown:
        field = "chair_organisation" if unknown == [chair_slug] else "participants"
        errors[field] = _("Unknown organisation: %(slugs)s.") % {"slugs": ", ".join(unknown)}
    elif agenda:
        members = set(
            CaseMember.objects.filter(case__in=agenda, until__isnull=True).values_list("organisation_id", flat=True)
        )
        outside = sorted(o.name for o in organisations.values() if o.pk not in members)
        if outside:
            errors["participants"] = _(
                "Not a member of any case on the agenda: %(organisations)s. "
                "Add the organisation to the case team first."
            ) % {"organisations": ", ".join(outside)}
    attendee_list = list(attendees)
    if any(u.organisation_id not in {o.pk for o in organisations.values()} for u in attendee_list):
        errors["attendees"] = _("Named attendees must work for a participating organisation.")
    if errors:
        raise ValidationError(errors)

    conference = Conference(
        kind=kind,
        title=title,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        location=location,
        recurrence=recurrence,
        chair_organisation=organisations[chair_slug],
        created_by=acting_user,
    )
    conference.full_clean()
    conference.save(force_insert=True)
    conference.participants.set(organisations.values())
    conference.cases.set(agenda)
    for user in {u.pk: u for u in [acting_user, *attendee_list]}.values():
        Attendance.objects.create(conference=conference, user=user)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="conference",
        object_id=conference.pk,
        detail={
            "kind": kind,
            "scheduled_at": scheduled_at.isoformat(),
            "recurrence": recurrence,
            "chair": chair_slug,
            "participants": sorted(organisations),
            "cases": sorted(str(c.pk) for c in agenda),
        },
    )
    return conference


@transaction.atomic
def do_record_attendance(
    conference: Conference, *, present: bool | None, acknowledge_confidentiality: bool, acting_user: User
) -> Attendance:
    """The user records their own attendance and acknowledges confidentiality (which cannot be taken back)."""
    if not takes_part(acting_user, participant_ids(conference)):
        raise PermissionDenied(_("Your organisation does not take part in this conference."))
    attendance, _created = Attendance.objects.select_for_update().get_or_create(conference=conference, user=acting_user)
    changed: list[str] = []
    if present is not None and attendance.present != present:
        attendance.present = present
        changed.append("present")
    if acknowledge_confidentiality and attendance.acknowledged_at is None:
        attendance.acknowledged_at = timezone.now()
        changed.append("acknowledged_at")
    if changed:
        attendance.recorded_at = timezone.now()
        attendance.save(update_fields=[*changed, "recorded_at"])
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            object_type="attendance",
            object_id=conference.pk,
            detail={"present": attendance.present, "acknowledged_confidentiality": bool(attendance.acknowledged_at)},
        )
    return attendance


def has_acknowledged(user: Any, conference: Conference) -> bool:
    return Attendance.objects.filter(conference=conference, user=user, acknowledged_at__isnull=False).exists()


# --- decisions and positions ------------------------------------------------------------------------------


def _require_case_writer(conference: Conference, case: Case, acting_user: User) -> None:
    if not conference.cases.filter(pk=case.pk).exists():
        raise ValidationError({"case": _("This case is not on the conference's agenda.")})
    if not can_write_on_case(acting_user, participant_ids(conference), case):
        raise PermissionDenied(
            _("Only a participating organisation that is a member of the case and writes conference records does this.")
        )


@transaction.atomic
def do_propose_decision(
    conference: Conference,
    *,
    case: Case,
    text: str,
    rationale: str = "",
    review_on: date | None = None,
    plan: Plan | None = None,
    acting_user: User,
) -> Decision:
    """Propose a decision about one case on the agenda; it waits for every involved organisation's position.

    With ``plan`` (the case's current draft plan revision, visible to the proposer) the decision is the
    conference's agreement of that plan: once every involved organisation agrees, the plan is agreed
    (``_on_decision_agreed``). The MAR's rule: all organisations involved must agree.
    """
    errors: dict[str, str] = {}
    text = _text(errors, "text", text)
    rationale = _text(errors, "rationale", rationale, required=False)
    if review_on is not None and review_on < timezone.localdate():
        errors["review_on"] = _("The review date cannot be in the past.")
    if plan is not None and (
        plan.case_id != case.pk
        or plan.status != PlanStatus.DRAFT
        or not Plan.objects.visible_to(acting_user).filter(pk=plan.pk).exists()
    ):
        errors["plan"] = _("Choose the case's current draft plan: only a draft plan of this case can be agreed.")
    _require_case_writer(conference, case, acting_user)
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        **_record_fields(case, acting_user),
        category=Category.CONFERENCE,
        conference=conference,
        text=text,
        rationale=rationale,
        review_on=review_on,
        plan=plan,
    )
    _write_case_record(
        decision,
        object_type="decision",
        detail={
            "conference": str(conference.pk),
            "review_on": review_on.isoformat() if review_on else None,
            "plan": str(plan.pk) if plan else None,
        },
        acting_user=acting_user,
    )
    return decision


def _on_decision_agreed(decision: Decision, *, acting_user: User) -> None:
    """The moment a decision becomes agreed, inside the transaction of the position that made it so.

    The one place to hook what an agreed decision sets in motion: a decision about a draft plan agrees
    that plan (``plans.actions.do_agree_plan``; it refuses, and so rolls the position back, when the plan
    is no longer the case's current draft).
    """
    if decision.plan_id is not None:
        do_agree_plan(Plan.objects.get(pk=decision.plan_id), decision_id=decision.pk, acting_user=acting_user)
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="decision",
        object_id=decision.pk,
        person_id=decision.person_id,
        case_id=decision.case_id,
        detail={"status": DecisionStatus.AGREED, "event": "decision_agreed"},
    )


@transaction.atomic
def do_give_position(
    decision: Decision,
    *,
    position: str,
    comment: str = "",
    organisation: Organisation | None = None,
    acting_user: User,
) -> Position:
    """Give (or replace) the position of the user's organisation on a decision, and update its status.

    Only for a participating organisation that is a current member of the decision's case, by one of its
    own users. A disagreement needs its reason. An agreed decision is settled: a change of mind is a new
    decision. The earlier position stays in the audit log.
    """
    decision = Decision.objects.select_for_update(of=("self",)).select_related("conference").get(pk=decision.pk)
    if organisation is not None and organisation.pk != acting_user.organisation_id:
        raise PermissionDenied(_("You can only give the position of your own organisation."))
    required = required_organisations([decision])[decision.pk]
    required_ids = {o.pk for o in required}
    if not takes_part(acting_user, required_ids):
        raise PermissionDenied(
            _("Only participating organisations that are members of the case give a position on this decision.")
        )
    errors: dict[str, str] = {}
    if position not in PositionChoice.values:
        errors["position"] = _("Choose one of: %(values)s.") % {"values": ", ".join(PositionChoice.values)}
    comment = _text(errors, "comment", comment, required=position == PositionChoice.DISAGREE)
    if position == PositionChoice.DISAGREE and "comment" in errors and not comment:
        errors["comment"] = _("Say why your organisation disagrees.")
    if decision.status == DecisionStatus.AGREED:
        errors["position"] = _("This decision is agreed by all; propose a new decision to change it.")
    if errors:
        raise ValidationError(errors)
    own = acting_user.organisation
    assert own is not None  # noqa: S101  (takes_part checked it)
    previous = Position.objects.select_for_update().filter(decision=decision, organisation=own).first()
    earlier: dict[str, Any] | None = None
    if previous is None:
        given = Position.objects.create(
            decision=decision,
            organisation=own,
            position=position,
            comment=comment,
            given_by=acting_user,
        )
    else:
        given = previous
        earlier = {"position": previous.position, "given_by": str(previous.given_by_id)}
        given.position, given.comment, given.given_by, given.given_at = position, comment, acting_user, timezone.now()
        given.save(update_fields=["position", "comment", "given_by", "given_at"])
    positions = dict(Position.objects.filter(decision=decision).values_list("organisation_id", "position"))
    status = consensus_status(required_ids, positions)
    record(
        AuditAction.UPDATE if previous is not None else AuditAction.CREATE,
        actor=acting_user,
        object_type="position",
        object_id=decision.pk,
        person_id=decision.person_id,
        case_id=decision.case_id,
        detail={
            "position": position,
            # Whether a comment was given, not its words: the log refers to content, it never holds it
            # (docs/architecture.md), so erasing a comment never has to touch the log.
            "with_comment": bool(comment),
            "replaces": earlier,
            "status": status,
        },
    )
    if status != decision.status:
        decision.status = status
        fields = ["status"]
        if status == DecisionStatus.AGREED:
            decision.agreed_at = timezone.now()
            fields.append("agreed_at")
        decision.save(update_fields=fields)
        if status == DecisionStatus.AGREED:
            _on_decision_agreed(decision, acting_user=acting_user)
    return given


# --- actions and minutes ----------------------------------------------------------------------------------


@transaction.atomic
def do_add_conference_action(
    decision: Decision,
    *,
    description: str,
    owner_organisation: Organisation,
    due_on: date,
    owner: User | None = None,
    acting_user: User,
) -> ConferenceAction:
    """An action following a decision, owned by an organisation of the case (and optionally one of its users)."""
    case = decision.case
    if case is None:
        raise ValidationError({"decision": _("This decision has no case.")})
    conference = decision.conference
    if not can_write_on_case(acting_user, participant_ids(conference), case):
        raise PermissionDenied(
            _("Only a participating organisation that is a member of the case and writes conference records does this.")
        )
    errors: dict[str, str] = {}
    description = _text(errors, "description", description)
    if not CaseMember.objects.filter(case=case, organisation=owner_organisation, until__isnull=True).exists():
        errors["owner_organisation"] = _("The owner must be an organisation of the case team.")
    if owner is not None and owner.organisation_id != owner_organisation.pk:
        errors["owner"] = _("The owner must work for the owner organisation.")
    if not isinstance(due_on, date):
        errors["due_on"] = _("Give a due date.")
    if errors:
        raise ValidationError(errors)
    action = ConferenceAction(
        **_record_fields(case, acting_user),
        category=Category.CONFERENCE,
        decision=decision,
        description=description,
        owner_organisation=owner_organisation,
        owner=owner,
        due_on=due_on,
    )
    _write_case_record(
        action,
        object_type="conference_action",
        acting_user=acting_user,
        detail={
            "decision": str(decision.pk),
            "owner_organisation": owner_organisation.slug,
            "owner": owner.username if owner else None,
            "due_on": due_on.isoformat(),
        },
    )
    return action


@transaction.atomic
def do_complete_action(action: ConferenceAction, *, acting_user: User) -> ConferenceAction:
    """Mark an action done (by its owner organisation, or the organisation that recorded it)."""
    action = ConferenceAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if not can_complete_action(acting_user, action):
        raise PermissionDenied(_("Only the owner organisation completes this action."))
    if action.completed_at is not None:
        raise ValidationError({"detail": _("This action is already completed.")})
    action.completed_at = timezone.now()
    action.completed_by = acting_user
    action.save(update_fields=["completed_at", "completed_by"])
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="conference_action",
        object_id=action.pk,
        person_id=action.person_id,
        case_id=action.case_id,
        detail={"completed": True},
    )
    return action


@transaction.atomic
def do_record_minutes(conference: Conference, *, case: Case, text: str, acting_user: User) -> Minutes:
    """The notes of the discussion of one case on the agenda (a case record, category ``conference``)."""
    errors: dict[str, str] = {}
    text = _text(errors, "text", text)
    _require_case_writer(conference, case, acting_user)
    if errors:
        raise ValidationError(errors)
    minutes = Minutes(
        **_record_fields(case, acting_user), category=Category.CONFERENCE, conference=conference, text=text
    )
    _write_case_record(
        minutes, object_type="minutes", detail={"conference": str(conference.pk)}, acting_user=acting_user
    )
    return minutes


@transaction.atomic
def do_record_general_minutes(conference: Conference, *, text: str, acting_user: User) -> Conference:
    """The general minutes of the meeting (no case content: every participant reads them)."""
    if not can_write_general_minutes(acting_user, conference):
        raise PermissionDenied(_("The chair's organisation keeps the general minutes."))
    errors: dict[str, str] = {}
    text = _text(errors, "general_minutes", text, required=False)
    if errors:
        raise ValidationError(errors)
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    conference.general_minutes = text
    conference.save(update_fields=["general_minutes"])
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="conference",
        object_id=conference.pk,
        detail={"general_minutes": True},
    )
    return conference


# --- the calendar: one meeting cancelled, the secret link -------------------------------------------------


@transaction.atomic
def do_cancel_occurrence(
    conference: Conference, *, occurs_on: date, reason: str = "", acting_user: User
) -> CancelledOccurrence:
    """Cancel the meeting of a recurring conference on ``occurs_on`` (local day); the series goes on.

    Only the chair's organisation does this, for a meeting of the series that is still to come. Calendars
    then drop that one meeting (``EXDATE``), and the lists skip it. The reason is for the participants;
    the audit log notes whether one was given, never its words.
    """
    if not can_cancel_occurrence(acting_user, conference):
        raise PermissionDenied(_("Only the chair's organisation cancels a meeting of this conference."))
    # The caller's instance computes its meetings anew (``cancelled_days`` is kept per instance).
    conference.__dict__.pop("cancelled_days", None)
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason, required=False, limit=500)
    if conference.recurrence == Recurrence.NONE:
        errors["occurs_on"] = _("This conference does not repeat: only a meeting of a series is cancelled here.")
    elif not isinstance(occurs_on, date) or isinstance(occurs_on, datetime):
        errors["occurs_on"] = _("Give the day of the meeting (YYYY-MM-DD).")
    elif not conference.meets_on(occurs_on):
        # The weekday with the day: whoever picked the wrong one sees the series' rhythm.
        upcoming = ", ".join(date_format(m, "D d M Y") for m in conference.occurrences(count=3))
        errors["occurs_on"] = _("This conference has no meeting on %(day)s. Its next meetings are on %(days)s.") % {
            "day": date_format(occurs_on, "D d M Y"),
            "days": upcoming,
        }
    elif occurs_on < timezone.localdate():
        errors["occurs_on"] = _("This meeting is past: only a meeting still to come can be cancelled.")
    elif CancelledOccurrence.objects.filter(conference=conference, occurs_on=occurs_on).exists():
        errors["occurs_on"] = _("This meeting is already cancelled.")
    if errors:
        raise ValidationError(errors)
    cancelled = CancelledOccurrence(conference=conference, occurs_on=occurs_on, reason=reason, cancelled_by=acting_user)
    cancelled.save(force_insert=True)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="cancelled_occurrence",
        object_id=cancelled.pk,
        detail={"conference": str(conference.pk), "occurs_on": occurs_on.isoformat(), "with_reason": bool(reason)},
    )
    return cancelled


@transaction.atomic
def do_create_calendar_feed(*, acting_user: User) -> tuple[CalendarFeed, str]:
    """Make the user's secret calendar link, or replace it (the old link stops working at once).

    Returns the feed and its token: the token is shown once and never stored, only its SHA-256.
    """
    if not uses_conferences(acting_user):
        raise PermissionDenied(_("Calendar links are for those who take part in conferences."))
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.select_for_update().filter(user=acting_user).first()
    replaced = feed is not None
    if feed is None:
        feed = CalendarFeed(user=acting_user, token_hash=hash_token_key(token))
        feed.save(force_insert=True)
    else:
        feed.token_hash, feed.created_at, feed.last_used_at = hash_token_key(token), timezone.now(), None
        feed.save(update_fields=["token_hash", "created_at", "last_used_at"])
    record(
        AuditAction.UPDATE if replaced else AuditAction.CREATE,
        actor=acting_user,
        object_type="calendar_feed",
        object_id=feed.pk,
        detail={"replaced": replaced},
    )
    return feed, token


@transaction.atomic
def do_stop_calendar_feed(*, acting_user: User) -> None:
    """Stop the user's secret calendar link: it answers 404 from now on, like any wrong link."""
    feed = CalendarFeed.objects.select_for_update().filter(user=acting_user).first()
    if feed is None:
        raise ValidationError(_("You have no calendar link."))
    feed_id = feed.pk
    feed.delete()
    record(AuditAction.DELETE, actor=acting_user, object_type="calendar_feed", object_id=feed_id)
