"""``continuum apply_retention [--dry-run]``: the daily retention run (docs/operations.md, "The daily schedule").

Notes the groups of records that became due in the review queue, and erases every unheld group that
has been in it at least ``CONTINUUM_RETENTION_REVIEW_DAYS`` (docs/data-protection.md, "Erasure").
``--dry-run`` prints what would go and writes nothing. It prints ids and counts, never content.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from continuum.dataprotection.retention_actions import apply_retention


def _name(group: Any) -> str:
    where = f"case {group.case_number or group.case_id}" if group.case_id else f"person {group.person_reference}"
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(group.counts.items()))
    return f"{where}, {group.category}: {counts} (due since {group.due_on.isoformat()})"


class Command(BaseCommand):
    help = "Erase records past their retention period after case closure (run daily); --dry-run lists them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print what would be erased; change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        report = apply_retention(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        for group in report.erased:
            self.stdout.write(f"{verb} {_name(group)}")
        for group in report.held:
            self.stdout.write(f"Held: {_name(group)}")
        today = timezone.localdate()
        for group in report.waiting:
            self.stdout.write(f"In review until {group.erasure_on(today).isoformat()}: {_name(group)}")
        self.stdout.write(
            f"{verb} {report.records} records in {len(report.erased)} groups"
            f"{'' if dry_run else f' and the identity of {report.identities} persons'}; "
            f"{len(report.held)} held, {len(report.waiting)} in review"
            f"{f', {report.newly_queued} newly listed' if report.newly_queued else ''}."
        )
