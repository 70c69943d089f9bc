from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from section307.metrics.facts import facts_rebuild


class Command(BaseCommand):
    help = "Rebuild the detention fact table behind the metrics dashboard and the public statistics."

    def handle(self, *args: Any, **options: Any) -> None:
        n = facts_rebuild()
        self.stdout.write(f"{n} detention(s) in the fact table.")
