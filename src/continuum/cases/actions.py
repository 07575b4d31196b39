"""Opening and changing cases, their teams, and the journal."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from continuum.accounts.choices import OrgType
from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.choices import EntryKind, Phase
from continuum.cases.models import Attachment, Case, CaseMember, Entry
from continuum.cases.policy import can_manage_case, can_open_cases
from continuum.cases.uploads import check_upload
from continuum.lib.errors import StaleVersion
from continuum.people.models import Person
from continuum.sharing import engine
from continuum.sharing.choices import Category, Reliability, Statement
from continuum.sharing.records import encode_withholding

CASE_FIELDS = ("phase", "trial_concluded_on", "lead_organisation")


def _next_case_number() -> str:
    year = timezone.localdate().year
    prefix = f"{year}-"
    last = Case.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    sequence = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _check_responsible(organisation: Organisation, responsible: User | None) -> None:
    if responsible is not None and (responsible.organisation_id != organisation.pk or not responsible.is_active):
        raise ValidationError(
            {"responsible": "The responsible practitioner must be an active user of that organisation."}
        )


@transaction.atomic
def do_open_case(
    *,
    person: Person,
    lead_organisation: Organisation,
    phase: str = Phase.PRE_TRIAL,
    responsible: User | None = None,
    acting_user: User,
) -> Case:
    """Open a case for a person; the lead organisation becomes its first member."""
    if not can_open_cases(acting_user):
        raise PermissionDenied("Your role cannot open cases.")
    if lead_organisation.type in (OrgType.RESEARCH,) or not lead_organisation.is_active:
        raise ValidationError({"lead_organisation": "This organisation cannot lead a case."})
    if phase not in Phase.values or phase == Phase.CLOSED:
        raise ValidationError({"phase": "Choose the phase the case starts in."})
    if responsible is None and acting_user.organisation_id == lead_organisation.pk:
        responsible = acting_user
    _check_responsible(lead_organisation, responsible)
    case = None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    number=_next_case_number(),
                    person=person,
                    phase=phase,
                    lead_organisation=lead_organisation,
                    created_by=acting_user,
                )
            break
        except IntegrityError:  # two cases opened at once took the same number: take the next
            continue
    if case is None:
        raise RuntimeError("Could not allocate a case number.")
    CaseMember.objects.create(case=case, organisation=lead_organisation, responsible=responsible)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="case",
        object_id=case.pk,
        person_id=person.pk,
        case_id=case.pk,
        detail={"number": case.number, "lead_organisation": lead_organisation.slug, "phase": phase},
    )
    own = acting_user.organisation
    if own is not None and own.pk != lead_organisation.pk and not engine.is_current_member(own.pk, case.pk):
        # Whoever opens a case for another organisation takes part in it (the central point, usually).
        CaseMember.objects.create(case=case, organisation=own, responsible=acting_user)
    return case


def _require_manager(case: Case, acting_user: User) -> None:
    if not can_manage_case(acting_user, case):
        raise PermissionDenied("Only the lead organisation's coordinator or case manager changes this case.")


@transaction.atomic
def do_update_case(case: Case, *, version: int, acting_user: User, **changes: Any) -> Case:
    """Change phase, trial date or lead organisation; a stale ``version`` is refused (409)."""
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    locked = Case.objects.select_for_update().get(pk=case.pk)
    _require_manager(locked, acting_user)
    if locked.version != version:
        raise StaleVersion(locked.version)
    if "phase" in changes and changes["phase"] not in Phase.values:
        raise ValidationError({"phase": "Unknown phase."})
    if "lead_organisation" in changes and not engine.is_current_member(changes["lead_organisation"].pk, case.pk):
        raise ValidationError({"lead_organisation": "The new lead organisation must be a member of the case."})
    before = {f: getattr(locked, f) for f in changes}
    changed = [f for f in changes if before[f] != changes[f]]
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, changes[field])
    locked.version += 1
    locked.save(update_fields=[*changed, "version"])
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="case",
        object_id=case.pk,
        person_id=locked.person_id,
        case_id=case.pk,
        detail={"changes": {f: {"old": _plain(before[f]), "new": _plain(changes[f])} for f in changed}},
    )
    return locked


def _plain(value: Any) -> Any:
    if isinstance(value, Organisation):
        return value.slug
    if isinstance(value, date):
        return value.isoformat()
    return value


@transaction.atomic
def do_add_member(
    case: Case, *, organisation: Organisation, responsible: User | None = None, acting_user: User
) -> CaseMember:
    """Add an organisation to the case team (or name its responsible practitioner anew)."""
    _require_manager(case, acting_user)
    if organisation.type == OrgType.RESEARCH or not organisation.is_active:
        raise ValidationError({"organisation": "Research organisations never take part in cases (R9)."})
    _check_responsible(organisation, responsible)
    member = (
        CaseMember.objects.select_for_update().filter(case=case, organisation=organisation, until__isnull=True).first()
    )
    if member is not None:
        if member.responsible_id == (responsible.pk if responsible else None):
            return member
        member.responsible = responsible
        member.save(update_fields=["responsible"])
        action = AuditAction.UPDATE
    else:
        member = CaseMember.objects.create(case=case, organisation=organisation, responsible=responsible)
        action = AuditAction.CREATE
    record(
        action,
        actor=acting_user,
        object_type="case_member",
        object_id=member.pk,
        person_id=case.person_id,
        case_id=case.pk,
        detail={
            "organisation": organisation.slug,
            "responsible": responsible.username if responsible else None,
        },
    )
    return member


@transaction.atomic
def do_end_membership(case: Case, *, organisation: Organisation, acting_user: User) -> None:
    """End an organisation's membership today. It keeps only what it wrote (R1, R0)."""
    _require_manager(case, acting_user)
    if organisation.pk == case.lead_organisation_id:
        raise ValidationError({"organisation": "Hand the lead to another member before the lead organisation leaves."})
    updated = CaseMember.objects.filter(case=case, organisation=organisation, until__isnull=True).update(
        until=timezone.localdate()
    )
    if not updated:
        raise ValidationError({"organisation": "This organisation is not a member of the case."})
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="case_member",
        object_id=organisation.slug,
        person_id=case.person_id,
        case_id=case.pk,
        detail={"organisation": organisation.slug, "ended": timezone.localdate().isoformat()},
    )


def resolve_withholding(entries: list[str]) -> str:
    """Validate withhold-from entries (organisation types or slugs, optionally ``type:``/``org:``) and encode."""
    if len(entries) > 30:
        raise ValidationError({"withhold_from": "Name at most 30 organisations or types."})
    bad_types: list[str] = []
    slugs: set[str] = set()
    for entry in entries:
        if entry.startswith("type:"):
            if entry.removeprefix("type:") not in OrgType.values:
                bad_types.append(entry)
        elif entry.startswith("org:"):
            slugs.add(entry.removeprefix("org:"))
        elif entry not in OrgType.values:
            slugs.add(entry)
    known = set(Organisation.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = bad_types + sorted(slugs - known)
    if unknown:
        raise ValidationError({"withhold_from": f"Unknown organisation or type: {', '.join(unknown)}"})
    return encode_withholding(entries)


@transaction.atomic
def do_add_entry(
    case: Case,
    *,
    category: str,
    title: str,
    body: str = "",
    kind: str = EntryKind.NOTE,
    withhold_from: list[str] | None = None,
    statement: str = Statement.FACT,
    source: str = "",
    reliability: str = Reliability.UNKNOWN,
    attachments: list[UploadedFile] | None = None,
    acting_user: User,
) -> Entry:
    """Write a journal entry. The user's organisation must be a member with write access to the category."""
    if category not in Category.values:
        raise ValidationError({"category": "Unknown category."})
    if not engine.can_write(acting_user, case, category):
        raise PermissionDenied("Your organisation may not write this category on this case.")
    entry = Entry(
        person_id=case.person_id,
        case=case,
        category=category,
        kind=kind,
        title=title.strip(),
        body=body,
        author=acting_user,
        author_org=acting_user.organisation,
        withhold_from=resolve_withholding(withhold_from or []),
        statement=statement,
        source=source,
        reliability=reliability,
    )
    entry.full_clean()
    uploads = attachments or []
    # Every file is checked before anything is written: a bad second file must not leave the
    # first one on disk, where no transaction can roll it back.
    content_types = [check_upload(upload) for upload in uploads]
    entry.save(force_insert=True)
    stored: list[Attachment] = []
    try:
        for upload, content_type in zip(uploads, content_types, strict=True):
            stored.append(_attach(entry, upload, content_type))
        # Re-check after writing (NetBox): the author's organisation must see what it wrote.
        if not Entry.objects.visible_to(acting_user).filter(pk=entry.pk).exists():
            raise PermissionDenied("The entry would not be visible to its author.")
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="entry",
        object_id=entry.pk,
        person_id=case.person_id,
        case_id=case.pk,
        detail={
            "category": category,
            "kind": kind,
            "withhold_from": entry.withheld_from,
            "attachments": len(attachments or []),
        },
    )
    return entry


def _attach(entry: Entry, upload: UploadedFile, content_type: str) -> Attachment:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Attachment.objects.create(
        entry=entry,
        file=upload,
        original_name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
    )
