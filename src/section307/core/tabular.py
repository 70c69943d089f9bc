"""Templates for tabular uploads, generated from the column spec the parser reads.

Each upload kind declares its columns once (``ColumnSpec``: name, whether the file must have it, what
it holds, an example value). The parser takes its required columns from that spec and the template
downloads (a CSV with the header and one example row; an XLSX with the same on its first sheet and a
"Columns" sheet describing each column) are built from it, so the two cannot drift apart.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    required: bool
    description: str | Promise
    example: str


def required_columns(columns: Sequence[ColumnSpec]) -> tuple[str, ...]:
    return tuple(c.name for c in columns if c.required)


def template_csv(columns: Sequence[ColumnSpec]) -> bytes:
    """Header row and one example row; UTF-8 with a byte-order mark so spreadsheet programs read accents."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    writer.writerow([c.example for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(columns: Sequence[ColumnSpec], *, sheet_title: str) -> bytes:
    """First sheet: header and one example row (every cell text, so codes keep their leading zeros).
    Second sheet "Columns": each column's name, whether the file must have it, and what it holds."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    data = wb.active
    assert data is not None
    data.title = sheet_title[:31]
    data.append([c.name for c in columns])
    data.append([c.example for c in columns])
    for cell in data[1]:
        cell.font = Font(bold=True)
    for cell in data[2]:
        cell.number_format = "@"
    for i, c in enumerate(columns, start=1):
        data.column_dimensions[data.cell(row=1, column=i).column_letter].width = max(12, len(c.name) + 2)
    notes = wb.create_sheet(gettext("Columns"))
    notes.append([gettext("Column"), gettext("Required column"), gettext("What it holds"), gettext("Example")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for c in columns:
        notes.append([c.name, gettext("Yes") if c.required else gettext("No"), str(c.description), c.example])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["C"].width = 80
    notes.column_dimensions["D"].width = 24
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_response(columns: Sequence[ColumnSpec], *, fmt: str, filename: str, sheet_title: str) -> HttpResponse:
    """The template as a download; ``fmt`` is "csv" or "xlsx" (the URL pattern admits only those)."""
    if fmt == "xlsx":
        body, content_type = template_xlsx(columns, sheet_title=sheet_title), XLSX_TYPE
    else:
        body, content_type = template_csv(columns), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
