"""The crash test (issue 18): a server killed with SIGKILL during a burst of API writes loses nothing it
acknowledged and leaves nothing half-written.

A real server (gunicorn, two worker processes with four threads each) runs on the test database of the
suite's vendor (SQLite or PostgreSQL: ``DATABASE_URL``), which holds committed rows (``transaction=True``).
Six client threads post journal entries (``POST /api/v1/cases/{id}/entries/``) with a real token; once
enough writes are acknowledged, the server's whole process group gets SIGKILL, mid-request. Nothing is
restarted: the test opens the database and checks that every acknowledged (201) entry is there with its
audit event, that no entry lacks its audit event and no audit event its entry, and that the audit chain
verifies (``continuum verify_audit``). Writes that committed but were not acknowledged (the kill came
between the commit and the answer) are allowed, whole.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from continuum.accounts import actions as account_actions
from continuum.audit.models import AuditAction, AuditEvent
from continuum.cases.actions import do_open_case
from continuum.cases.models import Entry
from continuum.people.actions import do_create_person

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).parent / "gunicorn"
CLIENTS = 6
KILL_AFTER = 60  # acknowledged writes before the kill
BURST_LIMIT = 20.0  # seconds: the kill comes at the latest then


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    user, password = quote(s["USER"] or "", safe=""), quote(s["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(port: int, cwd: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": _database_url(),
        "CONTINUUM_DB_CONN_MAX_AGE": "0",
    }
    command = [
        str(GUNICORN),
        "continuum.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    # A session of its own: the kill reaches the master and its workers together.
    return subprocess.Popen(  # noqa: S603 (our own command line)
        command, cwd=cwd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _wait_until_up(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start within 30 s")


def _post(port: int, path: str, key: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Token {key}", "Content-Type": "application/json", "Host": "localhost"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own local server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


@pytest.fixture
def crash_world(persona):
    officer = persona("prob.officer")
    person = do_create_person(
        given_name="Kasimir", family_name="Crash", birth_date=date(1988, 3, 9), acting_user=officer
    )
    case = do_open_case(person=person, lead_organisation=officer.organisation, phase="probation", acting_user=officer)
    _token, key = account_actions.do_create_api_token(officer, acting_user=None, label="crash test")
    return case, key


def test_sigkill_during_a_burst_of_writes_loses_no_acknowledged_write_and_leaves_nothing_half_written(
    crash_world, tmp_path
):
    case, key = crash_world
    port = _free_port()
    server = _start_server(port, tmp_path)
    acknowledged: list[str] = []
    refused: list[int] = []
    cut_off: list[str] = []  # requests in flight when the server died
    lock = threading.Lock()
    enough = threading.Event()
    killed = threading.Event()
    try:
        _wait_until_up(server, port)

        def client(number: int) -> None:
            n = 0
            while not killed.is_set():
                n += 1
                body = {"category": "plan", "kind": "note", "title": f"crash {number}-{n}", "body": "Synthetic."}
                try:
                    status, answer = _post(port, f"/api/v1/cases/{case.pk}/entries/", key, body)
                except ConnectionRefusedError:
                    return  # the server was gone before this request
                except OSError as error:  # reset or closed mid-request
                    with lock:
                        cut_off.append(type(error).__name__)
                    return
                with lock:
                    if status == 201:
                        acknowledged.append(str(answer["id"]))
                        if len(acknowledged) >= KILL_AFTER:
                            enough.set()
                    else:
                        refused.append(status)

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        enough.wait(BURST_LIMIT)
        os.killpg(server.pid, signal.SIGKILL)  # mid-burst: every client has a request in flight
        with lock:
            at_kill = len(acknowledged)
        killed.set()
        server.wait(timeout=10)
        for thread in threads:
            thread.join(timeout=35)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)

    assert not refused, f"writes refused before the kill: {refused}"
    assert at_kill >= 10, f"only {at_kill} writes acknowledged before the kill"
    # Nothing restarted: what is in the database now is what the crash left.
    entries = set(map(str, Entry.objects.filter(case=case).values_list("pk", flat=True)))
    events = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="entry", case_id=case.pk)
    audited = list(events.values_list("object_id", flat=True))
    missing = set(acknowledged) - entries
    print(
        f"\ncrash test on {connection.vendor}: {len(acknowledged)} writes acknowledged, "
        f"{len(set(acknowledged) & entries)} found with their audit event; {len(entries)} entries in the database "
        f"({len(entries - set(acknowledged))} committed but not acknowledged); {len(audited)} audit events; "
        f"{len(cut_off)} requests cut off by the kill"
    )
    assert not missing, f"acknowledged but lost: {sorted(missing)}"
    assert len(audited) == len(set(audited)), "an entry audited twice"
    assert set(audited) == entries, "an entry without its audit event, or an audit event without its entry"
    call_command("verify_audit")  # the chain is whole: no event half-written, none lost from the middle
