"""``continuum generate_audit_key FILE``: a new Ed25519 key pair for signing audit checkpoints."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.audit.checkpoints import CheckpointError, generate_key_pair, key_id, public_key_text


class Command(BaseCommand):
    help = (
        "Write a new Ed25519 private key to FILE (mode 0600, never over an existing file) and its public key "
        "to FILE.pub, for CONTINUUM_AUDIT_SIGNING_KEY_FILE and CONTINUUM_AUDIT_VERIFY_KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Where the private key goes; keep it off the database server's disks.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            public = generate_key_pair(path)
        except CheckpointError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(self.style.SUCCESS(f"Private key written to {path} (mode 0600), public key to {path}.pub."))
        self.stdout.write(f"Key id: {key_id(public)}")
        self.stdout.write(f"CONTINUUM_AUDIT_SIGNING_KEY_FILE={path.resolve()}")
        self.stdout.write(f"CONTINUUM_AUDIT_VERIFY_KEY={public_key_text(public)}")
