from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create the synthetic demo world (idempotent). Every demo user's password is 'continuum-demo'. "
        "Each app that has a ``demo`` module adds its part, in the order of INSTALLED_APPS."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if not config.name.startswith("continuum.") or find_spec(module_name) is None:
                continue
            summary = import_module(module_name).seed()
            self.stdout.write(f"{config.verbose_name}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo world ready. Password of every demo user: continuum-demo"))
