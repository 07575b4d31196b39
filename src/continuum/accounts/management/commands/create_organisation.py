from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from continuum.accounts import actions
from continuum.accounts.choices import OrgType


class Command(BaseCommand):
    help = "Create an organisation (for the first administrator's organisation on a new installation)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("name")
        parser.add_argument("type", choices=OrgType.values)

    def handle(self, *args: Any, slug: str, name: str, type: str, **options: Any) -> None:
        try:
            actions.do_create_organisation(slug=slug, name=name, type=type, acting_user=None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Organisation {slug} created."))
