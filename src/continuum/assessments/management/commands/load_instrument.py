"""``continuum load_instrument FILE``: load an instrument an organisation holds a licence for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.accounts.models import User
from continuum.assessments.format import InstrumentFormatError
from continuum.assessments.loader import load_instrument_file


class Command(BaseCommand):
    help = "Validate an instrument file (YAML or JSON, docs/assessments.md) and load it as a new version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", default="", help="Username recorded as having loaded it (audited).")
        parser.add_argument("--check", action="store_true", help="Only validate the file; load nothing.")

    def handle(self, *args: Any, file: Path, user: str, check: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        acting_user = None
        if user:
            acting_user = User.objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"No user {user!r}.")
        try:
            if check:
                from continuum.assessments.format import parse_file

                definition = parse_file(file)
                self.stdout.write(f"{file}: valid ({definition['code']} {definition['version']})")
                return
            instrument, created = load_instrument_file(file, acting_user=acting_user)
        except InstrumentFormatError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "Loaded" if created else "Already loaded, unchanged:"
        self.stdout.write(self.style.SUCCESS(f"{verb} {instrument.code} {instrument.version} ({instrument.name})"))
