"""Demo step: an importer's four-tier apparel chain (garment, fabric, yarn, cotton) with one ginner in Xinjiang."""

from __future__ import annotations

from typing import Any

DEMO_ROWS: list[dict[str, str]] = [
    {
        "supplier_name": "Saigon Stitch Garment Co., Ltd.",
        "supplier_country": "VN",
        "supplier_address": "Lot 7, Tan Thuan Export Processing Zone, Ho Chi Minh City",
        "supplier_id": "",
        "tier": "1",
        "buyer_name": "Harborline Apparel Imports LLC",
        "good": "Apparel",
        "hts": "6109.10",
        "share": "1",
        "custody_model": "segregated",
    },
    {
        "supplier_name": "Dong Nai Weaving Mill",
        "supplier_country": "VN",
        "supplier_address": "Bien Hoa Industrial Park 2, Dong Nai",
        "supplier_id": "",
        "tier": "2",
        "buyer_name": "Saigon Stitch Garment Co., Ltd.",
        "good": "Cotton fabric",
        "hts": "5208.12",
        "share": "1",
        "custody_model": "segregated",
    },
    {
        "supplier_name": "Jiangsu Evergreen Spinning Co., Ltd.",
        "supplier_country": "CN",
        "supplier_address": "88 Textile Road, Nantong, Jiangsu",
        "supplier_id": "",
        "tier": "3",
        "buyer_name": "Dong Nai Weaving Mill",
        "good": "Cotton yarn",
        "hts": "5205.11",
        "share": "0.7",
        "custody_model": "mass_balance",
    },
    {
        "supplier_name": "Gujarat Fine Yarns Pvt Ltd",
        "supplier_country": "IN",
        "supplier_address": "GIDC Estate, Ahmedabad, Gujarat",
        "supplier_id": "",
        "tier": "3",
        "buyer_name": "Dong Nai Weaving Mill",
        "good": "Cotton yarn",
        "hts": "5205.11",
        "share": "0.3",
        "custody_model": "segregated",
    },
    {
        "supplier_name": "Aksu Golden Field Cotton Ginnery",
        "supplier_country": "CN",
        "supplier_address": "Aksu Prefecture, Xinjiang Uyghur Autonomous Region",
        "supplier_id": "",
        "tier": "4",
        "buyer_name": "Jiangsu Evergreen Spinning Co., Ltd.",
        "good": "Cotton",
        "hts": "5201.00",
        "share": "0.4",
        "custody_model": "mass_balance",
    },
    {
        "supplier_name": "Texas Plains Cotton Gin",
        "supplier_country": "US",
        "supplier_address": "Lubbock, Texas",
        "supplier_id": "",
        "tier": "4",
        "buyer_name": "Jiangsu Evergreen Spinning Co., Ltd.",
        "good": "Cotton",
        "hts": "5201.00",
        "share": "0.6",
        "custody_model": "mass_balance",
    },
    {
        "supplier_name": "Gujarat Cotton Ginning Cooperative",
        "supplier_country": "IN",
        "supplier_address": "Rajkot, Gujarat",
        "supplier_id": "",
        "tier": "4",
        "buyer_name": "Gujarat Fine Yarns Pvt Ltd",
        "good": "Cotton",
        "hts": "5201.00",
        "share": "1",
        "custody_model": "identity_preserved",
    },
]


def demo_step(world: Any) -> None:
    from section307.supplychain.models import SupplyChainMap
    from section307.supplychain.services import map_import

    importer, _password = world.users["importer"]
    org = importer.organization
    if SupplyChainMap.objects.filter(organization=org, title="Cotton T-shirts, style 4471-B").exists():
        return
    map_import(actor=importer, organization=org, title="Cotton T-shirts, style 4471-B", rows=DEMO_ROWS)
    world.notes.append("Supply chains: Harborline's T-shirt map traces a Xinjiang ginner four tiers up.")
