from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from section307.refdata.errors import ParseFailed
from section307.refdata.models import RefdataLoad
from section307.refdata.services import APPLIERS, refdata_load
from section307.refdata.sources import SOURCES


class Command(BaseCommand):
    help = "Load public reference lists: `refdata load SOURCE PATH_OR_URL`, `refdata sources`, `refdata history`."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load a list from a file or URL")
        load.add_argument("source", choices=sorted([*APPLIERS, "regions"]))
        load.add_argument(
            "location",
            nargs="?",
            help="Path or URL; default: the official URL (for regions: 'builtin')",
        )
        load.add_argument("--dry-run", action="store_true", help="Parse and compare, save nothing")
        load.add_argument("--show-changes", type=int, default=50, help="How many change lines to print")
        sub.add_parser("sources", help="List the official sources and their URLs")
        sub.add_parser("history", help="Show the most recent loads")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "sources":
            for name, src in SOURCES.items():
                self.stdout.write(f"{name:10} {src.url}\n           {src.description}")
            return
        if action == "history":
            for load in RefdataLoad.objects.all()[:20]:
                self.stdout.write(f"{load.loaded_at:%Y-%m-%d %H:%M} {load.source:10} {load.counts} {load.location}")
            return
        self._load(options)

    def _load(self, options: dict[str, Any]) -> None:
        source = options["source"]
        if source == "regions":
            from section307.geo.services import regions_sync

            counts = regions_sync()
            self.stdout.write(self.style.SUCCESS(f"regions: {counts}"))
            return
        location = options.get("location") or SOURCES[source].url
        try:
            report = refdata_load(source=source, location=location, dry_run=options["dry_run"])
        except ParseFailed as exc:
            lines = [str(e) for e in exc.errors]
            shown = "\n  ".join(lines[:200])
            more = f"\n  ... and {len(lines) - 200} more" if len(lines) > 200 else ""
            raise CommandError(
                f"{source}: {len(lines)} problem(s); nothing was loaded and the database is unchanged:\n  {shown}{more}"
            ) from exc
        except OSError as exc:
            raise CommandError(f"{source}: cannot read {location}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
        limit = options["show_changes"]
        for line in report.changes[:limit]:
            self.stdout.write(f"  {line}")
        if len(report.changes) > limit:
            self.stdout.write(f"  ... and {len(report.changes) - limit} more (see the admin's reference data loads)")
