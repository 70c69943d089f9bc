"""Pure helpers for the figures: federal fiscal years, industries by HTS chapter, and cell suppression.

No Django import: the rules here are tested on plain values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal


def fiscal_year(day: dt.date) -> int:
    """The federal fiscal year a day falls in: FY N runs from 1 October N-1 to 30 September N (31 U.S.C. 1102)."""
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_quarter(day: dt.date) -> int:
    """Quarter of the fiscal year: Q1 is October to December."""
    return ((day.month - 10) % 12) // 3 + 1


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year - 1, 10, 1), dt.date(year, 9, 30)


def fiscal_quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of quarter ``quarter`` (1-4) of fiscal year ``year``."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1 to 4")
    start_month = (9 + 3 * (quarter - 1)) % 12 + 1  # 10, 1, 4, 7
    start_year = year - 1 if quarter == 1 else year
    start = dt.date(start_year, start_month, 1)
    end_month = start_month + 3
    end = dt.date(start_year + (end_month > 12), (end_month - 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


# Industry by HTS chapter, after the groups of CBP's Centers of Excellence and Expertise (an
# approximation: the Centers assign by HTS heading and by importer; chapters are enough here).
INDUSTRIES: dict[str, str] = {
    "agriculture": "Agriculture and prepared products",
    "apparel": "Apparel, footwear and textiles",
    "automotive": "Automotive and aerospace",
    "metals": "Base metals",
    "consumer": "Consumer products and mass merchandising",
    "electronics": "Electronics",
    "industrial": "Industrial and manufacturing materials",
    "machinery": "Machinery",
    "petroleum": "Petroleum, natural gas and minerals",
    "pharma": "Pharmaceuticals, health and chemicals",
    "unknown": "Not classified",
}

_CHAPTER_RANGES: list[tuple[int, int, str]] = [
    (1, 24, "agriculture"),
    (25, 26, "petroleum"),
    (27, 27, "petroleum"),
    (28, 38, "pharma"),
    (39, 40, "industrial"),
    (41, 43, "consumer"),
    (44, 49, "industrial"),
    (50, 67, "apparel"),
    (68, 71, "industrial"),
    (72, 83, "metals"),
    (84, 84, "machinery"),
    (85, 85, "electronics"),
    (86, 89, "automotive"),
    (90, 92, "electronics"),
    (93, 97, "consumer"),
]


def hts4(code: str) -> str:
    """The 4-digit heading of an HTS number ("6205.20.2016" -> "6205"); "" when fewer than 4 digits."""
    digits = "".join(ch for ch in code if ch.isdigit())
    return digits[:4] if len(digits) >= 4 else ""


def industry_for_hts(code: str) -> str:
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) < 2:
        return "unknown"
    chapter = int(digits[:2])
    for low, high, key in _CHAPTER_RANGES:
        if low <= chapter <= high:
            return key
    return "unknown"


# --- Suppression --------------------------------------------------------------------------------

COUNT_COLUMNS = ("stopped", "released", "denied", "pending")
PARTS = ("released", "denied", "pending")


@dataclass
class StatRow:
    key: str
    label: str
    stopped: int = 0
    released: int = 0
    denied: int = 0
    pending: int = 0
    value: Decimal = Decimal("0")
    suppressed: set[str] = field(default_factory=set)

    def get(self, column: str) -> int:
        return int(getattr(self, column))


def suppress(rows: list[StatRow], total: StatRow, *, minimum: int) -> None:
    """Mark the cells to withhold in a published table, in place.

    Primary: a count from 1 to ``minimum - 1`` is withheld (zero is published: it names no one).
    Complementary: every sum in the table (each row: stopped = released + denied + pending; each
    column: total = sum of the rows) must not have exactly one withheld term, or subtraction would
    give it back; while one does, the smallest other non-zero term (the sum itself when there is
    none) is withheld too, until no sum has exactly one. Value follows the stopped count: a row's
    value is withheld when its stopped count is, so the value column has the same pattern.
    """
    everyone = [*rows, total]
    for row in everyone:
        for column in COUNT_COLUMNS:
            if 0 < row.get(column) < minimum:
                row.suppressed.add(column)

    def settle(cells: list[tuple[StatRow, str]], whole: tuple[StatRow, str]) -> bool:
        members = [*cells, whole]
        hidden = [c for c in members if c[1] in c[0].suppressed]
        if len(hidden) != 1:
            return False
        candidates = sorted(
            (c for c in cells if c[1] not in c[0].suppressed and c[0].get(c[1]) > 0),
            key=lambda c: (c[0].get(c[1]), c[0].key),
        )
        pick = candidates[0] if candidates else whole
        if pick[1] in pick[0].suppressed:  # the whole is the hidden one and every part is zero
            return False
        pick[0].suppressed.add(pick[1])
        return True

    changed = True
    while changed:
        changed = False
        for row in everyone:
            changed |= settle([(row, p) for p in PARTS], (row, "stopped"))
        for column in COUNT_COLUMNS:
            changed |= settle([(row, column) for row in rows], (total, column))
    for row in everyone:
        if "stopped" in row.suppressed:
            row.suppressed.add("value")


def total_of(rows: Iterable[StatRow], *, label: str) -> StatRow:
    total = StatRow(key="total", label=label)
    for row in rows:
        total.stopped += row.stopped
        total.released += row.released
        total.denied += row.denied
        total.pending += row.pending
        total.value += row.value
    return total


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
