"""Reads of the order registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from section307.orders.models import ENFORCED_STATUSES, EnforcementOrder, OrderEvent, OrderParty
from section307.parties.models import Party

EXPORT_COLUMNS = [
    "order_id",
    "order_type",
    "status",
    "effective_date",
    "country",
    "merchandise",
    "party_name",
    "aliases",
    "qualifiers",
]


def order_list(
    *,
    order_type: str = "",
    status: str = "",
    country: str = "",
    query: str = "",
) -> QuerySet[EnforcementOrder]:
    qs = EnforcementOrder.objects.select_related("country").prefetch_related(
        Prefetch("order_parties", queryset=OrderParty.objects.select_related("party")), "regions"
    )
    if order_type:
        qs = qs.filter(order_type=order_type)
    if status:
        qs = qs.filter(status=status)
    if country:
        qs = qs.filter(country_id=country.upper())
    if query:
        qs = qs.filter(
            Q(merchandise__icontains=query)
            | Q(reference__icontains=query)
            | Q(parties__names__name__icontains=query)
            | Q(parties__name__icontains=query)
        ).distinct()
    return qs


def orders_enforced() -> QuerySet[EnforcementOrder]:
    return order_list().filter(status__in=ENFORCED_STATUSES)


def order_export_rows() -> Iterator[dict[str, Any]]:
    """Every order with its parties, one row per party (an order with no named party gets one row)."""
    orders = (
        EnforcementOrder.objects.select_related("country")
        .prefetch_related(
            Prefetch(
                "order_parties",
                queryset=OrderParty.objects.select_related("party").prefetch_related("party__names"),
            )
        )
        .order_by("effective_date", "reference")
    )
    for order in orders:
        base = {
            "order_id": order.reference,
            "order_type": order.order_type,
            "status": order.status,
            "effective_date": order.effective_date.isoformat() if order.effective_date else "",
            "country": order.country_id or "",
            "merchandise": order.merchandise,
        }
        links = list(order.order_parties.all())
        if not links:
            yield {**base, "party_name": "", "aliases": "", "qualifiers": ""}
        for link in links:
            yield {
                **base,
                "party_name": link.party.name,
                "aliases": " | ".join(link.party.aliases()),
                "qualifiers": " | ".join(link.qualifiers),
            }


# The published list: WROs and Findings, like CBP's list (other order types are screening data).
PUBLIC_TYPES = ("wro", "finding")
PUBLIC_COLUMNS = ["reference", "type", "status", "effective_date", "country", "merchandise", "manufacturers", "regions"]


def public_order_list(
    *,
    order_type: str = "",
    status: str = "",
    country: str = "",
    query: str = "",
    since: Any = None,
) -> QuerySet[EnforcementOrder]:
    """Orders a public visitor may see, with the filters of the public page and API."""
    qs = order_list(
        order_type=order_type if order_type in PUBLIC_TYPES else "", status=status, country=country, query=query
    ).filter(order_type__in=PUBLIC_TYPES)
    if since is not None:
        qs = qs.filter(effective_date__gte=since)
    return qs.order_by("-effective_date", "-reference")


def public_order_row(order: EnforcementOrder) -> dict[str, Any]:
    return {
        "reference": order.reference,
        "type": order.get_order_type_display(),
        "status": order.get_status_display(),
        "effective_date": order.effective_date.isoformat() if order.effective_date else "",
        "country": order.country.name if order.country else "",
        "merchandise": order.merchandise,
        "manufacturers": [link.party.name for link in order.order_parties.all()],
        "regions": [r.name for r in order.regions.all()],
    }


def public_order_history(order: EnforcementOrder) -> list[dict[str, Any]]:
    # Internal notes and the people who acted stay out of the public record.
    return [
        {
            "event": event.get_kind_display(),
            "effective_date": event.effective_date.isoformat() if event.effective_date else "",
            "from_status": event.from_status,
            "to_status": event.to_status,
            "changed": sorted(event.changes),
        }
        for event in order.events.all()
    ]


def public_version() -> tuple[object, ...]:
    """Changes whenever anything the public order pages show changes (a few indexed aggregates)."""
    orders = EnforcementOrder.objects.aggregate(m=Max("updated_at"), n=Count("id"))
    return (
        orders["m"],
        orders["n"],
        OrderEvent.objects.aggregate(m=Max("id"))["m"],
        tuple(OrderParty.objects.aggregate(m=Max("id"), n=Count("id")).values()),
        Party.objects.aggregate(m=Max("updated_at"))["m"],
    )
