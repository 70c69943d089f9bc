"""Public statistics: figures against the hand-counted history, suppression, page = API = exports."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, override_settings
from openpyxl import load_workbook

from section307.metrics import selectors
from section307.metrics.models import DetentionFact
from section307.ports.models import Detention

pytestmark = pytest.mark.django_db


def _table(tables: list[selectors.StatTable], dimension: str) -> selectors.StatTable:
    return next(t for t in tables if t.dimension == dimension)


def _rows(table: selectors.StatTable) -> dict[str, tuple[int, int, int, int, Decimal]]:
    return {r.key: (r.stopped, r.released, r.denied, r.pending, r.value) for r in table.rows}


@override_settings(METRICS_MINIMUM_CELL=1)
def test_figures_by_fiscal_year_match_the_hand_count(history: list[Detention]) -> None:
    tables = selectors.statistics_tables()
    by_year = _rows(_table(tables, "fiscal_year"))
    assert by_year == {
        "2024": (6, 3, 2, 1, Decimal("6500")),
        "2025": (4, 0, 1, 3, Decimal("4000")),
    }
    total = _table(tables, "fiscal_year").total
    assert (total.stopped, total.released, total.denied, total.pending) == (10, 3, 3, 4)
    quarters = _rows(_table(tables, "quarter"))
    # 5 Oct and 20 Nov 2023 are FY2024 Q1; 30 Jun 2024 is Q3, 30 Sep 2024 Q4; 1 Oct 2024 starts FY2025 Q1.
    assert quarters["2024-Q1"][0] == 2
    assert quarters["2024-Q2"][0] == 2
    assert quarters["2024-Q3"][0] == 1
    assert quarters["2024-Q4"][0] == 1
    assert quarters["2025-Q1"][0] == 1
    assert _rows(_table(tables, "country"))["VN"][:4] == (1, 0, 0, 1)
    assert _rows(_table(tables, "regime"))["wro"][:4] == (1, 0, 1, 0)
    assert set(_rows(_table(tables, "hts4"))) == {"6205", "8541"}
    assert _rows(_table(tables, "industry"))["electronics"][0] == 1


@override_settings(METRICS_MINIMUM_CELL=1)
def test_filters_by_fiscal_year_and_regime(history: list[Detention]) -> None:
    fy25 = _table(selectors.statistics_tables(fiscal_year=2025), "country")
    assert _rows(fy25) == {"CN": (4, 0, 1, 3, Decimal("4000"))}
    wro = _table(selectors.statistics_tables(regime="wro"), "fiscal_year")
    assert _rows(wro) == {"2024": (1, 0, 1, 0, Decimal("1000"))}


def test_small_cells_are_withheld_with_their_complements(history: list[Detention]) -> None:
    # Minimum 3: by country, VN has 1 stopped (withheld, with its value); CN, the only other row,
    # is withheld too, or the total would give VN back. The total row stays.
    country = _table(selectors.statistics_tables(), "country")
    cells = {r.key: r.suppressed for r in country.rows}
    assert {"stopped", "pending", "value"} <= cells["VN"]
    assert {"stopped", "value"} <= cells["CN"]
    assert "stopped" not in country.total.suppressed
    assert country.total.stopped == 10


def test_the_setting_changes_the_minimum(history: list[Detention]) -> None:
    with override_settings(METRICS_MINIMUM_CELL=1):
        assert all(not r.suppressed for t in selectors.statistics_tables() for r in [*t.rows, t.total])
    with override_settings(METRICS_MINIMUM_CELL=20):
        year = _table(selectors.statistics_tables(), "fiscal_year")
        assert "stopped" in year.total.suppressed


def test_api_returns_the_page_figures(history: list[Detention], client: Client) -> None:
    body = client.get("/api/v1/statistics", {"fiscal_year": 2024}).json()
    assert body["fiscal_year"] == 2024
    assert body["minimum_cell"] == 3
    tables = selectors.statistics_tables(fiscal_year=2024)
    for table in tables:
        api_table = next(t for t in body["tables"] if t["dimension"] == table.dimension)
        for row, api_row in zip(table.rows, api_table["rows"], strict=True):
            for column in ("stopped", "released", "denied", "pending"):
                expected = None if column in row.suppressed else getattr(row, column)
                assert api_row[column] == expected, (table.dimension, row.key, column)
    # The page shows the same withheld marks and totals.
    page = client.get("/statistics/", {"fy": "2024"}).content.decode()
    assert "(s)" in page
    assert "Shipments by country of origin" in page


def test_api_rejects_an_unknown_regime(client: Client) -> None:
    answer = client.get("/api/v1/statistics", {"regime": "nope"})
    assert answer.status_code == 422
    assert answer.json()["field"] == "regime"


@override_settings(METRICS_MINIMUM_CELL=1)
def test_exports_hold_the_table(history: list[Detention], client: Client) -> None:
    answer = client.get("/statistics/fiscal_year.csv")
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0][1:] == ["Shipments stopped", "Released", "Denied", "Pending", "Value (USD)"]
    assert rows[1][:5] == ["FY2024", "6", "3", "2", "1"]
    assert rows[-1][:2] == ["Total", "10"]
    data = json.loads(client.get("/statistics/fiscal_year.json").content)
    assert data["total"]["stopped"] == 10
    book = load_workbook(io.BytesIO(client.get("/statistics/country.xlsx").content))
    sheet = book.active
    assert [c.value for c in sheet[1]][:2] == ["Country of origin", "Shipments stopped"]
    assert client.get("/statistics/fiscal_year.exe").status_code == 404
    assert client.get("/statistics/nothing.csv").status_code == 404


def test_withheld_cells_are_null_in_json_exports(history: list[Detention], client: Client) -> None:
    data = json.loads(client.get("/statistics/country.json").content)
    vn = next(r for r in data["rows"] if r["label"] != "China" and r["stopped"] is None)
    assert vn["value"] is None


def test_a_detention_decision_reaches_the_figures_after_commit(
    history: list[Detention], django_capture_on_commit_callbacks: Any
) -> None:
    pending = history[-1]
    with django_capture_on_commit_callbacks(execute=True):
        pending.status = Detention.Status.RELEASED
        pending.save()
    fact = DetentionFact.objects.get(detention=pending)
    assert fact.outcome == "released"


@override_settings(METRICS_STATISTICS_RATE="3/m")
def test_statistics_are_rate_limited_per_client(client: Client) -> None:
    from django.core.cache import cache

    cache.clear()
    try:
        for path in ("/statistics/", "/statistics/country.csv", "/api/v1/statistics"):
            assert client.get(path).status_code == 200
        page = client.get("/statistics/")
        assert page.status_code == 429 and page["Retry-After"] == "60"
        assert "Too many requests" in page.content.decode()
        api = client.get("/api/v1/statistics")
        assert api.status_code == 429
        assert api.json()["code"] == "rate_limited"
        assert client.get("/statistics/fiscal_year.json").status_code == 429
        # Another client has its own count.
        assert Client(REMOTE_ADDR="192.0.2.9").get("/api/v1/statistics").status_code == 200
    finally:
        cache.clear()


def test_the_schema_documents_the_429(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    answers = schema["paths"]["/api/v1/statistics"]["get"]["responses"]
    assert "429" in answers
    assert answers["429"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


@pytest.mark.parametrize("minimum", [1, 3])
def test_the_page_shows_the_apis_figures_cell_by_cell(history: list[Detention], client: Client, minimum: int) -> None:
    from django.utils.html import escape

    from section307.metrics.tables import SUPPRESSED, display

    with override_settings(METRICS_MINIMUM_CELL=minimum):
        body = client.get("/api/v1/statistics").json()
        page = client.get("/statistics/").content.decode()
    for table in body["tables"]:
        for row in [*table["rows"], table["total"]]:
            cells = [
                SUPPRESSED if row[c] is None else display(row[c], "usd" if c == "value" else "int")
                for c in ("stopped", "released", "denied", "pending", "value")
            ]
            expected = f'<th scope="row">{escape(row["label"])}</th>' + "".join(
                f'<td class="text-right">{escape(cell)}</td>' for cell in cells
            )
            assert expected in page, (table["dimension"], row["label"])
