"""The doors to conferences and their records for views and the API (one door: ``visible_to``).

A conference is visible to the members of its participating organisations; of its agenda a user sees
only the cases their organisation is a current member of (R1): no heading, no count of the others
(R12). Decisions, actions and minutes are case records read through ``visible_to``; what is not
visible is a 404, logged as a denied access, the same answer as for what does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from continuum.accounts.models import Organisation, hash_token_key
from continuum.audit.log import Event
from continuum.audit.models import AuditAction
from continuum.cases.models import Case
from continuum.conferences.models import CalendarFeed, Conference, ConferenceAction, Decision, Minutes, Position
from continuum.sharing import engine
from continuum.sharing.disclosure import log_denied, log_read_event, log_reads


def _uuid(value: Any) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


def visible_conferences(user: Any) -> QuerySet[Conference]:
    return Conference.objects.visible_to(user).select_related("chair_organisation", "created_by")


def access_conference(user: Any, conference_id: Any) -> Conference:
    """A conference the user's organisation takes part in, or 404."""
    pk = _uuid(conference_id)
    conference = visible_conferences(user).filter(pk=pk).first() if pk else None
    if conference is None:
        log_denied(user, "conference", conference_id)
        raise Http404
    # With the page's other reads when they are batched (the meeting pack), on its own otherwise.
    log_read_event(Event(AuditAction.READ, actor=user, object_type="conference", object_id=conference.pk))
    return conference


def calendar_conferences(user: Any) -> QuerySet[Conference]:
    """The conferences of the user's calendar feed, with their cancelled meetings (two queries)."""
    return visible_conferences(user).prefetch_related("cancelled_occurrences").order_by("scheduled_at", "pk")


# A feed's use is noted at most once a minute, as an API token's is: calendar apps poll, and a read of
# the feed (no personal data in it) is not worth a write each time.
FEED_USE_EVERY_SECONDS = 60


def access_calendar_feed(token: str) -> CalendarFeed:
    """The calendar feed of a secret link, its use noted; a wrong, replaced or stopped link is a 404.

    Not audited as a denied access: the caller is nobody we know, and the link gives no hint. The
    feed's user is as they are now (a deactivated user's feed is empty: ``visible_to``).
    """
    feed = CalendarFeed.objects.select_related("user__organisation").filter(token_hash=hash_token_key(token)).first()
    if feed is None:
        raise Http404
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > FEED_USE_EVERY_SECONDS:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now
    return feed


def participant_ids(conference: Conference) -> set[Any]:
    return set(conference.participants.values_list("pk", flat=True))


def agenda_cases(user: Any, conference: Conference) -> list[Case]:
    """The cases on the agenda that the user's organisation is a current member of (R1), by number."""
    return list(
        Case.objects.visible_to(user)
        .filter(pk__in=conference.cases.values("pk"))
        .select_related("person", "lead_organisation")
        .order_by("number")
    )


def visible_decisions(user: Any) -> QuerySet[Decision]:
    return Decision.objects.visible_to(user).select_related("case", "conference", "conference__chair_organisation")


def access_decision(user: Any, decision_id: Any, *, purpose: str = "") -> Decision:
    pk = _uuid(decision_id)
    decision = visible_decisions(user).filter(pk=pk).first() if pk else None
    if decision is None:
        log_denied(user, "decision", decision_id)
        raise Http404
    log_reads(user, [decision], purpose=purpose)
    return decision


def visible_actions(user: Any) -> QuerySet[ConferenceAction]:
    return ConferenceAction.objects.visible_to(user).select_related(
        "case", "decision", "owner_organisation", "owner", "completed_by"
    )


def access_action(user: Any, action_id: Any, *, purpose: str = "") -> ConferenceAction:
    pk = _uuid(action_id)
    action = visible_actions(user).filter(pk=pk).first() if pk else None
    if action is None:
        log_denied(user, "conference_action", action_id)
        raise Http404
    log_reads(user, [action], purpose=purpose)
    return action


def open_actions_of_organisation(user: Any) -> QuerySet[ConferenceAction]:
    """The open actions the user's organisation owns (that it may see), soonest due first."""
    return (
        visible_actions(user)
        .filter(owner_organisation_id=user.organisation_id, completed_at__isnull=True)
        .order_by("due_on", "created_at", "pk")
    )


def visible_minutes(user: Any) -> QuerySet[Minutes]:
    return Minutes.objects.visible_to(user).select_related("case", "conference")


def required_organisations(decisions: Iterable[Decision]) -> dict[Any, list[Organisation]]:
    """Per decision: the participating organisations that are current members of its case (two queries).

    These are the organisations whose positions the consensus waits for (API.md).
    """
    decisions = list(decisions)
    if not decisions:
        return {}
    conference_ids = {d.conference_id for d in decisions}
    case_ids = {d.case_id for d in decisions}
    through = Conference.participants.through
    participants: dict[Any, set[Any]] = {}
    for conference_id, organisation_id in through.objects.filter(conference_id__in=conference_ids).values_list(
        "conference_id", "organisation_id"
    ):
        participants.setdefault(conference_id, set()).add(organisation_id)
    members = {
        case_id: sorted((m.organisation for m in team), key=lambda o: o.name)
        for case_id, team in engine.current_teams(case_ids).items()
    }
    return {
        d.pk: [o for o in members.get(d.case_id, []) if o.pk in participants.get(d.conference_id, set())]
        for d in decisions
    }


def positions_of(decisions: Iterable[Decision]) -> dict[Any, list[Position]]:
    """Per decision: the positions given, one per organisation (one query)."""
    by_decision: dict[Any, list[Position]] = {}
    ids = [d.pk for d in decisions]
    if not ids:
        return by_decision
    for position in (
        Position.objects.filter(decision_id__in=ids)
        .select_related("organisation", "given_by")
        .order_by("organisation__name")
    ):
        by_decision.setdefault(position.decision_id, []).append(position)
    return by_decision
