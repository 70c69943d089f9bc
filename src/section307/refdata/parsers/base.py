"""Shared plumbing for the parsers: the result type and reading CSV/XLSX/XLS tables by header name."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from dateutil import parser as date_parser

from section307.refdata.errors import ParseFailed, RowError

T = TypeVar("T")


@dataclass
class ParseResult(Generic[T]):
    """What a parser returns: every good record and every row error; ``notes`` are non-fatal remarks
    (e.g. which text encoding was used) worth showing to whoever runs the import."""

    source: str
    file: str
    records: list[T]
    errors: list[RowError]
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# Leading bytes of file types people upload by mistake instead of a CSV.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP/XLSX archive"),
    (b"\xd0\xcf\x11\xe0", "legacy Office (XLS/DOC) file"),
    (b"\x1f\x8b", "gzip archive"),
)


def sniff_kind(path: Path) -> str:
    """Classify a file by its first bytes: 'xlsx', 'xls', 'html', 'xml', 'text' or a description of a
    binary type we do not read."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    for magic, label in _MAGIC:
        if head.startswith(magic):
            return label
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with BOM: Excel's "Unicode Text" export
    if b"\x00" in head:
        return "binary file"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<table" in lowered or b"<body" in lowered:
        return "html"
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<"):
        return "xml"
    return "text"


def decode_text(path: Path, data: bytes | None = None) -> tuple[str, str]:
    """Decode as UTF-8 (BOM or not), falling back to cp1252 only when UTF-8 fails.

    Returns (text, encoding).  Raises ParseFailed when neither fits.
    """
    raw = path.read_bytes() if data is None else data
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ParseFailed(
                RowError(path.name, None, None, f"cannot decode the UTF-16 file: {exc.reason}")
            ) from None
    try:
        return raw.decode("utf-8-sig"), ("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise ParseFailed(
            RowError(
                path.name,
                None,
                None,
                f"cannot decode the file: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
                "and not Windows-1252 either",
            )
        ) from None


def norm_header(text: object) -> str:
    """Header comparison key: 'WRO/Finding', 'wro finding', 'WRO_Finding' all compare equal."""
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").casefold()).strip()


@dataclass
class Table:
    """Rows of a sheet keyed by canonical column name; ``row`` numbers are what a spreadsheet shows."""

    file: str
    columns: dict[str, str]  # canonical name -> header text as it appears in the file
    rows: list[tuple[int, dict[str, object]]]
    notes: list[str] = field(default_factory=list)


class LinkedText(str):
    """Cell text that carries the hyperlink behind it (XLSX cells whose text is not the URL)."""

    url: str

    def __new__(cls, value: object, url: str) -> LinkedText:
        obj = super().__new__(cls, str(value))
        obj.url = url
        return obj


def link_of(value: object) -> str:
    """The hyperlink behind a cell, or ""."""
    return value.url if isinstance(value, LinkedText) else ""


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


Sheet = tuple[str | None, list[list[object]]]  # (sheet name, rows); CSV has one unnamed sheet


def _raw_rows(path: Path) -> tuple[list[Sheet], list[str]]:
    kind = sniff_kind(path)
    notes: list[str] = []
    if kind == "xlsx":
        import zipfile

        import openpyxl

        try:
            # Not read-only: hyperlinks (e.g. CBP's "Press Release" cells) are only visible this way.
            wb = openpyxl.load_workbook(path, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ParseFailed(
                RowError(path.name, None, None, f"not a readable XLSX workbook: {exc}")
            ) from None
        sheets: list[Sheet] = []
        try:
            for ws in wb.worksheets:
                rows: list[list[object]] = []
                for row_cells in ws.iter_rows():
                    values: list[object] = []
                    for cell in row_cells:
                        link = getattr(cell, "hyperlink", None)
                        target = getattr(link, "target", None) if link is not None else None
                        values.append(
                            LinkedText(cell.value, target)
                            if target and cell.value is not None
                            else cell.value
                        )
                    rows.append(values)
                sheets.append((ws.title, rows))
        finally:
            wb.close()
        return sheets, notes
    if kind == "xls":
        import xlrd

        try:
            book = xlrd.open_workbook(str(path))
        except xlrd.XLRDError as exc:
            raise ParseFailed(
                RowError(path.name, None, None, f"not a readable XLS workbook: {exc}")
            ) from None
        sheets = []
        for sheet in book.sheets():
            rows = []
            for i in range(sheet.nrows):
                row: list[object] = []
                for j, cell in enumerate(sheet.row(i)):
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    else:
                        row.append(sheet.cell_value(i, j))
                rows.append(row)
            sheets.append((sheet.name, rows))
        return sheets, notes
    if kind != "text":
        raise ParseFailed(
            RowError(path.name, None, None, f"not a CSV or spreadsheet file (it looks like a {kind})")
        )
    text, encoding = decode_text(path)
    if encoding == "cp1252":
        notes.append(f"{path.name}: not valid UTF-8, read as Windows-1252 (cp1252)")
    elif encoding == "utf-16":
        notes.append(f"{path.name}: read as UTF-16")
    # The delimiter is whichever of , ; TAB the first line uses most: headers rarely contain them,
    # whereas entity cells are full of commas and semicolons (which fool csv.Sniffer).
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=lambda d: (first_line.count(d), d == ","))
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
        return [(None, rows)], notes
    except csv.Error as exc:
        raise ParseFailed(RowError(path.name, None, None, f"not a well-formed CSV file: {exc}")) from None


def read_table(
    path: Path,
    columns: Mapping[str, Sequence[str]],
    required: Iterable[str],
    *,
    header_search_rows: int = 10,
) -> Table:
    """Read a CSV/XLSX/XLS file into rows keyed by canonical column names.

    ``columns`` maps each canonical name to the header spellings accepted for it.  The header is the
    first of the top ``header_search_rows`` rows that has every required column (official workbooks
    often have a title row or two above it); in a workbook, the first sheet that has such a header is
    read (a cover or notes sheet may come first).  Missing required columns → ParseFailed naming them.
    """
    path = Path(path)
    if not path.is_file():
        raise ParseFailed(RowError(path.name, None, None, "file not found"))
    sheets, notes = _raw_rows(path)
    required = list(required)
    wanted = {canon: {norm_header(s) for s in (canon, *spellings)} for canon, spellings in columns.items()}

    # (sheet index, header row index, columns found, header row)
    best: tuple[int, int, dict[str, int], list[object]] | None = None
    for sheet_idx, (_, sheet_rows) in enumerate(sheets):
        for idx, row in enumerate(sheet_rows[:header_search_rows]):
            found: dict[str, int] = {}
            for col_idx, cell in enumerate(row):
                key = norm_header(cell)
                for canon, keys in wanted.items():
                    if key in keys and canon not in found:
                        found[canon] = col_idx
            if best is None or len(found) > len(best[2]):
                best = (sheet_idx, idx, found, row)
            if all(c in found for c in required):
                break
        if best is not None and all(c in best[2] for c in required):
            break
    if best is None:
        raise ParseFailed(RowError(path.name, None, None, "the file is empty"))
    sheet_idx, header_idx, found, header_row = best
    sheet_name, raw = sheets[sheet_idx]
    if sheet_idx > 0:
        notes.append(f"{path.name}: read sheet {sheet_name!r}")
    missing = [c for c in required if c not in found]
    if missing:
        raise ParseFailed(
            RowError(
                path.name,
                header_idx + 1 if found else None,
                None,
                "missing required column(s): " + ", ".join(missing),
            )
        )
    rows: list[tuple[int, dict[str, object]]] = []
    for idx in range(header_idx + 1, len(raw)):
        cells = raw[idx]
        if all(_cell_text(c) == "" for c in cells):
            continue  # blank spacer rows are common in hand-kept sheets
        record = {canon: (cells[i] if i < len(cells) else None) for canon, i in found.items()}
        rows.append((idx + 1, record))
    headers = {canon: str(header_row[i]).strip() for canon, i in found.items()}
    return Table(file=path.name, columns=headers, rows=rows, notes=notes)


def text(value: object) -> str:
    """Cell value as clean single-spaced text."""
    return re.sub(r"\s+", " ", _cell_text(value).replace("\u00a0", " ")).strip()


_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_US_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")
_WORDY_DATE = re.compile(r"[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2} [A-Za-z]{3,9}\.? \d{4}")


def parse_date(value: object) -> dt.date:
    """Parse the date spellings found in the official lists; ValueError on anything else.

    Slash dates are always US month/day/year (the publishers are US agencies), never guessed.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    if not raw:
        raise ValueError("empty date")
    # Spreadsheet exports often append a midnight time: "2021-09-30 00:00:00", "9/30/2021 0:00".
    day = re.sub(r"(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AP]M)?$", "", raw, flags=re.IGNORECASE)
    try:
        if _ISO_DATE.fullmatch(day):
            return dt.date.fromisoformat("-".join(p.zfill(2) for p in day.split("-")))
        if _US_DATE.fullmatch(day):
            month, dom, year = (int(p) for p in day.split("/"))
            if year < 100:
                year += 2000
            return dt.date(year, month, dom)
        if _WORDY_DATE.fullmatch(day):
            parsed: dt.datetime = date_parser.parse(day.replace(".", ""), default=dt.datetime(1900, 1, 1))  # noqa: DTZ001
            return parsed.date()
    except (ValueError, OverflowError):
        pass
    raise ValueError(f"not a date: {raw!r}")
