"""Public API of the published orders: GET /api/v1/orders (JSON or CSV) and GET /api/v1/orders/{reference}."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from section307.core.api import choices, error_responses
from section307.core.errors import NotFound
from section307.orders.models import EnforcementOrder, OrderStatus, OrderType
from section307.orders.selectors import (
    PUBLIC_COLUMNS,
    PUBLIC_TYPES,
    public_order_history,
    public_order_list,
    public_order_row,
)

router = Router(tags=["orders"])

MAX_PAGE_SIZE = 500
MAX_PAGE = 100_000


class OrderOut(Schema):
    reference: str
    type: str = Field(json_schema_extra=choices([str(t.label) for t in OrderType if t.value in PUBLIC_TYPES]))
    status: str = Field(json_schema_extra=choices([str(label) for label in OrderStatus.labels]))
    effective_date: str
    country: str
    merchandise: str
    manufacturers: list[str]
    regions: list[str]


class OrderPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OrderOut]


class HistoryOut(Schema):
    event: str
    effective_date: str
    from_status: str
    to_status: str
    changed: list[str]


class OrderDetailOut(OrderOut):
    citation: str
    hts_prefixes: list[str]
    history: list[HistoryOut]


class OrderFilters(Schema):
    type: Literal["wro", "finding", ""] = ""
    status: Literal["active", "modified", "revoked", "inactive", ""] = ""
    country: str = Field("", max_length=2, pattern=r"^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2")
    q: str = Field("", max_length=200)
    since: dt.date | None = None
    # Bounded so the database offset stays a valid integer on every backend.
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE)
    format: Literal["json", "csv", ""] = ""


@router.get(
    "/orders",
    response={200: OrderPage, **error_responses(400, 422)},
    summary="Published Withhold Release Orders and Findings",
    description=(
        "The public list (date, merchandise, manufacturers, country, status, type), newest first. "
        "Filters: type (wro, finding), status, country (ISO alpha-2), q (text), since (effective on or after). "
        "JSON is paginated (page, page_size up to 500). For CSV of every matching order send "
        "`?format=csv` or `Accept: text/csv`."
    ),
    openapi_extra={
        "responses": {
            200: {
                "content": {"text/csv": {"schema": {"type": "string"}}},
                "description": "OK (JSON by default, CSV on request)",
            }
        }
    },
    auth=None,
)
def list_orders(request: HttpRequest, filters: Query[OrderFilters]) -> HttpResponse | dict[str, object]:
    qs = public_order_list(
        order_type=filters.type,
        status=filters.status,
        country=filters.country,
        query=filters.q,
        since=filters.since,
    )
    wants_csv = filters.format == "csv" or (
        filters.format != "json" and "text/csv" in request.headers.get("Accept", "")
    )
    if wants_csv:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="orders.csv"'
        writer = csv.writer(response)
        writer.writerow(PUBLIC_COLUMNS)
        for order in qs:
            row = public_order_row(order)
            writer.writerow([" | ".join(row[c]) if isinstance(row[c], list) else row[c] for c in PUBLIC_COLUMNS])
        return response
    count = qs.count()
    start = (filters.page - 1) * filters.page_size
    results = [public_order_row(o) for o in qs[start : start + filters.page_size]]
    return {"count": count, "page": filters.page, "page_size": filters.page_size, "results": results}


@router.get(
    "/orders/{reference}",
    response={200: OrderDetailOut, **error_responses(400, 404)},
    summary="One published order with its history",
    auth=None,
)
def get_order(request: HttpRequest, reference: str) -> dict[str, object]:
    order = (
        EnforcementOrder.objects.select_related("country")
        .prefetch_related("order_parties__party", "regions", "events")
        .filter(reference=reference, order_type__in=PUBLIC_TYPES)
        .first()
    )
    if order is None:
        raise NotFound("No published order with this reference")
    return {
        **public_order_row(order),
        "citation": order.citation,
        "hts_prefixes": list(order.hts_prefixes),
        "history": public_order_history(order),
    }


__all__ = ["OrderStatus", "router"]
