"""The home page's conference section: conferences of the next seven days, open and overdue actions
of my organisation."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from continuum.conferences.access import calendar_conferences, open_actions_of_organisation, visible_conferences
from continuum.conferences.models import Conference
from continuum.conferences.policy import uses_conferences

LIST_LIMIT = 10


def conference_dashboard(user: Any) -> dict[str, Any]:
    """A fixed number of queries: the conferences (times computed in Python) and two counts of actions."""
    if not uses_conferences(user):
        return {}
    from continuum.conferences.views import coming_days

    _now, end = coming_days(timezone.now())
    this_week = []
    for conference in calendar_conferences(user):
        nxt = conference.next_meeting
        if nxt is not None and nxt < end:
            this_week.append((nxt, conference))
    this_week.sort(key=lambda t: t[0])
    actions = open_actions_of_organisation(user)
    return {
        "conference_summary": {
            "this_week": this_week[:LIST_LIMIT],
            "open_actions": actions.count(),
            "overdue_actions": actions.filter(due_on__lt=timezone.localdate()).count(),
        }
    }


def case_conferences(user: Any, case: Any) -> dict[str, Any]:
    """For the case page: upcoming conferences with this case on the agenda, and its open decisions."""
    if not uses_conferences(user):
        return {}
    from continuum.conferences.access import visible_decisions
    from continuum.conferences.choices import DecisionStatus

    decisions = list(
        visible_decisions(user).filter(case=case).exclude(status=DecisionStatus.AGREED).order_by("created_at", "pk")
    )
    # One query for both: the meetings with the case on their agenda, and those of its open decisions.
    on_agenda = Conference.cases.through.objects.filter(conference=OuterRef("pk"), case=case)
    conferences = list(
        visible_conferences(user)
        .filter(Q(Exists(on_agenda)) | Q(pk__in={d.conference_id for d in decisions}))
        .annotate(on_agenda=Exists(on_agenda))
        .prefetch_related("cancelled_occurrences")
        .order_by("scheduled_at", "pk")
    )
    upcoming = []
    for conference in conferences:
        nxt = conference.next_meeting if conference.on_agenda else None
        if nxt is not None:
            upcoming.append((nxt, conference))
    upcoming.sort(key=lambda t: t[0])
    describe_decisions(user, decisions, shown_conferences={c.pk for c in conferences})
    from continuum.sharing.access import read_records

    read_records(user, decisions, purpose="case page")
    return {"upcoming": upcoming[:LIST_LIMIT], "open_decisions": decisions[:LIST_LIMIT], "case": case}


def describe_decisions(user: Any, decisions: list[Any], *, shown_conferences: set[Any] | None = None) -> None:
    """Give each decision ``consensus_text`` (its status in plain words) and ``conference_visible``
    (whether the user's organisation takes part in its conference: a team member that does not sees
    the decision through the matrix, not the meeting). Three queries for any number of decisions."""
    from continuum.conferences.access import positions_of, required_organisations
    from continuum.conferences.consensus import describe

    required = required_organisations(decisions)
    positions = positions_of(decisions)
    if shown_conferences is None:
        shown_conferences = set(
            visible_conferences(user).filter(pk__in={d.conference_id for d in decisions}).values_list("pk", flat=True)
        )
    for decision in decisions:
        decision.consensus_text = describe(required[decision.pk], positions.get(decision.pk, []))
        decision.conference_visible = decision.conference_id in shown_conferences
