from __future__ import annotations

import logging

from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

from section307.core.words import choice_label
from section307.orders.models import EnforcementOrder, OrderStatus, OrderType
from section307.parties.models import Party


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {}
    if request.user.has_perm("orders.view_enforcementorder"):
        rows = EnforcementOrder.objects.values("order_type", "status").annotate(n=Count("id")).order_by("order_type")
        # The people reading the table get the choice labels, never the stored codes.
        context["order_counts"] = [
            {
                "order_type": choice_label(OrderType, row["order_type"]),
                "status": choice_label(OrderStatus, row["status"]),
                "n": row["n"],
            }
            for row in rows
        ]
        context["party_count"] = Party.objects.count()
    return render(request, "core/home.html", context)


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    response = render(request, "core/ratelimited.html", status=429)
    response["Retry-After"] = "60"
    return response


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not hasattr(request, "user"):
        # Refused before authentication ran (a disallowed host, for one): no per-user context.
        return HttpResponse(render_to_string("400.html"), status=400)
    return render(request, "400.html", status=400)


def handler500(request: HttpRequest) -> HttpResponse:
    # Render without the request's context processors: whatever failed may be among them.
    try:
        return HttpResponseServerError(render_to_string("500.html"))
    except Exception:  # the styled page itself failed: fall back to plain text
        logging.getLogger(__name__).exception("500.html could not be rendered")
        return HttpResponseServerError("Server error. The problem has been logged.", content_type="text/plain")
