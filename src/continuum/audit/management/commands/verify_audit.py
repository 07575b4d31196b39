"""``continuum verify_audit``: the hash chain, and the signed checkpoints when they are configured."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.audit.checkpoints import CheckpointError, verify_with_checkpoints
from continuum.audit.log import ChainReport, verify_chain

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
        if not settings.CONTINUUM_AUDIT_CHECKPOINT_FILE:
            report = verify_chain()
            if not report.ok:
                raise CommandError(_chain_failure(report))
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.events} events."))
            self.stderr.write(self.style.WARNING(NOT_CONFIGURED))
            return
        try:
            checked = verify_with_checkpoints(allow_truncation=options["allow_truncation"])
        except CheckpointError as e:
            raise CommandError(f"Cannot check the audit checkpoints: {e}") from e
        lines = [] if checked.chain.ok else [_chain_failure(checked.chain)]
        lines += [f"Audit checkpoint failed: {problem}." for problem in checked.problems]
        for note in checked.notes:
            self.stdout.write(f"Note: {note}.")
        if lines:
            raise CommandError("\n".join(lines))
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked.chain.events} events."))
        latest = checked.latest
        if latest is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Checkpoints intact: {checked.checkpoints} signatures verified; the latest "
                    f"({latest.at}, event #{latest.seq}) matches the chain."
                )
            )
