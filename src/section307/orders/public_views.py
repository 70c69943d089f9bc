"""The public list of Withhold Release Orders and Findings (no sign-in), like CBP's published list."""

from __future__ import annotations

import csv
import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from section307.geo.models import Country
from section307.orders.models import EnforcementOrder, OrderStatus, OrderType
from section307.orders.selectors import (
    PUBLIC_COLUMNS,
    PUBLIC_TYPES,
    public_order_history,
    public_order_list,
    public_order_row,
)


def _filters(request: HttpRequest) -> dict[str, object]:
    since_raw = request.GET.get("since", "").strip()
    try:
        since = dt.date.fromisoformat(since_raw) if since_raw else None
    except ValueError:
        since = None
    status = request.GET.get("status", "")
    return {
        "order_type": request.GET.get("type", "") if request.GET.get("type", "") in PUBLIC_TYPES else "",
        "status": status if status in OrderStatus.values else "",
        "country": request.GET.get("country", "")[:2],
        "query": request.GET.get("q", "").strip()[:200],
        "since": since,
    }


def public_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    orders = public_order_list(**filters)  # type: ignore[arg-type]
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="orders.csv"'
        writer = csv.writer(response)
        writer.writerow(PUBLIC_COLUMNS)
        for order in orders:
            row = public_order_row(order)
            writer.writerow([row[c] if not isinstance(row[c], list) else " | ".join(row[c]) for c in PUBLIC_COLUMNS])
        return response
    page = Paginator(orders, 25).get_page(request.GET.get("page"))
    template = "orders/_public_rows.html" if request.htmx else "orders/public_list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "page": page,
            "filters": filters,
            "order_types": [(v, label) for v, label in OrderType.choices if v in PUBLIC_TYPES],
            "statuses": OrderStatus.choices,
            "countries": Country.objects.filter(
                code__in=EnforcementOrder.objects.filter(order_type__in=PUBLIC_TYPES).values("country")
            ),
            "querystring": request.GET.urlencode(),
        },
    )


def public_detail(request: HttpRequest, reference: str) -> HttpResponse:
    order = (
        EnforcementOrder.objects.select_related("country")
        .prefetch_related("order_parties__party__names", "regions", "goods", "events")
        .filter(reference=reference, order_type__in=PUBLIC_TYPES)
        .first()
    )
    if order is None:
        raise Http404("No such order")
    return render(request, "orders/public_detail.html", {"order": order, "history": public_order_history(order)})
