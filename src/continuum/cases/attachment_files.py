"""Where the files of journal attachments live, and how they get there only when their entry commits.

A file is written inside the transaction that creates its ``Attachment`` row, but under a temporary
name, ``attachments/incoming/<attachment id>``; once the transaction commits
(``transaction.on_commit``) it is moved to the row's name, ``attachments/YYYY/MM/<id>.<ext>``, by
``os.replace``: one folder tree on one filesystem, so the move is atomic and a reader finds the whole
file or none. Reading an attachment therefore works only after the commit.

When the action itself fails (a bad row, the re-check, the audit record, the commit), ``Staging``
deletes its incoming files at once. What it cannot see: an outer transaction that rolls back after
the action returned, or a process killed mid-upload, leaves an incoming file that no row names;
``sweep`` (``continuum remove_orphan_attachments``) deletes those once they are old, deletes files in
the attachment folders that no row references (left by versions before this one, which wrote files
before the commit), and moves an old incoming file whose row did commit (a process killed between the
commit and the move) into its place. A file a row references is never deleted.

The files are on the local filesystem of the ``Attachment.file`` storage (``CONTINUUM_MEDIA_ROOT``):
atomic moves need real paths.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType

from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from continuum.cases.models import Attachment

logger = logging.getLogger(__name__)

ATTACHMENTS = "attachments"
INCOMING = f"{ATTACHMENTS}/incoming"

# Files are named after their row, never after the upload: no person's name on disk, and no two
# uploads racing for one name. The extension follows the type judged from the content (uploads.py).
_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "text/plain": ".txt"}


def storage() -> Storage:
    """The storage of ``Attachment.file`` (the default filesystem storage under ``MEDIA_ROOT``)."""
    return Attachment._meta.get_field("file").storage


def final_name(attachment_id: uuid.UUID, content_type: str, uploaded_at: datetime) -> str:
    """The storage name an attachment's file has once its entry is committed."""
    return f"{ATTACHMENTS}/{uploaded_at:%Y/%m}/{attachment_id}{_EXTENSIONS.get(content_type, '')}"


def incoming_name(attachment_id: uuid.UUID) -> str:
    """The temporary storage name of an attachment's file until its entry is committed."""
    return f"{INCOMING}/{attachment_id}"


def _path(name: str) -> Path:
    return Path(storage().path(name))


def _fsync_directory(directory: Path) -> None:
    # The rename itself must survive a power cut, not only the file's bytes.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _move_into_place(incoming: Path, final: Path) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(incoming, final)
    _fsync_directory(final.parent)


class Staging:
    """The incoming files of one action: moved into place on commit, deleted if the action fails.

    Use it around the action's transaction, so that a failing commit is seen too::

        with Staging() as staging, transaction.atomic():
            digest = staging.write(attachment_id, upload, final_name)
    """

    def __init__(self) -> None:
        self._incoming: list[Path] = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            self.discard()

    def write(self, attachment_id: uuid.UUID, upload: UploadedFile, name: str) -> str:
        """Write the upload under its incoming name, move it to ``name`` on commit; its SHA-256."""
        incoming = _path(incoming_name(attachment_id))
        final = _path(name)
        incoming.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        self._incoming.append(incoming)
        # "x": a fresh name for a fresh id; never write into a file that is already there.
        with incoming.open("xb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            # On disk before the row commits: a committed row never points at bytes lost in a crash.
            os.fsync(out.fileno())
        upload.seek(0)
        mode = getattr(storage(), "file_permissions_mode", None)
        if mode is not None:
            incoming.chmod(mode)

        def move_into_place() -> None:
            _move_into_place(incoming, final)

        # Robust: the entry is committed whatever happens here, so a failed move is logged (and
        # repaired by remove_orphan_attachments), never raised into the request that saved it.
        transaction.on_commit(move_into_place, robust=True)
        return digest.hexdigest()

    def discard(self) -> None:
        """Delete the incoming files written so far (the action failed: no row names them)."""
        for incoming in self._incoming:
            incoming.unlink(missing_ok=True)
        self._incoming.clear()


# --- Sweeping: continuum remove_orphan_attachments ------------------------------------------------


@dataclass
class Sweep:
    """What a sweep of the attachment folders found and did (or, in a dry run, would do)."""

    dry_run: bool
    orphans: list[str] = field(default_factory=list)
    stale_incoming: list[str] = field(default_factory=list)
    restored: list[tuple[str, str]] = field(default_factory=list)
    referenced: int = 0
    recent: int = 0

    def summary(self) -> str:
        verb = "Would remove" if self.dry_run else "Removed"
        restored = "would restore" if self.dry_run else "restored"
        return (
            f"{verb} {_count(len(self.orphans), 'orphaned file')} and "
            f"{_count(len(self.stale_incoming), 'old temporary file')}; "
            f"{restored} {len(self.restored)} committed; kept {_count(self.referenced, 'referenced file')} "
            f"and {self.recent} younger than the threshold."
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _files(root: Path) -> Iterator[Path]:
    # Symbolic links are neither followed nor deleted: nothing Continuum writes is one.
    for directory, _dirs, files in os.walk(root):
        for name in files:
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                yield path


def _attachment_id(name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(name)
    except ValueError:
        return None


def sweep(*, older_than: timedelta, dry_run: bool = False) -> Sweep:
    """Delete attachment files no row references and old incoming files; restore committed ones.

    Files younger than ``older_than`` are left alone: an incoming file may belong to a transaction
    still running, or to one that has just committed and is about to move it.
    """
    result = Sweep(dry_run=dry_run)
    root = _path(ATTACHMENTS)
    if not root.is_dir():
        return result
    location = _path("")
    incoming_root = _path(INCOMING)
    cutoff = time.time() - older_than.total_seconds()
    # The files are listed before the rows are read. A file reaches its final name only after its
    # row committed, so every listed file's row, if it has one, is among the rows read next.
    listed: list[tuple[Path, float]] = []
    for path in _files(root):
        try:
            listed.append((path, path.stat().st_mtime))
        except FileNotFoundError:
            continue  # moved into place (or discarded) since the folder was read
    referenced = set(Attachment.objects.values_list("file", flat=True))
    orphans: list[Path] = []
    for path, mtime in listed:
        name = path.relative_to(location).as_posix()
        if path.is_relative_to(incoming_root):
            if mtime > cutoff:
                result.recent += 1
                continue
            attachment_id = _attachment_id(path.name)
            row = Attachment.objects.filter(pk=attachment_id).first() if attachment_id else None
            if row is None:
                result.stale_incoming.append(name)
                if not dry_run:
                    path.unlink(missing_ok=True)
            elif not storage().exists(row.file.name):
                # Committed, then killed before the move: finish the move.
                result.restored.append((name, row.file.name))
                if not dry_run:
                    _move_into_place(path, _path(row.file.name))
            else:
                result.referenced += 1
        elif name in referenced:
            result.referenced += 1
        elif mtime > cutoff:
            result.recent += 1
        else:
            orphans.append(path)
    # A last look at the rows before deleting anything, by name: a file a row references is never deleted.
    names = {path.relative_to(location).as_posix(): path for path in orphans}
    candidates = list(names)
    still_referenced: set[str] = set()
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        still_referenced.update(Attachment.objects.filter(file__in=chunk).values_list("file", flat=True))
    for name, path in sorted(names.items()):
        if name in still_referenced:
            result.referenced += 1
            continue
        result.orphans.append(name)
        if not dry_run:
            path.unlink(missing_ok=True)
    logger.info(result.summary())
    return result
