"""Changing who may see what: the policy matrix, consent, legal overrides and their review."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.choices import OrgType, Role
from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.sharing import engine
from continuum.sharing.choices import Access, Category, LegalBasis
from continuum.sharing.models import Consent, Override, PolicyRule, PolicyVersion
from continuum.sharing.policy import can_grant_override

# Consent is renewed with the person at least every three years.
MAX_CONSENT_DAYS = 3 * 365


def _next_number(model: type[Consent] | type[Override]) -> int:
    return (model.objects.aggregate(m=Max("number"))["m"] or 0) + 1


def _organisation(user: User) -> Organisation:
    if user.organisation is None:
        raise PermissionDenied(_("Only members of an organisation take part in cases."))
    return user.organisation


def is_member_of_persons_cases(user: User, person: Any) -> bool:
    """Whether the user's organisation is a current member of one of the person's cases (R1)."""
    return engine.is_member_of_persons_cases(_organisation(user), person)


# --- consent (R3) -------------------------------------------------------------------------------------


@transaction.atomic
def do_record_consent(
    person: Any,
    *,
    category: str,
    recipient: Organisation,
    purpose: str,
    valid_until: date,
    valid_from: date | None = None,
    acting_user: User,
) -> Consent:
    """Record the person's consent to share one category with one organisation, for a purpose and a period."""
    if not engine.viewer_for(acting_user).sees_content or not is_member_of_persons_cases(acting_user, person):
        raise PermissionDenied(_("Consent is recorded by a member of one of the person's cases."))
    errors: dict[str, str] = {}
    if category not in Category.values:
        errors["category"] = _("Unknown category.")
    if not purpose.strip():
        errors["purpose"] = _("Say what the information will be used for.")
    start = valid_from or timezone.localdate()
    if valid_until < max(start, timezone.localdate()):
        errors["valid_until"] = _("The end date must be today or later (and not before the start).")
    elif valid_until > start + timedelta(days=MAX_CONSENT_DAYS):
        errors["valid_until"] = _("Consent is recorded for at most three years; record it again when it ends.")
    if recipient.type == OrgType.RESEARCH:
        errors["recipient_organisation"] = _("Research organisations receive anonymised aggregates only (R9).")
    elif not recipient.is_active:
        errors["recipient_organisation"] = _("This organisation no longer takes part.")
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        number=_next_number(Consent),
        person=person,
        category=category,
        recipient=recipient,
        purpose=purpose.strip(),
        valid_from=start,
        valid_until=valid_until,
        recorded_by=acting_user,
        recorded_org=_organisation(acting_user),
    )
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="consent",
        object_id=consent.pk,
        person_id=person.pk,
        purpose=consent.purpose,
        detail={
            "reference": consent.reference,
            "category": category,
            "recipient": recipient.slug,
            "valid_until": valid_until.isoformat(),
        },
    )
    return consent


@transaction.atomic
def do_withdraw_consent(consent: Consent, *, acting_user: User) -> None:
    """Withdraw consent; sharing based on it stops with the very next request."""
    if not engine.viewer_for(acting_user).sees_content or not is_member_of_persons_cases(acting_user, consent.person):
        raise PermissionDenied(_("Consent is withdrawn by a member of one of the person's cases."))
    if consent.withdrawn_at is not None:
        return
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = acting_user
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="consent",
        object_id=consent.pk,
        person_id=consent.person_id,
        detail={"reference": consent.reference, "withdrawn": True},
    )


# --- legal overrides (R5) --------------------------------------------------------------------------------


@transaction.atomic
def do_grant_override(
    case: Any,
    *,
    category: str,
    recipient: Organisation,
    legal_basis: str,
    justification: str,
    valid_until: datetime,
    acting_user: User,
) -> Override:
    """Grant one organisation one category on one case for a limited time, with a written justification."""
    if not can_grant_override(acting_user, case) or not engine.is_current_member(
        _organisation(acting_user).pk, case.pk
    ):
        raise PermissionDenied(
            _(
                "Only a coordinator of the lead organisation or of the central point, taking part in the case, "
                "grants overrides."
            )
        )
    now = timezone.now()
    errors: dict[str, str] = {}
    if category not in Category.values:
        errors["category"] = _("Unknown category.")
    if legal_basis not in LegalBasis.values:
        errors["legal_basis"] = _("Choose public safety, legal obligation or vital interest.")
    if len(justification.strip()) < 20:
        errors["justification"] = _("Write the justification in full (at least 20 characters): it is reviewed.")
    limit = now + timedelta(days=settings.CONTINUUM_MAX_OVERRIDE_DAYS)
    if valid_until <= now or valid_until > limit:
        errors["valid_until"] = _("An override ends in the future and lasts at most %(days)s days.") % {
            "days": settings.CONTINUUM_MAX_OVERRIDE_DAYS
        }
    if not engine.is_current_member(recipient.pk, case.pk):
        errors["recipient_organisation"] = _("The recipient must be a current member of the case (R1).")
    if errors:
        raise ValidationError(errors)
    override = Override.objects.create(
        number=_next_number(Override),
        case=case,
        category=category,
        recipient=recipient,
        legal_basis=legal_basis,
        justification=justification.strip(),
        valid_from=now,
        valid_until=valid_until,
        granted_by=acting_user,
        granted_org=_organisation(acting_user),
    )
    record(
        AuditAction.OVERRIDE,
        actor=acting_user,
        object_type="override",
        object_id=override.pk,
        person_id=case.person_id,
        case_id=case.pk,
        purpose=override.justification,
        detail={
            "reference": override.reference,
            "category": category,
            "recipient": recipient.slug,
            "legal_basis": legal_basis,
            "valid_until": valid_until.isoformat(),
            "dpo_review": "pending",
        },
    )
    return override


@transaction.atomic
def do_review_override(override: Override, *, note: str, revoke: bool = False, acting_user: User) -> None:
    """The data protection officer's review of an override; it may end the override at once."""
    if acting_user.role != Role.DPO:
        raise PermissionDenied(_("Only the data protection officer reviews overrides."))
    if not note.strip():
        raise ValidationError({"note": _("Write down the outcome of the review.")})
    override.reviewed_by = acting_user
    override.reviewed_at = timezone.now()
    override.review_note = note.strip()
    fields = ["reviewed_by", "reviewed_at", "review_note"]
    if revoke and override.revoked_at is None:
        override.revoked_at = timezone.now()
        fields.append("revoked_at")
    override.save(update_fields=fields)
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="override",
        object_id=override.pk,
        case_id=override.case_id,
        detail={"reference": override.reference, "reviewed": True, "revoked": revoke},
    )


# --- the policy matrix (R2) ----------------------------------------------------------------------------


@transaction.atomic
def do_change_policy(changes: dict[tuple[str, str], str], *, note: str, acting_user: User) -> PolicyVersion | None:
    """Make a new policy version with ``changes`` ({(org_type, category): access}); audited cell by cell."""
    if acting_user.role != Role.DPO:
        raise PermissionDenied(_("Only the data protection officer changes the sharing policy."))
    for (org_type, category), access in changes.items():
        if org_type not in OrgType.values or category not in Category.values or access not in Access.values:
            raise ValidationError(
                {
                    "changes": _("Not a valid cell: %(type)s / %(category)s / %(access)s.")
                    % {"type": org_type, "category": category, "access": access}
                }
            )
        if org_type == OrgType.RESEARCH and access != Access.NONE:
            raise ValidationError({"changes": _("Research organisations see no personal records (R9).")})
    if not note.strip():
        raise ValidationError({"note": _("Say why the policy changes.")})
    current = PolicyVersion.objects.select_for_update().order_by("-number").first()
    if current is None:
        raise RuntimeError("No policy version: run the migrations.")
    rows = {(r.org_type, r.category): r.access for r in current.rules.all()}
    diff = {cell: (rows.get(cell, Access.NONE), access) for cell, access in changes.items() if rows.get(cell) != access}
    if not diff:
        return None
    version = PolicyVersion.objects.create(number=current.number + 1, created_by=acting_user, note=note.strip())
    rows.update(changes)
    PolicyRule.objects.bulk_create(
        [PolicyRule(version=version, org_type=t, category=c, access=a) for (t, c), a in sorted(rows.items())]
    )
    record(
        AuditAction.POLICY_CHANGE,
        actor=acting_user,
        object_type="policy_version",
        object_id=version.number,
        purpose=version.note,
        detail={
            "from_version": current.number,
            "to_version": version.number,
            "changes": [
                {"org_type": t, "category": c, "old": old, "new": new} for (t, c), (old, new) in sorted(diff.items())
            ],
        },
    )
    return version
