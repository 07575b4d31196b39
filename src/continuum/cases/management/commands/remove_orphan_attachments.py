from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.cases.attachment_files import sweep


class Command(BaseCommand):
    help = (
        "Delete attachment files that no attachment references and temporary files of uploads that "
        "never committed, both when older than --older-than-minutes; move a committed upload's file "
        "left in the temporary folder into place. Never deletes a file an attachment references."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=60,
            help="leave files younger than this alone: their upload may still be committing (default 60)",
        )
        parser.add_argument("--dry-run", action="store_true", help="print what would be done, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = options["older_than_minutes"]
        if minutes < 0:
            raise CommandError("--older-than-minutes must be 0 or more.")
        dry_run = options["dry_run"]
        result = sweep(older_than=timedelta(minutes=minutes), dry_run=dry_run)
        if dry_run or options["verbosity"] >= 2:
            verb = "would remove" if dry_run else "removed"
            for name in result.orphans:
                self.stdout.write(f"{verb} {name} (referenced by no attachment)")
            for name in result.stale_incoming:
                self.stdout.write(f"{verb} {name} (temporary, its upload never committed)")
            for incoming, final in result.restored:
                self.stdout.write(f"{'would move' if dry_run else 'moved'} {incoming} to {final} (committed)")
        self.stdout.write(result.summary())
