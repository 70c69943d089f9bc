from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from section307.screening import cli


class Command(BaseCommand):
    help = (
        "Screen import entries (CSV, Parquet or XLSX) for forced-labor risk. Without --watchlist, screens "
        "against the active orders, DOL List of Goods and TIP tiers in the database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        cli.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from argparse import Namespace

        watchlist = None
        if not options.get("watchlist"):
            from section307.orders.watchlist import watchlist_from_registry

            watchlist = watchlist_from_registry()
        code = cli.run(Namespace(**options), watchlist=watchlist)
        sys.stdout.flush()
        if code not in (0, 1):
            raise CommandError(f"screening failed (exit code {code})", returncode=code)
        if code == 1:
            sys.exit(1)
