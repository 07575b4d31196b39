from typing import Any

from django.core.management.base import BaseCommand

from continuum.accounts import demo


class Command(BaseCommand):
    help = "Create the synthetic demo world (idempotent). Every demo user's password is 'continuum-demo'."

    def handle(self, *args: Any, **options: Any) -> None:
        organisations, users = demo.seed()
        self.stdout.write(
            self.style.SUCCESS(f"Demo world ready ({organisations} organisations and {users} users created).")
        )
