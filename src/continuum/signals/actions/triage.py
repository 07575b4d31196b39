"""The central point's triage: no further action, monitoring, or inclusion in a case."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.choices import OrgType
from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.actions import do_open_case
from continuum.cases.choices import Phase
from continuum.cases.models import Case, CaseMember
from continuum.cases.policy import can_open_cases
from continuum.sharing import engine
from continuum.signals.actions._common import MAX_RATIONALE, _lock, _recheck_visible, _refresh, _require_triage
from continuum.signals.actions.matching import _link_person, _person_from_subject
from continuum.signals.choices import (
    CASE_LEAD_ORG_TYPES,
    DECISION_STATUS,
    Decision,
    OffenceType,
    Setting,
    SignalStatus,
    in_sentence,
)
from continuum.signals.models import Signal, SignalNote

AUTOMATIC_INCLUSION_RULE = "pare_terrorist_offence"


def central_point_organisation() -> Organisation | None:
    """The national central point that leads cases opened by rule (``CONTINUUM_CENTRAL_POINT``)."""
    return Organisation.objects.filter(
        slug=settings.CONTINUUM_CENTRAL_POINT, type=OrgType.CENTRAL_POINT, is_active=True
    ).first()


def _starting_phase(signal: Signal) -> str:
    if signal.setting == Setting.PRISON:
        return Phase.CUSTODY
    if signal.setting == Setting.PROBATION:
        return Phase.PROBATION
    if signal.offence_type in (OffenceType.TERRORIST_OFFENCE, OffenceType.OTHER_OFFENCE):
        return Phase.PRE_TRIAL
    return Phase.COMMUNITY


def _join_case(case: Case, organisation: Organisation, *, acting_user: User, signal: Signal) -> None:
    """The reporting organisation takes part in the case its included signal joined.

    Written here rather than through ``cases.actions.do_add_member``, which only the case's managers
    may call: the central point's inclusion decision (or the PARE rule) is the authority for it.
    """
    if engine.is_current_member(organisation.pk, case.pk):
        return
    member = CaseMember.objects.create(case=case, organisation=organisation, responsible=None)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="case_member",
        object_id=member.pk,
        person_id=case.person_id,
        case_id=case.pk,
        detail={"organisation": organisation.slug, "responsible": None, "reason": f"signal {signal.reference}"},
    )


def _include(signal: Signal, *, acting_user: User, decided_by: User | None, rationale: str) -> None:
    """Include the signal's person in the multi-agency approach: reuse their open case or open one.

    The lead of a new case is the reporting organisation when it can lead a case (prison, probation,
    municipality), otherwise the central point; the reporter is its responsible practitioner when
    the reporting organisation leads. When someone who may not register persons or open cases (a police
    liaison) reports a terrorist offence, the PARE rule registers the person and opens the case on the
    central point's behalf; without a configured central point the signal waits for an analyst.
    """
    may_open = can_open_cases(acting_user)
    # PARE: a terrorist offence is included automatically whoever reports it. When the reporter may not
    # register persons or open cases (a police liaison, an NGO), the rule does it on the central
    # point's behalf: the central point leads, and the reporter's organisation does not join by that.
    rule = AUTOMATIC_INCLUSION_RULE if decided_by is None and not may_open else ""
    central = central_point_organisation() if rule else None
    if rule and central is None:
        rule = ""  # no central point configured: the signal waits for an analyst, as before
    if signal.person_id is None and (may_open or rule):
        person = _person_from_subject(signal, acting_user=acting_user, by_rule=rule, on_behalf_of=central)
        _link_person(signal, person, acting_user=acting_user)
    case = None
    if signal.person_id is not None:
        case = (
            Case.objects.select_for_update(of=("self",))
            .filter(person_id=signal.person_id)
            .exclude(phase=Phase.CLOSED)
            .order_by("-opened_at")
            .first()
        )
        reporter_org = signal.author_org
        if case is not None:
            if reporter_org.type in CASE_LEAD_ORG_TYPES and reporter_org.is_active:
                _join_case(case, reporter_org, acting_user=acting_user, signal=signal)
        elif may_open or rule:
            # The actor is the central point (triage, import) or the reporter itself (automatic).
            leads = reporter_org.type in CASE_LEAD_ORG_TYPES and reporter_org.is_active
            lead = reporter_org if leads else (central if rule else acting_user.organisation)
            assert lead is not None  # noqa: S101  (may_open implies an organisation; rule implies central)
            reporter = signal.author
            subject = signal.person
            assert subject is not None  # noqa: S101  (person_id is set)
            responsible = reporter if reporter.organisation_id == lead.pk and reporter.is_active else None
            case = do_open_case(
                person=subject,
                lead_organisation=lead,
                phase=_starting_phase(signal),
                responsible=responsible,
                acting_user=acting_user,
                by_rule=rule,
            )
    signal.case = case
    signal.status = SignalStatus.INCLUDED
    signal.decision = Decision.INCLUDE
    signal.rationale = rationale
    signal.review_date = None
    signal.triaged_by = decided_by
    signal.triaged_at = timezone.now()
    signal.queue_note = ""
    if case is not None:
        SignalNote.objects.filter(signal=signal).update(case=case)


_TRIAGE_FIELDS = ["case", "status", "decision", "rationale", "review_date", "triaged_by", "triaged_at", "queue_note"]


def _save_triage(signal: Signal) -> None:
    signal.save(update_fields=_TRIAGE_FIELDS)


def _audit_triage(signal: Signal, *, acting_user: User, automatic: bool = False) -> None:
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="signal",
        object_id=signal.pk,
        person_id=signal.person_id,
        case_id=signal.case_id,
        purpose="triage",  # the rationale stays on the signal: the log holds no free text (erasure)
        detail={
            "reference": signal.reference,
            "decision": signal.decision,
            "status": signal.status,
            "review_date": signal.review_date.isoformat() if signal.review_date else None,
            "case": str(signal.case_id) if signal.case_id else None,
            "decided_by": "system" if automatic else acting_user.username,
        },
    )


@transaction.atomic
def do_triage_signal(
    signal: Signal,
    *,
    decision: str,
    rationale: str,
    review_date: date | None = None,
    acting_user: User,
) -> Signal:
    """The central point's decision: no further action, monitor until a review date, or include.

    Always with a written rationale. ``include`` reuses the person's open case or opens one (and
    registers the person from the signal's details when no match was confirmed). A signal can be
    decided while it waits in the queue or is monitored, and an automatically included signal still
    waiting for its case can be included again to open it.
    """
    _require_triage(acting_user)
    locked = _lock(signal)
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = _("Choose no further action, monitor or include.")
    if not rationale.strip():
        errors["rationale"] = _("Write down why: every decision has a rationale.")
    elif len(rationale) > MAX_RATIONALE:
        errors["rationale"] = _("Keep the rationale under %(count)s characters.") % {"count": MAX_RATIONALE}
    if decision == Decision.MONITOR:
        if review_date is None:
            errors["review_date"] = _("A monitored signal needs a review date.")
        elif review_date <= timezone.localdate():
            errors["review_date"] = _("The review date must be in the future.")
    open_for_triage = locked.status in (SignalStatus.NEW, SignalStatus.MONITORING)
    if not open_for_triage and not (locked.case_pending and decision == Decision.INCLUDE):
        errors["decision"] = _("This signal is decided already: %(status)s.") % {
            "status": in_sentence(locked.get_status_display())
        }
    if errors:
        raise ValidationError(errors)
    if decision == Decision.INCLUDE:
        _include(locked, acting_user=acting_user, decided_by=acting_user, rationale=rationale.strip())
    else:
        locked.status = DECISION_STATUS[Decision(decision)]
        locked.decision = decision
        locked.rationale = rationale.strip()
        locked.review_date = review_date if decision == Decision.MONITOR else None
        locked.triaged_by = acting_user
        locked.triaged_at = timezone.now()
        locked.queue_note = ""
    _save_triage(locked)
    _audit_triage(locked, acting_user=acting_user)
    _recheck_visible(Signal, locked.pk, acting_user)
    _refresh(signal, locked)
    return signal
