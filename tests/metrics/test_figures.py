"""Fiscal calendar, HTS grouping and the suppression rule, on plain values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from section307.metrics.figures import (
    StatRow,
    fiscal_quarter,
    fiscal_quarter_bounds,
    fiscal_year,
    hts4,
    industry_for_hts,
    median,
    suppress,
    total_of,
)


@pytest.mark.parametrize(
    ("day", "year", "quarter"),
    [
        (dt.date(2024, 9, 30), 2024, 4),
        (dt.date(2024, 10, 1), 2025, 1),
        (dt.date(2024, 12, 31), 2025, 1),
        (dt.date(2025, 1, 1), 2025, 2),
        (dt.date(2025, 4, 1), 2025, 3),
        (dt.date(2025, 7, 15), 2025, 4),
    ],
)
def test_federal_fiscal_year_runs_october_to_september(day: dt.date, year: int, quarter: int) -> None:
    assert fiscal_year(day) == year
    assert fiscal_quarter(day) == quarter


def test_quarter_bounds() -> None:
    assert fiscal_quarter_bounds(2025, 1) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    assert fiscal_quarter_bounds(2025, 2) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert fiscal_quarter_bounds(2025, 4) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    with pytest.raises(ValueError):
        fiscal_quarter_bounds(2025, 5)


def test_hts_heading_and_industry() -> None:
    assert hts4("6205.20.2016") == "6205"
    assert hts4("62") == ""
    assert industry_for_hts("6205.20") == "apparel"
    assert industry_for_hts("8541.43") == "electronics"
    assert industry_for_hts("2804.61") == "pharma"
    assert industry_for_hts("0702") == "agriculture"
    assert industry_for_hts("") == "unknown"


def test_median() -> None:
    assert median([]) is None
    assert median([5.0, 1.0, 3.0]) == 3.0
    assert median([1.0, 2.0, 3.0, 10.0]) == 2.5


def _row(key: str, released: int, denied: int, pending: int, value: int = 0) -> StatRow:
    return StatRow(key, key, released + denied + pending, released, denied, pending, Decimal(value))


def _table(rows: list[StatRow], minimum: int = 3) -> StatRow:
    total = total_of(rows, label="Total")
    suppress(rows, total, minimum=minimum)
    return total


def _revealable(rows: list[StatRow], total: StatRow) -> list[str]:
    """Cells a reader could work out by subtraction from one sum with a single withheld term."""
    found = []
    everyone = [*rows, total]
    for row in everyone:
        terms = [(row, c) for c in ("released", "denied", "pending", "stopped")]
        hidden = [t for t in terms if t[1] in t[0].suppressed]
        if len(hidden) == 1:
            found.append(f"{row.key}.{hidden[0][1]}")
    for column in ("stopped", "released", "denied", "pending"):
        terms = [(r, column) for r in everyone]
        hidden = [t for t in terms if t[1] in t[0].suppressed]
        if len(hidden) == 1:
            found.append(f"{hidden[0][0].key}.{column}")
    return found


def test_primary_suppression_withholds_counts_under_the_minimum_but_not_zero() -> None:
    rows = [_row("a", 10, 10, 10), _row("b", 5, 0, 5)]
    total = _table(rows)
    assert rows[0].suppressed == set()
    assert rows[1].suppressed == set()  # zero is published
    assert total.suppressed == set()


def test_complementary_suppression_hand_counted() -> None:
    # Row b has 1 released: withheld. Row b then has one withheld part, so its next smallest
    # non-zero part (pending 4) goes too. The released column has one withheld cell, so the next
    # smallest released cell (row c: 6) goes; row c then needs a second cell (its pending 7).
    # The pending column now has b and c withheld: settled.
    rows = [_row("a", 20, 10, 30, 1000), _row("b", 1, 9, 4, 50), _row("c", 6, 8, 7, 70)]
    total = _table(rows)
    assert rows[1].suppressed == {"released", "pending"}
    assert rows[2].suppressed == {"released", "pending"}
    assert rows[0].suppressed == set()
    assert total.suppressed == set()
    assert _revealable(rows, total) == []


def test_small_row_total_takes_value_and_needs_a_partner_row() -> None:
    # Row b stopped 2: its count, parts and value are withheld; the stopped column then has one
    # withheld cell, so the smallest other stopped (row c, 5) is withheld with its value.
    rows = [_row("a", 40, 0, 0, 9000), _row("b", 2, 0, 0, 10), _row("c", 5, 0, 0, 300)]
    total = _table(rows)
    assert {"stopped", "released", "value"} <= rows[1].suppressed
    assert {"stopped", "value"} <= rows[2].suppressed
    assert "stopped" not in rows[0].suppressed
    assert _revealable(rows, total) == []


def test_minimum_is_a_parameter() -> None:
    rows = [_row("a", 4, 4, 4), _row("b", 4, 4, 4)]
    total = _table(rows, minimum=5)
    assert rows[0].suppressed >= {"released", "denied", "pending"}
    assert _revealable(rows, total) == []


@pytest.mark.parametrize("seed", range(30))
def test_no_withheld_cell_can_be_worked_out_from_one_sum(seed: int) -> None:
    import random

    rng = random.Random(seed)
    rows = [
        _row(f"r{i}", rng.choice([0, 1, 2, 3, 5, 9]), rng.choice([0, 1, 2, 4, 12]), rng.choice([0, 1, 2, 7]))
        for i in range(rng.randrange(1, 7))
    ]
    total = _table(rows)
    assert _revealable(rows, total) == []
    for row in [*rows, total]:
        for column in ("stopped", "released", "denied", "pending"):
            if 0 < row.get(column) < 3:
                assert column in row.suppressed
        assert ("value" in row.suppressed) == ("stopped" in row.suppressed)
