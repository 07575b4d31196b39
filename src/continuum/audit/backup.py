"""Backing up and restoring Continuum: the database, the audit chain's head and the attachments, in one file.

A backup is an uncompressed tar archive of three parts:

- ``manifest.json``: the format and its version, when it was made, by which Continuum, the database
  vendor (and on PostgreSQL the server's and ``pg_dump``'s versions), the dump's SHA-256, the audit
  chain's head (``seq`` and ``hash`` of the latest event), the number of rows of every table, and every
  attachment (its id, its file's name, size and SHA-256);
- the database: ``database.sqlite3`` (SQLite's online backup API, ``sqlite3.Connection.backup``) or
  ``database.pgdump`` (``pg_dump --format=custom`` inside one exported snapshot);
- ``media/``: the file of every attachment, under its storage name.

Everything in the manifest is read from the same snapshot as the dump, so the head, the row counts and
the attachment list are exactly those of the copy. The archive is written to a temporary file beside
the target, with mode 0600, synced and renamed into place: a reader finds a whole backup or none.

``restore`` puts a backup back into an *empty* database and an empty media folder and refuses otherwise.
It checks the dump's and every attachment's SHA-256, restores, and accepts the result only when the row
counts, the attachment rows and the chain head equal the manifest's and ``continuum verify_audit``
passes on the restored database. On SQLite the database is restored into a temporary file that is moved
into place only after that; on PostgreSQL ``pg_restore`` writes into the empty database in one
transaction, and what it restored is dropped again when a check fails. Attachments wait in a hidden
folder under the media root and move into place last.

The database's password reaches ``pg_dump`` and ``pg_restore`` through ``PGPASSWORD`` in their
environment, never on their command line. ``audit`` sits below ``cases`` in the layers, so attachments
are found through ``apps.get_model`` and the model's metadata, never by import.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.utils import timezone

from continuum.audit import log
from continuum.audit.models import GENESIS_HASH, AuditAction, AuditEvent

FORMAT = "continuum-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_CHUNK = 1024 * 1024
_RESTORING = ".restoring-"


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    events: int
    head_hash: str
    attachments: int
    tables: int


@dataclass(frozen=True)
class RestoreResult:
    events: int
    head_hash: str
    attachments: int
    tables: int
    verify_output: str


# --- Small helpers ---------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _continuum_version() -> str:
    try:
        return metadata.version("continuum")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a tree without installing
        return "unknown"


def _attachment_model() -> Any:
    return apps.get_model("cases", "Attachment")


def _attachment_storage() -> Any:
    return _attachment_model()._meta.get_field("file").storage


def _vendor(settings_dict: dict[str, Any]) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def default_database() -> dict[str, Any]:
    """The settings of the database Continuum runs on (a copy: restore may point it elsewhere)."""
    return dict(connections["default"].settings_dict)


def _wrapper(settings_dict: dict[str, Any], alias: str) -> BaseDatabaseWrapper:
    backend = load_backend(settings_dict["ENGINE"])
    return backend.DatabaseWrapper(settings_dict, alias)


@contextmanager
def _opened(settings_dict: dict[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A connection of its own to the database of ``settings_dict``, closed afterwards."""
    connection = _wrapper(settings_dict, f"backup-{secrets.token_hex(4)}")
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def _as_default(settings_dict: dict[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """Point the ``default`` connection at another database for a while (the restored copy).

    ``verify_audit`` and the audit log's writer work on ``default``; this lets them check and extend
    the restored database before it takes the place of the real one.
    """
    original = connections["default"]
    replacement = _wrapper(settings_dict, "default")
    connections["default"] = replacement
    try:
        yield replacement
    finally:
        replacement.close()
        connections["default"] = original


# --- What a database holds: read inside one snapshot ----------------------------------------------


def _quote(connection: BaseDatabaseWrapper, name: str) -> str:
    return connection.ops.quote_name(name)


def _facts(connection: BaseDatabaseWrapper) -> dict[str, Any]:
    """The chain head, the rows of every table and the attachment rows, as seen by ``connection``.

    On PostgreSQL the caller holds a repeatable-read transaction, so all of it is one snapshot."""
    events, attachments = AuditEvent._meta, _attachment_model()._meta
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(connection, table)}")  # noqa: S608 - names from the catalogue
            counts[table] = cursor.fetchone()[0]
        head: dict[str, Any] = {"seq": 0, "hash": GENESIS_HASH}
        if events.db_table in counts:
            cursor.execute(
                f"SELECT {_quote(connection, 'seq')}, {_quote(connection, 'hash')} "  # noqa: S608
                f"FROM {_quote(connection, events.db_table)} ORDER BY {_quote(connection, 'seq')} DESC LIMIT 1"
            )
            row = cursor.fetchone()
            if row is not None:
                head = {"seq": int(row[0]), "hash": row[1]}
        rows = []
        if attachments.db_table in counts:
            columns = ", ".join(_quote(connection, attachments.get_field(f).column) for f in ("id", "file", "size"))
            cursor.execute(
                f"SELECT {columns}, {_quote(connection, 'sha256')} "  # noqa: S608
                f"FROM {_quote(connection, attachments.db_table)}"
            )
            rows = [
                {"id": str(uuid.UUID(str(r[0]))), "file": r[1], "size": int(r[2]), "sha256": r[3]}
                for r in cursor.fetchall()
            ]
    rows.sort(key=lambda a: a["id"])
    return {"chain_head": head, "tables": counts, "attachments": rows}


# --- Backup -----------------------------------------------------------------------------------------


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for ``pg_dump``/``pg_restore``: the password never on a command line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        values[variable] = options.get(option)
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client (postgresql-client).")
    return path


def _tool_major(name: str) -> int:
    output = subprocess.run([_tool(name), "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if match is None:
        raise BackupError(f"Cannot tell the version of {name} from {output.strip()!r}.")
    return int(match.group(1))


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{what} failed (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


def _dump_sqlite(settings_dict: dict[str, Any], target: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    source = sqlite3.connect(f"file:{settings_dict['NAME']}?mode=ro", uri=True, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # one consistent snapshot, even while others write
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            copy.close()
    finally:
        source.close()
    with _opened({**settings_dict, "NAME": str(target), "OPTIONS": {}}) as connection:
        facts = _facts(connection)
    return facts, {"vendor": "sqlite", "file": DUMP_NAMES["sqlite"]}


def _dump_postgresql(settings_dict: dict[str, Any], target: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    env = _pg_env(settings_dict)
    pg_dump_major = _tool_major("pg_dump")
    with _opened(settings_dict) as connection:
        connection.ensure_connection()
        server_major = connection.pg_version // 10000  # type: ignore[attr-defined]
        if pg_dump_major < server_major:
            raise BackupError(
                f"pg_dump {pg_dump_major} cannot dump a PostgreSQL {server_major} server: "
                f"install postgresql-client-{server_major}."
            )
        with connection.cursor() as cursor:
            # Autocommit is on: this opens the one transaction whose snapshot pg_dump shares.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            facts = _facts(connection)
            _run(
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                env,
                "pg_dump",
            )
            cursor.execute("COMMIT")
    database = {
        "vendor": "postgresql",
        "file": DUMP_NAMES["postgresql"],
        "server_major": server_major,
        "pg_dump_major": pg_dump_major,
    }
    return facts, database


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> None:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    with path.open("rb") as f:
        archive.addfile(info, f)


def _add_bytes(archive: tarfile.TarFile, data: bytes, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup(file: str | os.PathLike[str], *, force: bool = False) -> BackupResult:
    """Write a backup of the running database and its attachments to ``file`` (see the module)."""
    final = Path(file).resolve()
    if final.exists() and not force:
        raise BackupError(f"{final} exists: choose a new name (e.g. with the date in it) or pass --force.")
    if not final.parent.is_dir():
        raise BackupError(f"The folder {final.parent} does not exist.")
    settings_dict = default_database()
    vendor = _vendor(settings_dict)
    # The backup itself is in the log, and so in the backup: who can read the copy is an operator's question.
    log.record(AuditAction.EXPORT, actor=None, object_type="backup", detail={"file": final.name})
    storage = _attachment_storage()
    work = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))  # 0700, on the target's disk
    partial = work / "backup.tar"
    try:
        dump = work / "dump"
        if vendor == "sqlite":
            facts, database = _dump_sqlite(settings_dict, dump)
        else:
            facts, database = _dump_postgresql(settings_dict, dump)
        database["sha256"] = _sha256_file(dump)
        for attachment in facts["attachments"]:
            path = Path(storage.path(attachment["file"]))
            if not path.is_file():
                raise BackupError(f"Attachment {attachment['id']}: its file {attachment['file']} is missing.")
            if _sha256_file(path) != attachment["sha256"]:
                raise BackupError(
                    f"Attachment {attachment['id']}: its file {attachment['file']} does not match its SHA-256 "
                    "(damaged on disk): restore that file from an earlier backup."
                )
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "continuum_version": _continuum_version(),
            "database": database,
            **facts,
        }
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
                _add_bytes(archive, json.dumps(manifest, indent=2, sort_keys=True).encode(), MANIFEST)
                _add_file(archive, dump, database["file"])
                for attachment in facts["attachments"]:
                    _add_file(archive, Path(storage.path(attachment["file"])), f"{MEDIA}/{attachment['file']}")
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, final)
        _fsync_directory(final.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    head = facts["chain_head"]
    return BackupResult(final, head["seq"], head["hash"], len(facts["attachments"]), len(facts["tables"]))


# --- Restore ----------------------------------------------------------------------------------------


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        stream = archive.extractfile(member)
        if stream is None:
            raise KeyError(MANIFEST)
        manifest = json.loads(stream.read())
    except (KeyError, ValueError) as e:
        raise BackupError(f"Not a Continuum backup: no readable {MANIFEST} ({e}).") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("Not a Continuum backup: the manifest names another format.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Backup format version {manifest.get('format_version')!r} is not {FORMAT_VERSION}: "
            "restore it with the Continuum version that made it."
        )
    _validate_manifest(manifest)
    return manifest


def _validate_manifest(manifest: dict[str, Any]) -> None:
    """The manifest's shape, so that a forged one is refused with a message, never a traceback."""

    def bad(what: str) -> BackupError:
        return BackupError(f"The backup's manifest is damaged: {what}.")

    database, head = manifest.get("database"), manifest.get("chain_head")
    tables, attachments = manifest.get("tables"), manifest.get("attachments")
    if not isinstance(database, dict) or database.get("file") not in DUMP_NAMES.values():
        raise bad("no database file named")
    if not isinstance(head, dict) or not isinstance(head.get("seq"), int) or not isinstance(head.get("hash"), str):
        raise bad("no audit chain head")
    if not isinstance(tables, dict) or not all(isinstance(v, int) for v in tables.values()):
        raise bad("no row counts")
    if not isinstance(attachments, list):
        raise bad("no attachment list")
    for a in attachments:
        if not (
            isinstance(a, dict)
            and set(a) == {"id", "file", "size", "sha256"}
            and all(isinstance(a[k], str) for k in ("id", "file", "sha256"))
            and isinstance(a["size"], int)
        ):
            raise bad("an attachment without its id, file, size and SHA-256")


def _safe_media_name(name: Any) -> str:
    if not isinstance(name, str) or not name:
        raise BackupError("The manifest names an attachment without a file.")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or path.parts[0] != "attachments":
        raise BackupError(f"The manifest names an attachment file outside attachments/: {name!r}.")
    return name


def _member_stream(archive: tarfile.TarFile, name: str, what: str) -> IO[bytes]:
    try:
        member = archive.getmember(name)
    except KeyError as e:
        raise BackupError(f"The backup lacks {what} ({name}).") from e
    stream = archive.extractfile(member) if member.isfile() else None
    if stream is None:
        raise BackupError(f"{what} ({name}) in the backup is not a regular file.")
    return stream


def _extract(archive: tarfile.TarFile, name: str, target: Path, what: str, sha256: str) -> None:
    """Copy one member out of the archive, refusing it unless its SHA-256 is the manifest's."""
    stream = _member_stream(archive, name, what)
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != sha256:
        raise BackupError(f"{what} ({name}) does not match the SHA-256 in the manifest: the backup was altered.")


def _check_members(archive: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    expected = {MANIFEST, manifest["database"].get("file")}
    expected |= {f"{MEDIA}/{_safe_media_name(a.get('file'))}" for a in manifest["attachments"]}
    unexpected = [m.name for m in archive.getmembers() if m.name not in expected]
    if unexpected:
        raise BackupError(f"The backup holds files its manifest does not list: {', '.join(sorted(unexpected)[:5])}.")


def _media_root() -> Path:
    return Path(_attachment_storage().path("")).resolve()


def _has_files(root: Path) -> bool:
    return root.exists() and any(p.is_file() or p.is_symlink() for p in root.rglob("*"))


def _sqlite_tables(path: Path) -> list[str]:
    if not path.exists():
        return []
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
    finally:
        connection.close()


def _postgresql_tables(settings_dict: dict[str, Any]) -> list[str]:
    with _opened(settings_dict) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'"
        )
        return [r[0] for r in cursor.fetchall()]


def _refuse_unless_empty(vendor: str, settings_dict: dict[str, Any], media_root: Path) -> None:
    name = settings_dict["NAME"]
    tables = _sqlite_tables(Path(name)) if vendor == "sqlite" else _postgresql_tables(settings_dict)
    if tables:
        raise BackupError(
            f"Refused: the database {name} is not empty ({len(tables)} tables, e.g. {sorted(tables)[0]}). "
            "Restore only into an empty database: create a new one (PostgreSQL: createdb; SQLite: a new file "
            "name in DATABASE_URL) and point Continuum at it. Do not run migrate before restoring."
        )
    if _has_files(media_root):
        raise BackupError(
            f"Refused: the media folder {media_root} already holds files. Restore only into an empty media "
            "folder (CONTINUUM_MEDIA_ROOT)."
        )


def _compare(manifest: dict[str, Any], facts: dict[str, Any]) -> None:
    head, expected = facts["chain_head"], manifest["chain_head"]
    if head != expected:
        raise BackupError(
            f"The restored audit chain ends at #{head['seq']} ({head['hash'][:12]}…), the manifest's at "
            f"#{expected.get('seq')} ({str(expected.get('hash'))[:12]}…): the backup was altered."
        )
    if facts["tables"] != manifest["tables"]:
        differ = sorted(
            t
            for t in set(facts["tables"]) | set(manifest["tables"])
            if facts["tables"].get(t) != manifest["tables"].get(t)
        )
        raise BackupError(f"The restored row counts differ from the manifest's in {', '.join(differ[:5])}.")
    if facts["attachments"] != sorted(manifest["attachments"], key=lambda a: a.get("id", "")):
        raise BackupError("The restored attachment rows differ from the manifest's list (name, size or SHA-256).")


def _verify(manifest: dict[str, Any], settings_dict: dict[str, Any], source: str) -> tuple[dict[str, Any], str]:
    """Check the restored database (as ``default`` for a while); append the restore's event when it holds."""
    with _as_default(settings_dict) as connection:
        facts = _facts(connection)
        _compare(manifest, facts)
        out = io.StringIO()
        try:
            call_command("verify_audit", allow_truncation=True, stdout=out, stderr=out)
        except CommandError as e:
            raise BackupError(f"verify_audit failed on the restored database: {e}") from e
        log.record(
            AuditAction.CREATE,
            actor=None,
            object_type="restore",
            detail={
                "file": source,
                "created_at": manifest.get("created_at"),
                "chain_head": manifest["chain_head"],
            },
        )
    return facts, out.getvalue().strip()


def _restore_sqlite(
    archive: tarfile.TarFile, manifest: dict[str, Any], settings_dict: dict[str, Any], source: str
) -> tuple[dict[str, Any], str]:
    final = Path(settings_dict["NAME"]).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    staged = final.parent / f".{final.name}{_RESTORING}{secrets.token_hex(6)}"
    try:
        database = manifest["database"]
        _extract(archive, database["file"], staged, "the database", database.get("sha256", ""))
        check = sqlite3.connect(staged)
        try:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The backup's SQLite database fails its integrity check.")
        except sqlite3.DatabaseError as e:
            raise BackupError(f"The backup's database is not a readable SQLite file: {e}.") from e
        finally:
            check.close()
        facts, verified = _verify(manifest, {**settings_dict, "NAME": str(staged)}, source)
        fold = sqlite3.connect(staged)
        try:
            fold.execute("PRAGMA journal_mode=DELETE")  # the restore's event into the one file
        finally:
            fold.close()
        connections.close_all()
        if _sqlite_tables(final):
            raise BackupError(f"Refused: the database {final} was written to during the restore.")
        for leftover in (final, Path(f"{final}-wal"), Path(f"{final}-shm")):
            leftover.unlink(missing_ok=True)  # an empty file and its journal: nothing to keep
        os.replace(staged, final)
        _fsync_directory(final.parent)
        return facts, verified
    finally:
        for path in (staged, Path(f"{staged}-wal"), Path(f"{staged}-shm"), Path(f"{staged}-journal")):
            path.unlink(missing_ok=True)


def _drop_restored(settings_dict: dict[str, Any]) -> None:
    """Drop what pg_restore wrote into the (formerly empty) database."""
    with _opened(settings_dict) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(connection, table)} CASCADE")
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
        )
        for (sequence,) in cursor.fetchall():
            cursor.execute(f"DROP SEQUENCE IF EXISTS {_quote(connection, sequence)} CASCADE")
        cursor.execute("DROP FUNCTION IF EXISTS audit_event_refuse_change() CASCADE")


def _restore_postgresql(
    archive: tarfile.TarFile, manifest: dict[str, Any], settings_dict: dict[str, Any], source: str
) -> tuple[dict[str, Any], str]:
    database = manifest["database"]
    pg_restore_major = _tool_major("pg_restore")
    dumped_with = int(database.get("pg_dump_major") or 0)
    if pg_restore_major < dumped_with:
        raise BackupError(
            f"pg_restore {pg_restore_major} cannot read a dump of pg_dump {dumped_with}: "
            f"install postgresql-client-{dumped_with}."
        )
    work = Path(tempfile.mkdtemp(prefix=".continuum-restore-"))
    try:
        dump = work / "dump"
        _extract(archive, database["file"], dump, "the database", database.get("sha256", ""))
        _run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={settings_dict['NAME']}",
                str(dump),
            ],
            _pg_env(settings_dict),
            "pg_restore (nothing was restored: it runs in one transaction)",
        )
        try:
            return _verify(manifest, settings_dict, source)
        except BaseException:
            _drop_restored(settings_dict)
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def restore(
    file: str | os.PathLike[str],
    *,
    database: dict[str, Any] | None = None,
) -> RestoreResult:
    """Restore a backup into the empty ``database`` (default: Continuum's own) and the empty media folder."""
    source = Path(file)
    if not source.is_file():
        raise BackupError(f"{source} does not exist or is not a file.")
    settings_dict = dict(database) if database is not None else default_database()
    vendor = _vendor(settings_dict)
    media_root = _media_root()
    try:
        archive = tarfile.open(source, mode="r:")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as e:
        raise BackupError(f"{source} is not a Continuum backup (not a readable tar archive: {e}).") from e
    with archive:
        manifest = _read_manifest(archive)
        made_on = manifest["database"].get("vendor")
        if made_on != vendor:
            raise BackupError(f"The backup is of a {made_on} database; Continuum here runs on {vendor}.")
        _check_members(archive, manifest)
        _refuse_unless_empty(vendor, settings_dict, media_root)
        created = not media_root.exists()
        media_root.mkdir(parents=True, exist_ok=True)
        staging = media_root / f"{_RESTORING}{secrets.token_hex(6)}"
        staging.mkdir(mode=0o700)
        restored = False
        try:
            for attachment in manifest["attachments"]:
                name = _safe_media_name(attachment["file"])
                _extract(
                    archive,
                    f"{MEDIA}/{name}",
                    staging / name,
                    f"attachment {attachment.get('id')}",
                    attachment["sha256"],
                )
            restorer = _restore_sqlite if vendor == "sqlite" else _restore_postgresql
            facts, verified = restorer(archive, manifest, settings_dict, source.name)
            for child in staging.iterdir():
                os.replace(child, media_root / child.name)
            _fsync_directory(media_root)
            restored = True
        finally:
            with suppress(FileNotFoundError):
                shutil.rmtree(staging)
            if created and not restored:
                with suppress(OSError):
                    media_root.rmdir()
    head = facts["chain_head"]
    return RestoreResult(head["seq"], head["hash"], len(facts["attachments"]), len(facts["tables"]), verified)
