"""Validation of incoming entries (API bodies, uploaded CSV/XLSX rows), with every error named by field.

Files are read with the screening engine's readers (``section307.screening.io``), so the same
row-level problem reporting applies; rows are grouped into entries by entry number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from section307.core.errors import InvalidInput
from section307.core.inputs import NUL
from section307.core.tabular import ColumnSpec, required_columns
from section307.screening.io import ROW_COL, InputError, RowProblem, iter_batches

ENTRY_FIELDS = ("entry_number", "port", "mode", "filer", "importer", "importer_number", "date_of_import")
LINE_FIELDS = (
    "line",
    "manufacturer",
    "manufacturer_address",
    "manufacturer_id",
    "shipper",
    "shipper_address",
    "consignee",
    "suppliers",
    "identifiers",
    "country_of_origin",
    "hts",
    "description",
    "value_usd",
    "quantity",
    "quantity_unit",
)
# The entries file, column by column: the parser's required columns and the downloadable
# templates (ports.views.entries_upload_template) both come from this list.
ENTRIES_FILE_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("entry_number", True, _("Entry number: filer code, 7 digits and a check digit."), "ABC-1234567-8"),
    ColumnSpec("line", True, _("Line number within the entry, from 1; one row per line."), "1"),
    ColumnSpec("port", True, _("Four-digit port of entry code."), "2704"),
    ColumnSpec("mode", True, _("How the goods arrived: ocean, air, truck, rail or mail."), "ocean"),
    ColumnSpec("filer", False, _("Filer (customs broker) code."), "ABC"),
    ColumnSpec("importer", True, _("Importer of record's name."), "Example Imports LLC"),
    ColumnSpec("importer_number", False, _("Importer of record number."), "12-3456789AB"),
    ColumnSpec("date_of_import", True, _("Date of import, YYYY-MM-DD."), "2026-01-15"),
    ColumnSpec("manufacturer", True, _("Manufacturer or producer's name (must have a value)."), "Example Textile Co."),
    ColumnSpec("manufacturer_address", True, _("Manufacturer's address."), "1 Mill Road, Example City"),
    ColumnSpec("manufacturer_id", False, _("Manufacturer identification (MID) code."), "CNEXATEX1MIL"),
    ColumnSpec("shipper", True, _("Shipper's name."), "Example Trading Ltd."),
    ColumnSpec("shipper_address", True, _("Shipper's address."), "2 Harbour Street, Example Port"),
    ColumnSpec("consignee", False, _("Consignee's name."), "Example Imports LLC"),
    ColumnSpec("suppliers", False, _("Upstream suppliers' names, separated by |."), "Example Spinning Mill"),
    ColumnSpec("identifiers", False, _("Other party identifiers (e.g. LEI, DUNS), separated by |."), "DUNS 123456789"),
    ColumnSpec("country_of_origin", True, _("Country of origin: ISO code or name (must have a value)."), "CN"),
    ColumnSpec("hts", True, _("HTS code, 4 to 10 digits; dots allowed."), "6109.10.0012"),
    ColumnSpec("description", True, _("Description of the goods (must have a value)."), "Cotton T-shirts, knitted"),
    ColumnSpec("value_usd", True, _("Entered value in US dollars."), "12500.00"),
    ColumnSpec("quantity", False, _("Quantity."), "5000"),
    ColumnSpec("quantity_unit", False, _("Unit of the quantity (e.g. PCS, KG)."), "PCS"),
)
# An uploaded file has the screening engine's columns plus where and how the goods arrived.
FILE_REQUIRED_COLUMNS = required_columns(ENTRIES_FILE_COLUMNS)
MAX_LINES = 999

_ENTRY_RE = re.compile(r"^([A-Z0-9]{3})-?(\d{7})-?(\d)$")
_MODES = {
    "ocean": "ocean",
    "vessel": "ocean",
    "sea": "ocean",
    "air": "air",
    "truck": "truck",
    "road": "truck",
    "rail": "rail",
    "mail": "mail",
    "express": "mail",
}
_LENGTHS = {
    "filer": 100,
    "importer": 200,
    "importer_number": 30,
    "manufacturer": 300,
    "manufacturer_address": 500,
    "manufacturer_id": 40,
    "shipper": 300,
    "shipper_address": 500,
    "consignee": 300,
    "identifiers": 500,
    "country_of_origin": 60,
    "quantity_unit": 10,
}


@dataclass(frozen=True)
class FieldError:
    field: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "reason": self.reason}

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class IntakeError(InvalidInput):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(
            "; ".join(str(e) for e in errors),
            field=errors[0].field if errors else None,
            extra={"errors": [e.as_dict() for e in errors]},
        )
        self.errors = errors


@dataclass
class ParsedLine:
    line: int
    values: dict[str, Any]


@dataclass
class ParsedEntry:
    entry_number: str
    port: str
    mode: str
    filer: str
    importer: str
    importer_number: str
    date_of_import: dt.date
    lines: list[ParsedLine] = field(default_factory=list)


def normalise_entry_number(value: str) -> str | None:
    m = _ENTRY_RE.match(value.strip().upper().replace(" ", ""))
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def _text(data: Mapping[str, Any], name: str, prefix: str, errors: list[FieldError], *, required: bool = False) -> str:
    raw = data.get(name)
    value = "" if raw is None else str(raw).strip()
    if required and not value:
        errors.append(FieldError(prefix + name, "is required"))
    if NUL in value:
        # Uploaded files reach here without the request-wide input rules; PostgreSQL cannot store NUL.
        errors.append(FieldError(prefix + name, "contains a NUL character"))
    limit = _LENGTHS.get(name)
    if limit and len(value) > limit:
        errors.append(FieldError(prefix + name, f"is longer than {limit} characters"))
    return value


def _decimal(data: Mapping[str, Any], name: str, prefix: str, errors: list[FieldError]) -> Decimal | None:
    raw = data.get(name)
    text = "" if raw is None else str(raw).strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.append(FieldError(prefix + name, f"{text!r} is not a number"))
        return None
    if not value.is_finite() or value < 0:
        errors.append(FieldError(prefix + name, "must be zero or more"))
        return None
    if value >= Decimal("1e11"):
        errors.append(FieldError(prefix + name, "is too large"))
        return None
    return value


def parse_entry(data: Mapping[str, Any], *, today: dt.date) -> ParsedEntry:
    """One entry with its lines (``data["lines"]``); raises IntakeError listing every bad field."""
    errors: list[FieldError] = []
    raw_number = str(data.get("entry_number") or "").strip()
    number = normalise_entry_number(raw_number)
    if not raw_number:
        errors.append(FieldError("entry_number", "is required"))
    elif number is None:
        errors.append(FieldError("entry_number", "must be a filer code and 8 digits, e.g. ABC-1234567-8"))
    port = _text(data, "port", "", errors, required=True)
    if port and not re.fullmatch(r"\d{4}", port):
        errors.append(FieldError("port", "must be a four-digit port code, e.g. 2704"))
    mode_raw = _text(data, "mode", "", errors, required=True).lower()
    mode = _MODES.get(mode_raw, "")
    if mode_raw and not mode:
        errors.append(FieldError("mode", "must be one of ocean, air, truck, rail, mail"))
    importer = _text(data, "importer", "", errors, required=True)
    date_raw = data.get("date_of_import")
    date: dt.date | None = None
    if isinstance(date_raw, dt.date):
        date = date_raw
    elif not date_raw:
        errors.append(FieldError("date_of_import", "is required"))
    else:
        try:
            date = dt.date.fromisoformat(str(date_raw).strip()[:10])
        except ValueError:
            errors.append(FieldError("date_of_import", f"{date_raw!r} is not a date (use YYYY-MM-DD)"))
    if date is not None and date > today + dt.timedelta(days=1):
        errors.append(FieldError("date_of_import", "is in the future"))
    lines_raw = data.get("lines")
    lines: list[ParsedLine] = []
    if not isinstance(lines_raw, list) or not lines_raw:
        errors.append(FieldError("lines", "at least one line is required"))
        lines_raw = []
    elif len(lines_raw) > MAX_LINES:
        errors.append(FieldError("lines", f"at most {MAX_LINES} lines per entry"))
        lines_raw = []
    seen: set[int] = set()
    for i, raw in enumerate(lines_raw):
        prefix = f"lines[{i}]."
        if not isinstance(raw, Mapping):
            errors.append(FieldError(f"lines[{i}]", "must be an object"))
            continue
        try:
            number_line = int(str(raw.get("line") or i + 1).strip())
            if number_line < 1:
                raise ValueError
        except ValueError:
            errors.append(FieldError(prefix + "line", "must be a whole number from 1"))
            continue
        if number_line in seen:
            errors.append(FieldError(prefix + "line", f"line {number_line} appears twice"))
        seen.add(number_line)
        values: dict[str, Any] = {}
        for name in LINE_FIELDS:
            if name in ("line", "value_usd", "quantity"):
                continue
            values[name] = _text(
                raw, name, prefix, errors, required=name in ("manufacturer", "country_of_origin", "description")
            )
        hts = re.sub(r"[.\s]", "", values["hts"])
        if hts and not re.fullmatch(r"\d{4,10}", hts):
            errors.append(FieldError(prefix + "hts", "must be 4 to 10 digits (dots allowed)"))
        values["hts"] = hts
        values["value_usd"] = _decimal(raw, "value_usd", prefix, errors)
        values["quantity"] = _decimal(raw, "quantity", prefix, errors)
        lines.append(ParsedLine(number_line, values))
    if errors:
        raise IntakeError(errors)
    assert number is not None and date is not None
    return ParsedEntry(
        entry_number=number,
        port=port,
        mode=mode,
        filer=_text(data, "filer", "", []),
        importer=importer,
        importer_number=_text(data, "importer_number", "", []),
        date_of_import=date,
        lines=lines,
    )


def entries_from_rows(rows: Iterable[Mapping[str, Any]], *, today: dt.date, source: str) -> list[ParsedEntry]:
    """Group flat rows (one per line) into entries; every problem is reported with its row number."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    errors: list[FieldError] = []
    for row in rows:
        key = normalise_entry_number(str(row.get("entry_number") or "")) or str(row.get("entry_number") or "")
        grouped.setdefault(key, []).append(row)
    parsed: list[ParsedEntry] = []
    for rows_of in grouped.values():
        first = rows_of[0]
        for other in rows_of[1:]:
            for name in ("port", "mode", "importer", "date_of_import"):
                if str(other.get(name) or "").strip() != str(first.get(name) or "").strip():
                    errors.append(
                        FieldError(f"{source} row {other.get(ROW_COL)}: {name}", "differs from the entry's first row")
                    )
        data = {k: first.get(k) for k in ENTRY_FIELDS}
        data["lines"] = [{k: r.get(k) for k in LINE_FIELDS} for r in rows_of]
        try:
            parsed.append(parse_entry(data, today=today))
        except IntakeError as exc:
            for e in exc.errors:
                name = e.field
                row_no = first.get(ROW_COL)
                m = re.match(r"lines\[(\d+)\]\.(.*)", name)
                if m:
                    row_no = rows_of[int(m.group(1))].get(ROW_COL)
                    name = m.group(2)
                errors.append(FieldError(f"{source} row {row_no}: {name}", e.reason))
    if errors:
        raise IntakeError(errors)
    return parsed


def read_entries_file(path: str | Path, *, display_name: str, today: dt.date) -> list[ParsedEntry]:
    """Read and validate a CSV or XLSX entries file; nothing is returned unless every row is valid."""
    problems: list[RowProblem] = []
    rows: list[dict[str, Any]] = []
    try:
        for batch in iter_batches(path, required=FILE_REQUIRED_COLUMNS, on_problem=problems.append):
            rows.extend(batch.fill_null("").to_dicts())
    except InputError as exc:
        raise IntakeError([FieldError(display_name, str(exc).replace(str(path), display_name))]) from None
    errors = [
        FieldError(f"{display_name} row {p.row}" + (f": {p.column}" if p.column else ""), p.message) for p in problems
    ]
    if not rows and not errors:
        errors.append(FieldError(display_name, "has no entry rows"))
    if errors:
        raise IntakeError(errors)
    return entries_from_rows(rows, today=today, source=display_name)
