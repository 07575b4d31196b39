"""The doors to case information for views and the API (Zulip's ``access_stream_by_id``).

Each helper returns the object only if the user may see it; otherwise it logs the denied access
and raises ``Http404``, the same answer as for an object that does not exist (R12).
Reads of records are logged (R11) by ``read_records``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from continuum.accounts.choices import OrgType
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.models import Case, CaseMember, Entry, Handover
from continuum.cases.policy import can_read_disclosures, can_use_cases
from continuum.people.models import Person
from continuum.sharing import engine
from continuum.sharing.choices import (
    AFTER_TRIAL_FOR_CHILD_WELFARE,
    CHILDREN_READERS,
    MENTORING_CATEGORIES,
    Access,
    Category,
)
from continuum.sharing.disclosure import log_denied, log_reads
from continuum.sharing.models import Consent, Disclosure
from continuum.sharing.records import record_models


def _uuid(value: Any) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


def access_case(user: Any, case_id: Any) -> Case:
    """A case the user's organisation is a current member of (R1), or 404."""
    pk = _uuid(case_id)
    case = (
        Case.objects.visible_to(user).select_related("person", "lead_organisation").filter(pk=pk).first()
        if pk
        else None
    )
    if case is None:
        log_denied(user, "case", case_id)
        raise Http404
    record(
        AuditAction.READ, actor=user, object_type="case", object_id=case.pk, person_id=case.person_id, case_id=case.pk
    )
    return case


def access_person(user: Any, person_id: Any) -> Person:
    pk = _uuid(person_id)
    person = Person.objects.visible_to(user).filter(pk=pk).first() if pk else None
    if person is None:
        log_denied(user, "person", person_id)
        raise Http404
    record(AuditAction.READ, actor=user, object_type="person", object_id=person.pk, person_id=person.pk)
    return person


def access_entry(user: Any, entry_id: Any, *, purpose: str = "") -> Entry:
    """One journal entry the user may see (logged as a read or disclosure), or 404."""
    pk = _uuid(entry_id)
    entry = Entry.objects.visible_to(user).filter(pk=pk).first() if pk else None
    if entry is None:
        log_denied(user, "entry", entry_id)
        raise Http404
    log_reads(user, [entry], purpose=purpose)
    return entry


def access_consent(user: Any, consent_id: Any) -> Consent:
    """A consent of a person one of whose cases the user's organisation is a member of, or 404."""
    pk = _uuid(consent_id)
    consent = (
        Consent.objects.visible_to(user)
        .select_related("person", "recipient", "recorded_by", "recorded_org", "withdrawn_by")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if consent is None:
        log_denied(user, "consent", consent_id)
        raise Http404
    return consent


def access_disclosure_report(user: Any, person_id: Any) -> tuple[Person, QuerySet[Disclosure]]:
    """The person's disclosure report (R11): who saw which of the person's records, when, and why.

    For the data protection officer, who sees no case content (R10) and so cannot pass
    ``access_person``: for the DPO the person's existence is not secret, but nothing else about
    the person is returned. For everyone else the person must be visible (or it is a 404), and the
    user must be the coordinator of the lead organisation of one of the person's cases (or it is
    a ``PermissionDenied``), and the report lists only disclosures of records that coordinator may
    see itself: otherwise it would betray that hidden records exist, and their categories (R12).
    Reading the report is itself audited.
    """
    if can_read_disclosures(user, None):
        pk = _uuid(person_id)
        person = Person.objects.filter(pk=pk).first() if pk else None
        if person is None:
            log_denied(user, "person", person_id)
            raise Http404
    else:
        person = access_person(user, person_id)
        cases = Case.objects.visible_to(user).filter(person=person).only("pk", "lead_organisation_id")
        if not any(can_read_disclosures(user, case) for case in cases):
            log_denied(user, "disclosure_report", person.pk)
            raise PermissionDenied(
                "Only the data protection officer and the lead organisation's coordinator read disclosures."
            )
    record(
        AuditAction.READ,
        actor=user,
        object_type="disclosure_report",
        object_id=person.pk,
        person_id=person.pk,
    )
    disclosures = Disclosure.objects.filter(person=person).select_related("viewer", "viewer_org").order_by("-at", "pk")
    if not can_read_disclosures(user, None):
        visible = Q()
        for model in record_models():
            visible |= Q(
                record_type=model.record_type,
                record_id__in=model.objects.visible_to(user).filter(person=person).values("pk"),
            )
        disclosures = disclosures.filter(visible)
    return person, disclosures


def read_records(user: Any, records: Sequence[Any], *, purpose: str = "") -> Sequence[Any]:
    """Log a page of records as read (R11) and hand them back."""
    log_reads(user, list(records), purpose=purpose)
    return records


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
    pk = _uuid(handover_id)
    handover = (
        Handover.objects.visible_to(user).select_related("organisation", "from_user", "to_user").filter(pk=pk).first()
        if pk
        else None
    )
    if handover is None:
        log_denied(user, "handover", handover_id)
        raise Http404
    log_reads(user, [handover])
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
