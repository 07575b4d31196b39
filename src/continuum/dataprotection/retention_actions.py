"""Retention's state changes: legal holds, erasure of due records, the daily run.

docs/data-protection.md, "Retention" and "Erasure". Erasure deletes the rows of the due records and
whatever cannot exist without them (a plan's goals, an entry's attachments and their files, an
assessment's ratings), and appends one audit event per case (or person) and category naming only
ids, record types and counts. The audit log is never touched: it holds ids, never content
(``audit/changes.py`` logs only that a free text changed), so its chain still verifies.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases import attachment_files
from continuum.cases.models import Attachment, Case
from continuum.dataprotection.retention import DueGroup, due_groups
from continuum.dataprotection.retention_models import LegalHold, QueueEntry
from continuum.lib.text import forbidden_character, forbidden_message
from continuum.people.choices import Gender
from continuum.people.models import Person
from continuum.sharing.policy import can_oversee_sharing
from continuum.sharing.records import record_models

logger = logging.getLogger(__name__)

# What identifies a person, emptied once nothing else of them is left; the pseudonymous reference,
# the id and coded facts about the processing (legal status, data-subject category) stay.
IDENTITY_FIELDS: dict[str, Any] = {
    "given_name": "",
    "family_name": "",
    "aliases": [],
    "birth_date": None,
    "gender": Gender.UNKNOWN,
    "nationality": "",
    "languages": [],
    "media_exposure": False,
}
REASON_MAX = 2000


def _require_dpo(user: Any) -> None:
    if not can_oversee_sharing(user):
        raise PermissionDenied(_("Only the data protection officer manages retention."))


# --- Legal holds ---------------------------------------------------------------------------------


@transaction.atomic
def do_place_hold(case: Case, *, reason: Any, until: Any, acting_user: User) -> LegalHold:
    """Keep ``case`` from erasure until ``until`` (a future date) for ``reason`` (required)."""
    _require_dpo(acting_user)
    errors: dict[str, str] = {}
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        errors["reason"] = _("Say why the case is held (e.g. the court case or the request).")
    elif len(text) > REASON_MAX:
        errors["reason"] = _("Keep the reason under %(max)s characters.") % {"max": REASON_MAX}
    elif (character := forbidden_character(text)) is not None:
        errors["reason"] = forbidden_message(character)
    if not isinstance(until, date):
        errors["until"] = _("Give the day the hold ends.")
    elif until <= timezone.localdate():
        errors["until"] = _("A hold ends on a day still to come.")
    elif until.year > timezone.localdate().year + 100:
        errors["until"] = _("Give a real date.")
    if errors:
        raise ValidationError(errors)
    hold = LegalHold.objects.create(case=case, reason=text, until=until, placed_by=acting_user)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="legal_hold",
        object_id=hold.pk,
        person_id=case.person_id,
        case_id=case.pk,
        purpose="retention",
        detail={"until": until.isoformat()},
    )
    return hold


@transaction.atomic
def do_end_hold(hold: LegalHold, *, acting_user: User) -> LegalHold:
    """End a hold before its day; the case's due records go back to the review queue's count."""
    _require_dpo(acting_user)
    locked = LegalHold.objects.select_for_update().select_related("case").get(pk=hold.pk)
    if locked.ended_at is not None:
        raise ValidationError(_("This hold has already ended."))
    if locked.until < timezone.localdate():
        raise ValidationError(_("This hold has already run out."))
    locked.ended_at = timezone.now()
    locked.ended_by = acting_user
    locked.save(update_fields=["ended_at", "ended_by"])
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="legal_hold",
        object_id=locked.pk,
        person_id=locked.case.person_id,
        case_id=locked.case_id,
        purpose="retention",
        detail={"ended": True, "until": locked.until.isoformat()},
    )
    return locked


# --- Erasure ------------------------------------------------------------------------------------


def _dependents(model: type[models.Model]) -> list[Any]:
    """The reverse foreign keys to ``model`` (hidden ones too: ``related_name="+"``)."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
    ]


def _purge(queryset: Any, removed: Counter[str], files: list[str]) -> None:
    """Delete ``queryset``'s rows and, first, every row that cannot exist without them.

    A nullable protected link (a conference decision that agreed an erased plan) is cut instead;
    Django's own ``delete`` then handles cascades and ``SET_NULL`` links.
    """
    model = queryset.model
    pks = list(queryset.values_list("pk", flat=True))
    if not pks:
        return
    if model is Attachment:
        files.extend(name for name in Attachment.objects.filter(pk__in=pks).values_list("file", flat=True) if name)
    for relation in _dependents(model):
        on_delete = relation.on_delete
        if on_delete in (models.SET_NULL, models.SET_DEFAULT, models.DO_NOTHING):
            continue
        related = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": pks})
        if on_delete in (models.PROTECT, models.RESTRICT) and relation.field.null:
            related.update(**{relation.field.name: None})
        else:
            _purge(related, removed, files)
    model._base_manager.filter(pk__in=pks).delete()
    removed[getattr(model, "record_type", None) or model._meta.model_name] += len(pks)


@dataclass
class Erased:
    """What one erasure removed: record ids and counts per type, dependents and files."""

    group: DueGroup
    ids: dict[str, list[str]] = field(default_factory=dict)
    dependents: dict[str, int] = field(default_factory=dict)
    files: int = 0
    identity_erased: bool = False


def _group_rows(model: type[Any], group: DueGroup) -> Any:
    rows = model._base_manager.filter(category=group.category)
    if group.case_id:
        return rows.filter(case_id=group.case_id)
    return rows.filter(case__isnull=True, person_id=group.person_id)


def _erase_group(group: DueGroup, *, acting_user: User | None, reason: str) -> Erased:
    """Delete one group's records and dependents, and log it (the caller holds the transaction)."""
    result = Erased(group)
    removed: Counter[str] = Counter()
    files: list[str] = []
    own_types = set()
    for model in group.models:
        rows = _group_rows(model, group)
        ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
        if not ids:
            continue
        result.ids.setdefault(model.record_type, []).extend(ids)
        own_types.add(model.record_type)
        _purge(rows, removed, files)
    for name, count in removed.items():
        own = len(result.ids.get(name, [])) if name in own_types else 0
        if count - own > 0:
            result.dependents[name] = count - own
    result.files = len(files)
    queued = QueueEntry.objects.filter(category=group.category)
    if group.case_id:
        queued.filter(case_id=group.case_id).delete()
    else:
        queued.filter(case__isnull=True, person_id=group.person_id).delete()
    record(
        AuditAction.DELETE,
        actor=acting_user,
        object_type="case" if group.case_id else "person",
        object_id=group.case_id or group.person_id,
        person_id=group.person_id,
        case_id=group.case_id,
        purpose="retention",
        detail={
            "erasure": reason,
            "category": group.category,
            "closed_on": timezone.localtime(group.closed_at).date().isoformat(),
            "due_on": group.due_on.isoformat(),
            "records": {name: len(ids) for name, ids in result.ids.items()},
            "ids": result.ids,
            "dependents": result.dependents,
            "files": result.files,
        },
    )
    if files:
        storage = attachment_files.storage()

        def delete_files() -> None:
            for name in files:
                try:
                    storage.delete(name)
                except OSError:  # pragma: no cover - a file already gone, or a disk error: logged
                    logger.warning("Could not delete an erased attachment's file %s", name)

        transaction.on_commit(delete_files, robust=True)
    return result


def _erase_identity_if_nothing_left(person_ids: set[Any], *, acting_user: User | None) -> set[Any]:
    """Empty the identity of each person of whom no record and no open case is left; their ids."""
    if not person_ids:
        return set()
    parts = [
        m._base_manager.filter(person_id__in=person_ids).order_by().values_list("person_id") for m in record_models()
    ]
    left = {row[0] for row in parts[0].union(*parts[1:], all=True)} if parts else set()
    open_cases = set(
        Case.objects.filter(person_id__in=person_ids).exclude(phase="closed").values_list("person_id", flat=True)
    )
    erased = set()
    for person in Person._base_manager.select_for_update().filter(pk__in=person_ids - left - open_cases):
        changed = [name for name, blank in IDENTITY_FIELDS.items() if getattr(person, name) != blank]
        if not changed:
            continue
        for name in changed:
            setattr(person, name, IDENTITY_FIELDS[name])
        person.version += 1
        person.save(update_fields=[*changed, "version"])
        record(
            AuditAction.DELETE,
            actor=acting_user,
            object_type="person_identity",
            object_id=person.pk,
            person_id=person.pk,
            purpose="retention",
            detail={"erasure": "identity", "fields": changed},
        )
        erased.add(person.pk)
    return erased


@dataclass
class RunReport:
    """What a retention run found, noted and erased (or, in a dry run, would erase)."""

    dry_run: bool
    due: int = 0
    held: list[DueGroup] = field(default_factory=list)
    waiting: list[DueGroup] = field(default_factory=list)
    erased: list[DueGroup] = field(default_factory=list)
    newly_queued: int = 0
    identities: int = 0
    records: int = 0


def apply_retention(*, today: date | None = None, dry_run: bool = False, acting_user: User | None = None) -> RunReport:
    """The daily run: note newly due groups in the queue; erase every unheld group listed at least
    ``CONTINUUM_RETENTION_REVIEW_DAYS`` ago. A dry run writes nothing."""
    today = today or timezone.localdate()
    groups = due_groups(today)
    report = RunReport(dry_run=dry_run, due=len(groups))
    new = [g for g in groups if g.entered_on is None]
    report.newly_queued = len(new)
    if not dry_run and new:
        with transaction.atomic():
            QueueEntry.objects.bulk_create(
                [
                    QueueEntry(case_id=g.case_id, person_id=g.person_id, category=g.category, entered_on=today)
                    for g in new
                ],
                ignore_conflicts=True,
            )
    for group in groups:
        if group.held:
            report.held.append(group)
        elif group.entered_on is None or group.erasure_on(today) > today:
            report.waiting.append(group)
        else:
            report.erased.append(group)
            report.records += group.records
    if dry_run:
        return report
    persons: set[Any] = set()
    for group in report.erased:
        with transaction.atomic():
            _erase_group(group, acting_user=acting_user, reason="retention")
        persons.add(group.person_id)
    with transaction.atomic():
        report.identities = len(_erase_identity_if_nothing_left(persons, acting_user=acting_user))
    # Groups whose records are gone some other way leave their queue entries behind: drop them.
    if not dry_run:
        keys = {g.key for g in groups}
        stale = [e.pk for e in QueueEntry.objects.all() if _entry_key(e) not in keys]
        QueueEntry.objects.filter(pk__in=stale).delete()
    return report


def _entry_key(entry: QueueEntry) -> tuple[Any, ...]:
    return (entry.case_id, None if entry.case_id else entry.person_id, entry.category)


@transaction.atomic
def do_erase_now(*, case: Case | None, person: Person | None, category: str, acting_user: User) -> Erased:
    """The data protection officer erases one due group at once (no review window); refused while held."""
    _require_dpo(acting_user)
    group = next(
        (
            g
            for g in due_groups()
            if g.category == category
            and (
                (case is not None and g.case_id == case.pk)
                or (case is None and person and g.case_id is None and g.person_id == person.pk)
            )
        ),
        None,
    )
    if group is None:
        raise ValidationError(_("Nothing of this case and category is due for erasure."))
    if group.held:
        raise ValidationError(_("This case is under a legal hold: end the hold before erasing."))
    result = _erase_group(group, acting_user=acting_user, reason="dpo")
    result.identity_erased = bool(_erase_identity_if_nothing_left({group.person_id}, acting_user=acting_user))
    return result
