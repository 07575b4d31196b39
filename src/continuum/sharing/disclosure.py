"""R11: every read of another organisation's record is a disclosure, logged per record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from continuum.audit.log import record as audit
from continuum.audit.models import AuditAction
from continuum.lib import request_context
from continuum.sharing.models import Disclosure


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
