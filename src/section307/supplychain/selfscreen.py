"""Importer self-screening: the decisions and reasons the port would see, for an entry file or a map.

Entry files carry the port's entry columns (``section307.screening.REQUIRED_COLUMNS``); each line is
screened by the port's own screener. A map's result is one row per node with its level and reasons and
the path its risk takes to the imported good.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from section307.screening import REQUIRED_COLUMNS
from section307.supplychain.imports import ImportFailed, _err, read_table_columns
from section307.supplychain.models import SupplyChainMap
from section307.supplychain.risk import map_risk

ENTRY_RESULT_COLUMNS = ("entry_number", "line", "manufacturer", "decision", "score", "list", "order_id", "reasons")
MAP_RESULT_COLUMNS = ("tier", "name", "country", "registry_match", "level", "reasons", "path_to_good", "rule")
# Columns the port requires that a self-screening file may leave out (they do not change the decision).
_OPTIONAL_HERE = {"value_usd", "date_of_import", "importer", "shipper", "shipper_address", "entry_number", "line"}


def entry_rows(data: bytes, filename: str) -> list[dict[str, str]]:
    needed = [c for c in REQUIRED_COLUMNS if c not in _OPTIONAL_HERE]
    rows = read_table_columns(data, filename, needed)
    errors = []
    for n, row in enumerate(rows, start=2):
        if not (row.get("manufacturer") or "").strip():
            errors.append(_err(n, "manufacturer", _("The manufacturer is required.")))
        if not (row.get("country_of_origin") or "").strip():
            errors.append(_err(n, "country_of_origin", _("The country of origin is required.")))
    if errors:
        raise ImportFailed(errors)
    return rows


def screen_entry_rows(
    rows: Sequence[Mapping[str, str]], *, progress: Callable[[int, int], None] | None = None
) -> list[dict[str, Any]]:
    from section307.ports.services import current_screener

    screener = current_screener()
    out = []
    for i, row in enumerate(rows):
        result = screener.screen_one(row)
        out.append(
            {
                "entry_number": row.get("entry_number", ""),
                "line": row.get("line", "") or str(i + 1),
                "manufacturer": row.get("manufacturer", ""),
                "decision": result.decision,
                "score": result.score,
                "list": result.list or "",
                "order_id": result.order_id or "",
                "reasons": result.reasons,
            }
        )
        if progress is not None and i % 200 == 0:
            progress(i, len(rows))
    return out


def map_result_rows(chain_map: SupplyChainMap) -> list[dict[str, Any]]:
    risk = map_risk(chain_map)
    path_of = {p.source.pk: p for p in risk.paths}
    rows = []
    for node in sorted(risk.nodes.values(), key=lambda n: (n.tier, n.name)):
        path = path_of.get(node.pk)
        rows.append(
            {
                "tier": node.tier,
                "name": node.name,
                "country": node.country_id or "",
                "registry_match": node.get_match_status_display() + (f" ({node.party})" if node.party_id else ""),
                "level": (path.level if path else node.risk_level),
                "reasons": " | ".join(str(s.get("detail", "")) for s in node.risk_signals),
                "path_to_good": " → ".join(n.name for n in path.nodes) if path else "",
                "rule": path.rule if path else "",
            }
        )
    return rows


def as_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        # A cell starting with = + - @ is text, not a formula, in a spreadsheet.
        writer.writerow({k: _safe(v) for k, v in row.items()})
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(columns))
    for row in rows:
        ws.append([_safe(row.get(c, "")) for c in columns])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
