"""Demo step: a postal manifest with parcels from a listed seller, grouped and detained in one detention.

The listed seller's parcels go to the demo importer (sample orders of a business), so the detention
is the importer's in the importer portal (``services.importer_of``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def demo_step(world: Any) -> None:
    from section307.parcels import services
    from section307.parcels.models import ParcelGroup

    officer = world.users["officer"][0]
    order = next(
        (o for o in world.orders.values() if o.is_enforced and o.order_parties.exists()),
        None,
    )
    if order is None:
        return
    listed = order.order_parties.select_related("party").first().party.name
    today = timezone.localdate()
    presented = today - dt.timedelta(days=2)
    rows: list[dict[str, Any]] = []
    consignees = ["A. Rivera", "B. Chen", "C. Okafor", "D. Novak"]
    importer = world.orgs.get("harborline")
    buyer = importer.name if importer is not None else consignees[0]
    for i in range(12):
        rows.append(
            {
                "tracking_number": f"LX{400000100 + i}CN",
                "master_bill": "PO-DEMO-0001",
                "seller": listed if i % 3 else listed.upper(),
                "seller_address": "",
                "shipper": "Demo Postal Consolidator",
                "consignee": buyer,
                "consignee_address": "Long Beach, CA",
                "description": ["cotton T-shirt", "纯棉T恤", "camiseta de algodón"][i % 3],
                "value_usd": "14.90",
                "quantity": "1",
                "hts": "6109.10",
                "origin_country": "CN",
            }
        )
    for i in range(20):
        rows.append(
            {
                "tracking_number": f"LX{400000200 + i}US",
                "seller": f"Demo Garden Shop {i % 4}",
                "shipper": "Demo Postal Consolidator",
                "consignee": consignees[i % len(consignees)],
                "description": "ceramic plant pot",
                "value_usd": "9.00",
                "origin_country": "PT",
            }
        )
    rows.append({"tracking_number": "LX400000299US", "consignee": "E. Smith", "description": "mug", "value_usd": "x"})
    manifest = services.manifest_receive(
        actor=officer, source="postal", carrier="Demo Postal Service", presented_on=presented, port="2704", rows=rows
    )
    manifest = services.manifest_process(manifest=manifest, rows=rows)
    group = (
        manifest.groups.filter(status=ParcelGroup.Status.PENDING, order__isnull=False).order_by("-parcel_count").first()
    )
    if group is not None:
        services.group_detain(
            actor=officer,
            group=group,
            reason="Parcels from a seller named in the order, with cotton apparel from the order's scope.",
        )
    world.notes.append(f"Parcels: manifest {manifest.pk} with {manifest.rows_stored} parcels, {manifest.hits} hits")
