"""The doors to mentoring for the pages (and the API): profiles as the policy lets a user read them,
matches and sessions through ``visible_to`` (R8), each page of records logged as read (R11).

A profile is no case record: who may read it is ``policy.can_read_profile``; one the user may not
read is a 404, the same as one that is not there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max, QuerySet
from django.http import Http404

from continuum.cases.models import Case
from continuum.mentoring import policy
from continuum.mentoring.models import Mentoring, MentoringSession, MentorProfile
from continuum.sharing.access import access_visible, parse_id, read_records
from continuum.sharing.disclosure import log_reads


def profiles_for(user: Any) -> QuerySet[MentorProfile]:
    """The profiles the user may read: all of them for coordinators and case managers, else their own."""
    profiles = MentorProfile.objects.select_related("user__organisation")
    if policy.can_read_all_profiles(user):
        return profiles
    return profiles.filter(user_id=user.pk) if getattr(user, "pk", None) else profiles.none()


def access_profile(user: Any, mentor_id: Any) -> MentorProfile:
    pk = parse_id(mentor_id)
    profile = profiles_for(user).filter(pk=pk).first() if pk else None
    if profile is None:
        raise Http404
    return profile


def access_mentoring(user: Any, mentoring_id: Any) -> Mentoring:
    """A match the user may see (R8: the mentor's organisation sees its own mentors' matches), logged."""
    return access_visible(
        Mentoring.objects.visible_to(user).select_related("mentor__user__organisation", "case__person"),
        user,
        mentoring_id,
        object_type="mentoring",
        on_found=lambda found: log_reads(user, [found], purpose="mentoring page"),
    )


def matches_on_case(user: Any, case: Case) -> list[Mentoring]:
    """The case's matches the user may see, the active ones first, logged as read."""
    matches = list(
        Mentoring.objects.visible_to(user)
        .filter(case=case)
        .select_related("mentor__user__organisation")
        .order_by("ended_on", "-started_on", "pk")
    )
    matches.sort(key=lambda m: (m.ended_on is not None, m.ended_on or m.started_on))
    read_records(user, matches, purpose="case page")
    return matches


def sessions_of(user: Any, matches: list[Mentoring]) -> dict[Any, list[MentoringSession]]:
    """The sessions of the matches the user may see, by match, newest first, in one query, logged."""
    by_match: dict[Any, list[MentoringSession]] = {m.pk: [] for m in matches}
    if not matches:
        return by_match
    sessions = list(
        MentoringSession.objects.visible_to(user)
        .filter(mentoring__in=list(by_match))
        .select_related("author")
        .order_by("-held_on", "-created_at", "pk")
    )
    read_records(user, sessions, purpose="mentoring sessions")
    for session in sessions:
        by_match[session.mentoring_id].append(session)
    return by_match


def my_mentees(user: Any) -> list[Mentoring]:
    """The active matches of the user as a mentor, each with ``last_session_on`` (of the sessions the
    user sees), in two queries; logged as read."""
    matches = list(
        Mentoring.objects.visible_to(user)
        .filter(mentor__user_id=user.pk, ended_on__isnull=True)
        .select_related("case__person")
        .order_by("started_on", "pk")
    )
    if not matches:
        return []
    last = dict(
        MentoringSession.objects.visible_to(user)
        .filter(mentoring__in=[m.pk for m in matches])
        .values("mentoring")
        .annotate(last=Max("held_on"))
        .values_list("mentoring", "last")
    )
    for match in matches:
        match.last_session_on = last.get(match.pk)
    read_records(user, matches, purpose="home page")
    return matches
