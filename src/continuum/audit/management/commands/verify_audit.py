from typing import Any

from django.core.management.base import BaseCommand, CommandError

from continuum.audit.log import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain. Exit 0 when intact; otherwise name the first broken event."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.events} events."))
            return
        event = report.first_broken
        if event is None:
            raise CommandError(f"Audit chain broken: {report.reason}.")
        raise CommandError(
            f"Audit chain broken at event #{event.seq} (id {event.id}, {event.action} at "
            f"{event.at.isoformat()}): {report.reason}."
        )
