"""Entry validation: every bad field named, files read with the screening engine's readers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from section307.ports.intake import IntakeError, normalise_entry_number, parse_entry, read_entries_file
from tests.ports.conftest import payload

TODAY = dt.date(2025, 6, 1)


def test_entry_numbers_are_normalised() -> None:
    assert normalise_entry_number("gcb12345678") == "GCB-1234567-8"
    assert normalise_entry_number("GCB-1234567-8") == "GCB-1234567-8"
    assert normalise_entry_number("12-34") is None


def _errors(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(IntakeError) as exc:
        parse_entry(data, today=TODAY)
    return {e.field: e.reason for e in exc.value.errors}


def test_every_bad_field_is_reported() -> None:
    bad = payload(date=TODAY)
    bad.update(entry_number="nope", port="27", mode="balloon", date_of_import="2025-13-01", importer="")
    bad["lines"][0].update(value_usd="lots", hts="ABC", manufacturer="", quantity="-3")
    errors = _errors(bad)
    assert set(errors) == {
        "entry_number",
        "port",
        "mode",
        "date_of_import",
        "importer",
        "lines[0].value_usd",
        "lines[0].hts",
        "lines[0].manufacturer",
        "lines[0].quantity",
    }
    assert "not a number" in errors["lines[0].value_usd"]


def test_lines_are_required_and_unique_and_future_dates_refused() -> None:
    assert "lines" in _errors({**payload(date=TODAY), "lines": []})
    twice = payload(date=TODAY, lines=2)
    twice["lines"][1]["line"] = 1
    assert "appears twice" in _errors(twice)["lines[1].line"]
    assert "future" in _errors(payload(date=TODAY + dt.timedelta(days=5)))["date_of_import"]


def test_good_entry_parses() -> None:
    parsed = parse_entry(payload(date=TODAY, lines=3, hts="6205.20"), today=TODAY)
    assert [ln.line for ln in parsed.lines] == [1, 2, 3]
    assert parsed.lines[0].values["hts"] == "620520" and str(parsed.lines[0].values["value_usd"]) == "1000.50"


HEADER = (
    "entry_number,line,importer,manufacturer,manufacturer_address,shipper,shipper_address,country_of_origin,"
    "hts,description,value_usd,date_of_import,port,mode\n"
)


def test_csv_rows_group_into_entries(tmp_path: Path) -> None:
    f = tmp_path / "e.csv"
    f.write_text(
        HEADER
        + "GCB-0000001-1,1,Acme,Mill A,,,,CN,6205.20,Shirts,10,2025-05-01,2704,ocean\n"
        + "GCB-0000001-1,2,Acme,Mill B,,,,CN,6205.20,Shirts,10,2025-05-01,2704,ocean\n"
        + "GCB-0000002-1,1,Acme,Mill C,,,,VN,6109.10,T-shirts,5,2025-05-02,2704,air\n"
    )
    entries = read_entries_file(f, display_name="e.csv", today=TODAY)
    assert [(e.entry_number, len(e.lines)) for e in entries] == [("GCB-0000001-1", 2), ("GCB-0000002-1", 1)]


def test_csv_errors_name_the_row_and_column(tmp_path: Path) -> None:
    f = tmp_path / "e.csv"
    f.write_text(
        HEADER
        + "GCB-0000001-1,1,Acme,Mill A,,,,CN,6205.20,Shirts,ten,2025-05-01,2704,ocean\n"
        + "GCB-0000002-1,1,Acme,Mill C,,,,VN,6109.10,T-shirts,5,2025-05-02,2704\n"
    )
    with pytest.raises(IntakeError) as exc:
        read_entries_file(f, display_name="e.csv", today=TODAY)
    text = str(exc.value)
    assert "e.csv row 3" in text and "fields" in text
    missing = tmp_path / "m.csv"
    missing.write_text("entry_number,line\nA,1\n")
    with pytest.raises(IntakeError, match="missing required columns"):
        read_entries_file(missing, display_name="m.csv", today=TODAY)


def test_row_level_errors_after_reading(tmp_path: Path) -> None:
    f = tmp_path / "e.csv"
    f.write_text(HEADER + "GCB-0000001-1,1,Acme,Mill A,,,,CN,6205.20,Shirts,ten,2025-05-01,2704,ocean\n")
    with pytest.raises(IntakeError) as exc:
        read_entries_file(f, display_name="e.csv", today=TODAY)
    assert [str(e) for e in exc.value.errors] == ["e.csv row 2: value_usd: 'ten' is not a number"]


def test_xlsx_is_read(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    ws.append(
        [
            "GCB-0000009-1",
            1,
            "Acme",
            "Mill",
            "",
            "",
            "",
            "CN",
            "620520",
            "Shirts",
            12.5,
            dt.date(2025, 5, 1),
            "2704",
            "vessel",
        ]
    )
    f = tmp_path / "e.xlsx"
    wb.save(f)
    (entry,) = read_entries_file(f, display_name="e.xlsx", today=TODAY)
    assert entry.mode == "ocean" and entry.date_of_import == dt.date(2025, 5, 1)
