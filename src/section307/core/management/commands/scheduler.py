"""``section307 scheduler``: enqueue the daily jobs once a day (run next to ``section307 db_worker``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from section307.core.scheduler import DAILY_JOBS, run_scheduler, scheduler_tick


class Command(BaseCommand):
    help = "Enqueue the daily jobs (clock ticks, reminders...) once a day; safe to run in several processes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Tick once and exit (for cron)")
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between ticks")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            names = scheduler_tick()
            self.stdout.write(f"Enqueued: {', '.join(names) or 'nothing (already done today)'}")
            return
        self.stdout.write(f"Scheduling {', '.join(j.name for j in DAILY_JOBS)} every day; Ctrl-C to stop.")
        run_scheduler(interval=options["interval"])
