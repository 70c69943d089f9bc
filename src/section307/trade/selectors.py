"""Reads for the importer portal, filtered by organization (permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from section307.core.types import Actor
from section307.ports.models import Clock, Detention, Determination, Protest
from section307.trade.models import DETENTION_KINDS, TradeRequest
from section307.trade.permissions import requests_visible_to


def request_list(*, user: Actor) -> QuerySet[TradeRequest]:
    return requests_visible_to(user).select_related("detention__entry", "order")


def request_get(*, user: Actor, pk: int) -> TradeRequest | None:
    return (
        requests_visible_to(user)
        .select_related("detention__entry", "order", "organization")
        .prefetch_related("documents__uploaded_by", "versions__documents", "versions__submitted_by", "messages__author")
        .filter(pk=pk)
        .first()
    )


def requests_for_detention(*, user: Actor, detention: Detention) -> QuerySet[TradeRequest]:
    return (
        requests_visible_to(user)
        .filter(detention=detention)
        .prefetch_related("documents", "versions__documents", "messages__author")
    )


def hq_worklist(*, user: Actor) -> dict[str, Any]:
    """What headquarters reviewers must act on: packages and protests without a live determination,
    determinations awaiting a second reviewer, and UFLPA sec. 3(c) reports due."""
    live = [Determination.Status.AWAITING_CONCURRENCE, Determination.Status.EFFECTIVE]
    decided_requests = Determination.objects.filter(status__in=live, request_id__isnull=False).values("request_id")
    packages = (
        request_list(user=user)
        .filter(
            kind__in=DETENTION_KINDS,
            status__in=[TradeRequest.Status.SUBMITTED, TradeRequest.Status.INFO_REQUESTED],
            detention__status__in=[Detention.Status.DETAINED, Detention.Status.UNDER_REVIEW, Detention.Status.EXCLUDED],
        )
        .exclude(pk__in=decided_requests)
        .select_related("organization")
        .order_by("submitted_at", "pk")
    )
    protests = (
        Protest.objects.filter(status=Protest.Status.PENDING)
        .exclude(determinations__status=Determination.Status.AWAITING_CONCURRENCE)
        .select_related("entry", "organization")
        .order_by("filed_on", "pk")
    )
    awaiting = Determination.objects.filter(status=Determination.Status.AWAITING_CONCURRENCE).select_related(
        "detention__entry", "proposed_by"
    )
    reports = Clock.objects.filter(kind="congress_report", running=True).select_related("entry")
    return {"packages": packages, "protests": protests, "awaiting": awaiting, "reports": reports}


def packages_for_api(user: Actor, detention: Detention) -> list[dict[str, Any]]:
    """The importer's packages on a detention, for the detentions API (registered in TradeConfig.ready)."""
    return [
        {"id": r.pk, "kind": r.kind, "status": r.status}
        for r in requests_visible_to(user).filter(detention=detention).order_by("pk")
    ]


def hq_package_items(user: Actor, now: Any) -> list[Any]:
    """``core.queue`` provider: packages awaiting a headquarters determination (oldest first)."""
    from django.urls import reverse

    from section307.core.queue import WorkItem

    if not user.has_perm("ports.review_detention"):
        return []
    return [
        WorkItem(
            kind="hq.package",
            title=f"{p.get_kind_display()} #{p.pk} on entry {p.detention.entry.entry_number}",
            why="A package awaits headquarters' determination (19 CFR 12.44; UFLPA sec. 3(b); 22 U.S.C. 9241a(b))",
            url=reverse("hq:request", args=[p.pk]),
            due=None,
            rule="19 CFR 12.44",
            priority=5,
            ref=f"trade.traderequest:{p.pk}",
        )
        for p in hq_worklist(user=user)["packages"].select_related("detention__entry")
    ]
