"""R11: every read of another organisation's record is a disclosure, logged per record; the person's
disclosure report reads them back grouped (``group_disclosures``), under names for people."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from continuum.audit.log import Event, record_many
from continuum.audit.log import record as audit
from continuum.audit.models import AuditAction
from continuum.lib import request_context
from continuum.lib.bulk import insert_rows
from continuum.sharing.choices import Basis, Category
from continuum.sharing.models import Disclosure
from continuum.sharing.records import record_models

# The reads of one page, while ``batched_reads`` is open: written together when it closes.
_Read = tuple[Any, list[Any], str] | Event
_batch: ContextVar[list[_Read] | None] = ContextVar("continuum_read_batch", default=None)


@contextmanager
def batched_reads() -> Iterator[None]:
    """Collect the ``log_reads`` of a block (a page of several panels) and write them when it ends.

    Each call still makes its own audit event (its purpose and records), but all of them, and all
    their ``Disclosure`` rows, are written in one transaction with a constant number of queries.
    Nothing is written if the block raises: a page that fails shows nothing, so nothing was read.
    """
    if _batch.get() is not None:  # already inside a batch: the outer one writes
        yield
        return
    token = _batch.set([])
    try:
        yield
        reads = _batch.get() or []
    finally:
        _batch.reset(token)
    _write(reads)


def log_reads(user: Any, records: Sequence[Any], *, purpose: str = "") -> None:
    """Log that ``user`` read ``records`` (annotated by ``visible_to``).

    Records written by the user's own organisation are reads; the others are disclosures (one
    ``Disclosure`` row each, for the person's disclosure report). One audit event covers the call.
    A constant number of queries, whatever the number of records; none inside ``batched_reads``.
    """
    if not records:
        return
    batch = _batch.get()
    if batch is not None:
        batch.append((user, list(records), purpose))
    else:
        _write([(user, list(records), purpose)])


def log_read_event(event: Event) -> None:
    """Audit a read that is not a page of records (a case opened, a pack exported): with the batch, if
    one is open."""
    batch = _batch.get()
    if batch is not None:
        batch.append(event)
    else:
        _write([event])


def _write(reads: list[_Read]) -> None:
    if not reads:
        return
    request_id = request_context.current().request_id
    disclosures: list[Disclosure] = []
    events: list[Event] = []
    for read in reads:
        if isinstance(read, Event):
            events.append(read)
            continue
        user, records, purpose = read
        disclosed = [r for r in records if r.author_org_id != user.organisation_id]
        # A disclosure report is per person: a record not (yet) linked to a person (a signal about
        # someone unknown) has no report to appear in; its read is still in the audit event below.
        disclosures += [
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
            for r in disclosed
            if r.person_id is not None
        ]
        first = records[0]
        cases = {str(r.case_id) for r in records if r.case_id}
        persons = {r.person_id for r in records if r.person_id}
        events.append(
            Event(
                AuditAction.DISCLOSE if disclosed else AuditAction.READ,
                actor=user,
                object_type=first.record_type,
                object_id=first.pk if len(records) == 1 else "",
                person_id=next(iter(persons)) if len(persons) == 1 else None,
                case_id=first.case_id if len(cases) == 1 else None,
                purpose=purpose,
                detail={"records": [str(r.pk) for r in records], "disclosed": [str(r.pk) for r in disclosed]},
            )
        )
    with transaction.atomic(savepoint=False):
        # One statement for any number of rows (``bulk_create`` would take one per 76 on SQLite).
        insert_rows(disclosures)
        record_many(events)


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
RECORD_KIND_LABELS = {"plan_goal": gettext_lazy("Plan goal")}


def record_kind_labels() -> dict[str, str]:
    """Every record type's name for people ("Journal entry", "Milestone"): the model's verbose name."""
    labels = {model.record_type: capfirst(str(model._meta.verbose_name)) for model in record_models()}
    return {**labels, **{kind: str(label) for kind, label in RECORD_KIND_LABELS.items()}}


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
