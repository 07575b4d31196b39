"""The case journal: entries, their attachments, and whom they are withheld from."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.choices import OrgType
from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.attachment_files import Staging, final_name
from continuum.cases.choices import EntryKind
from continuum.cases.models import Attachment, Case, Entry
from continuum.cases.uploads import check_upload
from continuum.sharing import engine
from continuum.sharing.choices import Category, Reliability, Statement
from continuum.sharing.records import encode_withholding


def resolve_withholding(entries: list[str]) -> str:
    """Validate withhold-from entries (organisation types or slugs, optionally ``type:``/``org:``) and encode."""
    if len(entries) > 30:
        raise ValidationError({"withhold_from": _("Name at most 30 organisations or types.")})
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
        raise ValidationError(
            {"withhold_from": _("Unknown organisation or type: %(names)s") % {"names": ", ".join(unknown)}}
        )
    return encode_withholding(entries)


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
    """Write a journal entry. The user's organisation must be a member with write access to the category.

    Atomic like every action; the transaction sits inside ``Staging`` so that the attachments' files,
    written under temporary names and moved into place on commit, are deleted when anything in it
    fails, the commit included (``cases/attachment_files.py``).
    """
    with Staging() as staging, transaction.atomic():
        if category not in Category.values:
            raise ValidationError({"category": _("Unknown category.")})
        if not engine.can_write(acting_user, case, category):
            raise PermissionDenied(_("Your organisation may not write this category on this case."))
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
        # Every file is checked before anything is written: a bad second file writes nothing at all.
        content_types = [check_upload(upload) for upload in uploads]
        entry.save(force_insert=True)
        for upload, content_type in zip(uploads, content_types, strict=True):
            _attach(entry, upload, content_type, staging)
        # Re-check after writing (NetBox): the author's organisation must see what it wrote.
        if not Entry.objects.visible_to(acting_user).filter(pk=entry.pk).exists():
            raise PermissionDenied(_("The entry would not be visible to its author."))
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
                "attachments": len(uploads),
            },
        )
    return entry


def _attach(entry: Entry, upload: UploadedFile, content_type: str, staging: Staging) -> Attachment:
    attachment_id = uuid.uuid4()
    uploaded_at = timezone.now()
    name = final_name(attachment_id, content_type, uploaded_at)
    digest = staging.write(attachment_id, upload, name)
    # The row names the file's final place; the file gets there when the transaction commits.
    return Attachment.objects.create(
        id=attachment_id,
        entry=entry,
        file=name,
        original_name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest,
        uploaded_at=uploaded_at,
    )
