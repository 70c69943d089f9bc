"""CBP "Withhold Release Orders and Findings" list (CSV or XLSX, one order per row)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from section307.refdata.countries import country_code as lookup_country
from section307.refdata.countries import country_name as display_country
from section307.refdata.errors import RowError
from section307.refdata.parsers.base import ParseResult, link_of, parse_date, read_table, text
from section307.refdata.parsers.entity_text import parse_entity_cell
from section307.refdata.records import OrderRecord

SOURCE = "cbp-wro"

# Canonical column -> other spellings seen in CBP's CSV and XLSX exports.
COLUMNS: dict[str, tuple[str, ...]] = {
    "Effective Date": ("Date", "WRO Date", "Effective"),
    "Calendar Year": ("Year", "CY", "Fiscal Year"),
    "Country Code": ("Code", "ISO Code"),
    "Country": ("Country Name", "Country of Origin"),
    "Merchandise": ("Product", "Products", "Commodity"),
    "WRO/Finding": ("WRO or Finding", "Type", "Order Type", "WRO / Finding"),
    "Industry": ("Sector",),
    "Status": ("Current Status",),
    "Press Release": ("Press Release Link", "Link", "URL"),
    "Entity": ("Entities", "Entity Name", "Manufacturer", "Entity/Manufacturer"),
    "Remarks": ("Notes", "Comments"),
}
REQUIRED = ("Effective Date", "Country", "Merchandise", "WRO/Finding", "Status", "Entity")

_ORDER_TYPES = {
    "wro": "wro",
    "withhold release order": "wro",
    "withhold release orders": "wro",
    "finding": "finding",
    "findings": "finding",
    "forced labor finding": "finding",
}
# CBP's status words -> ours.  A partial revocation leaves a narrowed order in force: "modified".
_STATUSES = {
    "active": "active",
    "in effect": "active",
    "modified": "modified",
    "partially modified": "modified",
    "partially revoked": "modified",
    "partial revocation": "modified",
    "revoked": "revoked",
    "fully revoked": "revoked",
    "inactive": "inactive",
    "expired": "inactive",
}


def _slug(value: str) -> str:
    value = unicodedata.normalize("NFKD", value)
    value = "".join(c for c in value if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", "-", value).strip("-")


def order_key(order_type: str, effective_date: object, country_code: str, merchandise: str) -> str:
    """The natural key of an order: ``{type}:{YYYY-MM-DD}:{CC}:{merchandise-slug}``.

    e.g. ``wro:2021-06-24:CN:silica-based-products``.  It depends only on fields CBP does not rewrite
    when it edits a row's wording, so reloading the same list updates rows instead of duplicating them.
    When two rows of one file share it, :func:`parse_cbp_wro` appends ``~{first-party-slug}`` to each
    of them (see docs/refdata.md).
    """
    date_part = effective_date.isoformat() if hasattr(effective_date, "isoformat") else str(effective_date)
    return f"{order_type}:{date_part}:{country_code.upper()}:{_slug(merchandise)}"


def _key_word(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", value.casefold()).strip()


def _press_release(value: str) -> str:
    if value.casefold() in {"", "n/a", "na", "none", "-"}:
        return ""
    if re.match(r"https?://", value, re.IGNORECASE):
        return value
    if re.match(r"(www\.)?[a-z0-9.-]+\.gov/", value, re.IGNORECASE):
        return "https://" + value
    return ""


def parse_cbp_wro(path: Path) -> ParseResult[OrderRecord]:
    """Parse CBP's WRO and Findings list; bad rows become RowErrors, unreadable files raise ParseFailed."""
    path = Path(path)
    table = read_table(path, COLUMNS, REQUIRED)
    result: ParseResult[OrderRecord] = ParseResult(SOURCE, path.name, [], [], list(table.notes))
    col = table.columns

    def err(row: int, canon: str | None, reason: str) -> None:
        result.errors.append(RowError(path.name, row, col.get(canon, canon) if canon else None, reason))

    for row, cells in table.rows:
        before = len(result.errors)
        eff = None
        try:
            eff = parse_date(cells.get("Effective Date"))
        except ValueError as exc:
            err(row, "Effective Date", str(exc))

        year: int | None = None
        raw_year = text(cells.get("Calendar Year"))
        if raw_year:
            if re.fullmatch(r"(19|20)\d\d", raw_year):
                year = int(raw_year)
            else:
                err(row, "Calendar Year", f"not a year: {raw_year!r}")

        raw_type = text(cells.get("WRO/Finding"))
        order_type = _ORDER_TYPES.get(_key_word(raw_type))
        if order_type is None:
            err(row, "WRO/Finding", f"unknown order type: {raw_type!r} (expected 'WRO' or 'Finding')")

        raw_status = text(cells.get("Status"))
        status = _STATUSES.get(_key_word(raw_status))
        if status is None:
            err(row, "Status", f"unknown status: {raw_status!r}")

        # The name is authoritative; CBP's code column is a fallback because CBP uses its own codes.
        raw_country = text(cells.get("Country"))
        raw_code = text(cells.get("Country Code"))
        code = lookup_country(raw_country) or (lookup_country(raw_code) if len(raw_code) == 2 else None)
        if code is None:
            err(
                row,
                "Country",
                f"unknown country: {raw_country!r}" + (f" (code {raw_code!r})" if raw_code else ""),
            )
        elif raw_code and lookup_country(raw_code) not in (None, code):
            result.notes.append(
                f"{path.name}, row {row}: country code {raw_code!r} does not match {raw_country!r}; "
                f"using {code}"
            )

        merchandise = text(cells.get("Merchandise"))
        if not merchandise:
            err(row, "Merchandise", "empty merchandise")

        if len(result.errors) > before or eff is None or order_type is None or status is None or code is None:
            continue
        entity_text = text(cells.get("Entity"))
        result.records.append(
            OrderRecord(
                key=order_key(order_type, eff, code, merchandise),
                order_type=order_type,
                effective_date=eff,
                calendar_year=year,
                country_code=code,
                country_name=raw_country or display_country(code) or code,
                merchandise=merchandise,
                industry=text(cells.get("Industry")),
                status=status,
                press_release=_press_release(
                    link_of(cells.get("Press Release")) or text(cells.get("Press Release"))
                ),
                entity_text=entity_text,
                remarks=text(cells.get("Remarks")),
                parties=parse_entity_cell(entity_text, country=code),
                row=row,
            )
        )
    _disambiguate_keys(result)
    return result


def _disambiguate_keys(result: ParseResult[OrderRecord]) -> None:
    """Rows sharing a natural key all get the first party's slug appended, so the outcome does not depend
    on row order; a collision that survives that is an error (the importer could not tell them apart)."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, rec in enumerate(result.records):
        by_key[rec.key].append(i)
    for key, idxs in by_key.items():
        if len(idxs) < 2:
            continue
        for i in idxs:
            rec = result.records[i]
            tag = _slug(rec.parties[0].name if rec.parties else rec.entity_text) or "country-wide"
            result.records[i] = replace(rec, key=f"{key}~{tag}")
    seen: dict[str, int] = {}
    kept: list[OrderRecord] = []
    for rec in result.records:
        if rec.key in seen:
            reason = f"duplicate order: same key {rec.key!r} as row {seen[rec.key]}"
            result.errors.append(RowError(result.file, rec.row, None, reason))
        else:
            seen[rec.key] = rec.row
            kept.append(rec)
    result.records = kept
    result.errors.sort(key=lambda e: e.row or 0)
