"""Writes to the order registry. Each function is one transaction and leaves an audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from section307.core.audit import audit_record
from section307.core.types import Actor, account
from section307.geo.models import Country, Region
from section307.goods.models import Good
from section307.orders.lifecycle import EVENT_FOR_TRANSITION, ORDER_LIFECYCLE, require_issuer, require_publisher
from section307.orders.models import (
    EnforcementOrder,
    OrderEvent,
    OrderParty,
    OrderSource,
    OrderStatus,
    OrderType,
)
from section307.parties.models import Party

_PREFIX = {
    OrderType.WRO: "WRO",
    OrderType.FINDING: "FND",
    OrderType.UFLPA_ENTITY: "UEL",
    OrderType.UFLPA_REGION: "UFR",
    OrderType.CAATSA: "CAA",
}

# Fields compared when a list is reloaded; a change in any of them is recorded in the history.
TRACKED_FIELDS = (
    "merchandise",
    "industry",
    "country_id",
    "effective_date",
    "citation",
    "press_release_url",
    "remarks",
    "legal_basis",
    "hts_prefixes",
    "country_wide",
    "fr_citation",
    "fr_published_on",
    "cb_citation",
    "cb_published_on",
    "labor_type",
)


@dataclass(frozen=True)
class ScopedParty:
    party: Party
    qualifiers: Sequence[str] = field(default_factory=tuple)


def order_next_reference(*, order_type: str, year: int) -> str:
    prefix = f"{_PREFIX[OrderType(order_type)]}-{year}-"
    taken = EnforcementOrder.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(r.rsplit("-", 1)[1]) for r in taken if r.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _set_parties(order: EnforcementOrder, parties: Iterable[ScopedParty]) -> None:
    OrderParty.objects.filter(order=order).delete()
    OrderParty.objects.bulk_create(
        [
            OrderParty(order=order, party=sp.party, qualifiers=list(sp.qualifiers), position=i)
            for i, sp in enumerate(parties)
        ]
    )


@transaction.atomic
def order_create(
    *,
    actor: Actor | None,
    order_type: str,
    merchandise: str,
    effective_date: dt.date | None,
    country: Country | None = None,
    status: str = OrderStatus.ACTIVE,
    industry: str = "",
    citation: str = "",
    press_release_url: str = "",
    remarks: str = "",
    legal_basis: str = "",
    parties: Iterable[ScopedParty] = (),
    regions: Iterable[Region] = (),
    goods: Iterable[Good] = (),
    hts_prefixes: Sequence[str] = (),
    country_wide: bool = False,
    source: str = OrderSource.MANUAL,
    source_key: str = "",
    reference: str = "",
    note: str = "",
    publication: dict[str, Any] | None = None,
    labor_type: str = "",
) -> EnforcementOrder:
    require_issuer(actor)
    year = (effective_date or timezone.now().date()).year
    order = EnforcementOrder(
        reference=reference or order_next_reference(order_type=order_type, year=year),
        order_type=order_type,
        status=status,
        merchandise=merchandise,
        industry=industry,
        country=country,
        effective_date=effective_date,
        citation=citation,
        press_release_url=press_release_url,
        remarks=remarks,
        legal_basis=legal_basis,
        source=source,
        source_key=source_key,
        hts_prefixes=list(hts_prefixes),
        country_wide=country_wide,
        labor_type=labor_type,
        **(publication or {}),
    )
    order.full_clean()
    order.save()
    _set_parties(order, parties)
    order.regions.set(list(regions))
    order.goods.set(list(goods))
    OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.ISSUED,
        effective_date=effective_date,
        to_status=status,
        note=note,
        source=source,
        actor=account(actor),
    )
    audit_record(actor=actor, action="order.create", target=order, data={"source": source})
    return order


@transaction.atomic
def order_transition(
    *,
    actor: Actor | None,
    order: EnforcementOrder,
    transition: str,
    effective_date: dt.date | None = None,
    note: str = "",
    source: str = OrderSource.MANUAL,
) -> EnforcementOrder:
    """Move an order along its lifecycle (modify, revoke, inactivate, reinstate) and keep the record."""
    order = EnforcementOrder.objects.select_for_update().get(pk=order.pk)
    step = ORDER_LIFECYCLE.check(transition, state=order.status, actor=actor)
    previous = order.status
    order.status = step.target
    order.save(update_fields=["status", "updated_at"])
    OrderEvent.objects.create(
        order=order,
        kind=EVENT_FOR_TRANSITION[step.name],
        effective_date=effective_date or timezone.now().date(),
        from_status=previous,
        to_status=order.status,
        note=note,
        source=source,
        actor=account(actor),
    )
    audit_record(
        actor=actor,
        action=f"order.{step.name}",
        target=order,
        data={"from": previous, "to": order.status, "note": note},
    )
    return order


@transaction.atomic
def order_update(
    *,
    actor: Actor | None,
    order: EnforcementOrder,
    data: dict[str, Any],
    parties: Sequence[ScopedParty] | None = None,
    regions: Sequence[Region] | None = None,
    note: str = "",
    source: str = OrderSource.MANUAL,
) -> dict[str, list[Any]]:
    """Change an order's details; returns {field: [old, new]} and records it when anything changed."""
    require_publisher(actor)
    changes: dict[str, list[Any]] = {}
    for name, value in data.items():
        if name not in TRACKED_FIELDS:
            raise ValueError(f"order field {name!r} cannot be changed here")
        old = getattr(order, name)
        if old != value:
            changes[name] = [_json_value(old), _json_value(value)]
            setattr(order, name, value)
    if parties is not None:
        old_parties = [(op.party_id, sorted(op.qualifiers)) for op in order.order_parties.order_by("position")]
        new_parties = [(sp.party.pk, sorted(sp.qualifiers)) for sp in parties]
        if old_parties != new_parties:
            changes["parties"] = [
                [op.party.name for op in order.order_parties.select_related("party")],
                [sp.party.name for sp in parties],
            ]
            _set_parties(order, parties)
    if regions is not None:
        old_regions = sorted(order.regions.values_list("code", flat=True))
        new_regions = sorted(r.code for r in regions)
        if old_regions != new_regions:
            changes["regions"] = [old_regions, new_regions]
            order.regions.set(list(regions))
    if not changes:
        return changes
    order.full_clean()
    order.save()
    OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.AMENDED,
        effective_date=timezone.now().date(),
        from_status=order.status,
        to_status=order.status,
        changes=changes,
        note=note,
        source=source,
        actor=account(actor),
    )
    audit_record(actor=actor, action="order.update", target=order, data={"changes": changes})
    return changes
