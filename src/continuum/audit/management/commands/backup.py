"""``continuum backup FILE``: the database, the audit chain's head and the attachments in one file."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.audit.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database (SQLite online backup or pg_dump), the audit chain's head "
        "and every attachment to FILE (a tar archive, mode 0600, written atomically). See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Where to write the backup, e.g. /backups/continuum-2026-12-07.tar")
        parser.add_argument("--force", action="store_true", help="Replace FILE if it exists.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(options["file"], force=options["force"])
        except BackupError as e:
            raise CommandError(f"Backup failed: {e}") from e
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.path}: {result.tables} tables, audit chain head #{result.events} "
                f"({result.head_hash[:12]}…), {result.attachments} attachments."
            )
        )
