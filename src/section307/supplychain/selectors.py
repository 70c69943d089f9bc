"""Reads of supply-chain maps, always through the visibility rules of ``permissions``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from section307.core.errors import NotFound
from section307.core.types import Actor
from section307.supplychain.models import RiskLevel, SupplyChainMap
from section307.supplychain.permissions import can_view_map, maps_visible_to, reads_all
from section307.supplychain.risk import RiskPath, risk_paths


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


# A case page shows at most this many maps and risky paths per map; the map page shows them all.
CASE_MAPS_SHOWN = 10
CASE_PATHS_SHOWN = 3


@dataclass
class CaseMap:
    map: SupplyChainMap
    level: str
    paths: list[RiskPath]
    more_paths: int

    @property
    def level_label(self) -> str:
        return str(RiskLevel(self.level).label)

    @property
    def labelled_paths(self) -> list[tuple[RiskPath, str]]:
        return [(p, str(RiskLevel(p.level).label)) for p in self.paths]


def case_maps_summary(*, user: Actor, case: Any) -> list[CaseMap] | None:
    """The supplier maps filed in a case, each with its level and its first risky paths (most serious
    first), for the case page's Supply chain tab; None for a reader of the case who reads no maps
    (a partner agency)."""
    if not reads_all(user):
        return None
    summaries = []
    for chain_map in (
        maps_of_case(user=user, case=case).select_related("organization").order_by("-id")[:CASE_MAPS_SHOWN]
    ):
        level, paths = risk_paths(chain_map)
        summaries.append(CaseMap(chain_map, level, paths[:CASE_PATHS_SHOWN], max(0, len(paths) - CASE_PATHS_SHOWN)))
    return summaries
