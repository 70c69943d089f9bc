"""Reads for the importer portal, filtered by organization (permissions.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from section307.ports.models import Detention
from section307.trade.models import TradeRequest
from section307.trade.permissions import requests_visible_to


def request_list(*, user: Any) -> QuerySet[TradeRequest]:
    return requests_visible_to(user).select_related("detention__entry", "order")


def request_get(*, user: Any, pk: int) -> TradeRequest | None:
    return (
        requests_visible_to(user)
        .select_related("detention__entry", "order", "organization")
        .prefetch_related("documents__uploaded_by", "versions__documents", "versions__submitted_by", "messages__author")
        .filter(pk=pk)
        .first()
    )


def requests_for_detention(*, user: Any, detention: Detention) -> QuerySet[TradeRequest]:
    return (
        requests_visible_to(user)
        .filter(detention=detention)
        .prefetch_related("documents", "versions__documents", "messages__author")
    )
