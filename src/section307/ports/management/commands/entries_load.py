"""Load a batch file of entries (CSV or XLSX), screen each on arrival. A file with any error loads nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import ngettext

from section307.ports.intake import IntakeError, read_entries_file
from section307.ports.models import Entry
from section307.ports.services import entries_receive


class Command(BaseCommand):
    help = "Load entries from a CSV or XLSX batch file and screen them on arrival."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV or XLSX file, one row per entry line")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"]
        try:
            parsed = read_entries_file(path, display_name=path, today=timezone.localdate())
            entries = entries_receive(actor=None, entries=parsed, source=Entry.Source.BATCH)
        except IntakeError as exc:
            raise CommandError("nothing was loaded:\n" + "\n".join(str(e) for e in exc.errors)) from None
        flagged = sum(1 for e in entries if e.status == Entry.Status.TARGETED)
        loaded = ngettext("%(n)d entry loaded", "%(n)d entries loaded", len(entries)) % {"n": len(entries)}
        self.stdout.write(f"{loaded}; {flagged} in the targeting queue")
