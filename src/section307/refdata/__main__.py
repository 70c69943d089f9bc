"""Command line for checking a reference file by hand, without the database.

    python -m section307.refdata parse cbp-wro wro.csv [--records]
    python -m section307.refdata fetch https://www.dhs.gov/uflpa-entity-list --dest var/refdata --expect html

``parse`` exits 1 when the file has row errors and 2 when it cannot be read at all.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from section307.refdata.errors import FetchError, ParseFailed
from section307.refdata.parsers import PARSERS
from section307.refdata.sources import SOURCES, fetch


def _record_json(record: object) -> str:
    data = (
        dataclasses.asdict(record)
        if dataclasses.is_dataclass(record) and not isinstance(record, type)
        else {}
    )
    return json.dumps(data, default=str, ensure_ascii=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m section307.refdata", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_parse = sub.add_parser("parse", help="parse a file and report records and errors")
    p_parse.add_argument("source", choices=sorted(PARSERS))
    p_parse.add_argument("file", type=Path)
    p_parse.add_argument("--records", action="store_true", help="print every record as JSON lines")
    p_fetch = sub.add_parser("fetch", help="download or copy a source file")
    p_fetch.add_argument("url_or_path")
    p_fetch.add_argument("--dest", type=Path, required=True)
    p_fetch.add_argument("--expect", choices=["csv", "xlsx", "xls", "xml", "html"])
    sub.add_parser("sources", help="list the official sources")
    args = parser.parse_args(argv)

    if args.command == "sources":
        for source in SOURCES.values():
            print(f"{source.name}\t{'/'.join(source.formats)}\t{source.url}")
        return 0
    if args.command == "fetch":
        try:
            got = fetch(args.url_or_path, dest_dir=args.dest, expect=args.expect)
        except FetchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"{got.path}\t{got.size} bytes\tsha256 {got.sha256}")
        return 0

    try:
        result = PARSERS[args.source](args.file)
    except ParseFailed as exc:
        print(f"cannot read: {exc}", file=sys.stderr)
        return 2
    if args.records:
        for record in result.records:
            print(_record_json(record))
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"{result.file}: {len(result.records)} records, {len(result.errors)} errors", file=sys.stderr)
    return 1 if result.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
