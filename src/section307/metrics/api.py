"""GET /api/v1/statistics: the public statistics page's figures as JSON (small cells withheld as null)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from section307.core.api import choices, error_body, error_responses
from section307.core.errors import InvalidInput
from section307.metrics import selectors
from section307.metrics.figures import StatRow
from section307.metrics.ratelimits import statistics_limited
from section307.ports.models import Regime

router = Router(tags=["statistics"])


class StatisticsQuery(Schema):
    fiscal_year: int | None = Field(None, ge=2000, le=2100, description="Federal fiscal year (October to September)")
    regime: str = Field("", json_schema_extra=choices(Regime, blank=True), description="WRO, Finding, UFLPA or CAATSA")


class StatRowOut(Schema):
    key: str
    label: str
    stopped: int | None = Field(description="Shipments stopped (detained); null when withheld")
    released: int | None
    denied: int | None = Field(description="Excluded, exported, seized or abandoned; null when withheld")
    pending: int | None
    value: float | None = Field(description="Value in US dollars; null when withheld")


class StatTableOut(Schema):
    dimension: str = Field(json_schema_extra=choices(selectors.PUBLIC_DIMENSIONS))
    title: str
    rows: list[StatRowOut]
    total: StatRowOut


class StatisticsOut(Schema):
    fiscal_year: int | None
    regime: str = Field(json_schema_extra=choices(Regime, blank=True))
    minimum_cell: int = Field(description="Counts from 1 to this minus one are withheld, with complementary cells")
    tables: list[StatTableOut]


def _row(row: StatRow) -> dict[str, Any]:
    out: dict[str, Any] = {"key": row.key, "label": row.label}
    for column in selectors.STAT_COLUMNS:
        value = getattr(row, column)
        out[column] = None if column in row.suppressed else (float(value) if column == "value" else int(value))
    return out


@router.get(
    "/statistics",
    response={200: StatisticsOut, **error_responses(400, 422, 429)},
    summary="Public enforcement statistics by fiscal year, quarter, country, industry, HTS heading and regime",
    description=(
        "Small counts are withheld (null). Limited per client (`METRICS_STATISTICS_RATE`, 60 a minute by"
        " default): over it the answer is 429 with `code` `rate_limited`."
    ),
    auth=None,
)
def statistics(request: HttpRequest, filters: Query[StatisticsQuery]) -> Any:
    if statistics_limited(request):
        return Status(429, error_body(429, "Too many requests for the statistics from this client. Try again later."))
    if filters.regime and filters.regime not in Regime.values:
        raise InvalidInput("Unknown regime.", field="regime")
    tables = selectors.statistics_tables(fiscal_year=filters.fiscal_year, regime=filters.regime)
    return {
        "fiscal_year": filters.fiscal_year,
        "regime": filters.regime,
        "minimum_cell": selectors.minimum_cell(),
        "tables": [
            {"dimension": t.dimension, "title": t.title, "rows": [_row(r) for r in t.rows], "total": _row(t.total)}
            for t in tables
        ],
    }
