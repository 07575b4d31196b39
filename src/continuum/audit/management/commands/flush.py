"""Django's ``flush``, refused outside the test suite: it would erase the append-only audit log.

The test suite flushes its throw-away database between transactional tests; only
there (``AUDIT_FLUSH_ALLOWED`` in the test settings) are the audit triggers lifted
for the flush and put back right after.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from continuum.audit.db import install_triggers, remove_triggers


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        if not getattr(settings, "AUDIT_FLUSH_ALLOWED", False):
            raise CommandError("Refused: flushing would erase the append-only audit log.")
        connection = connections[options["database"]]
        remove_triggers(connection)
        try:
            super().handle(**options)
        finally:
            install_triggers(connection)
