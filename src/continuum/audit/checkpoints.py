"""Signed checkpoints of the audit chain's head (issue 18).

The hash chain alone (``audit.log``) catches an edited event, but not a database owner who edits an
event and recomputes every later hash (SHA-256 has no key), nor one who deletes the newest events.
A checkpoint closes that gap up to its own moment: the chain's head (``seq`` and hash of the latest
event) and the number of events, signed with an Ed25519 key that lives outside the database, written
as one JSON line to a file outside the database that is only ever appended to::

    {"v": 1, "seq": 1234, "head": "9f…", "events": 1234, "at": "2026-12-07T16:45:00.000000Z",
     "key_id": "3c5a…", "signature": "base64…"}

``continuum audit_checkpoint`` writes one (run it from cron or a systemd timer, e.g. every five
minutes); ``continuum verify_audit`` checks every checkpoint's signature, that the chain still holds
each signed head at its ``seq`` and that it has not fewer events than the latest checkpoint signed.
Nothing here runs in ``record()``: signing never slows the write path.

Before signing, ``audit_checkpoint`` checks that the chain still holds the previous checkpoint's head
and that every event since fits the chain (only those: a constant amount of work per run), so it
never signs over a log that was rewritten since the last signature.

Keys: PEM (PKCS#8 private, SubjectPublicKeyInfo public) as ``continuum generate_audit_key`` writes
them, or the raw 32 bytes in base64. The key id is the first 16 hex digits of the SHA-256 of the raw
public key.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db.models import Max

from continuum.audit.log import ChainReport, verify_chain, verify_segment
from continuum.audit.models import GENESIS_HASH, AuditEvent

VERSION = 1
# Signatures are over this prefix and the checkpoint's canonical fields, so that a signature made
# with the same key for anything else can never pass for a checkpoint.
_DOMAIN = b"continuum-audit-checkpoint-v1\n"
_SIGNED_FIELDS = ("v", "seq", "head", "events", "at", "key_id")
_PEM_BLOCK = re.compile(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", re.DOTALL)
_HEX64 = re.compile(r"[0-9a-f]{64}")
# Events waiting longer than this for a checkpoint get a note in verify_audit's report.
STALE_AFTER = timedelta(hours=1)


class CheckpointError(Exception):
    """A key or the checkpoint file cannot be used; the message says which and why."""


# --- Keys ------------------------------------------------------------------------------------------


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw_public(key)).hexdigest()[:16]


def public_key_text(key: Ed25519PublicKey) -> str:
    """The public key as one line of base64 (what CONTINUUM_AUDIT_VERIFY_KEY takes)."""
    return base64.b64encode(_raw_public(key)).decode("ascii")


def _b64_32(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CheckpointError(f"{what} is neither PEM nor base64.") from exc
    if len(raw) != 32:
        raise CheckpointError(f"{what} in base64 must be 32 bytes (an Ed25519 key), not {len(raw)}.")
    return raw


def load_private_key(text: str, what: str = "the signing key") -> Ed25519PrivateKey:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError) as exc:
            raise CheckpointError(f"{what} is not a readable unencrypted PEM private key: {exc}") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise CheckpointError(f"{what} is not an Ed25519 key.")
        return key
    return Ed25519PrivateKey.from_private_bytes(_b64_32(text, what))


def load_public_keys(text: str, what: str = "CONTINUUM_AUDIT_VERIFY_KEY") -> list[Ed25519PublicKey]:
    """One or more public keys (PEM blocks, or base64 separated by commas or spaces): old keys stay valid."""
    keys: list[Ed25519PublicKey] = []
    for block in _PEM_BLOCK.findall(text):
        try:
            key = serialization.load_pem_public_key(block.encode("ascii"))
        except ValueError as exc:
            raise CheckpointError(f"{what} holds an unreadable PEM public key: {exc}") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise CheckpointError(f"{what} holds a key that is not Ed25519.")
        keys.append(key)
    for token in re.split(r"[\s,]+", _PEM_BLOCK.sub(" ", text)):
        if token:
            keys.append(Ed25519PublicKey.from_public_bytes(_b64_32(token, what)))
    if not keys:
        raise CheckpointError(f"{what} holds no key.")
    return keys


def signing_key() -> Ed25519PrivateKey | None:
    """The private key from CONTINUUM_AUDIT_SIGNING_KEY_FILE or CONTINUUM_AUDIT_SIGNING_KEY; None when unset."""
    path = settings.CONTINUUM_AUDIT_SIGNING_KEY_FILE
    if path:
        try:
            info = os.stat(path)
            text = Path(path).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise CheckpointError(f"CONTINUUM_AUDIT_SIGNING_KEY_FILE={path!r} cannot be read: {exc}") from exc
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise CheckpointError(
                f"The signing key {path} may be read by others (mode {stat.S_IMODE(info.st_mode):o}); "
                f"`chmod 600 {path}`."
            )
        return load_private_key(text, f"the signing key {path}")
    if settings.CONTINUUM_AUDIT_SIGNING_KEY:
        return load_private_key(settings.CONTINUUM_AUDIT_SIGNING_KEY, "CONTINUUM_AUDIT_SIGNING_KEY")
    return None


def verify_keys() -> dict[str, Ed25519PublicKey]:
    """The keys checkpoints may be signed with, by key id: CONTINUUM_AUDIT_VERIFY_KEY, else the signing key's."""
    if settings.CONTINUUM_AUDIT_VERIFY_KEY:
        keys = load_public_keys(settings.CONTINUUM_AUDIT_VERIFY_KEY)
    else:
        private = signing_key()
        if private is None:
            raise CheckpointError(
                "CONTINUUM_AUDIT_CHECKPOINT_FILE is set, but no key to verify its checkpoints: set "
                "CONTINUUM_AUDIT_VERIFY_KEY (the public key) or the signing key."
            )
        keys = [private.public_key()]
    return {key_id(key): key for key in keys}


def generate_key_pair(path: Path) -> Ed25519PublicKey:
    """A new private key in ``path`` (mode 0600, never over an existing file); its public key beside it (.pub)."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = private.public_key()
    public_pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise CheckpointError(f"{path} exists already; a key is never overwritten.") from exc
    except OSError as exc:
        raise CheckpointError(f"{path} cannot be created: {exc}") from exc
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())
    Path(f"{path}.pub").write_bytes(public_pem)
    return public


# --- Checkpoints -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """One signed line of the checkpoint file."""

    seq: int
    head: str
    events: int
    at: str
    key_id: str
    signature: str = ""
    v: int = VERSION
    line: int = 0

    def payload(self) -> bytes:
        fields = {name: getattr(self, name) for name in _SIGNED_FIELDS}
        return _DOMAIN + json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("ascii")

    def to_line(self) -> str:
        fields = {name: getattr(self, name) for name in _SIGNED_FIELDS}
        return json.dumps({**fields, "signature": self.signature}, separators=(",", ":")) + "\n"

    def verifies(self, keys: dict[str, Ed25519PublicKey]) -> str:
        """ "" when the signature holds; otherwise why not."""
        key = keys.get(self.key_id)
        if key is None:
            return f"signed with an unknown key ({self.key_id})"
        try:
            key.verify(base64.b64decode(self.signature, validate=True), self.payload())
        except (InvalidSignature, binascii.Error, ValueError):
            return "its signature does not verify: it was forged or altered"
        return ""

    def describe(self) -> str:
        where = f"line {self.line}" if self.line else "the last line"
        return f"checkpoint of {self.at} ({where}: event #{self.seq}, {self.events} events)"


def _line(number: int) -> str:
    return f"line {number}" if number else "the last line"


def _parse(text: str, number: int) -> Checkpoint:
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("v") != VERSION:
            raise ValueError("not a version 1 checkpoint")
        checkpoint = Checkpoint(
            seq=data["seq"],
            head=data["head"],
            events=data["events"],
            at=data["at"],
            key_id=data["key_id"],
            signature=data["signature"],
            line=number,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"{_line(number)} of the checkpoint file is not a checkpoint ({exc})") from exc
    if not (
        type(checkpoint.seq) is int
        and type(checkpoint.events) is int
        and checkpoint.seq >= 0
        and isinstance(checkpoint.head, str)
        and (_HEX64.fullmatch(checkpoint.head))
        and all(isinstance(getattr(checkpoint, name), str) for name in ("at", "key_id", "signature"))
    ):
        raise CheckpointError(f"{_line(number)} of the checkpoint file is not a checkpoint (a field has a bad value)")
    return checkpoint


def read_checkpoints(path: Path) -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint of the file in order, and the lines that are not checkpoints."""
    checkpoints: list[Checkpoint] = []
    problems: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                checkpoints.append(_parse(text, number))
            except CheckpointError as exc:
                problems.append(str(exc))
    return checkpoints, problems


def _last_checkpoint(fd: int) -> Checkpoint | None:
    """The file's last checkpoint, read from its end (the file grows by a few hundred bytes a run)."""
    position, tail = os.fstat(fd).st_size, b""
    while position > 0:
        step = min(4096, position)
        position -= step
        tail = os.pread(fd, step, position) + tail
        body = tail.rstrip(b"\n")
        if b"\n" in body or position == 0:
            last = body.rsplit(b"\n", 1)[-1]
            return _parse(last.decode("utf-8", errors="replace"), 0) if last.strip() else None
    return None


@contextmanager
def _locked_append(path: Path) -> Iterator[int]:
    """The checkpoint file opened for appending (O_APPEND), locked against a second run at once."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    except OSError as exc:
        raise CheckpointError(f"CONTINUUM_AUDIT_CHECKPOINT_FILE={str(path)!r} cannot be opened: {exc}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


def _age(checkpoint: Checkpoint) -> timedelta:
    try:
        return datetime.now(UTC) - datetime.fromisoformat(checkpoint.at)
    except ValueError:
        return timedelta(0)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Written:
    checkpoint: Checkpoint
    new: bool  # False: the head had not moved since the last checkpoint, and nothing was written


def write_checkpoint(*, force: bool = False) -> Written:
    """Sign the chain's head and append it to the checkpoint file, after checking the chain since the last one.

    Refuses (CheckpointError) when the chain no longer holds the last checkpoint's head, holds fewer
    events than it signed, or an event since does not fit: signing then would bless a rewritten log.
    """
    if not settings.CONTINUUM_AUDIT_CHECKPOINT_FILE:
        raise CheckpointError("CONTINUUM_AUDIT_CHECKPOINT_FILE is not set.")
    private = signing_key()
    if private is None:
        raise CheckpointError("No signing key: set CONTINUUM_AUDIT_SIGNING_KEY_FILE (or CONTINUUM_AUDIT_SIGNING_KEY).")
    public = private.public_key()
    keys = {key_id(public): public}
    if settings.CONTINUUM_AUDIT_VERIFY_KEY:
        keys = verify_keys()
        if key_id(public) not in keys:
            raise CheckpointError(
                "The signing key's public key is not among CONTINUUM_AUDIT_VERIFY_KEY: "
                "its checkpoints would not verify. Add it there first."
            )
    path = Path(settings.CONTINUUM_AUDIT_CHECKPOINT_FILE)
    with _locked_append(path) as fd:
        last = _last_checkpoint(fd)
        head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, head_hash = head if head else (0, GENESIS_HASH)
        report = _check_since(last, keys, seq)
        if not report.ok:
            broken = report.first_broken
            at = f" at event #{broken.seq} (id {broken.id})" if broken else ""
            raise CheckpointError(f"Refused to sign: the audit chain is broken{at}: {report.reason}.")
        if last is not None and last.seq == seq and last.head == head_hash and not force:
            return Written(last, new=False)
        events = AuditEvent.objects.filter(seq__lte=seq).count()
        unsigned = Checkpoint(seq=seq, head=head_hash, events=events, at=_now(), key_id=key_id(public))
        signature = base64.b64encode(private.sign(unsigned.payload())).decode("ascii")
        checkpoint = replace(unsigned, signature=signature)
        os.write(fd, checkpoint.to_line().encode("ascii"))
        os.fsync(fd)
    return Written(checkpoint, new=True)


def _check_since(last: Checkpoint | None, keys: dict[str, Ed25519PublicKey], seq: int) -> ChainReport:
    """The chain from the last checkpoint to ``seq``; the whole chain when there is none yet."""
    if last is None:
        return verify_chain()
    problem = last.verifies(keys)
    if problem:
        return ChainReport(False, 0, None, f"the last checkpoint ({last.describe()}) is not valid: {problem}")
    if seq < last.seq:
        return ChainReport(
            False,
            0,
            None,
            f"it ends at event #{seq}, but the last checkpoint signed event #{last.seq}: the log was truncated "
            "(after a restore from a backup, start a new checkpoint file; docs/threat-model.md)",
        )
    if last.seq == 0:
        return verify_chain()
    anchor = AuditEvent.objects.filter(seq=last.seq).first()
    if anchor is None or anchor.compute_hash() != anchor.hash or anchor.hash != last.head:
        return ChainReport(
            False,
            0,
            anchor,
            f"event #{last.seq} is not the one the last checkpoint signed: the log was rewritten",
        )
    events = AuditEvent.objects.filter(seq__gt=last.seq, seq__lte=seq).order_by("seq").iterator(chunk_size=2000)
    return verify_segment(events, after_seq=last.seq, after_hash=last.head)


# --- Verifying ----------------------------------------------------------------------------------------


@dataclass
class CheckpointReport:
    """What ``verify_audit`` found: the chain's own report, and every problem with the checkpoints."""

    chain: ChainReport
    configured: bool = True
    checkpoints: int = 0
    latest: Checkpoint | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems


def verify_with_checkpoints(*, allow_truncation: bool = False) -> CheckpointReport:
    """The chain, and the checkpoint file against it (CONTINUUM_AUDIT_CHECKPOINT_FILE must be set).

    ``allow_truncation``: right after a restore from a backup, events signed after the backup are
    expected to be missing; checkpoints beyond the chain's end are then a note, not a problem.
    """
    keys = verify_keys()
    path = Path(settings.CONTINUUM_AUDIT_CHECKPOINT_FILE)
    if not path.is_file():
        return CheckpointReport(
            verify_chain(),
            problems=[
                f"the checkpoint file {path} does not exist: it was removed, or `continuum audit_checkpoint` "
                "has never run (run it once after installing)"
            ],
        )
    checkpoints, problems = read_checkpoints(path)
    aggregate: dict[str, Any] = AuditEvent.objects.aggregate(last=Max("seq"))
    chain_end: int = aggregate["last"] or 0
    signed_heads: dict[int, str] = {}
    valid: list[Checkpoint] = []
    for checkpoint in checkpoints:
        problem = checkpoint.verifies(keys)
        if problem:
            problems.append(f"{checkpoint.describe()}: {problem}")
            continue
        if valid and checkpoint.seq < valid[-1].seq:
            problems.append(
                f"{checkpoint.describe()} signs fewer events than the {valid[-1].describe()}: "
                "the log shrank between them"
            )
        earlier = signed_heads.get(checkpoint.seq)
        if earlier is not None and earlier != checkpoint.head:
            problems.append(f"{checkpoint.describe()} signs another hash for event #{checkpoint.seq} than before")
        valid.append(checkpoint)
        if checkpoint.seq > 0 and (checkpoint.seq <= chain_end or not allow_truncation):
            signed_heads.setdefault(checkpoint.seq, checkpoint.head)
    chain = verify_chain(signed_heads)
    report = CheckpointReport(chain, checkpoints=len(valid), latest=valid[-1] if valid else None, problems=problems)
    if not valid and not problems:
        report.problems.append(f"the checkpoint file {path} holds no checkpoint")
    latest = max(valid, key=lambda c: c.seq) if valid else None
    if latest is not None and chain.ok:
        missing = latest.seq - chain_end
        if missing > 0:
            text = (
                f"the chain ends at event #{chain_end}, but the {latest.describe()} signed event #{latest.seq}: "
                f"{missing} events are missing"
            )
            if allow_truncation:
                report.notes.append(text + " (expected after restoring a backup)")
            else:
                report.problems.append(text + " (the log was truncated)")
        elif chain_end > latest.seq:
            report.notes.append(
                f"{chain_end - latest.seq} events after the latest checkpoint are not yet covered by a signature"
            )
            if _age(latest) > STALE_AFTER:
                report.notes.append(
                    f"the latest checkpoint is older than {STALE_AFTER}: is `continuum audit_checkpoint` running?"
                )
    return report


def check_log(*, allow_truncation: bool = False) -> CheckpointReport:
    """What ``verify_audit``, the Audit chain page and ``GET /api/v1/audit/verify/`` report: the chain alone
    when no checkpoint file is configured (``configured`` false), else the chain against its checkpoints;
    a checkpoint file or key that cannot be read is a problem of the report, not an exception."""
    if not settings.CONTINUUM_AUDIT_CHECKPOINT_FILE:
        return CheckpointReport(verify_chain(), configured=False)
    try:
        return verify_with_checkpoints(allow_truncation=allow_truncation)
    except CheckpointError as exc:
        return CheckpointReport(verify_chain(), problems=[f"cannot check the audit checkpoints: {exc}"])
