"""List the catalog entries that still need a translator: empty, partly empty or fuzzy.

Run by `make messages` after extraction; `--write DIR` also writes one file per language with just
those entries (msgid and an empty msgstr), ready to fill in and merge back with `--merge DIR`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "src" / "section307" / "locale"


def _load(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _needs_work(message: object) -> bool:
    string = getattr(message, "string", "")
    forms = string if isinstance(string, tuple) else (string,)
    return bool(getattr(message, "id", "")) and (getattr(message, "fuzzy", False) or not all(f.strip() for f in forms))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path, help="write the entries to translate into DIR/LANG.po")
    parser.add_argument("--merge", type=Path, help="merge translated entries from DIR/LANG.po into the catalogs")
    args = parser.parse_args()
    pending = 0
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        language = po.parent.parent.name
        catalog = _load(po)
        if args.merge and (args.merge / f"{language}.po").is_file():
            merged = 0
            for message in _load(args.merge / f"{language}.po"):
                if message.id and not _needs_work(message) and message.id in catalog:
                    target = catalog[message.id]
                    target.string = message.string
                    target.flags.discard("fuzzy")
                    merged += 1
            if merged:
                # `make messages` afterwards brings the file back to gettext's own layout.
                with po.open("wb") as fh:
                    write_po(fh, catalog, width=79, include_previous=False)
                catalog = _load(po)
        todo = [m for m in catalog if _needs_work(m)]
        pending += len(todo)
        print(f"{language}: {len(todo)} to translate")
        if args.write and todo:
            args.write.mkdir(parents=True, exist_ok=True)
            out = Catalog(locale=catalog.locale, fuzzy=False)
            for message in todo:
                empty = "" if isinstance(message.id, str) else ("",) * catalog.num_plurals
                out.add(message.id, empty, locations=message.locations, flags=message.flags - {"fuzzy"})
            with (args.write / f"{language}.po").open("wb") as fh:
                write_po(fh, out, width=79)
    return 1 if pending and not args.write else 0


if __name__ == "__main__":
    sys.exit(main())
