"""Who sees and edits supply-chain maps.

- A trade user sees and edits its own organization's maps, nobody else's.
- Analysts, supervisors, port officers and headquarters reviewers (``supplychain.view_all_maps``)
  read every map; an analyst who may work a case also edits the maps drafted in that case.
- Nobody else sees any map.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from section307.ports.permissions import is_trade_user
from section307.supplychain.models import SupplyChainMap


def reads_all(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("supplychain.view_all_maps"))


def maps_visible_to(user: Any, qs: QuerySet[SupplyChainMap] | None = None) -> QuerySet[SupplyChainMap]:
    qs = SupplyChainMap.objects.all() if qs is None else qs
    if reads_all(user):
        return qs
    if is_trade_user(user) and user.organization_id is not None:
        return qs.filter(organization_id=user.organization_id)
    return qs.none()


def can_view_map(user: Any, chain_map: SupplyChainMap) -> bool:
    if reads_all(user):
        return True
    return is_trade_user(user) and chain_map.organization_id == user.organization_id


def can_edit_map(user: Any, chain_map: SupplyChainMap) -> bool:
    if is_trade_user(user):
        return chain_map.organization_id is not None and chain_map.organization_id == user.organization_id
    if chain_map.case_id is not None and chain_map.organization_id is None:
        from section307.cases.permissions import can_work

        return bool(chain_map.case and can_work(user, chain_map.case))
    return False


def can_create_map(user: Any) -> bool:
    return is_trade_user(user)
