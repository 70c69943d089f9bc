"""Staff views of the registry: orders with their scope and history, parties with their names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from section307.core.audit import audit_trail
from section307.geo.models import Country
from section307.orders.lifecycle import ORDER_LIFECYCLE
from section307.orders.models import EnforcementOrder, OrderStatus, OrderType
from section307.orders.selectors import order_list as select_orders
from section307.parties.models import Party

# Other contexts add a section to the order page: a callable (user, order) -> (template, context) or None.
OrderSection = Callable[[Any, EnforcementOrder], "tuple[str, dict[str, Any]] | None"]
ORDER_PAGE_SECTIONS: list[OrderSection] = []


@login_required
@permission_required("orders.view_enforcementorder", raise_exception=True)
def order_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "order_type": request.GET.get("type", ""),
        "status": request.GET.get("status", ""),
        "country": request.GET.get("country", ""),
        "query": request.GET.get("q", "").strip(),
    }
    page = Paginator(select_orders(**filters), 25).get_page(request.GET.get("page"))
    template = "orders/_order_rows.html" if request.htmx else "orders/order_list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "page": page,
            "filters": filters,
            "order_types": OrderType.choices,
            "statuses": OrderStatus.choices,
            "countries": Country.objects.filter(code__in=EnforcementOrder.objects.values("country")),
        },
    )


@login_required
@permission_required("orders.view_enforcementorder", raise_exception=True)
def order_detail(request: HttpRequest, reference: str) -> HttpResponse:
    order = get_object_or_404(
        EnforcementOrder.objects.select_related("country").prefetch_related(
            "order_parties__party__names", "regions", "goods__hts_codes", "events__actor"
        ),
        reference=reference,
    )
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "transitions": ORDER_LIFECYCLE.available(order.status, request.user),
            "audit": audit_trail(order)[:50],
            "sections": [s for s in (section(request.user, order) for section in ORDER_PAGE_SECTIONS) if s],
        },
    )


@login_required
@permission_required("parties.view_party", raise_exception=True)
def party_detail(request: HttpRequest, pk: int) -> HttpResponse:
    party = get_object_or_404(
        Party.objects.select_related("country", "region").prefetch_related(
            "names", "addresses", "identifiers", "child_links__child", "parent_links__parent", "order_links__order"
        ),
        pk=pk,
    )
    return render(request, "orders/party_detail.html", {"party": party})
