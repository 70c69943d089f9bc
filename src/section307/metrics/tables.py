"""A table of figures as the pages, the charts, the exports and the PDF all read it."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # text, int, usd, days, pct
    kind: str = "int"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    # One drill-down URL per row (or None), in the order of ``rows``.
    links: list[str | None] = field(default_factory=list)
    total: dict[str, Any] | None = None
    # The column the chart draws (none: no chart), and the label column.
    chart: str = ""
    chart_label: str = "label"
    note: str = ""

    def column_keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def body(self) -> list[dict[str, Any]]:
        rows = list(self.rows)
        if self.total is not None:
            rows.append(self.total)
        return rows

    def chart_data(self) -> dict[str, Any]:
        labels = [str(r.get(self.chart_label, "")) for r in self.rows]
        values = [None if r.get(self.chart) == SUPPRESSED else _plain(r.get(self.chart)) for r in self.rows]
        label = next((c.label for c in self.columns if c.key == self.chart), "")
        return {"labels": labels, "values": values, "label": str(label), "links": self.links}

    def tbody(self) -> SafeString:
        """The table's body rows as HTML, built here rather than cell by cell in the template (the
        dashboard draws several hundred cells; this is several times faster). The first cell of a row is
        its header, linked to the row's drill-down when it has one; the total row is bold."""
        rows = []
        for row in self.cells():
            first, *rest = row["cells"]
            head = format_html('<a class="usa-link" href="{}">{}</a>', row["link"], first) if row["link"] else first
            rows.append(
                format_html(
                    '<tr{}><th scope="row">{}</th>{}</tr>',
                    mark_safe(' class="text-bold"') if row["total"] else "",
                    head,
                    format_html_join("", '<td class="text-right">{}</td>', ((cell,) for cell in rest)),
                )
            )
        if not rows:
            return format_html(
                '<tr><td colspan="{}">{}</td></tr>', len(self.columns), _("No figures for this selection.")
            )
        return mark_safe("\n".join(rows))  # noqa: S308 - every part is built by format_html above

    def cells(self) -> list[dict[str, Any]]:
        """Rows for the template: each cell's display text, and the row's link."""
        out = []
        links = [*self.links, *([None] * (len(self.rows) - len(self.links)))]
        for row, link in [*zip(self.rows, links, strict=True), *([(self.total, None)] if self.total else [])]:
            out.append(
                {
                    "cells": [display(row.get(c.key), c.kind) for c in self.columns],
                    "link": link,
                    "total": row is self.total,
                }
            )
        return out


SUPPRESSED = "(s)"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def display(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if value == SUPPRESSED:
        return SUPPRESSED
    if kind == "usd":
        return f"${Decimal(value):,.0f}"
    if kind == "pct":
        return f"{float(value):.1f}%"
    if kind == "days":
        return f"{float(value):.1f}"
    if kind == "int":
        return f"{int(value):,}"
    return str(value)


def as_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(c.label) for c in table.columns])
    for row in table.body():
        writer.writerow(["" if row.get(c.key) is None else _plain(row.get(c.key)) for c in table.columns])
    return out.getvalue()


def as_json(table: Table) -> str:
    body = {
        "table": table.key,
        "title": str(table.title),
        "columns": [{"key": c.key, "label": str(c.label)} for c in table.columns],
        "rows": [{c.key: _json_cell(row.get(c.key)) for c in table.columns} for row in table.rows],
        "total": {c.key: _json_cell(table.total.get(c.key)) for c in table.columns} if table.total else None,
        "suppressed_marker": None,
    }
    return json.dumps(body, ensure_ascii=False, indent=1)


def _json_cell(value: Any) -> Any:
    # A withheld cell is null in JSON (and "(s)" in CSV and XLSX).
    if value == SUPPRESSED:
        return None
    return _plain(value)


def as_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = str(table.title)[:31].replace("/", "-") or "Table"
    sheet.append([str(c.label) for c in table.columns])
    for row in table.body():
        sheet.append([_plain(row.get(c.key)) for c in table.columns])
    if table.note:
        sheet.append([])
        sheet.append([str(table.note)])
    if any(v == SUPPRESSED for row in table.body() for v in row.values()):
        sheet.append([_("(s): withheld so that no small group of shipments can be identified.")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
