"""``continuum verify_audit``: the hash chain, and the signed checkpoints when they are configured."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.audit.checkpoints import check_log
from continuum.audit.log import ChainReport

NOT_CONFIGURED = (
    "Warning: no checkpoints configured (CONTINUUM_AUDIT_CHECKPOINT_FILE): truncation and rewriting are not detected."
)


def _chain_failure(report: ChainReport) -> str:
    event = report.first_broken
    if event is None:
        return f"Audit chain broken: {report.reason}."
    return (
        f"Audit chain broken at event #{event.seq} (id {event.id}, {event.action} at "
        f"{event.at.isoformat()}): {report.reason}."
    )


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chain and, when CONTINUUM_AUDIT_CHECKPOINT_FILE is set, check every "
        "signed checkpoint against it. Exit 0 when intact; otherwise name the first broken event and every "
        "failed checkpoint."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-truncation",
            action="store_true",
            help=(
                "Right after restoring a backup: events signed after the backup was made are expected to be "
                "missing, and are reported, not failed."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checked = check_log(allow_truncation=options["allow_truncation"])
        lines = [] if checked.chain.ok else [_chain_failure(checked.chain)]
        lines += [f"Audit checkpoint failed: {problem}." for problem in checked.problems]
        for note in checked.notes:
            self.stdout.write(f"Note: {note}.")
        if lines:
            raise CommandError("\n".join(lines))
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked.chain.events} events."))
        if not checked.configured:
            self.stderr.write(self.style.WARNING(NOT_CONFIGURED))
        latest = checked.latest
        if latest is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Checkpoints intact: {checked.checkpoints} signatures verified; the latest "
                    f"({latest.at}, event #{latest.seq}) matches the chain."
                )
            )
