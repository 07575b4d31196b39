"""The doors to the cases app's own records, built on the sharing layer's (``sharing/access.py``).

Each helper returns the object only if the user may see it; otherwise it logs the denied access
and raises ``Http404``, the same answer as for an object that does not exist (R12). The generic
doors (``access_case``, ``access_person``, ``read_records``, …) live in ``sharing.access``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import Q, QuerySet

from continuum.accounts.choices import OrgType
from continuum.cases.models import Case, CaseMember, Entry, Handover
from continuum.cases.policy import can_use_cases
from continuum.sharing import engine
from continuum.sharing.access import access_record, access_visible
from continuum.sharing.choices import (
    AFTER_TRIAL_FOR_CHILD_WELFARE,
    CHILDREN_READERS,
    MENTORING_CATEGORIES,
    Access,
    Category,
)
from continuum.sharing.disclosure import log_reads


def access_entry(user: Any, entry_id: Any, *, purpose: str = "") -> Entry:
    """One journal entry the user may see (logged as a read or disclosure), or 404."""
    entry: Entry = access_record(user, Entry, entry_id, object_type="entry", purpose=purpose)
    return entry


def search_entries(user: Any, text: str) -> Any:
    """Entries visible to the user whose title or body match ``text``; nothing else is searched (R12).

    PostgreSQL uses its full-text search (with a plain match as fallback for partial words);
    SQLite a case-insensitive substring match.
    """
    visible = Entry.objects.visible_to(user)
    text = text.strip()
    if not text:
        return visible.none()
    plain = Q(title__icontains=text) | Q(body__icontains=text)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("title", weight="A") + SearchVector("body", weight="B")
        return visible.annotate(_search=vector).filter(Q(_search=SearchQuery(text, search_type="websearch")) | plain)
    return visible.filter(plain)


def cases_reading_category(user: Any, cases: Sequence[Case], category: str) -> set[UUID]:
    """The ids of ``cases`` (visible to the user) on which the user's organisation reads ``category``
    records by the matrix (R2), gates R6-R8 applied: one query, whatever the number of cases.

    For saying "none recorded" (or showing a gap about such records) only to those who would see
    the records if there were any: to anyone else the absence itself would be news (R12). Consent
    and overrides are left out on purpose: they open single categories for a while, not the
    case's structure.
    """
    viewer = engine.viewer_for(user)
    if not viewer.sees_content or not cases:
        return set()
    if category == Category.CHILDREN and viewer.org_type not in CHILDREN_READERS:
        return set()
    if viewer.org_type == OrgType.MENTORING and category not in MENTORING_CATEGORIES:
        return set()
    if engine.matrix_for(viewer.org_type).get(category) not in (Access.READ, Access.WRITE):
        return set()
    if viewer.org_type == OrgType.CHILD_WELFARE and category in AFTER_TRIAL_FOR_CHILD_WELFARE:
        return {case.pk for case in cases if case.trial_concluded}
    return {case.pk for case in cases}


def handovers_waiting_for(user: Any) -> QuerySet[Handover]:
    """Hand-overs to the user not yet acknowledged, on cases the user is still responsible for."""
    if not can_use_cases(user):
        return Handover.objects.none()
    responsible_for = CaseMember.objects.filter(
        responsible=user, organisation_id=user.organisation_id, until__isnull=True
    ).values("case_id")
    return (
        Handover.objects.visible_to(user)
        .filter(to_user=user, acknowledged_at__isnull=True, case__in=responsible_for)
        .select_related("case", "organisation", "from_user", "to_user")
        .order_by("-created_at", "pk")
    )


def access_handover(user: Any, handover_id: Any) -> Handover:
    """A hand-over the user may see (R0 for its organisation, the matrix for others), or 404."""
    handover: Handover = access_visible(
        Handover.objects.visible_to(user).select_related("organisation", "from_user", "to_user"),
        user,
        handover_id,
        object_type="handover",
        on_found=lambda found: log_reads(user, [found]),
    )
    return handover


def own_membership(user: Any, case: Case) -> CaseMember | None:
    """The current membership of the user's organisation in ``case`` (with its responsible), if any."""
    if user is None or getattr(user, "organisation_id", None) is None:
        return None
    return (
        CaseMember.objects.filter(case=case, organisation_id=user.organisation_id, until__isnull=True)
        .select_related("organisation", "responsible")
        .first()
    )
