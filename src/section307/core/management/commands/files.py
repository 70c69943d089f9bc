"""`section307 files sweep [--delete]`: list (or remove) files on disk that no row points to;
`section307 files rotate-keys`: re-encrypt case evidence and trade documents under the newest key."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Stored files: `sweep` lists orphan files (no row points to them), --delete removes them; "
        "`rotate-keys` re-encrypts case evidence and trade documents under the newest key."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["sweep", "rotate-keys"])
        parser.add_argument("--delete", action="store_true", help="remove the orphans (default: only list them)")
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=60,
            help="ignore files younger than this (an upload may still be committing); default 60",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from section307.core.storedfiles import files_rotate_keys, files_sweep

        if options["action"] == "rotate-keys":
            self.stdout.write(f"{files_rotate_keys(actor=None)} files re-encrypted under the newest key")
            return
        if options["grace_minutes"] < 0:
            raise CommandError("--grace-minutes must be 0 or more")
        found = files_sweep(actor=None, delete=options["delete"], grace=dt.timedelta(minutes=options["grace_minutes"]))
        for orphan in found:
            self.stdout.write(f"{orphan.name}\t{orphan.size}\t{orphan.modified:%Y-%m-%d %H:%M}")
        verb = "deleted" if options["delete"] else "found (dry run; --delete removes them)"
        self.stdout.write(f"{len(found)} orphan files {verb}")
