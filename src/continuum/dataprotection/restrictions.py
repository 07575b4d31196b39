"""Which items of a person's subject access are kept back under LED Art. 15(1), and why.

Three layers decide, the most specific first (docs/data-protection.md, "Restrictions"):

1. the data protection officer's latest decision about the item itself (restricted on a ground, or
   given after all);
2. else the latest decision about the item's whole category for this person;
3. else the defaults: ``security`` records are restricted on ground (c), public security, until the
   data protection officer decides otherwise (a decision "given" about the category or the item).

A decision whose ``until`` has passed no longer counts: the next layer decides again. Decisions are
never edited; a later decision about the same target replaces the earlier one.

Withholding from organisations (R4 ``withhold_from``) is about sharing between agencies, not about the
person: it restricts nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.dataprotection.models import AccessRestriction, RestrictionGround
from continuum.dataprotection.policy import can_take_subject_access
from continuum.lib.text import forbidden_character, forbidden_message
from continuum.sharing.choices import Category
from continuum.sharing.records import CaseRecord, record_models

# Categories restricted unless the data protection officer decides otherwise, and on which ground.
DEFAULT_RESTRICTIONS: dict[str, str] = {Category.SECURITY.value: RestrictionGround.PUBLIC_SECURITY.value}


@dataclass(frozen=True)
class Withholding:
    """Why one item is kept back: its ground, whether by default, until when."""

    ground: str
    by_default: bool
    until: date | None = None
    decision: AccessRestriction | None = None

    @property
    def reason(self) -> str:
        """The sentence the person reads instead of the item (Art. 15(3): the reasons, in writing)."""
        ground = RestrictionGround(self.ground).label
        text = _("Kept back under Article 15(1) of the Law Enforcement Directive, %(ground)s.") % {"ground": ground}
        if self.by_default:
            text += " " + _("Security records are kept back by default until the data protection officer reviews them.")
        if self.until is not None:
            text += " " + _("This restriction is reviewed by %(day)s.") % {"day": self.until.isoformat()}
        return text


class Restrictions:
    """The decisions about one person, read once, answering for every item."""

    def __init__(self, decisions: list[AccessRestriction]) -> None:
        self.items: dict[tuple[str, str], AccessRestriction] = {}
        self.categories: dict[str, AccessRestriction] = {}
        today = timezone.localdate()
        # Latest first: the first decision seen about a target is the one that counts.
        seen: set[tuple[str, str]] = set()
        for decision in sorted(decisions, key=lambda d: (d.decided_at, str(d.pk)), reverse=True):
            key = (
                ("category", decision.category)
                if decision.category
                else (decision.record_type, str(decision.record_id))
            )
            if key in seen:
                continue
            seen.add(key)
            if decision.until is not None and decision.until < today:
                continue  # ended: the next layer decides
            if decision.category:
                self.categories[decision.category] = decision
            else:
                self.items[key] = decision

    @classmethod
    def of(cls, person: Any) -> Restrictions:
        return cls(list(AccessRestriction.objects.filter(person=person)))

    def for_item(self, record_type: str, record_id: Any, category: str) -> Withholding | None:
        decision = self.items.get((record_type, str(record_id))) or self.categories.get(category)
        if decision is not None:
            if not decision.restricts:
                return None
            return Withholding(decision.ground, by_default=False, until=decision.until, decision=decision)
        ground = DEFAULT_RESTRICTIONS.get(category)
        return Withholding(ground, by_default=True) if ground else None


def record_model_of(record_type: str) -> type[CaseRecord] | None:
    return next((m for m in record_models() if m.record_type == record_type), None)


@transaction.atomic
def do_record_access_restriction(
    person: Any,
    *,
    acting_user: Any,
    note: str,
    record_type: str = "",
    record_id: UUID | str | None = None,
    category: str = "",
    restricts: bool = True,
    ground: str = "",
    until: date | None = None,
) -> AccessRestriction:
    """Record the data protection officer's decision to keep back (or to give after all) one item or one
    whole category of the person's subject access; audited, with the target and ground, not the note."""
    if not can_take_subject_access(acting_user):
        raise PermissionDenied(_("Only the data protection officer restricts a person's access."))
    errors: dict[str, str] = {}
    if bool(category) == bool(record_type or record_id):
        errors["category"] = _("Choose either one record (its type and id) or one whole category.")
    if category and category not in Category.values:
        errors["category"] = _("Unknown category.")
    found_id: UUID | None = None
    if record_type or record_id:
        model = record_model_of(record_type)
        try:
            found_id = record_id if isinstance(record_id, UUID) else UUID(str(record_id))
        except (TypeError, ValueError):
            found_id = None
        if model is None:
            errors["record_type"] = _("Unknown record type.")
        elif found_id is None or not model.objects.filter(pk=found_id, person=person).exists():
            errors["record_id"] = _("This person has no record of that type with that id.")
    if restricts and ground not in RestrictionGround.values:
        errors["ground"] = _("Choose the ground of Article 15(1), (a) to (e), on which the item is kept back.")
    if not restricts and ground:
        errors["ground"] = _("A ground is given only when the item is kept back.")
    note = (note or "").strip()
    if not note:
        errors["note"] = _("Document the factual or legal reasons for this decision (Article 15(4)).")
    elif (character := forbidden_character(note)) is not None:
        errors["note"] = forbidden_message(character)
    if until is not None and until < timezone.localdate():
        errors["until"] = _("The review date must be today or later.")
    if errors:
        raise ValidationError(errors)
    decision = AccessRestriction.objects.create(
        person=person,
        record_type=record_type if not category else "",
        record_id=found_id if not category else None,
        category=category,
        restricts=restricts,
        ground=ground if restricts else "",
        note=note,
        decided_by=acting_user,
        until=until,
    )
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="access_restriction",
        object_id=decision.pk,
        person_id=person.pk,
        purpose=_("Restriction of the right of access (LED Art. 15)"),
        detail={
            "record_type": decision.record_type,
            "record_id": str(decision.record_id or ""),
            "category": decision.category,
            "restricts": decision.restricts,
            "ground": decision.ground,
            "until": until.isoformat() if until else "",
        },
    )
    return decision
