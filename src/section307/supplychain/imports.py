"""Reading supplier maps: CSV/XLSX rows or API JSON into one checked plan of nodes and links.

Every problem is collected with its row (the spreadsheet's row number, header = 1, or the JSON item's
index) and column, so one upload shows them all; a plan with any problem is never applied.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from section307.goods.hts import InvalidHts, normalize_hts
from section307.parties.names import name_key
from section307.screening.countries import country_code
from section307.supplychain.models import CustodyModel

TEMPLATE_COLUMNS: tuple[str, ...] = (
    "supplier_name",
    "supplier_country",
    "supplier_address",
    "supplier_id",
    "tier",
    "buyer_name",
    "good",
    "hts",
    "share",
    "custody_model",
    "period_start",
    "period_end",
)
REQUIRED_COLUMNS: tuple[str, ...] = TEMPLATE_COLUMNS[:10]
TEMPLATE_EXAMPLE: tuple[dict[str, str], ...] = (
    {
        "supplier_name": "Example Garment Factory Ltd",
        "supplier_country": "VN",
        "supplier_address": "12 Industrial Road, Dong Nai",
        "supplier_id": "",
        "tier": "1",
        "buyer_name": "(your organization's name)",
        "good": "Apparel",
        "hts": "6109.10",
        "share": "1",
        "custody_model": "segregated",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
    },
)
MAX_ROWS = 200_000
# HTSUS chapters in use: 1 to 97 (77 is reserved for future use), and the special chapters 98 and 99.
_HTS_CHAPTERS = {f"{c:02d}" for c in range(1, 100)} - {"77"}
_CUSTODY_WORDS = {
    **{c.value: c.value for c in CustodyModel},
    **{str(c.label).casefold(): c.value for c in CustodyModel},
    "ip": CustodyModel.IDENTITY_PRESERVED.value,
    "identity-preserved": CustodyModel.IDENTITY_PRESERVED.value,
    "mass-balance": CustodyModel.MASS_BALANCE.value,
    "book-and-claim": CustodyModel.BOOK_AND_CLAIM.value,
}


class ImportFailed(Exception):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


@dataclass
class PlanNode:
    key: str
    name: str
    country: str | None
    address: str = ""
    identifier: str = ""
    tier: int | None = None
    row: int | None = None


@dataclass
class PlanLink:
    supplier: str  # node key
    buyer: str
    tier: int
    good: str
    hts: str
    share: Decimal | None
    custody_model: str
    period_start: dt.date | None
    period_end: dt.date | None
    row: int


@dataclass
class Plan:
    nodes: dict[str, PlanNode] = field(default_factory=dict)
    links: list[PlanLink] = field(default_factory=list)


def _err(row: int | str, column: str, reason: str) -> dict[str, str]:
    return {"row": str(row), "column": column, "field": f"row {row}.{column}", "reason": reason, "message": reason}


def read_table(data: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of a supplier list as {column: text}; raises ImportFailed for a file it cannot read."""
    return read_table_columns(data, filename, REQUIRED_COLUMNS)


def read_table_columns(data: bytes, filename: str, required: Iterable[str]) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as {column: text}, after checking the header has ``required``."""
    name = filename.lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        rows = _read_xlsx(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFailed([_err(1, "file", _("The file is not UTF-8 text: save it as CSV UTF-8."))]) from None
        if "\x00" in text:
            line = text[: text.index("\x00")].count("\n") + 1
            raise ImportFailed([_err(line, "file", _("The file holds a NUL character: it is not CSV text."))])
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            raise ImportFailed([_err(1, "file", _("The file is not readable CSV: %(why)s") % {"why": exc})]) from None
    if not rows:
        raise ImportFailed([_err(1, "file", _("The file has no header row."))])
    header = [str(h or "").strip().lower() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFailed(
            [_err(1, c, _("The column %(column)s is missing from the header row.") % {"column": c}) for c in missing]
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFailed([_err(MAX_ROWS + 2, "file", _("At most %(n)s rows per file.") % {"n": MAX_ROWS})])
    out = []
    for values in rows[1:]:
        cells = [str(v).strip() if v is not None else "" for v in values]
        out.append({h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h})
    return out


def _read_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, InvalidFileException):
        raise ImportFailed([_err(1, "file", _("The file is not a readable XLSX workbook."))]) from None
    sheet = workbook.worksheets[0]
    rows: list[list[Any]] = []
    for values in sheet.iter_rows(values_only=True):
        cells = [_cell(v) for v in values]
        rows.append(cells)
    workbook.close()
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plan_from_rows(rows: Iterable[Mapping[str, str]], *, root_name: str, first_row: int = 2) -> Plan:
    """Check the rows and build the plan. ``root_name`` is the importer (tier 0), the buyer of tier-1 rows.

    A buyer must be the importer or a supplier named on another row; a supplier named on several rows
    keeps one node (its tier and country must agree).
    """
    errors: list[dict[str, str]] = []
    plan = Plan()
    root_key = name_key(root_name)
    plan.nodes[root_key] = PlanNode(key=root_key, name=root_name.strip(), country=None, tier=0, row=None)
    pending: list[tuple[int, Mapping[str, str], str | None]] = []
    named: set[str] = {root_key}
    for offset, row in enumerate(rows):
        n = first_row + offset
        if not any((v or "").strip() for v in row.values()):
            continue
        pending.append((n, row, _row_supplier(n, row, plan, errors)))
        named.add(name_key(row.get("supplier_name") or ""))
    for n, row, supplier in pending:
        buyer_name = (row.get("buyer_name") or "").strip()
        buyer: str | None = name_key(buyer_name)
        if not buyer_name:
            errors.append(_err(n, "buyer_name", _("Name the buyer this supplier sells to.")))
            buyer = None
        elif buyer not in named:
            errors.append(
                _err(
                    n,
                    "buyer_name",
                    _("Unknown party %(name)s: a buyer must be your organization or a supplier on another row.")
                    % {"name": buyer_name},
                )
            )
            buyer = None
        link = _row_link(n, row, supplier, buyer, plan, errors)
        if link is not None:
            plan.links.append(link)
    errors.extend(_cycle_errors(plan))
    if errors:
        raise ImportFailed(errors)
    if not plan.links:
        raise ImportFailed([_err(first_row, "file", _("The file has no supplier rows."))])
    return plan


def _row_supplier(n: int, row: Mapping[str, str], plan: Plan, errors: list[dict[str, str]]) -> str | None:
    name = (row.get("supplier_name") or "").strip()
    if not name:
        errors.append(_err(n, "supplier_name", _("The supplier's name is required.")))
        return None
    if len(name) > 300:
        errors.append(_err(n, "supplier_name", _("At most 300 characters.")))
        return None
    key = name_key(name)
    if not key:
        errors.append(_err(n, "supplier_name", _("The supplier's name has no letters or digits.")))
        return None
    ok = True
    raw_country = (row.get("supplier_country") or "").strip()
    country = country_code(raw_country) if raw_country else None
    if not raw_country:
        errors.append(_err(n, "supplier_country", _("The supplier's country is required (ISO code or name).")))
        ok = False
    elif country is None or not _country_known(country):
        errors.append(_err(n, "supplier_country", _("Unknown country %(value)s.") % {"value": raw_country}))
        ok = False
    raw_tier = (row.get("tier") or "").strip()
    tier: int | None = None
    if not raw_tier:
        errors.append(_err(n, "tier", _("The tier is required: 1 for a direct supplier, 2 for its supplier, ...")))
        ok = False
    else:
        try:
            tier = int(raw_tier)
            if not 1 <= tier <= 30:
                raise ValueError
        except ValueError:
            errors.append(_err(n, "tier", _("The tier must be a whole number from 1 to 30.")))
            ok = False
    if not ok:
        return None
    address = (row.get("supplier_address") or "").strip()[:500]
    identifier = (row.get("supplier_id") or "").strip()[:100]
    existing = plan.nodes.get(key)
    if existing is None:
        plan.nodes[key] = PlanNode(key, name, country, address, identifier, tier, n)
    else:
        if existing.tier == 0:
            errors.append(_err(n, "supplier_name", _("Your own organization cannot be its supplier.")))
            return None
        if existing.tier != tier:
            errors.append(
                _err(
                    n,
                    "tier",
                    _("%(name)s has tier %(a)s on row %(row)s.")
                    % {"name": name, "a": existing.tier, "row": existing.row},
                )
            )
            return None
        if existing.country != country:
            errors.append(
                _err(
                    n,
                    "supplier_country",
                    _("%(name)s has another country on row %(row)s.") % {"name": name, "row": existing.row},
                )
            )
            return None
        existing.address = existing.address or address
        existing.identifier = existing.identifier or identifier
    return key


def _country_known(code: str) -> bool:
    from section307.geo.models import Country

    return Country.objects.filter(code=code).exists()


def _row_link(
    n: int, row: Mapping[str, str], supplier: str | None, buyer: str | None, plan: Plan, errors: list[dict[str, str]]
) -> PlanLink | None:
    """The link's own columns are checked even when its supplier or buyer row is bad, so one pass shows all."""
    before = len(errors)
    s_node = plan.nodes.get(supplier) if supplier else None
    b_node = plan.nodes.get(buyer) if buyer else None
    if s_node is not None and b_node is not None and (s_node.tier or 0) <= (b_node.tier or 0):
        errors.append(
            _err(
                n,
                "tier",
                _("A supplier's tier (%(s)s) must be above its buyer's (%(b)s).")
                % {"s": s_node.tier, "b": b_node.tier},
            )
        )
    hts = ""
    raw_hts = (row.get("hts") or "").strip()
    if raw_hts:
        try:
            hts = normalize_hts(raw_hts)
            if hts[:2] not in _HTS_CHAPTERS:
                raise InvalidHts("chapter")
        except InvalidHts:
            errors.append(
                _err(
                    n, "hts", _("Unknown HTS code %(value)s (2 to 10 digits of an HTSUS chapter).") % {"value": raw_hts}
                )
            )
    good = (row.get("good") or "").strip()[:200]
    if not good and not hts:
        errors.append(_err(n, "good", _("Name the good supplied or give its HTS code.")))
    share: Decimal | None = None
    raw_share = (row.get("share") or "").strip()
    if raw_share:
        try:
            share = Decimal(raw_share.rstrip("%")) / (100 if raw_share.endswith("%") else 1)
            if not Decimal(0) <= share <= Decimal(1):
                raise InvalidOperation
            share = share.quantize(Decimal("0.0001"))
        except (InvalidOperation, ValueError):
            errors.append(_err(n, "share", _("The share must be a number from 0 to 1 (or 0% to 100%).")))
    raw_custody = (row.get("custody_model") or "").strip().casefold().replace(" ", "_")
    custody = _CUSTODY_WORDS.get(raw_custody) or _CUSTODY_WORDS.get(raw_custody.replace("_", " "))
    if not raw_custody:
        custody = CustodyModel.MASS_BALANCE.value
    elif custody is None:
        errors.append(
            _err(
                n,
                "custody_model",
                _("Unknown custody model; use one of %(values)s.")
                % {"values": ", ".join(c.value for c in CustodyModel)},
            )
        )
    start = _date(n, row, "period_start", errors)
    end = _date(n, row, "period_end", errors)
    if start and end and end < start:
        errors.append(_err(n, "period_end", _("The period ends before it starts.")))
    if len(errors) > before or s_node is None or b_node is None or supplier is None or buyer is None:
        return None
    return PlanLink(supplier, buyer, s_node.tier or 0, good, hts, share, custody or "", start, end, n)


def _date(n: int, row: Mapping[str, str], column: str, errors: list[dict[str, str]]) -> dt.date | None:
    raw = (row.get(column) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        errors.append(_err(n, column, _("Write the date as YYYY-MM-DD.")))
        return None


def _cycle_errors(plan: Plan) -> list[dict[str, str]]:
    """A link that closes a loop (A supplies B ... supplies A) is reported on its row."""
    graph: dict[str, list[PlanLink]] = {}
    for link in plan.links:
        graph.setdefault(link.supplier, []).append(link)
    state: dict[str, int] = {}
    errors: list[dict[str, str]] = []
    for start in list(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        state[start] = 1
        while stack:
            at, i = stack[-1]
            out = graph.get(at, [])
            if i < len(out):
                stack[-1] = (at, i + 1)
                nxt = out[i].buyer
                if state.get(nxt) == 1:
                    errors.append(
                        _err(
                            out[i].row,
                            "buyer_name",
                            _("This link closes a cycle: %(name)s is already upstream of this supplier.")
                            % {"name": plan.nodes[nxt].name},
                        )
                    )
                elif not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[at] = 2
                stack.pop()
    return errors


def rows_from_json(nodes: list[Mapping[str, Any]], links: list[Mapping[str, Any]]) -> list[dict[str, str]]:
    """API input (nodes with ids, links by id) as the spreadsheet's rows, so both are checked alike.

    A link naming a node id that is not in ``nodes`` keeps the id as the buyer's or supplier's name, and is
    reported as an unknown party."""
    by_id = {str(n.get("id")): n for n in nodes}
    rows: list[dict[str, str]] = []
    for link in links:
        s = by_id.get(str(link.get("supplier")), {"name": str(link.get("supplier"))})
        b = by_id.get(str(link.get("buyer")))
        rows.append(
            {
                "supplier_name": str(s.get("name") or ""),
                "supplier_country": str(s.get("country") or ""),
                "supplier_address": str(s.get("address") or ""),
                "supplier_id": str(s.get("identifier") or ""),
                "tier": "" if s.get("tier") is None else str(s.get("tier")),
                "buyer_name": str(b.get("name") or "") if b else str(link.get("buyer") or ""),
                "good": str(link.get("good") or ""),
                "hts": str(link.get("hts") or ""),
                "share": "" if link.get("share") is None else str(link.get("share")),
                "custody_model": str(link.get("custody_model") or ""),
                "period_start": str(link.get("period_start") or ""),
                "period_end": str(link.get("period_end") or ""),
            }
        )
    return rows


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(TEMPLATE_COLUMNS))
    writer.writeheader()
    writer.writerows(TEMPLATE_EXAMPLE)
    return out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Suppliers"
    ws.append(list(TEMPLATE_COLUMNS))
    for example in TEMPLATE_EXAMPLE:
        ws.append([example[c] for c in TEMPLATE_COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
