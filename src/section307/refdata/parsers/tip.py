"""State Department Trafficking in Persons (TIP) report tier placements.

Two shapes: a CSV ``Country, Tier, Year`` and the report's "Tier Placements" HTML page, where headings
"Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3" and "Special Cases" are each followed by the country
names (as list items, table cells or <br>-separated lines).  For HTML, ``row`` is the line of the name.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from section307.refdata.countries import country_code as lookup_country
from section307.refdata.errors import ParseFailed, RowError
from section307.refdata.parsers.base import ParseResult, decode_text, read_table, sniff_kind, text
from section307.refdata.records import TipTierRecord

SOURCE = "tip"

COLUMNS: dict[str, tuple[str, ...]] = {
    "Country": ("Country Name", "Country/Territory", "Country or Territory"),
    "Tier": ("Tier Placement", "Tier Ranking", "Ranking", "Placement"),
    "Year": ("Report Year", "TIP Report Year"),
}

_TIERS: dict[str, str] = {
    "1": "1",
    "i": "1",
    "one": "1",
    "2": "2",
    "ii": "2",
    "two": "2",
    "2wl": "2WL",
    "2 wl": "2WL",
    "2 watch list": "2WL",
    "2 watchlist": "2WL",
    "two watch list": "2WL",
    "watch list": "2WL",
    "3": "3",
    "iii": "3",
    "three": "3",
    "special": "special",
    "special case": "special",
    "special cases": "special",
    "sc": "special",
}


def normalize_tier(raw: str) -> str | None:
    """'Tier 2 Watch List', '2WL', 'Tier 1', '3', 'Special Case' -> '2WL', '1', '3', 'special'."""
    key = re.sub(r"[^a-z0-9]+", " ", raw.casefold()).strip()
    key = re.sub(r"^tier\s*", "", key)
    return _TIERS.get(key) or _TIERS.get(key.replace(" ", ""))


_TIER_HEADING = re.compile(
    r"^(tier\s*(?:2\s*watch\s*list|2\s*wl|one|two|three|[123])|special\s+cases?)\b",
    re.IGNORECASE,
)


class _TierPage(HTMLParser):
    """Walk the page in order: tier headings switch the current tier; names after them are items."""

    _BLOCK = frozenset(
        {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "dt", "dd", "div", "strong", "b"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.items: list[tuple[int, str, str]] = []  # (line, tier, name)
        self._tier: str | None = None
        self._buf: list[str] = []
        self._line = 0
        self._in_title = False
        self._skip = 0

    def _flush(self, tag: str) -> None:
        value = text("".join(self._buf))
        self._buf = []
        if not value:
            return
        heading = _TIER_HEADING.match(value)
        if heading:
            # "Tier 2 Watch List" or "TIER 1: Countries whose governments fully meet ..." both count.
            self._tier = normalize_tier(heading.group(1))
        elif tag.startswith("h") and len(value) > 2:
            # Any other real heading ends the tier section; single letters are alphabet dividers.
            self._tier = None
        elif self._tier and not tag.startswith("h") and len(value.split()) <= 7 and not value.endswith("."):
            # Longer text or full sentences are explanations, not country names.
            self.items.append((self._line, self._tier, value))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "sup"}:
            self._skip += 1  # footnote markers live in <sup>
        elif tag == "title":
            self._in_title = True
        elif tag == "br":
            self._flush("br")
            self._line = self.getpos()[0]
        elif tag in self._BLOCK:
            self._flush(tag)
            self._line = self.getpos()[0]

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "sup"}:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self._BLOCK:
            self._flush(tag)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data
            return
        if not text("".join(self._buf)) and data.strip():
            self._line = self.getpos()[0]
        self._buf.append(data)


def parse_tip(path: Path, *, year: int | None = None) -> ParseResult[TipTierRecord]:
    """Parse TIP tier placements from a CSV/XLSX (Country, Tier, Year) or the report's HTML page.

    For HTML, ``year`` defaults to the year in the page title ("2024 Trafficking in Persons Report").
    """
    path = Path(path)
    if not path.is_file():
        raise ParseFailed(RowError(path.name, None, None, "file not found"))
    rows: list[tuple[int, dict[str, str]]]
    if sniff_kind(path) == "html":
        body, encoding = decode_text(path)
        page = _TierPage()
        page.feed(body)
        page.close()
        if year is None:
            m = re.search(r"\b(20\d\d)\b", page.title)
            if not m:
                raise ParseFailed(
                    RowError(path.name, None, None, "cannot tell the report year: no year in the page title")
                )
            year = int(m.group(1))
        if not page.items:
            raise ParseFailed(RowError(path.name, None, None, "no tier headings with country names found"))
        rows = [(line, {"Country": name, "Tier": tier, "Year": str(year)}) for line, tier, name in page.items]
        headers = {"Country": "Country", "Tier": "Tier", "Year": "Year"}
        notes = (
            [f"{path.name}: not valid UTF-8, read as Windows-1252 (cp1252)"] if encoding == "cp1252" else []
        )
    else:
        required = ("Country", "Tier") if year is not None else ("Country", "Tier", "Year")
        table = read_table(path, COLUMNS, required)
        rows = [(r, {k: text(v) for k, v in cells.items()}) for r, cells in table.rows]
        headers, notes = table.columns, table.notes
    result: ParseResult[TipTierRecord] = ParseResult(SOURCE, path.name, [], [], list(notes))

    def err(row: int, canon: str, reason: str) -> None:
        result.errors.append(RowError(path.name, row, headers.get(canon, canon), reason))

    seen: dict[tuple[str, int], int] = {}
    for row, cells in rows:
        before = len(result.errors)
        # Trailing footnote stars and "(Special Case)" notes are not part of the name.
        name = re.sub(r"\s*[*†‡]+$", "", cells.get("Country", "")).strip()
        code = lookup_country(name)
        if code is None:
            err(row, "Country", f"unknown country: {name!r}")
        raw_tier = cells.get("Tier", "")
        tier = normalize_tier(raw_tier)
        if tier is None:
            err(row, "Tier", f"unknown tier: {raw_tier!r}")
        raw_year = cells.get("Year", "") or (str(year) if year is not None else "")
        row_year = int(raw_year) if re.fullmatch(r"(19|20)\d\d", raw_year) else None
        if row_year is None:
            err(row, "Year", f"not a year: {raw_year!r}")
        if len(result.errors) > before or code is None or tier is None or row_year is None:
            continue
        if (code, row_year) in seen:
            err(
                row,
                "Country",
                f"{name!r} is placed twice for {row_year} (first on row {seen[(code, row_year)]})",
            )
            continue
        seen[(code, row_year)] = row
        result.records.append(
            TipTierRecord(country_name=name, country_code=code, tier=tier, year=row_year, row=row)
        )
    return result
