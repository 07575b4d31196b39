"""Writing to and verifying the audit chain.

``record`` is the only writer. It must run inside the transaction of the change
it records (it opens one itself when called outside any), so a rolled-back
change leaves no event and an event never exists without its change.

Appends are serialised so that the chain never forks: on PostgreSQL with a
transaction-scoped advisory lock, on SQLite by its IMMEDIATE transactions (the
write lock is taken when the transaction begins; see settings.DATABASES).
A unique ``seq`` is the last line of defence: a fork would be an IntegrityError,
never two events claiming the same predecessor.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.audit.models import GENESIS_HASH, AuditAction, AuditEvent
from continuum.lib import request_context

# Any constant works; it names "the audit chain" among PostgreSQL advisory locks.
_CHAIN_LOCK_KEY = 0x0C0471A0


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


@dataclass(frozen=True)
class Event:
    """One event to append: what ``record`` takes, for appending several at once (``record_many``)."""

    action: AuditAction | str
    actor: Any
    object_type: str = ""
    object_id: Any = ""
    person_id: UUID | None = None
    case_id: UUID | None = None
    purpose: str = ""
    detail: dict[str, Any] | None = None
    outcome: str = "ok"


def record(
    action: AuditAction | str,
    *,
    actor: Any,
    object_type: str = "",
    object_id: Any = "",
    person_id: UUID | None = None,
    case_id: UUID | None = None,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
    outcome: str = "ok",
) -> AuditEvent:
    """Append one event to the chain and return it."""
    event = Event(action, actor, object_type, object_id, person_id, case_id, purpose, detail, outcome)
    return record_many([event])[0]


def record_many(events: list[Event]) -> list[AuditEvent]:
    """Append ``events`` to the chain, in order, in one transaction: a constant number of queries."""
    if not events:
        return []
    context = request_context.current()
    now = timezone.now()
    # No savepoint: if the append fails, the change it records must fail with it.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        rows = []
        for e in events:
            organisation = getattr(e.actor, "organisation", None) if e.actor is not None else None
            row = AuditEvent(
                seq=seq,
                at=now,
                actor=e.actor if e.actor is not None and e.actor.pk else None,
                actor_username=e.actor.username if e.actor is not None else "",
                actor_organisation=organisation.slug if organisation is not None else "",
                action=str(e.action),
                outcome=e.outcome,
                object_type=e.object_type,
                object_id=str(e.object_id) if e.object_id else "",
                person_id=e.person_id,
                case_id=e.case_id,
                purpose=e.purpose,
                detail=e.detail or {},
                request_id=context.request_id,
                ip=context.ip,
                prev_hash=prev_hash,
            )
            row.hash = row.compute_hash()
            rows.append(row)
            seq, prev_hash = seq + 1, row.hash
        if len(rows) == 1:
            rows[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(rows)
    return rows


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    first_broken: AuditEvent | None = None
    reason: str = ""


def _events_in_order(after_seq: int = 0, up_to_seq: int | None = None) -> Iterator[AuditEvent]:
    events = AuditEvent.objects.filter(seq__gt=after_seq)
    if up_to_seq is not None:
        events = events.filter(seq__lte=up_to_seq)
    return events.order_by("seq").iterator(chunk_size=2000)


def verify_chain(signed_heads: Mapping[int, str] | None = None) -> ChainReport:
    """Recompute every hash; report the first event that does not fit its predecessor.

    ``signed_heads`` maps a ``seq`` to the hash a signed checkpoint recorded for it
    (``continuum.audit.checkpoints``): an event whose hash differs was rewritten, even when every later
    hash was recomputed to fit, which the chain alone cannot tell.
    """
    return verify_segment(_events_in_order(), after_seq=0, after_hash=GENESIS_HASH, signed_heads=signed_heads)


def verify_segment(
    events: Iterable[AuditEvent],
    *,
    after_seq: int,
    after_hash: str,
    signed_heads: Mapping[int, str] | None = None,
) -> ChainReport:
    """Check ``events`` (in ``seq`` order) as the continuation of the event ``after_seq`` with ``after_hash``."""
    heads = signed_heads or {}
    expected_prev = after_hash
    expected_seq = after_seq + 1
    count = 0
    for event in events:
        count += 1
        if event.seq != expected_seq:
            return ChainReport(
                False,
                count,
                event,
                _("sequence jumps from %(before)s to %(after)s") % {"before": expected_seq - 1, "after": event.seq},
            )
        if event.prev_hash != expected_prev:
            return ChainReport(False, count, event, _("previous hash does not match the event before it"))
        if event.compute_hash() != event.hash:
            return ChainReport(False, count, event, _("content does not match its hash"))
        signed = heads.get(event.seq)
        if signed is not None and signed != event.hash:
            return ChainReport(
                False,
                count,
                event,
                _("its hash differs from the one a signed checkpoint recorded: the log was rewritten at or before it"),
            )
        expected_prev = event.hash
        expected_seq += 1
    return ChainReport(True, count)
