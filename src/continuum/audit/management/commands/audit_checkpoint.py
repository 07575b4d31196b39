"""``continuum audit_checkpoint``: sign the audit chain's head and append it to the checkpoint file.

Run it from cron or a systemd timer (e.g. every five minutes) as a user that can read the signing key;
see docs/threat-model.md, "The audit log against its database owner".
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.audit.checkpoints import CheckpointError, write_checkpoint


class Command(BaseCommand):
    help = (
        "Sign the audit chain's head (Ed25519, CONTINUUM_AUDIT_SIGNING_KEY_FILE) and append it to "
        "CONTINUUM_AUDIT_CHECKPOINT_FILE, after checking the chain since the last checkpoint. Exit non-zero "
        "and sign nothing when the chain no longer fits the last checkpoint."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Write a checkpoint even when no event was added since the last."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = write_checkpoint(force=options["force"])
        except CheckpointError as e:
            raise CommandError(str(e)) from e
        checkpoint = written.checkpoint
        if not written.new:
            self.stdout.write(f"No new events since the checkpoint of {checkpoint.at} (event #{checkpoint.seq}).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint written: event #{checkpoint.seq} ({checkpoint.head[:12]}…), {checkpoint.events} events, "
                f"key {checkpoint.key_id}."
            )
        )
