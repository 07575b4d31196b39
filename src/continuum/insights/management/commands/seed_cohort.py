from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from continuum.insights import cohort


class Command(BaseCommand):
    help = (
        "Add a synthetic historical cohort of Prison South's earlier cases (idempotent), so that the "
        "statistics have cells to publish and cells to suppress. Run after seed_demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=150)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Cohort: {cohort.seed(options['size'])}")
