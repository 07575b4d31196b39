"""Reporting a signal: the subject's details and the checks of a report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.lib.dates import birth_date_error
from continuum.people.choices import Gender
from continuum.people.models import Person
from continuum.signals.actions._common import MAX_DESCRIPTION, _recheck_visible, _save_new
from continuum.signals.actions.matching import _retriage_monitored
from continuum.signals.actions.triage import _audit_triage, _include, _save_triage
from continuum.signals.choices import (
    AUTOMATIC_RATIONALE,
    REPORTING_ORG_TYPES,
    Channel,
    ExtremismType,
    OffenceType,
    Setting,
)
from continuum.signals.models import Signal
from continuum.signals.policy import can_report_signals, can_triage_signals


@dataclass(frozen=True)
class SubjectDetails:
    """Whom a signal is about, as the reporter typed it (no person search is offered: R12)."""

    given_name: str
    family_name: str
    birth_date: date | None = None
    gender: str = Gender.UNKNOWN
    nationality: str = ""


def subject_errors(subject: SubjectDetails) -> dict[str, str]:
    """What is wrong with a subject's details, by field (also used row by row by the CSV import)."""
    errors: dict[str, str] = {}
    names = (
        (
            "given_name",
            _("Give the person's given name (as far as it is known)."),
            _("The given name is longer than 100 characters."),
        ),
        (
            "family_name",
            _("Give the person's family name (as far as it is known)."),
            _("The family name is longer than 100 characters."),
        ),
    )
    for field, missing, too_long in names:
        value = getattr(subject, field).strip()
        if not value:
            errors[field] = missing
        elif len(value) > 100:
            errors[field] = too_long
    born_error = birth_date_error(subject.birth_date)
    if born_error:
        errors["birth_date"] = born_error
    if subject.gender not in Gender.values:
        errors["gender"] = _("Choose one of: %(values)s.") % {"values": ", ".join(Gender.values)}
    if len(subject.nationality.strip()) > 64:
        errors["nationality"] = _("The nationality is longer than 64 characters.")
    return errors


def report_errors(*, description: str, extremism_type: str, offence_type: str, setting: str) -> dict[str, str]:
    """What is wrong with the rest of a report, by field."""
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Describe what was seen or heard.")
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = _("Keep the description under %(count)s characters.") % {"count": MAX_DESCRIPTION}
    if extremism_type not in ExtremismType.values:
        errors["extremism_type"] = _("Choose one of: %(values)s.") % {"values": ", ".join(ExtremismType.values)}
    if offence_type not in OffenceType.values:
        errors["offence_type"] = _("Choose one of: %(values)s.") % {"values": ", ".join(OffenceType.values)}
    if setting not in Setting.values:
        errors["setting"] = _("Choose one of: %(values)s.") % {"values": ", ".join(Setting.values)}
    return errors


@transaction.atomic
def do_report_signal(
    *,
    description: str,
    extremism_type: str,
    offence_type: str,
    setting: str = Setting.OTHER,
    subject: SubjectDetails | None = None,
    person: Person | None = None,
    channel: str = Channel.FORM,
    on_behalf_of: Organisation | None = None,
    batch: str = "",
    acting_user: User,
) -> Signal:
    """Report a signal to the central point, about someone described (``subject``) or a known ``person``.

    Members of reporting organisations report for their own organisation; the central point reports
    ``on_behalf_of`` one (the CSV import). A terrorist offence is included at once (seed 003); a new
    signal about a monitored person puts that person's monitored signals back in the queue.
    """
    if on_behalf_of is None:
        if not can_report_signals(acting_user):
            raise PermissionDenied(_("Your organisation or role does not report signals."))
        reporting_org = acting_user.organisation
        assert reporting_org is not None  # noqa: S101  (can_report_signals checked it)
    else:
        if not can_triage_signals(acting_user):
            raise PermissionDenied(_("Only the central point records signals on behalf of another organisation."))
        if on_behalf_of.type not in REPORTING_ORG_TYPES or not on_behalf_of.is_active:
            raise ValidationError({"reporting_organisation": _("This organisation does not report signals.")})
        reporting_org = on_behalf_of
    errors = report_errors(
        description=description, extremism_type=extremism_type, offence_type=offence_type, setting=setting
    )
    if channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if (subject is None) == (person is None):
        errors["subject"] = _("Give either the person's details or a known person, not both.")
    elif person is not None:
        # A person the reporter may not see is answered like one that does not exist (R12).
        if not Person.objects.visible_to(acting_user).filter(pk=person.pk).exists():
            errors["person"] = _("Unknown person.")
        else:
            subject = SubjectDetails(
                given_name=person.given_name,
                family_name=person.family_name,
                birth_date=person.birth_date,
                gender=person.gender,
                nationality=person.nationality,
            )
    if subject is not None and person is None:
        errors.update(subject_errors(subject))
    if errors:
        raise ValidationError(errors)
    assert subject is not None  # noqa: S101  (narrowing for mypy)
    signal = Signal(
        person=person,
        author=acting_user,
        author_org=reporting_org,
        subject_given_name=subject.given_name.strip(),
        subject_family_name=subject.family_name.strip(),
        subject_birth_date=subject.birth_date,
        subject_gender=subject.gender,
        subject_nationality=subject.nationality.strip(),
        description=description.strip(),
        extremism_type=extremism_type,
        offence_type=offence_type,
        setting=setting,
        channel=channel,
    )
    signal.full_clean(exclude=["number"])
    _save_new(signal)
    detail: dict[str, Any] = {
        "reference": signal.reference,
        "reporting_organisation": reporting_org.slug,
        "channel": channel,
        "extremism_type": extremism_type,
        "offence_type": offence_type,
        "setting": setting,
        "subject": "person" if person is not None else "details",
    }
    if on_behalf_of is not None:
        detail["importer"] = acting_user.username
    if batch:
        detail["batch"] = batch
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="signal",
        object_id=signal.pk,
        person_id=signal.person_id,
        detail=detail,
    )
    if person is not None:
        _retriage_monitored(person, new_signal=signal, acting_user=acting_user)
    if offence_type == OffenceType.TERRORIST_OFFENCE:
        _include(signal, acting_user=acting_user, decided_by=None, rationale=AUTOMATIC_RATIONALE)
        _save_triage(signal)
        _audit_triage(signal, acting_user=acting_user, automatic=True)
    _recheck_visible(Signal, signal.pk, acting_user)
    return signal
