"""R11: every read of another organisation's record is a disclosure, logged per record; the person's
disclosure report reads them back grouped (``group_disclosures``), under names for people."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.text import capfirst

from continuum.audit.log import record as audit
from continuum.audit.models import AuditAction
from continuum.lib import request_context
from continuum.sharing.choices import Basis, Category
from continuum.sharing.models import Disclosure
from continuum.sharing.records import record_models


def log_reads(user: Any, records: Sequence[Any], *, purpose: str = "") -> None:
    """Log that ``user`` read ``records`` (annotated by ``visible_to``).

    Records written by the user's own organisation are reads; the others are disclosures (one
    ``Disclosure`` row each, for the person's disclosure report). One audit event covers the request.
    A constant number of queries, whatever the number of records.
    """
    if not records:
        return
    request_id = request_context.current().request_id
    disclosed = [r for r in records if r.author_org_id != user.organisation_id]
    # A disclosure report is per person: a record not (yet) linked to a person (a signal about someone
    # unknown) has no report to appear in; its read is still in the audit event below.
    reportable = [r for r in disclosed if r.person_id is not None]
    if reportable:
        Disclosure.objects.bulk_create(
            [
                Disclosure(
                    record_type=r.record_type,
                    record_id=r.pk,
                    person_id=r.person_id,
                    case_id=r.case_id,
                    category=r.category,
                    author_org_id=r.author_org_id,
                    viewer=user,
                    viewer_org_id=user.organisation_id,
                    basis=r.visibility["basis"],
                    explanation=r.visibility["explanation"][:300],
                    request_id=request_id,
                )
                for r in reportable
            ]
        )
    first = records[0]
    cases = {str(r.case_id) for r in records if r.case_id}
    persons = {r.person_id for r in records if r.person_id}
    audit(
        AuditAction.DISCLOSE if disclosed else AuditAction.READ,
        actor=user,
        object_type=first.record_type,
        object_id=first.pk if len(records) == 1 else "",
        person_id=next(iter(persons)) if len(persons) == 1 else None,
        case_id=first.case_id if len(cases) == 1 else None,
        purpose=purpose,
        detail={
            "records": [str(r.pk) for r in records],
            "disclosed": [str(r.pk) for r in disclosed],
        },
    )


def log_denied(user: Any, object_type: str, object_id: Any, *, case_id: Any = None) -> None:
    """A request for something the user may not see (or that does not exist): audited, then a 404."""
    audit(
        AuditAction.DENIED,
        actor=user if getattr(user, "is_authenticated", False) else None,
        object_type=object_type,
        # The id comes from the request and may be anything: the audit column holds 64 characters.
        object_id=str(object_id)[:64],
        case_id=case_id,
        outcome="denied",
    )


# --- The disclosure report: the rows grouped for people to read ------------------------------------------

# Where a model's own name says too little out of its context (a "goal" of what?).
RECORD_KIND_LABELS = {"plan_goal": "Plan goal"}


def record_kind_labels() -> dict[str, str]:
    """Every record type's name for people ("Journal entry", "Milestone"): the model's verbose name."""
    labels = {model.record_type: capfirst(str(model._meta.verbose_name)) for model in record_models()}
    return {**labels, **RECORD_KIND_LABELS}


def record_kind_label(record_type: str, labels: dict[str, str] | None = None) -> str:
    """One record type's name for people; never a model path, even for a type no model has any more."""
    found = (labels if labels is not None else record_kind_labels()).get(record_type)
    return found or capfirst(record_type.replace("_", " "))


@dataclass(frozen=True)
class DisclosureGroup:
    """One row of the report: how many records of one kind and category one user read on one day."""

    day: date
    organisation: str
    user: str
    username: str
    basis: str
    explanation: str
    kind: str
    category: str
    count: int
    first: datetime
    last: datetime


def group_disclosures(disclosures: QuerySet[Disclosure]) -> QuerySet[Any]:
    """``disclosures`` as one row per day (local), reading organisation and user, basis, record kind and
    category, with the number of reads and the first and last time: one query per page, whatever the
    number of reads, and no record ids (the report says who read what kind of record, not which one)."""
    return (
        disclosures.order_by()
        .annotate(day=TruncDate("at"))
        .values(
            "day",
            "viewer_org",
            "viewer_org__name",
            "viewer",
            "viewer__username",
            "viewer__first_name",
            "viewer__last_name",
            "basis",
            "explanation",
            "record_type",
            "category",
        )
        .annotate(count=Count("pk"), first=Min("at"), last=Max("at"))
        .order_by("-day", "viewer_org__name", "viewer__username", "record_type", "category", "explanation")
    )


def describe_groups(rows: Iterable[dict[str, Any]]) -> list[DisclosureGroup]:
    """The rows of ``group_disclosures`` with names for people: kinds, categories and bases as labels."""
    kinds = record_kind_labels()
    described = []
    for row in rows:
        full_name = f"{row['viewer__first_name']} {row['viewer__last_name']}".strip()
        described.append(
            DisclosureGroup(
                day=row["day"],
                organisation=row["viewer_org__name"],
                user=full_name or row["viewer__username"],
                username=row["viewer__username"],
                basis=_label(Basis, row["basis"]),
                explanation=row["explanation"],
                kind=record_kind_label(row["record_type"], kinds),
                category=_label(Category, row["category"]),
                count=row["count"],
                first=timezone.localtime(row["first"]),
                last=timezone.localtime(row["last"]),
            )
        )
    return described


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value
