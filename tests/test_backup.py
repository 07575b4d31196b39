"""Backup and restore (issue 18): a round trip on the database the suite runs on, and tampered backups refused.

Real database, real files. The backup is made with ``continuum backup`` of the test database, which must
hold committed rows (``transaction=True``: ``pg_dump`` and SQLite's backup read from their own
connections). It is restored into a fresh empty database: on SQLite a new file, on PostgreSQL a second
database created here and dropped afterwards. ``continuum restore`` itself always targets Continuum's own
database, so it is tested where it must refuse (the test database is not empty); the round trips call
``continuum.audit.backup.restore`` with the other database.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import tarfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from continuum.audit import backup as backups
from continuum.audit.models import AuditEvent
from continuum.cases import actions as case_actions
from continuum.cases.models import Attachment
from continuum.people import actions as people_actions

pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRES = connection.vendor == "postgresql"
DUMP = backups.DUMP_NAMES[connection.vendor]
FILES = {"notes.txt": b"Session notes, synthetic.\n", "plan.txt": b"A plan, synthetic.\n" * 50}


# --- The small world, the databases to restore into --------------------------------------------------


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def small_world(persona, media) -> list[Attachment]:
    """Two persons' cases with a few entries and two attachments, through the actions (so audited)."""
    officer, muni = persona("prob.officer"), persona("muni.coordinator")
    for author, given in ((officer, "Noor"), (muni, "Sami")):
        person = people_actions.do_create_person(
            given_name=given, family_name="Example", birth_date=date(1990, 5, 17), acting_user=author
        )
        case = case_actions.do_open_case(
            person=person, lead_organisation=author.organisation, phase="probation", acting_user=author
        )
        case_actions.do_add_entry(case, category="plan", title="First meeting", body="Went well.", acting_user=author)
    uploads = [SimpleUploadedFile(name, data, content_type="text/plain") for name, data in FILES.items()]
    case_actions.do_add_entry(case, category="plan", title="With files", attachments=uploads, acting_user=muni)
    return list(Attachment.objects.order_by("original_name"))


def _postgres_database(name: str) -> dict[str, Any]:
    return {**connection.settings_dict, "NAME": name}


@pytest.fixture
def empty_database(tmp_path) -> Any:
    """The settings of a fresh empty database of the suite's vendor."""
    if not ON_POSTGRES:
        yield {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"continuum_restore_test_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _postgres_database(name)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def snapshot() -> dict[str, Any]:
    """Row counts of every model, the chain head and the attachment files, read through the ORM."""
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    attachments = {str(a.pk): (a.sha256, Path(a.file.path).read_bytes()) for a in Attachment.objects.all()}
    return {"counts": counts, "head": head, "attachments": attachments}


def make_backup(tmp_path: Path) -> Path:
    path = tmp_path / "continuum.tar"
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    assert "Backup written" in out.getvalue()
    return path


def manifest_of(path: Path) -> dict[str, Any]:
    with tarfile.open(path) as archive:
        stream = archive.extractfile("manifest.json")
        assert stream is not None
        return json.loads(stream.read())


def repack(source: Path, target: Path, replace: dict[str, bytes | None]) -> Path:
    """A copy of the archive with members replaced (bytes) or left out (None)."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            if member.name in replace:
                data = replace[member.name]
                if data is None:
                    continue
            else:
                stream = old.extractfile(member)
                assert stream is not None
                data = stream.read()
            add(new, member.name, data)
        for name, data in replace.items():
            if data is not None and name not in old.getnames():
                add(new, name, data)
    return target


def add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def member(path: Path, name: str) -> bytes:
    with tarfile.open(path) as archive:
        stream = archive.extractfile(name)
        assert stream is not None
        return stream.read()


def tampered_dump(path: Path, tmp_path: Path, statements: list[str]) -> bytes:
    """The backup's dump with ``statements`` run on it (the append-only triggers dropped first)."""
    dump = tmp_path / "tamper.dump"
    dump.write_bytes(member(path, DUMP))
    if not ON_POSTGRES:
        db = sqlite3.connect(dump)
        db.execute("DROP TRIGGER audit_event_no_update")
        db.execute("DROP TRIGGER audit_event_no_delete")
        for statement in statements:
            db.execute(statement)
        db.commit()
        db.close()
        return dump.read_bytes()
    # PostgreSQL: restore the dump into a scratch database, change it there, dump it again.
    name = f"continuum_tamper_test_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        env = backups._pg_env(_postgres_database(name))
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={name}", str(dump)], env=env, check=True)  # noqa: S603, S607
        sql = "DROP TRIGGER audit_event_no_change ON audit_auditevent; " + "; ".join(statements)
        subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], env=env, check=True)  # noqa: S603, S607
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}"], env=env, check=True)  # noqa: S603, S607
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return dump.read_bytes()


def with_dump(path: Path, target: Path, dump: bytes, *, fix_checksum: bool) -> Path:
    """The backup with another dump; with ``fix_checksum`` also its SHA-256 in the manifest (a careful forger)."""
    manifest = manifest_of(path)
    if fix_checksum:
        import hashlib

        manifest["database"]["sha256"] = hashlib.sha256(dump).hexdigest()
    return repack(path, target, {DUMP: dump, "manifest.json": json.dumps(manifest).encode()})


def assert_left_empty(database: dict[str, Any], media_root: Path) -> None:
    """A refused restore leaves the database and the media folder as empty as it found them."""
    if ON_POSTGRES:
        assert backups._postgresql_tables(database) == []
    else:
        assert not Path(database["NAME"]).exists()
        assert not list(Path(database["NAME"]).parent.glob(f".{Path(database['NAME']).name}*"))
    assert not media_root.exists()


def restored_snapshot(database: dict[str, Any]) -> dict[str, Any]:
    with backups._as_default(database):
        out = io.StringIO()
        call_command("verify_audit", stdout=out)
        return {**snapshot(), "verify": out.getvalue()}


# --- The round trip ---------------------------------------------------------------------------------


def test_round_trip_restores_rows_chain_and_attachments(small_world, empty_database, tmp_path, settings):
    path = make_backup(tmp_path)
    before = snapshot()  # after the backup: its own audit event is part of it
    assert len(before["attachments"]) == 2
    assert os.stat(path).st_mode & 0o777 == 0o600
    manifest = manifest_of(path)
    assert manifest["format"] == "continuum-backup"
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["chain_head"] == {"seq": before["head"][0], "hash": before["head"][1]}
    assert {a["id"]: a["sha256"] for a in manifest["attachments"]} == {
        k: v[0] for k, v in before["attachments"].items()
    }
    assert AuditEvent.objects.filter(object_type="backup", detail__file=path.name).count() == 1
    with tarfile.open(path) as archive:
        names = set(archive.getnames())
    assert names == {"manifest.json", DUMP} | {f"media/{a.file.name}" for a in small_world}

    restored_media = tmp_path / "restored-media"
    settings.MEDIA_ROOT = str(restored_media)
    result = backups.restore(path, database=empty_database)

    assert (result.events, result.head_hash) == before["head"]
    assert result.attachments == 2
    after = restored_snapshot(empty_database)
    assert "Audit chain intact" in after["verify"]
    # Every table as it was; the log one event longer: the restore itself, after the backup's head.
    assert {k: v for k, v in after["counts"].items() if k != "audit.AuditEvent"} == {
        k: v for k, v in before["counts"].items() if k != "audit.AuditEvent"
    }
    assert after["counts"]["audit.AuditEvent"] == before["counts"]["audit.AuditEvent"] + 1
    assert after["head"][0] == before["head"][0] + 1
    assert after["attachments"] == before["attachments"]
    assert sorted(p.name for p in restored_media.iterdir()) == ["attachments"]  # no staging folder left
    with backups._as_default(empty_database):
        last = AuditEvent.objects.order_by("-seq").first()
        assert last is not None
        assert last.object_type == "restore"
        assert last.detail["chain_head"] == manifest["chain_head"]

    # Restoring again into the now full database is refused, and changes nothing there.
    again_media = tmp_path / "again-media"
    settings.MEDIA_ROOT = str(again_media)
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(path, database=empty_database)
    assert not again_media.exists()
    settings.MEDIA_ROOT = str(restored_media)
    assert restored_snapshot(empty_database) == after


def test_restore_command_refuses_a_database_that_is_not_empty(small_world, media, tmp_path, settings):
    path = make_backup(tmp_path)
    before = snapshot()
    settings.MEDIA_ROOT = str(tmp_path / "empty-media")
    with pytest.raises(CommandError, match=r"Refused: the database .* is not empty"):
        call_command("restore", str(path))
    assert not (tmp_path / "empty-media").exists()
    settings.MEDIA_ROOT = str(media)
    assert snapshot() == before


def test_restore_refuses_a_media_folder_with_files(small_world, empty_database, tmp_path, settings):
    path = make_backup(tmp_path)
    settings.MEDIA_ROOT = str(small_world[0].file.storage.location)  # the live media folder, full
    with pytest.raises(backups.BackupError, match=r"media folder .* already holds files"):
        backups.restore(path, database=empty_database)
    if ON_POSTGRES:
        assert backups._postgresql_tables(empty_database) == []
    else:
        assert not Path(empty_database["NAME"]).exists()


def test_backup_refuses_to_overwrite_unless_forced(small_world, tmp_path):
    path = make_backup(tmp_path)
    first = path.read_bytes()
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(path))
    assert path.read_bytes() == first
    call_command("backup", str(path), "--force", stdout=io.StringIO())
    assert manifest_of(path)["chain_head"]["seq"] == manifest_of_bytes(first)["chain_head"]["seq"] + 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left


def manifest_of_bytes(data: bytes) -> dict[str, Any]:
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        stream = archive.extractfile("manifest.json")
        assert stream is not None
        return json.loads(stream.read())


# --- Tampered or damaged backups are refused, and leave nothing behind ---------------------------------


def restore_fails(path: Path, database: dict[str, Any], media_root: Path, settings: Any, match: str) -> None:
    settings.MEDIA_ROOT = str(media_root)
    with pytest.raises(backups.BackupError, match=match):
        backups.restore(path, database=database)
    assert_left_empty(database, media_root)


def test_an_audit_row_changed_in_the_dump_fails_verify_audit(small_world, empty_database, tmp_path, settings):
    path = make_backup(tmp_path)
    dump = tampered_dump(path, tmp_path, ["UPDATE audit_auditevent SET purpose = 'rewritten' WHERE seq = 3"])
    forged = with_dump(path, tmp_path / "forged.tar", dump, fix_checksum=True)
    restore_fails(forged, empty_database, tmp_path / "m1", settings, "verify_audit failed.*#3.*does not match")


def test_a_dump_that_does_not_match_its_checksum_is_refused(small_world, empty_database, tmp_path, settings):
    path = make_backup(tmp_path)
    dump = tampered_dump(path, tmp_path, ["UPDATE audit_auditevent SET purpose = 'rewritten' WHERE seq = 3"])
    forged = with_dump(path, tmp_path / "forged.tar", dump, fix_checksum=False)
    restore_fails(forged, empty_database, tmp_path / "m2", settings, "the database .* does not match the SHA-256")


def test_a_truncated_chain_is_refused_by_its_head(small_world, empty_database, tmp_path, settings):
    # Without its last event the chain still verifies; only the manifest's head tells.
    path = make_backup(tmp_path)
    dump = tampered_dump(
        path, tmp_path, ["DELETE FROM audit_auditevent WHERE seq = (SELECT MAX(seq) FROM audit_auditevent)"]
    )
    forged = with_dump(path, tmp_path / "forged.tar", dump, fix_checksum=True)
    restore_fails(forged, empty_database, tmp_path / "m3", settings, "restored audit chain ends at")


def test_a_missing_attachment_is_refused(small_world, empty_database, tmp_path, settings):
    path = make_backup(tmp_path)
    forged = repack(path, tmp_path / "forged.tar", {f"media/{small_world[0].file.name}": None})
    restore_fails(forged, empty_database, tmp_path / "m4", settings, "lacks attachment")


def test_a_changed_attachment_is_refused(small_world, empty_database, tmp_path, settings):
    path = make_backup(tmp_path)
    forged = repack(path, tmp_path / "forged.tar", {f"media/{small_world[1].file.name}": b"Someone else's words."})
    restore_fails(forged, empty_database, tmp_path / "m5", settings, "attachment .* does not match the SHA-256")


def test_an_unlisted_file_in_the_backup_is_refused(small_world, empty_database, tmp_path, settings):
    path = make_backup(tmp_path)
    forged = repack(path, tmp_path / "forged.tar", {"media/../../evil.txt": b"x"})
    restore_fails(forged, empty_database, tmp_path / "m6", settings, "files its manifest does not list")


@pytest.mark.parametrize("content", [b"", b"not a tar archive at all"])
def test_a_file_that_is_not_a_backup_is_refused(content, empty_database, tmp_path, settings, db):
    path = tmp_path / "junk.tar"
    path.write_bytes(content)
    restore_fails(path, empty_database, tmp_path / "m7", settings, "not a Continuum backup|Not a Continuum backup")


@pytest.mark.parametrize(
    "damage",
    [
        {"format": "something-else"},
        {"format_version": 99},
        {"chain_head": "latest"},
        {"attachments": [{"id": "x"}]},
        {"tables": {"audit_auditevent": "many"}},
        {"database": {"vendor": connection.vendor, "file": "../../etc/passwd"}},
    ],
)
def test_a_damaged_manifest_is_refused(damage, small_world, empty_database, tmp_path, settings):
    path = make_backup(tmp_path)
    manifest = {**manifest_of(path), **damage}
    forged = repack(path, tmp_path / "forged.tar", {"manifest.json": json.dumps(manifest).encode()})
    restore_fails(forged, empty_database, tmp_path / "m8", settings, "Not a Continuum backup|format version|damaged")


def test_a_backup_of_the_other_database_vendor_is_refused(small_world, empty_database, tmp_path, settings):
    path = make_backup(tmp_path)
    other = "sqlite" if ON_POSTGRES else "postgresql"
    manifest = manifest_of(path)
    manifest["database"]["vendor"] = other
    forged = repack(path, tmp_path / "forged.tar", {"manifest.json": json.dumps(manifest).encode()})
    restore_fails(forged, empty_database, tmp_path / "m9", settings, f"backup is of a {other} database")
