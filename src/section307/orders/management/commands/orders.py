from __future__ import annotations

import csv
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError

from section307.orders.selectors import EXPORT_COLUMNS, order_export_rows


class Command(BaseCommand):
    help = "Work with the order registry. `orders export` writes every order with its parties."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Export orders, one row per party")
        export.add_argument("--format", choices=["csv", "json"], default="csv")
        export.add_argument("--out", type=Path, help="File to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options["format"], options.get("out"))

    def _export(self, fmt: str, out: Path | None) -> None:
        rows = list(order_export_rows())
        if out is not None:
            try:
                out.parent.mkdir(parents=True, exist_ok=True)
                with out.open("w", encoding="utf-8", newline="") as fh:
                    _write(fh, fmt, rows)
            except OSError as exc:
                raise CommandError(f"cannot write {out}: {exc.strerror}") from exc
            self.stderr.write(f"Wrote {len(rows)} rows to {out}")
        else:
            # The raw stream: OutputWrapper would add its own line endings to csv's.
            _write(self.stdout._out, fmt, rows)  # type: ignore[arg-type]


def _write(fh: TextIO, fmt: str, rows: list[dict[str, Any]]) -> None:
    if fmt == "json":
        json.dump(rows, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
        return
    writer = csv.DictWriter(fh, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
