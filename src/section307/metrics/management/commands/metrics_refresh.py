from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from section307.metrics.facts import facts_rebuild
from section307.metrics.tallies import tallies_drift, tallies_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the detention fact table and its tallies behind the metrics dashboard and the public "
        "statistics; --tallies rebuilds only the tallies from the facts; --check lists the tallies that "
        "differ from the facts and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tallies", action="store_true", help="rebuild only the tallies from the fact table")
        parser.add_argument("--check", action="store_true", help="compare the tallies with the facts; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            drift = tallies_drift()
            for (dimension, key, month, regime, status), (stored, expected) in sorted(drift.items()):
                self.stdout.write(
                    f"{dimension}={key!r} {month:%Y-%m} {regime} {status}: stored {stored[0]} ({stored[1]}),"
                    f" facts {expected[0]} ({expected[1]})"
                )
            if drift:
                raise CommandError(f"{len(drift)} tally row(s) differ from the facts; run metrics_refresh --tallies.")
            self.stdout.write("The tallies agree with the facts.")
            return
        if options["tallies"]:
            rows = tallies_rebuild()
            self.stdout.write(f"{rows} tally row(s) rebuilt from the fact table.")
            return
        n = facts_rebuild()
        self.stdout.write(f"{n} detention(s) in the fact table, tallies rebuilt.")
