"""The entries upload templates come from the parser's column spec and load as they are."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from section307.ports.intake import (
    ENTRIES_FILE_COLUMNS,
    ENTRY_FIELDS,
    FILE_REQUIRED_COLUMNS,
    LINE_FIELDS,
    read_entries_file,
)
from section307.ports.models import Entry
from section307.screening import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(officer: Any) -> Client:
    c = Client()
    c.force_login(officer)
    return c


def test_column_spec_covers_what_the_parser_reads_and_requires() -> None:
    names = [c.name for c in ENTRIES_FILE_COLUMNS]
    assert len(names) == len(set(names))
    assert set(names) == {*ENTRY_FIELDS, *LINE_FIELDS, *OPTIONAL_COLUMNS}
    assert set(FILE_REQUIRED_COLUMNS) == {*REQUIRED_COLUMNS, "port", "mode"}
    assert all(str(c.description) and c.example for c in ENTRIES_FILE_COLUMNS)


def test_csv_template_has_header_and_example_row_that_load(staff: Client, tmp_path: Any) -> None:
    r = staff.get("/port/entries/upload/template.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert 'filename="entries-template.csv"' in r["Content-Disposition"]
    text = r.content.decode("utf-8-sig")
    header, _example = text.splitlines()[:2]
    assert header.split(",") == [c.name for c in ENTRIES_FILE_COLUMNS]
    path = tmp_path / "t.csv"
    path.write_bytes(r.content)
    entries = read_entries_file(path, display_name="t.csv", today=dt.date(2026, 6, 1))
    assert [e.entry_number for e in entries] == ["ABC-1234567-8"] and entries[0].mode == "ocean"
    # The example row goes through the real upload too.
    up = staff.post("/port/entries/upload/", {"file": SimpleUploadedFile("t.csv", r.content)})
    assert up.status_code == 302 and Entry.objects.filter(entry_number="ABC-1234567-8").exists()


def test_xlsx_template_has_data_sheet_and_column_notes(staff: Client, tmp_path: Any) -> None:
    r = staff.get("/port/entries/upload/template.xlsx")
    assert r.status_code == 200 and "spreadsheetml" in r["Content-Type"]
    wb = load_workbook(io.BytesIO(r.content))
    data, notes = wb.worksheets
    rows = list(data.iter_rows(values_only=True))
    assert list(rows[0]) == [c.name for c in ENTRIES_FILE_COLUMNS]
    assert list(rows[1]) == [c.example for c in ENTRIES_FILE_COLUMNS]
    described = {row[0]: row for row in notes.iter_rows(min_row=2, values_only=True)}
    assert set(described) == {c.name for c in ENTRIES_FILE_COLUMNS}
    assert described["port"][1] == "Yes" and described["quantity"][1] == "No"
    assert "ISO code" in described["country_of_origin"][2]
    path = tmp_path / "t.xlsx"
    path.write_bytes(r.content)
    entries = read_entries_file(path, display_name="t.xlsx", today=dt.date(2026, 6, 1))
    assert entries[0].lines[0].values["hts"] == "6109100012"


def test_upload_page_links_both_templates_and_other_formats_are_not_found(staff: Client) -> None:
    page = staff.get("/port/entries/upload/").content.decode()
    assert "/port/entries/upload/template.csv" in page and "/port/entries/upload/template.xlsx" in page
    assert staff.get("/port/entries/upload/template.pdf").status_code == 404
