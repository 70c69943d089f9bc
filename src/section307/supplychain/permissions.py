"""Who sees and edits supply-chain maps.

- A trade user sees and edits its own organization's maps, nobody else's.
- Analysts, supervisors, port officers and headquarters reviewers (``supplychain.view_all_maps``)
  read every map; an analyst who may work a case also edits the maps drafted in that case.
- Nobody else sees any map.
"""

from __future__ import annotations

from django.db.models import QuerySet

from section307.accounts.models import Organization
from section307.core.errors import NotPermitted
from section307.core.types import Actor, signed_in
from section307.ports.permissions import is_trade_user
from section307.supplychain.models import SupplyChainMap


def reads_all(user: Actor | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.has_perm("supplychain.view_all_maps")


def maps_visible_to(user: Actor, qs: QuerySet[SupplyChainMap] | None = None) -> QuerySet[SupplyChainMap]:
    qs = SupplyChainMap.objects.all() if qs is None else qs
    if reads_all(user):
        return qs
    if is_trade_user(user) and user.organization_id is not None:
        return qs.filter(organization_id=user.organization_id)
    return qs.none()


def can_view_map(user: Actor, chain_map: SupplyChainMap) -> bool:
    if reads_all(user):
        return True
    return is_trade_user(user) and chain_map.organization_id == user.organization_id


def can_edit_map(user: Actor, chain_map: SupplyChainMap) -> bool:
    if is_trade_user(user):
        return chain_map.organization_id is not None and chain_map.organization_id == user.organization_id
    if chain_map.case_id is not None and chain_map.organization_id is None:
        from section307.cases.permissions import can_work

        return bool(chain_map.case and can_work(user, chain_map.case))
    return False


def can_create_map(user: Actor | None) -> bool:
    return is_trade_user(user)


def own_organization(actor: Actor | None) -> Organization:
    """The acting trade user's organization, or NotPermitted (maps always belong to one)."""
    org = signed_in(actor).organization
    if org is None:
        raise NotPermitted("Only trade users of an organization work on supply-chain maps.")
    return org
