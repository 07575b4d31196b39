import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.accounts import actions
from continuum.accounts.choices import Role
from continuum.accounts.models import Organisation


class Command(BaseCommand):
    help = (
        "Create a user (e.g. the first administrator). The password is asked for, "
        "or read from CONTINUUM_NEW_PASSWORD when there is no terminal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="Organisation slug.")
        parser.add_argument("--role", required=True, choices=Role.values)

    def handle(self, *args: Any, username: str, organisation: str, role: str, **options: Any) -> None:
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"No organisation {organisation!r}.")
        password = os.environ.get("CONTINUUM_NEW_PASSWORD") or getpass.getpass("Password: ")
        try:
            actions.do_create_user(username=username, organisation=org, role=role, password=password, acting_user=None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"User {username} created."))
