"""Reads of supply-chain maps, always through the visibility rules of ``permissions``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from section307.core.errors import NotFound
from section307.core.types import Actor
from section307.supplychain.models import SupplyChainMap
from section307.supplychain.permissions import can_view_map, maps_visible_to


def maps_for(user: Actor) -> QuerySet[SupplyChainMap]:
    return (
        maps_visible_to(user)
        .select_related("organization", "good", "case")
        .annotate(node_count=Count("nodes", distinct=True))
        .order_by("-created_at", "-id")
    )


def map_get(*, user: Actor, pk: int) -> SupplyChainMap:
    """The map if the user may see it; otherwise NotFound (a map of another organization is not confirmed to exist)."""
    found = SupplyChainMap.objects.select_related("organization", "good", "case").filter(pk=pk).first()
    if found is None or not can_view_map(user, found):
        raise NotFound("No such supply-chain map.")
    return found


def maps_of_case(*, user: Actor, case: Any) -> QuerySet[SupplyChainMap]:
    return maps_visible_to(user).filter(case=case)
