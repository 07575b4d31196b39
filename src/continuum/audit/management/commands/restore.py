"""``continuum restore FILE``: a backup back into an empty database and media folder, verified."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.audit.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `continuum backup` into an EMPTY database and an empty media folder. "
        "Refused unless every checksum, the row counts and the audit chain's head match the backup's manifest "
        "and verify_audit passes on the result. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file written by `continuum backup`.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore(options["file"])
        except BackupError as e:
            raise CommandError(f"Restore failed, nothing was restored: {e}") from e
        self.stdout.write(result.verify_output)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {result.tables} tables, audit chain head #{result.events} ({result.head_hash[:12]}…) "
                f"as in the backup, {result.attachments} attachments. Run `continuum migrate` if this Continuum "
                "is newer than the backup's."
            )
        )
