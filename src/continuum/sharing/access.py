"""The doors to case information that every app goes through (Zulip's ``access_stream_by_id``).

Each helper returns the object only if the user may see it; otherwise it logs the denied access
and raises ``Http404``, the same answer as for an object that does not exist (R12). Reads of
records are logged (R11) by ``read_records``. Apps add their own ``access_<noun>`` helpers on top
of ``access_visible`` (e.g. ``cases/access.py``).

Like ``engine.py``, this module sits below ``people`` and ``cases`` (docs/architecture.md, "Layers")
and so refers to ``Person`` and ``Case`` by string (``apps.get_model``), never by import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.audit.log import Event, record
from continuum.audit.models import AuditAction
from continuum.sharing.disclosure import log_denied, log_read_event, log_reads
from continuum.sharing.models import Consent, Disclosure
from continuum.sharing.policy import can_read_disclosures
from continuum.sharing.records import record_models


def parse_id(value: Any) -> UUID | None:
    """The UUID in ``value``, or None for anything malformed (which then answers like "not there")."""
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        return None


def access_visible(
    queryset: QuerySet[Any],
    user: Any,
    object_id: Any,
    *,
    object_type: str,
    on_found: Callable[[Any], None] | None = None,
) -> Any:
    """The object of ``queryset`` (already narrowed by ``visible_to(user)``) with ``object_id``, or 404.

    A miss, a malformed id and an object the user may not see all log one denied access and raise
    the same ``Http404``. ``on_found`` logs the read the caller's way (an audit read, a disclosure).
    """
    pk = parse_id(object_id)
    found = queryset.filter(pk=pk).first() if pk else None
    if found is None:
        log_denied(user, object_type, object_id)
        raise Http404
    if on_found is not None:
        on_found(found)
    return found


def access_case(user: Any, case_id: Any) -> Any:
    """A case the user's organisation is a current member of (R1), or 404 (a ``cases.Case``)."""
    case = access_visible(
        apps.get_model("cases", "Case").objects.visible_to(user).select_related("person", "lead_organisation"),
        user,
        case_id,
        object_type="case",
    )
    log_read_event(
        Event(
            AuditAction.READ,
            actor=user,
            object_type="case",
            object_id=case.pk,
            person_id=case.person_id,
            case_id=case.pk,
        )
    )
    return case


def access_person(user: Any, person_id: Any) -> Any:
    """A person of one of the cases the user's organisation is a member of, or 404 (a ``people.Person``)."""
    person = access_visible(
        apps.get_model("people", "Person").objects.visible_to(user), user, person_id, object_type="person"
    )
    log_read_event(Event(AuditAction.READ, actor=user, object_type="person", object_id=person.pk, person_id=person.pk))
    return person


def access_record(user: Any, model: type[Model], record_id: Any, *, object_type: str, purpose: str = "") -> Any:
    """One case record of ``model`` the user may see, logged as a read or disclosure (R11), or 404."""
    return access_visible(
        model.objects.visible_to(user),  # type: ignore[attr-defined]
        user,
        record_id,
        object_type=object_type,
        on_found=lambda found: log_reads(user, [found], purpose=purpose),
    )


def access_consent(user: Any, consent_id: Any) -> Consent:
    """A consent of a person one of whose cases the user's organisation is a member of, or 404."""
    consent: Consent = access_visible(
        Consent.objects.visible_to(user).select_related(
            "person", "recipient", "recorded_by", "recorded_org", "withdrawn_by"
        ),
        user,
        consent_id,
        object_type="consent",
    )
    return consent


def access_disclosure_report(
    user: Any,
    person_id: Any,
    *,
    since: date | None = None,
    until: date | None = None,
    export_format: str = "",
) -> tuple[Any, QuerySet[Disclosure]]:
    """The person's disclosure report (R11): who saw which of the person's records, when, and why.

    For the data protection officer, who sees no case content (R10) and so cannot pass
    ``access_person``: for the DPO the person's existence is not secret, but nothing else about
    the person is returned. For everyone else the person must be visible (or it is a 404), and the
    user must be the coordinator of the lead organisation of one of the person's cases (or it is
    a ``PermissionDenied``), and the report lists only disclosures of records that coordinator may
    see itself: otherwise it would betray that hidden records exist, and their categories (R12).

    ``since`` and ``until`` narrow it to those days (both included, in the local time zone), served by
    the ``(person, at)`` index of ``Disclosure``. Reading the report is itself audited, with the
    period; with ``export_format`` (``"csv"``) it is audited as an export instead.
    """
    Person = apps.get_model("people", "Person")
    if can_read_disclosures(user, None):
        person = access_visible(Person.objects.all(), user, person_id, object_type="person")
    else:
        person = access_person(user, person_id)
        cases = (
            apps.get_model("cases", "Case")
            .objects.visible_to(user)
            .filter(person=person)
            .only("pk", "lead_organisation_id")
        )
        if not any(can_read_disclosures(user, case) for case in cases):
            log_denied(user, "disclosure_report", person.pk)
            raise PermissionDenied(
                _("Only the data protection officer and the lead organisation's coordinator read disclosures.")
            )
    asked = {
        "from": since.isoformat() if since else "",
        "to": until.isoformat() if until else "",
        "format": export_format,
    }
    record(
        AuditAction.EXPORT if export_format else AuditAction.READ,
        actor=user,
        object_type="disclosure_report",
        object_id=person.pk,
        person_id=person.pk,
        detail={key: value for key, value in asked.items() if value},
    )
    disclosures = Disclosure.objects.filter(person=person).select_related("viewer", "viewer_org").order_by("-at", "pk")
    if since is not None:
        disclosures = disclosures.filter(at__gte=_start_of(since))
    if until is not None:
        disclosures = disclosures.filter(at__lt=_start_of(until + timedelta(days=1)))
    if not can_read_disclosures(user, None):
        visible = Q()
        for model in record_models():
            visible |= Q(
                record_type=model.record_type,
                record_id__in=model.objects.visible_to(user).filter(person=person).values("pk"),
            )
        disclosures = disclosures.filter(visible)
    return person, disclosures


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the local time zone (the days the DPO chose are local days)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def read_records(user: Any, records: Sequence[Any], *, purpose: str = "") -> Sequence[Any]:
    """Log a page of records as read (R11) and hand them back."""
    log_reads(user, list(records), purpose=purpose)
    return records
