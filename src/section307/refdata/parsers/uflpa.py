"""UFLPA Entity List: DHS's HTML page (tables grouped by section of the Act) or a CSV export.

The Act (sec. 2(d)(2)(B)) asks for four entity lists; (iii) is a list of products, not entities:

* (i)   entities in Xinjiang that mine, produce or manufacture goods with forced labor;
* (ii)  entities working with the Xinjiang government to recruit, transport, transfer, harbor or
        receive forced labor or Uyghurs, Kazakhs, Kyrgyz or other persecuted groups out of Xinjiang;
* (iv)  entities that exported products made by (i)/(ii) entities from the PRC into the United States;
* (v)   facilities and entities, including the XPCC, that source material from Xinjiang or from persons
        working with the Xinjiang government or the XPCC for "poverty alleviation", "pairing-assistance"
        or any other government labor scheme that uses forced labor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from section307.refdata.countries import country_code as lookup_country
from section307.refdata.errors import ParseFailed, RowError
from section307.refdata.parsers.base import ParseResult, decode_text, parse_date, read_table, sniff_kind, text
from section307.refdata.parsers.entity_text import ends_with_legal_form, parse_entity_cell
from section307.refdata.records import UflpaEntityRecord

SOURCE = "uflpa"

SECTION_LABELS: dict[str, str] = {
    "i": "produces in Xinjiang with forced labor",
    "ii": "works with the Xinjiang government on forced-labor transfers",
    "iii": "product made by a listed entity",
    "iv": "exported goods of listed entities to the US",
    "v": "sources from Xinjiang or government labor schemes",
}
CITATION = "2(d)(2)(B)({})"

_CLAUSE = r"(iii|ii|iv|v|i)"
_CITATION_RE = re.compile(
    rf"2\s*\(\s*d\s*\)\s*\(\s*2\s*\)\s*\(\s*B\s*\)\s*\(\s*{_CLAUSE}\s*\)", re.IGNORECASE
)
_BARE_CLAUSE_RE = re.compile(rf"^(?:(?:section|sec\.?|clause)\s*)?\(?\s*{_CLAUSE}\s*\)?$", re.IGNORECASE)
# Headings on the DHS page may describe the list instead of citing it.
_SECTION_WORDS: tuple[tuple[str, str], ...] = (
    (r"mine,?\s+produce,?\s+or\s+manufacture", "i"),
    (r"recruit,?\s+transport", "ii"),
    (r"\bexport(?:ed|s)?\b", "iv"),
    (r"source\s+material|poverty\s+alleviation|pairing[- ]assistance", "v"),
)


def normalize_section(raw: str) -> str | None:
    """'Section 2(d)(2)(B)(ii)', '(ii)', 'ii' -> '2(d)(2)(B)(ii)'; None when it is not a clause of the Act."""
    raw = text(raw)
    m = _CITATION_RE.search(raw) or _BARE_CLAUSE_RE.fullmatch(raw)
    if m:
        return CITATION.format(m.group(1).lower())
    for pattern, clause in _SECTION_WORDS:
        if re.search(pattern, raw, re.IGNORECASE):
            return CITATION.format(clause)
    return None


def section_label(section: str) -> str:
    m = re.search(r"\((i{1,3}|iv|v)\)$", section)
    return SECTION_LABELS.get(m.group(1), "") if m else ""


# --- HTML --------------------------------------------------------------------------------------------


@dataclass
class _Table:
    line: int
    context: str  # text of the nearest heading/caption before (or in) the table
    rows: list[tuple[int, list[str], bool]] = field(default_factory=list)  # (line, cells, is_header)


class _TableCollector(HTMLParser):
    """Collect tables with the heading text that precedes each; <br> and block tags become spaces."""

    _HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "caption", "strong", "b", "p", "summary"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self._stack: list[_Table] = []
        self._heading: list[str] | None = None
        self._last_heading = ""
        self._cells: list[str] | None = None
        self._cell: list[str] | None = None
        self._row_line = 0
        self._row_header = False
        self._skip = 0
        # List items outside tables, with the heading they sit under: (line, heading, text).
        self.items: list[tuple[int, str, str]] = []
        self._li: list[str] | None = None
        self._li_line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag == "table":
            self._stack.append(_Table(line=line, context=self._last_heading))
        elif tag == "tr" and self._stack:
            self._cells, self._row_line, self._row_header = [], line, False
        elif tag in {"td", "th"} and self._cells is not None:
            self._cell = []
            self._row_header = self._row_header or tag == "th"
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "br" and self._li is not None:
            self._li.append(" ")
        elif tag == "li" and not self._stack:
            self._li, self._li_line = [], line
        elif tag in self._HEADINGS and self._cell is None and self._heading is None and self._li is None:
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)
        elif tag in {"td", "th"} and self._cell is not None and self._cells is not None:
            self._cells.append(text("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._cells is not None and self._stack:
            if any(self._cells):
                self._stack[-1].rows.append((self._row_line, self._cells, self._row_header))
            self._cells = None
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())
        elif tag == "li" and self._li is not None:
            item = text("".join(self._li))
            if item:
                self.items.append((self._li_line, self._last_heading, item))
            self._li = None
        elif tag in self._HEADINGS and self._heading is not None:
            heading = text("".join(self._heading))
            # Real headings always reset the context; paragraphs and bold text only when they name a
            # section, so an explanatory paragraph between heading and table does not hide it.
            if heading and (tag.startswith("h") or normalize_section(heading)):
                self._last_heading = heading
                if tag == "caption" and self._stack:
                    self._stack[-1].context = heading
            elif heading and tag == "caption" and self._stack:
                self._stack[-1].context = heading
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._li is not None:
            self._li.append(data)
        elif self._heading is not None:
            self._heading.append(data)


_NAME_HEADERS = {"entity", "entity name", "name", "entities", "entity name and alias", "entity names"}
_ALIAS_HEADERS = {"alias", "aliases", "also known as", "aka", "alias es", "other names"}
_DATE_HEADERS = {"date", "date added", "effective date", "date of addition", "added", "listing date"}
_SECTION_HEADERS = {"section", "list", "uflpa section", "section of the act"}
_COUNTRY_HEADERS = {"country", "location"}


def _norm(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", value.casefold()).strip()


def _parse_html(path: Path) -> tuple[list[tuple[int, dict[str, str]]], dict[str, str], list[str]]:
    body, encoding = decode_text(path)
    collector = _TableCollector()
    collector.feed(body)
    collector.close()
    notes = [f"{path.name}: not valid UTF-8, read as Windows-1252 (cp1252)"] if encoding == "cp1252" else []
    rows: list[tuple[int, dict[str, str]]] = []
    for table in sorted(collector.tables, key=lambda t: t.line):
        if not table.rows:
            continue
        _, header, _ = table.rows[0]
        keys = [_norm(h) for h in header]
        if not any(k in _NAME_HEADERS for k in keys):
            notes.append(f"{path.name}: skipped the table at line {table.line} (no Entity column)")
            continue
        section = normalize_section(table.context) or ""
        for line, cells, _ in table.rows[1:]:
            record = {"Section": section}
            for key, cell in zip(keys, cells, strict=False):
                if key in _NAME_HEADERS:
                    record["Entity"] = cell
                elif key in _ALIAS_HEADERS:
                    record["Aliases"] = cell
                elif key in _DATE_HEADERS:
                    record["Date Added"] = cell
                elif key in _SECTION_HEADERS and cell:
                    record["Section"] = cell
                elif key in _COUNTRY_HEADERS:
                    record["Country"] = cell
            rows.append((line, record))
    if not rows:
        # Some editions list the entities as bullet points under each section heading instead of tables.
        for line, heading, item in collector.items:
            item_section = normalize_section(heading)
            if item_section and not (item.endswith(".") and not ends_with_legal_form(item)):
                rows.append((line, {"Section": item_section, "Entity": item}))
    if not rows and not any(t.rows for t in collector.tables):
        raise ParseFailed(RowError(path.name, None, None, "no UFLPA Entity List table found in the page"))
    headers = {"Entity": "Entity", "Aliases": "Aliases", "Section": "Section", "Date Added": "Date Added"}
    return rows, headers, notes


# --- CSV ---------------------------------------------------------------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "Entity": ("Entity Name", "Name"),
    "Aliases": ("Alias", "Also Known As", "AKA"),
    "Section": ("UFLPA Section", "List", "Section of the Act"),
    "Date Added": ("Effective Date", "Date", "Added"),
    "Country": ("Country Code",),
}


def parse_uflpa(path: Path) -> ParseResult[UflpaEntityRecord]:
    """Parse the UFLPA Entity List from the DHS HTML page or a CSV/XLSX export (Entity, Aliases, Section,
    Date Added[, Country])."""
    path = Path(path)
    if not path.is_file():
        raise ParseFailed(RowError(path.name, None, None, "file not found"))
    if sniff_kind(path) == "html":
        rows, headers, notes = _parse_html(path)
    else:
        table = read_table(path, COLUMNS, ("Entity", "Section"))
        rows = [(r, {k: text(v) for k, v in cells.items()}) for r, cells in table.rows]
        headers, notes = table.columns, table.notes
    result: ParseResult[UflpaEntityRecord] = ParseResult(SOURCE, path.name, [], [], list(notes))

    def err(row: int, canon: str | None, reason: str) -> None:
        result.errors.append(RowError(path.name, row, headers.get(canon, canon) if canon else None, reason))

    seen: dict[tuple[str, str], int] = {}
    for row, cells in rows:
        before = len(result.errors)
        raw_section = text(cells.get("Section"))
        section = normalize_section(raw_section)
        if section is None:
            err(
                row,
                "Section",
                f"unknown section of the Act: {raw_section!r}" if raw_section else "no section",
            )
        date_added = None
        raw_date = text(cells.get("Date Added"))
        if raw_date:
            try:
                date_added = parse_date(raw_date)
            except ValueError as exc:
                err(row, "Date Added", str(exc))
        country = None
        raw_country = text(cells.get("Country"))
        if raw_country:
            country = lookup_country(raw_country)
            if country is None:
                err(row, "Country", f"unknown country: {raw_country!r}")
        parties = parse_entity_cell(text(cells.get("Entity")), country=country)
        if not parties:
            err(row, "Entity", "empty entity name")
        if len(result.errors) > before or section is None:
            continue
        extra_aliases = [a.strip() for a in re.split(r"\s*[|;]\s*", text(cells.get("Aliases"))) if a.strip()]
        for party in parties:
            # Same alias in the cell and in the Aliases column, in any letter case, is kept once.
            seen_alias = {party.name.casefold()}
            alias_list: list[str] = []
            for alias in (*party.aliases, *extra_aliases):
                if alias.casefold() not in seen_alias:
                    seen_alias.add(alias.casefold())
                    alias_list.append(alias)
            aliases = tuple(alias_list)
            # The same entity under two sections is legitimate; twice under one is a copy error.
            key = (party.name.casefold(), section)
            if key in seen:
                err(row, "Entity", f"duplicate entity: {party.name!r} already on row {seen[key]}")
                continue
            seen[key] = row
            result.records.append(
                UflpaEntityRecord(
                    name=party.name,
                    aliases=aliases,
                    section=section,
                    section_label=section_label(section),
                    date_added=date_added,
                    country=party.country,
                    row=row,
                    qualifiers=party.qualifiers,
                )
            )
    return result
