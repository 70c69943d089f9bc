"""DOL (ILAB) List of Goods Produced by Child Labor or Forced Labor (TVPRA list), and the EO 13126 list.

Shapes read, all mapped by header name:

* XLSX/XLS as published by DOL: ``Country, Good, Child Labor, Forced Labor`` with "X" marks.
* CSV (one row per good x country): ``good, sector, country, region, child_labor, forced_labor,
  forced_child_labor, derived_labor_exploitation, derived_country`` with Yes/No, plus an optional
  ``Derived From`` (alias ``Input``/``Inputs``) column naming the input goods, ";" or "|" separated.
* XML as in DOL's "Sweat & Toil" data: ``<Goods><Good><Good_Name/><Good_Sector/><Countries><Country>
  <Country_Name/>...<Derived_Labor_Exploitation/><Derived_Country/></Country></Countries></Good></Goods>``.
  XML rows are numbered as the flattened CSV would be: the first good x country pair is row 2.
* EO 13126 list (``Country, Good`` only; every entry is forced or indentured child labor): use
  :func:`parse_eo13126` or ``PARSERS["dol-eo13126"]``.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from section307.refdata.countries import country_code as lookup_country
from section307.refdata.errors import ParseFailed, RowError
from section307.refdata.parsers.base import ParseResult, read_table, sniff_kind, text
from section307.refdata.records import DolGoodRecord

SOURCE = "dol-goods"
EO_SOURCE = "dol-eo13126"

COLUMNS: dict[str, tuple[str, ...]] = {
    "Good": ("Good Name", "Goods", "Product", "Good_Name"),
    "Country": ("Country Name", "Country_Name"),
    "Sector": ("Good Sector", "Good_Sector"),
    "Child Labor": ("CL", "Child_Labor"),
    "Forced Labor": ("FL", "Forced_Labor"),
    "Forced Child Labor": ("FCL", "Forced_Child_Labor"),
    "Derived": (
        "Derived Labor Exploitation",
        "Derived_Labor_Exploitation",
        "Produced with Inputs Made with Forced Labor",
        "Goods Produced with Inputs Made with Forced Labor",
    ),
    "Derived Country": ("Derived_Country", "Input Country"),
    "Derived From": ("Input", "Inputs", "Input Goods", "Input Good", "Derived_From"),
    "Year": ("List Year", "Edition"),
}
FLAG_COLUMNS = ("Child Labor", "Forced Labor", "Forced Child Labor", "Derived")

_TRUE = {"yes", "y", "x", "true", "1", "✓", "✔"}
_FALSE = {"", "no", "n", "false", "0", "-"}


def _flag(value: object) -> bool | None:
    raw = text(value).casefold()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    return None


def _xml_rows(path: Path) -> list[tuple[int, dict[str, object]]]:
    try:
        root: Element = SafeET.parse(str(path)).getroot()
    except Exception as exc:  # defusedxml raises several unrelated types for hostile or broken XML
        raise ParseFailed(RowError(path.name, None, None, f"not readable XML: {exc}")) from None
    if root.tag != "Goods":
        raise ParseFailed(
            RowError(path.name, None, None, f"unexpected XML root <{root.tag}>, expected <Goods>")
        )
    rows: list[tuple[int, dict[str, object]]] = []
    row = 1
    for good in root.iter("Good"):
        for country in good.iter("Country"):
            row += 1
            rows.append(
                (
                    row,
                    {
                        "Good": good.findtext("Good_Name"),
                        "Sector": good.findtext("Good_Sector"),
                        "Country": country.findtext("Country_Name"),
                        "Child Labor": country.findtext("Child_Labor"),
                        "Forced Labor": country.findtext("Forced_Labor"),
                        "Forced Child Labor": country.findtext("Forced_Child_Labor"),
                        "Derived": country.findtext("Derived_Labor_Exploitation"),
                        "Derived Country": country.findtext("Derived_Country"),
                        "Derived From": country.findtext("Derived_From"),
                    },
                )
            )
    return rows


def parse_dol_goods(path: Path, *, year: int | None = None) -> ParseResult[DolGoodRecord]:
    """Parse the TVPRA List of Goods.  ``year`` is the list edition when the file has no Year column
    (DOL's files do not say; their names are not reliable either)."""
    return _parse(Path(path), year=year, eo13126=False)


def parse_eo13126(path: Path, *, year: int | None = None) -> ParseResult[DolGoodRecord]:
    """Parse the EO 13126 list of products made with forced or indentured child labor."""
    return _parse(Path(path), year=year, eo13126=True)


def _parse(path: Path, *, year: int | None, eo13126: bool) -> ParseResult[DolGoodRecord]:
    source = EO_SOURCE if eo13126 else SOURCE
    if path.is_file() and sniff_kind(path) == "xml":
        rows = _xml_rows(path)
        headers = {c: c for c in COLUMNS}
        notes: list[str] = []
    else:
        table = read_table(path, COLUMNS, ("Good", "Country"))
        rows, headers, notes = table.rows, table.columns, table.notes
        if not eo13126 and not any(c in headers for c in FLAG_COLUMNS):
            raise ParseFailed(
                RowError(
                    path.name,
                    None,
                    None,
                    "missing required column(s): at least one of "
                    + ", ".join(FLAG_COLUMNS)
                    + " (a file with only Country and Good is the EO 13126 list: use the dol-eo13126 parser)",
                )
            )
    result: ParseResult[DolGoodRecord] = ParseResult(source, path.name, [], [], list(notes))

    def err(row: int, canon: str | None, reason: str) -> None:
        result.errors.append(RowError(path.name, row, headers.get(canon, canon) if canon else None, reason))

    seen: dict[tuple[str, str], int] = {}
    for row, cells in rows:
        before = len(result.errors)
        good = text(cells.get("Good"))
        if not good:
            err(row, "Good", "empty good")
        country_name = text(cells.get("Country"))
        code = lookup_country(country_name)
        if code is None:
            err(row, "Country", f"unknown country: {country_name!r}")

        flags: dict[str, bool] = {}
        for col in FLAG_COLUMNS:
            value = _flag(cells.get(col))
            if value is None:
                err(row, col, f"not a yes/no mark: {text(cells.get(col))!r}")
            flags[col] = bool(value)
        if eo13126:
            # Every EO 13126 entry is forced or indentured child labor, which is both.
            flags.update({"Child Labor": True, "Forced Labor": True, "Forced Child Labor": True})
        elif len(result.errors) == before and not any(flags.values()):
            err(row, None, "no labor type marked (child labor, forced labor, forced child labor or derived)")

        derived_code = None
        raw_derived_country = text(cells.get("Derived Country"))
        if raw_derived_country.casefold() not in {"", "no", "n/a", "none", "-"}:
            derived_code = lookup_country(raw_derived_country)
            if derived_code is None:
                err(row, "Derived Country", f"unknown country: {raw_derived_country!r}")
        derived_from = tuple(
            p.strip() for p in re.split(r"[;|]", text(cells.get("Derived From"))) if p.strip()
        )

        row_year = year
        raw_year = text(cells.get("Year"))
        if raw_year:
            if re.fullmatch(r"(19|20)\d\d", raw_year):
                row_year = int(raw_year)
            else:
                err(row, "Year", f"not a year: {raw_year!r}")

        if len(result.errors) > before or code is None:
            continue
        pair = (good.casefold(), code)
        if pair in seen:
            err(row, "Good", f"duplicate entry: {good!r} for {country_name!r} already on row {seen[pair]}")
            continue
        seen[pair] = row
        result.records.append(
            DolGoodRecord(
                good=good,
                country_name=country_name,
                country_code=code,
                child_labor=flags["Child Labor"],
                forced_labor=flags["Forced Labor"],
                forced_child_labor=flags["Forced Child Labor"],
                derived_from=derived_from,
                year=row_year,
                row=row,
                sector=text(cells.get("Sector")),
                derived=flags["Derived"] or bool(derived_from),
                derived_country_code=derived_code,
            )
        )
    return result
