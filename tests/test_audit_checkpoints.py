"""Signed checkpoints make a rewritten or truncated audit log detectable (issue 18).

The attacks are those of a database owner: drop the append-only triggers, change the table, put the
triggers back; recompute every later hash so the chain alone still fits. The key and the checkpoint
file live outside the database, as in production (tmp_path stands for the other disk).
"""

from __future__ import annotations

import base64
import io
import json
import os
import sqlite3
import stat
from dataclasses import replace

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from continuum.audit import checkpoints
from continuum.audit.checkpoints import (
    Checkpoint,
    CheckpointError,
    generate_key_pair,
    key_id,
    public_key_text,
    read_checkpoints,
    signing_key,
)
from continuum.audit.db import install_triggers, remove_triggers
from continuum.audit.log import record, verify_chain
from continuum.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _append(n: int) -> list[AuditEvent]:
    return [record(AuditAction.READ, actor=None, object_type="probe", object_id=i) for i in range(n)]


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "keys" / "audit-signing.pem"
    path.parent.mkdir()
    generate_key_pair(path)
    return path


@pytest.fixture
def signed(settings, tmp_path, key_file):
    """Checkpoints configured as the operator would: a private key file and a checkpoint file."""
    settings.CONTINUUM_AUDIT_CHECKPOINT_FILE = str(tmp_path / "sink" / "audit-checkpoints.jsonl")
    (tmp_path / "sink").mkdir()
    settings.CONTINUUM_AUDIT_SIGNING_KEY_FILE = str(key_file)
    settings.CONTINUUM_AUDIT_SIGNING_KEY = ""
    settings.CONTINUUM_AUDIT_VERIFY_KEY = ""
    return tmp_path / "sink" / "audit-checkpoints.jsonl"


def _verify(**options) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit", stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def _checkpoint(**options) -> str:
    out = io.StringIO()
    call_command("audit_checkpoint", stdout=out, **options)
    return out.getvalue()


def _as_database_owner(statements: list[tuple[str, list]]) -> None:
    remove_triggers(connection)
    try:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
    finally:
        install_triggers(connection)


def _truncate_after(seq: int) -> None:
    _as_database_owner([("DELETE FROM audit_auditevent WHERE seq > %s", [seq])])


def _rewrite_and_rehash(seq: int, purpose: str) -> None:
    """Change one event, then recompute its hash and every later one, so the chain alone fits again."""
    events = list(AuditEvent.objects.filter(seq__gte=seq).order_by("seq"))
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else events[0].prev_hash
    statements = []
    for event in events:
        if event.seq == seq:
            event.purpose = purpose
        event.prev_hash = prev
        event.hash = event.compute_hash()
        prev = event.hash
        statements.append(
            (
                "UPDATE audit_auditevent SET purpose = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                [event.purpose, event.prev_hash, event.hash, event.seq],
            )
        )
    _as_database_owner(statements)


# --- The attacks are caught -------------------------------------------------------------------------


def test_untouched_chain_with_checkpoints_passes(signed):
    _append(5)
    assert "Checkpoint written: event #5" in _checkpoint()
    _append(3)
    _checkpoint()
    _append(2)

    output = _verify()

    assert "Audit chain intact: 10 events." in output
    assert "2 signatures verified" in output and "event #8" in output
    assert "2 events after the latest checkpoint are not yet covered by a signature" in output
    assert "no checkpoints configured" not in output
    lines = signed.read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [5, 8]
    assert set(json.loads(lines[0])) == {"v", "seq", "head", "events", "at", "key_id", "signature"}


def test_tail_truncation_is_detected(signed):
    _append(6)
    _checkpoint()
    _truncate_after(4)
    assert verify_chain().ok, "the chain alone cannot see a missing tail"

    with pytest.raises(CommandError) as failure:
        _verify()

    message = str(failure.value)
    assert "the chain ends at event #4" in message and "signed event #6" in message
    assert "2 events are missing (the log was truncated)" in message


def test_truncation_followed_by_new_events_is_detected(signed):
    _append(6)
    _checkpoint()
    _truncate_after(3)
    _append(5)  # seq 4..8 again, with other hashes
    assert verify_chain().ok

    with pytest.raises(CommandError) as failure:
        _verify()

    assert "Audit chain broken at event #6" in str(failure.value)
    assert "signed checkpoint" in str(failure.value)


def test_edit_with_every_later_hash_recomputed_is_detected(signed):
    _append(6)
    _checkpoint()
    _append(2)
    _rewrite_and_rehash(3, "quietly rewritten")
    assert verify_chain().ok, "recomputing the later hashes fools the chain alone"
    assert AuditEvent.objects.get(seq=3).purpose == "quietly rewritten"

    with pytest.raises(CommandError) as failure:
        _verify()

    message = str(failure.value)
    assert "Audit chain broken at event #6" in message
    assert "the log was rewritten at or before it" in message


def test_edit_before_the_first_of_several_checkpoints_names_the_first_that_fails(signed):
    _append(3)
    _checkpoint()
    _append(3)
    _checkpoint()
    _rewrite_and_rehash(5, "x")

    with pytest.raises(CommandError) as failure:
        _verify()

    assert "Audit chain broken at event #6" in str(failure.value)  # #3 still matches: the change is in 4..6


def test_a_forged_checkpoint_is_detected(signed):
    _append(3)
    _checkpoint()
    line = json.loads(signed.read_text())
    _rewrite_and_rehash(2, "rewritten")
    forged = {**line, "head": AuditEvent.objects.get(seq=3).hash}  # the new head, the old signature

    signed.write_text(json.dumps(forged) + "\n")

    with pytest.raises(CommandError) as failure:
        _verify()
    assert "its signature does not verify: it was forged or altered" in str(failure.value)


def test_a_checkpoint_signed_with_another_key_is_refused(signed, tmp_path):
    _append(3)
    other = tmp_path / "attacker.pem"
    generate_key_pair(other)
    private = checkpoints.load_private_key(other.read_text())
    head = AuditEvent.objects.get(seq=3)
    forged = Checkpoint(
        seq=3, head=head.hash, events=3, at="2026-12-07T00:00:00.000000Z", key_id=key_id(private.public_key())
    )
    signature = base64.b64encode(private.sign(forged.payload())).decode()
    signed.write_text(replace(forged, signature=signature).to_line())

    with pytest.raises(CommandError) as failure:
        _verify()
    assert f"signed with an unknown key ({key_id(private.public_key())})" in str(failure.value)


def test_a_line_that_is_not_a_checkpoint_fails(signed):
    _append(2)
    _checkpoint()
    with signed.open("a") as sink:
        sink.write("not json\n")
    with pytest.raises(CommandError) as failure:
        _verify()
    assert "line 2 of the checkpoint file is not a checkpoint" in str(failure.value)


def test_a_removed_checkpoint_file_fails(signed):
    _append(2)
    _checkpoint()
    signed.unlink()
    with pytest.raises(CommandError) as failure:
        _verify()
    assert "does not exist" in str(failure.value)


def test_a_checkpoint_that_signs_fewer_events_than_the_one_before_fails(signed, settings):
    _append(4)
    _checkpoint()
    first = signed.read_text()
    _append(2)
    _checkpoint()
    second = signed.read_text()[len(first) :]
    signed.write_text(second + first)  # the later line first: the log shrank between them

    with pytest.raises(CommandError) as failure:
        _verify()
    assert "signs fewer events than the checkpoint" in str(failure.value)


# --- audit_checkpoint never signs over a broken chain --------------------------------------------------


def test_audit_checkpoint_refuses_to_sign_a_rewritten_chain(signed):
    _append(4)
    _checkpoint()
    _append(2)
    before = signed.read_text()
    _rewrite_and_rehash(2, "rewritten")

    with pytest.raises(CommandError) as failure:
        _checkpoint()

    assert "Refused to sign" in str(failure.value) and "event #4" in str(failure.value)
    assert signed.read_text() == before


def test_audit_checkpoint_refuses_to_sign_a_truncated_chain(signed):
    _append(4)
    _checkpoint()
    _truncate_after(2)
    with pytest.raises(CommandError) as failure:
        _checkpoint()
    assert "the log was truncated" in str(failure.value)
    assert len(signed.read_text().splitlines()) == 1


def test_audit_checkpoint_refuses_when_an_event_since_the_last_does_not_fit(signed):
    _append(3)
    _checkpoint()
    _append(2)
    _as_database_owner([("UPDATE audit_auditevent SET purpose = 'x' WHERE seq = 5", [])])
    with pytest.raises(CommandError) as failure:
        _checkpoint()
    assert "event #5" in str(failure.value) and "content does not match its hash" in str(failure.value)


def test_the_first_checkpoint_checks_the_whole_chain(signed):
    _append(3)
    _as_database_owner([("UPDATE audit_auditevent SET purpose = 'x' WHERE seq = 1", [])])
    with pytest.raises(CommandError):
        _checkpoint()
    assert not signed.exists() or signed.read_text() == ""


def test_audit_checkpoint_writes_nothing_new_when_no_event_was_added(signed):
    _append(2)
    _checkpoint()
    assert "No new events" in _checkpoint()
    assert len(signed.read_text().splitlines()) == 1
    _checkpoint(force=True)
    assert len(signed.read_text().splitlines()) == 2
    assert "Checkpoints intact: 2 signatures verified" in _verify()


def test_an_empty_chain_can_be_checkpointed_and_verified(signed):
    assert AuditEvent.objects.count() == 0
    assert "event #0" in _checkpoint()
    _append(1)
    _checkpoint()
    assert "Audit chain intact: 1 events." in _verify()


# --- After a restore ----------------------------------------------------------------------------------


def test_allow_truncation_reports_events_lost_by_a_restore_but_still_checks_the_rest(signed):
    _append(3)
    _checkpoint()
    _append(3)
    _checkpoint()
    _truncate_after(3)  # as if restored from a backup made at event #3

    output = _verify(allow_truncation=True)
    assert "3 events are missing (expected after restoring a backup)" in output

    _rewrite_and_rehash(2, "x")
    with pytest.raises(CommandError):
        _verify(allow_truncation=True)


# --- Keys ---------------------------------------------------------------------------------------------


def test_generate_audit_key_writes_a_private_key_only_its_owner_reads(tmp_path):
    path = tmp_path / "audit.pem"
    out = io.StringIO()
    call_command("generate_audit_key", str(path), stdout=out)

    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    private = checkpoints.load_private_key(path.read_text())
    public = checkpoints.load_public_keys((tmp_path / "audit.pem.pub").read_text())[0]
    assert key_id(public) == key_id(private.public_key())
    assert f"CONTINUUM_AUDIT_VERIFY_KEY={public_key_text(public)}" in out.getvalue()

    with pytest.raises(CommandError, match="exists already"):
        call_command("generate_audit_key", str(path), stdout=io.StringIO())
    assert checkpoints.load_private_key(path.read_text()).private_bytes_raw() == private.private_bytes_raw()


def test_a_signing_key_others_may_read_is_refused(signed, key_file):
    os.chmod(key_file, 0o644)
    with pytest.raises(CheckpointError, match="chmod 600"):
        signing_key()
    with pytest.raises(CommandError, match="chmod 600"):
        _checkpoint()


def test_the_signing_key_may_be_raw_base64_in_the_environment(signed, settings, key_file):
    raw = checkpoints.load_private_key(key_file.read_text()).private_bytes_raw()
    settings.CONTINUUM_AUDIT_SIGNING_KEY_FILE = ""
    settings.CONTINUUM_AUDIT_SIGNING_KEY = base64.b64encode(raw).decode()
    _append(2)
    _checkpoint()
    assert "Checkpoints intact" in _verify()


def test_a_host_with_only_the_public_key_verifies(signed, settings, key_file):
    _append(2)
    _checkpoint()
    public = checkpoints.load_public_keys((key_file.parent / "audit-signing.pem.pub").read_text())[0]
    settings.CONTINUUM_AUDIT_SIGNING_KEY_FILE = ""
    settings.CONTINUUM_AUDIT_VERIFY_KEY = public_key_text(public)
    assert "Checkpoints intact: 1 signatures verified" in _verify()

    other = checkpoints.Ed25519PrivateKey.generate().public_key()
    settings.CONTINUUM_AUDIT_VERIFY_KEY = public_key_text(other)
    with pytest.raises(CommandError, match="unknown key"):
        _verify()
    # An old and a new key side by side (rotation): both verify.
    settings.CONTINUUM_AUDIT_VERIFY_KEY = f"{public_key_text(other)}, {public_key_text(public)}"
    assert "Checkpoints intact" in _verify()


def test_a_checkpoint_file_without_any_key_is_a_clear_error(signed, settings):
    settings.CONTINUUM_AUDIT_SIGNING_KEY_FILE = ""
    with pytest.raises(CommandError, match="no key to verify its checkpoints"):
        _verify()
    with pytest.raises(CommandError, match="No signing key"):
        _checkpoint()


def test_bad_key_text_is_refused_with_its_name(settings):
    with pytest.raises(CheckpointError, match="neither PEM nor base64"):
        checkpoints.load_public_keys("not a key!")
    with pytest.raises(CheckpointError, match="32 bytes"):
        checkpoints.load_private_key(base64.b64encode(b"short").decode())


# --- Without checkpoints, as before -------------------------------------------------------------------


def test_without_checkpoints_verify_audit_behaves_as_before_and_says_what_it_cannot_see(settings):
    settings.CONTINUUM_AUDIT_CHECKPOINT_FILE = ""
    _append(4)
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit", stdout=out, stderr=err)
    assert out.getvalue().strip() == "Audit chain intact: 4 events."
    assert "no checkpoints configured" in err.getvalue()
    assert "truncation and rewriting are not detected" in err.getvalue()

    _truncate_after(2)
    assert "intact: 2 events" in _verify()  # undetected without checkpoints, as the warning says


def test_record_never_signs_nor_reads_the_key(signed, monkeypatch):
    """The write path stays as fast as before: record() touches neither the key nor the checkpoint file."""

    def refuse(*args, **kwargs):
        raise AssertionError("record() must not sign")

    monkeypatch.setattr(checkpoints, "signing_key", refuse)
    monkeypatch.setattr(checkpoints, "write_checkpoint", refuse)
    monkeypatch.setattr(checkpoints.Ed25519PrivateKey, "sign", refuse)
    os.chmod(signed.parent, 0o500)  # and the sink is not even writable by this process
    try:
        _append(50)
    finally:
        os.chmod(signed.parent, 0o700)
    assert AuditEvent.objects.count() == 50 and not signed.exists()


# --- The deploy check ---------------------------------------------------------------------------------


def _audit_messages():
    return [m for m in run_checks(include_deployment_checks=True) if m.id and m.id.startswith("continuum.audit.")]


def test_deploy_check_warns_without_checkpoints(settings):
    settings.CONTINUUM_AUDIT_CHECKPOINT_FILE = ""
    settings.CONTINUUM_AUDIT_SIGNING_KEY_FILE = ""
    settings.CONTINUUM_AUDIT_SIGNING_KEY = ""
    settings.CONTINUUM_AUDIT_VERIFY_KEY = ""
    assert [m.id for m in _audit_messages()] == ["continuum.audit.W001"]


def test_deploy_check_is_quiet_with_checkpoints_configured(signed):
    assert _audit_messages() == []


def test_deploy_check_errors_on_an_unreadable_verify_key(signed, settings):
    settings.CONTINUUM_AUDIT_VERIFY_KEY = "not-a-key"
    assert [m.id for m in _audit_messages()] == ["continuum.audit.E001"]


def test_checkpoints_read_back_as_written(signed):
    _append(2)
    _checkpoint()
    (checkpoint,), problems = read_checkpoints(signed)
    assert problems == [] and checkpoint.seq == 2 and checkpoint.events == 2
    assert checkpoint.head == AuditEvent.objects.get(seq=2).hash
    assert checkpoint.verifies({checkpoint.key_id: signing_key().public_key()}) == ""


# --- As the operator runs it --------------------------------------------------------------------------


def test_the_console_commands_as_cron_runs_them(tmp_path):
    """Key, checkpoint, verify from the console script; a truncation is a non-zero exit naming it."""
    from tests.test_settings import PRODUCTION, _run

    database = tmp_path / "db.sqlite3"
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{database}"}
    assert _run(["migrate", "-v0"], env, tmp_path).returncode == 0
    made = _run(["generate_audit_key", str(tmp_path / "signing.pem")], env, tmp_path)
    assert made.returncode == 0, made.stderr
    env |= {
        "CONTINUUM_AUDIT_SIGNING_KEY_FILE": str(tmp_path / "signing.pem"),
        "CONTINUUM_AUDIT_CHECKPOINT_FILE": str(tmp_path / "checkpoints.jsonl"),
    }
    append = "from continuum.audit.log import record; [record('read', actor=None) for _ in range(4)]"
    assert _run(["shell", "-c", append], env, tmp_path).returncode == 0
    written = _run(["audit_checkpoint"], env, tmp_path)
    assert written.returncode == 0 and "Checkpoint written: event #4" in written.stdout, written.stderr
    verified = _run(["verify_audit"], env, tmp_path)
    assert verified.returncode == 0 and "Checkpoints intact" in verified.stdout, verified.stderr

    with sqlite3.connect(database) as owner:  # the database owner, behind Continuum's back
        owner.execute("DROP TRIGGER audit_event_no_delete")
        owner.execute("DELETE FROM audit_auditevent WHERE seq > 2")

    verified = _run(["verify_audit"], env, tmp_path)
    assert verified.returncode == 1 and "the log was truncated" in verified.stderr
    refused = _run(["audit_checkpoint"], env, tmp_path)
    assert refused.returncode == 1 and "Refused to sign" in refused.stderr


# --- The dpo's page and the API report the checkpoints too --------------------------------------------


def test_api_verify_detects_truncation_that_the_chain_alone_misses(signed, api_as):
    api = api_as("dpo")
    _append(4)
    _checkpoint()
    answer = api.get("/api/v1/audit/verify/").json()
    assert answer["ok"] is True and answer["checkpoints"]["configured"] is True
    assert answer["checkpoints"]["verified"] == 1 and answer["checkpoints"]["problems"] == []
    signed_seq = answer["checkpoints"]["latest"]["seq"]

    _truncate_after(signed_seq - 2)
    answer = api.get("/api/v1/audit/verify/").json()

    assert answer["first_broken"] is None, "the chain alone still fits"
    assert answer["ok"] is False
    assert any("the log was truncated" in problem for problem in answer["checkpoints"]["problems"])


def test_api_verify_without_checkpoints_says_they_are_not_configured(settings, api_as):
    settings.CONTINUUM_AUDIT_CHECKPOINT_FILE = ""
    answer = api_as("dpo").get("/api/v1/audit/verify/").json()
    assert answer["ok"] is True
    assert answer["checkpoints"] == {"configured": False, "verified": 0, "latest": None, "problems": [], "notes": []}


def test_chain_page_shows_a_rehashed_log_as_not_agreeing_with_its_checkpoints(signed, browser_as):
    client = browser_as("dpo")
    _append(5)
    _checkpoint()
    page = client.post("/audit/chain/").content.decode()
    assert "The checkpoints agree with the log: 1 signature verified" in page

    first_probe = AuditEvent.objects.filter(object_type="probe").order_by("seq").first()
    _rewrite_and_rehash(first_probe.seq, "rewritten by the database owner")
    page = client.post("/audit/chain/").content.decode()

    assert "The chain is intact" not in page, "every hash was recomputed, but not the signed head"
    assert "<strong>The chain is broken</strong>" in page
    assert "the signed checkpoint" in page or "the log was rewritten" in page


def test_chain_page_says_when_checkpoints_are_not_set_up(settings, browser_as):
    settings.CONTINUUM_AUDIT_CHECKPOINT_FILE = ""
    page = browser_as("dpo").post("/audit/chain/").content.decode()
    assert "Signed checkpoints are not set up on this installation" in page


def test_only_the_dpo_verifies_the_log_with_its_checkpoints(signed, api_as, browser_as):
    for username in ("cp.coordinator", "prob.officer", "admin"):
        assert api_as(username).get("/api/v1/audit/verify/").status_code == 403
        assert browser_as(username).post("/audit/chain/").status_code == 403
