"""Attachment files reach their place only when their entry commits; orphans are swept (issue 12, a debt).

Real database, real files in a temporary ``MEDIA_ROOT``. Where a commit matters the tests either commit
(``django_db(transaction=True)``) or run the commit callbacks of the test's transaction by hand.
"""

from __future__ import annotations

import io
import os
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from continuum.cases import actions as case_actions
from continuum.cases.attachment_files import INCOMING, sweep
from continuum.cases.models import Attachment, Case, Entry
from continuum.people import actions as people_actions

NOTES = b"Session notes, synthetic.\n"
TWO_HOURS_AGO = time.time() - 2 * 3600


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def case(persona) -> Case:
    officer = persona("prob.officer")
    person = people_actions.do_create_person(
        given_name="Noor", family_name="Example", birth_date=date(1992, 4, 11), acting_user=officer
    )
    return case_actions.do_open_case(
        person=person, lead_organisation=officer.organisation, phase="probation", acting_user=officer
    )


def add_entry(case: Case, persona, name: str = "session.txt") -> Entry:
    return case_actions.do_add_entry(
        case,
        category="plan",
        title="With a file",
        attachments=[SimpleUploadedFile(name, NOTES, content_type="text/plain")],
        acting_user=persona("prob.officer"),
    )


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def download_url(attachment: Attachment) -> str:
    return f"/api/v1/entries/{attachment.entry_id}/attachments/{attachment.pk}/"


def plant(root: Path, name: str, *, old: bool) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left behind")
    if old:
        os.utime(path, (TWO_HOURS_AGO, TWO_HOURS_AGO))
    return path


def age(path: Path) -> None:
    os.utime(path, (TWO_HOURS_AGO, TWO_HOURS_AGO))


# --- Writing: nothing on disk without a commit --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_entry_whose_transaction_fails_after_its_file_was_written_leaves_no_file(media, case, persona, monkeypatch):
    def audit_write_fails(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    # The last write of the action fails, after the file and its row were written: all is rolled back.
    monkeypatch.setattr("continuum.cases.actions.journal.record", audit_write_fails)
    with pytest.raises(RuntimeError):
        add_entry(case, persona)
    assert not Entry.objects.filter(title="With a file").exists()
    assert not Attachment.objects.exists()
    assert files(media) == set()


@pytest.mark.django_db(transaction=True)
def test_a_bad_second_file_writes_nothing(media, case, persona):
    good = SimpleUploadedFile("fine.txt", NOTES, content_type="text/plain")
    bad = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + bytes(range(256)))
    with pytest.raises(Exception, match="Only PDF"):
        case_actions.do_add_entry(
            case, category="plan", title="Two files", attachments=[good, bad], acting_user=persona("prob.officer")
        )
    assert not Attachment.objects.exists()
    assert files(media) == set()


@pytest.mark.django_db(transaction=True)
def test_an_outer_rollback_leaves_only_a_temporary_file_that_the_sweep_removes(media, case, persona):
    with pytest.raises(RuntimeError), transaction.atomic():
        add_entry(case, persona)
        raise RuntimeError("a later step of the caller fails")
    assert not Attachment.objects.exists()
    # Nothing references it and it never reached an attachment's place; only the sweep can see it.
    (left,) = files(media)
    assert left.startswith(f"{INCOMING}/")
    assert sweep(older_than=timedelta(0)).stale_incoming == [left]
    assert files(media) == set()


@pytest.mark.django_db(transaction=True)
def test_a_committed_entry_puts_its_file_in_place_and_it_downloads(media, case, persona, api_as, browser_as):
    entry = add_entry(case, persona)
    attachment = entry.attachments.get()
    assert attachment.original_name == "session.txt"
    assert attachment.file.name == f"attachments/{attachment.uploaded_at:%Y/%m}/{attachment.pk}.txt"
    # Only the final file is left: the incoming one was moved, not copied.
    assert files(media) == {attachment.file.name}
    assert (media / attachment.file.name).read_bytes() == NOTES
    response = api_as("prob.officer").get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == NOTES
    assert 'filename="session.txt"' in response["Content-Disposition"]
    page = browser_as("prob.officer").get(f"/cases/entries/{entry.pk}/attachments/{attachment.pk}/")
    assert page.status_code == 200 and b"".join(page.streaming_content) == NOTES


@pytest.mark.django_db
def test_an_attachment_is_readable_only_after_its_entry_commits(
    media, case, persona, api_as, django_capture_on_commit_callbacks
):
    client = api_as("prob.officer")
    with django_capture_on_commit_callbacks() as callbacks:
        entry = add_entry(case, persona)
    attachment = entry.attachments.get()
    assert files(media) == {f"{INCOMING}/{attachment.pk}"}
    assert client.get(download_url(attachment)).status_code == 404
    for callback in callbacks:  # the commit
        callback()
    assert files(media) == {attachment.file.name}
    assert b"".join(client.get(download_url(attachment)).streaming_content) == NOTES


# --- continuum remove_orphan_attachments -------------------------------------------------------------


@pytest.fixture
def litter(media, case, persona, django_capture_on_commit_callbacks):
    """An attachment in place, one committed but not yet moved (killed in between), and litter around them."""
    with django_capture_on_commit_callbacks(execute=True):
        in_place = add_entry(case, persona).attachments.get()
    with django_capture_on_commit_callbacks(execute=False):
        unmoved = add_entry(case, persona, "unmoved.txt").attachments.get()
    age(media / in_place.file.name)
    age(media / INCOMING / str(unmoved.pk))
    return {
        "in_place": in_place.file.name,
        "unmoved": unmoved,
        "orphan": plant(media, "attachments/2024/01/session.txt", old=True),
        "fresh_orphan": plant(media, "attachments/2024/01/being-written.txt", old=False),
        "old_temp": plant(media, f"{INCOMING}/{uuid.uuid4()}", old=True),
        "old_partial": plant(media, f"{INCOMING}/upload.part", old=True),
        "fresh_temp": plant(media, f"{INCOMING}/{uuid.uuid4()}", old=False),
    }


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("remove_orphan_attachments", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_removes_orphans_and_old_temporary_files_and_keeps_the_rest(media, litter):
    before = files(media)
    output = run()
    rel = {key: path.relative_to(media).as_posix() for key, path in litter.items() if isinstance(path, Path)}
    unmoved = litter["unmoved"]
    assert files(media) == before - {rel["orphan"], rel["old_temp"], rel["old_partial"], f"{INCOMING}/{unmoved.pk}"} | {
        unmoved.file.name
    }
    assert (media / litter["in_place"]).read_bytes() == NOTES
    # The upload that committed before its move was finished is in its place, whole.
    assert (media / unmoved.file.name).read_bytes() == NOTES
    assert output.splitlines() == [
        "Removed 1 orphaned file and 2 old temporary files; restored 1 committed; kept 1 referenced file "
        "and 2 younger than the threshold."
    ]


@pytest.mark.django_db
def test_the_command_never_removes_a_referenced_file_however_old_or_named(media, litter):
    # A file stored by an earlier version, under the upload's own name: still referenced, so kept.
    legacy = plant(media, "attachments/2023/05/session.txt", old=True)
    Attachment.objects.filter(file=litter["in_place"]).update(file="attachments/2023/05/session.txt")
    run("--older-than-minutes", "0")
    assert legacy.exists()
    assert all((media / name).exists() for name in Attachment.objects.values_list("file", flat=True))
    # With no threshold the fresh litter goes too.
    assert not litter["fresh_orphan"].exists() and not litter["fresh_temp"].exists()


@pytest.mark.django_db
def test_a_dry_run_deletes_nothing_and_says_what_it_would_delete(media, litter):
    before = files(media)
    output = run("--dry-run").splitlines()
    assert files(media) == before
    unmoved = litter["unmoved"]
    assert sorted(output[:-1]) == sorted(
        [
            "would remove attachments/2024/01/session.txt (referenced by no attachment)",
            f"would remove {litter['old_temp'].relative_to(media).as_posix()} (temporary, its upload never committed)",
            f"would remove {INCOMING}/upload.part (temporary, its upload never committed)",
            f"would move {INCOMING}/{unmoved.pk} to {unmoved.file.name} (committed)",
        ]
    )
    assert output[-1].startswith("Would remove 1 orphaned file and 2 old temporary files; would restore 1 committed")


@pytest.mark.django_db
def test_the_command_refuses_a_negative_threshold(media):
    with pytest.raises(CommandError, match="0 or more"):
        run("--older-than-minutes", "-1")


@pytest.mark.django_db
def test_the_command_is_quiet_without_an_attachment_folder(media):
    assert run() == (
        "Removed 0 orphaned files and 0 old temporary files; restored 0 committed; kept 0 referenced files "
        "and 0 younger than the threshold.\n"
    )
