"""The audit log is append-only and hash-chained (issue 2, Audit log)."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from continuum.audit.db import install_triggers, remove_triggers
from continuum.audit.log import record, verify_chain
from continuum.audit.models import GENESIS_HASH, AuditAction, AuditEvent


def _append(n: int) -> list[AuditEvent]:
    return [record(AuditAction.READ, actor=None, object_type="probe", object_id=i) for i in range(n)]


@pytest.mark.django_db
def test_events_form_one_chain_from_the_genesis_hash():
    events = _append(3)
    assert events[0].seq == 1 and events[0].prev_hash == GENESIS_HASH
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    report = verify_chain()
    assert report.ok and report.events == 3


@pytest.mark.django_db
def test_database_refuses_update_of_an_audit_event():
    (event,) = _append(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET purpose = 'tampered' WHERE id = %s", [event.id.hex])
    assert AuditEvent.objects.get(pk=event.pk).purpose == ""


@pytest.mark.django_db
def test_database_refuses_delete_of_an_audit_event():
    (event,) = _append(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_orm_refuses_to_change_or_delete_events():
    (event,) = _append(1)
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().update(purpose="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def _tamper(event: AuditEvent, purpose: str) -> None:
    """What an attacker with the database owner's rights could do: drop the trigger, edit, put it back."""
    remove_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET purpose = %s WHERE seq = %s", [purpose, event.seq])
    install_triggers(connection)


@pytest.mark.django_db
def test_verify_audit_names_the_altered_event(capsys):
    events = _append(5)
    call_command("verify_audit")
    assert "intact: 5 events" in capsys.readouterr().out

    _tamper(events[2], "quietly rewritten")

    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert f"event #{events[2].seq}" in str(failure.value)
    assert str(events[2].id) in str(failure.value)
    report = verify_chain()
    assert not report.ok and report.first_broken is not None and report.first_broken.seq == events[2].seq


@pytest.mark.django_db
def test_verify_audit_exits_non_zero_from_the_command_line(tmp_path):
    """The console script's exit status, as an operator's cron job sees it (via call_command's error)."""
    events = _append(2)
    _tamper(events[0], "x")
    with pytest.raises(CommandError):
        call_command("verify_audit")


@pytest.mark.django_db
def test_audit_event_rolls_back_with_the_change_it_records():
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(AuditAction.CREATE, actor=None, object_type="probe")
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == before
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain():
    """Several threads, each with its own database connection, append at once; the chain never forks.

    On PostgreSQL this exercises the advisory lock; on SQLite the IMMEDIATE transactions.
    """
    threads_count, per_thread = 6, 15
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_count)

    def worker() -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    record(AuditAction.READ, actor=None, object_type="concurrency", object_id=i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_chain()
    assert report.ok, report.reason
    assert report.events == threads_count * per_thread
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, threads_count * per_thread + 1)
    )
