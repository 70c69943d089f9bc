from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from section307.orders.models import EnforcementOrder
from section307.parties.models import Party


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {}
    if request.user.has_perm("orders.view_enforcementorder"):
        context["order_counts"] = (
            EnforcementOrder.objects.values("order_type", "status").annotate(n=Count("id")).order_by("order_type")
        )
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
