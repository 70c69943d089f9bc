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


DEMO_CODE_OF_CONDUCT = (
    b"Harborline Apparel Imports LLC - Supplier Code of Conduct\n"
    b"1. No forced, bonded, prison or state-imposed labor at any tier.\n"
    b"2. Suppliers map their inputs back to the raw material and share the map on request.\n"
    b"3. Unannounced audits; findings remediated under a written plan with dated milestones.\n"
)


def diligence_step(world: Any) -> None:
    """Harborline's submitted self-assessment (version 1) and a remediation plan on the Xinjiang ginner."""
    import datetime as dt

    from django.utils import timezone

    from section307.supplychain import diligence_services as ds
    from section307.supplychain.models import Assessment, Node, RemediationPlan, SupplyChainMap

    importer, _password = world.users["importer"]
    org = importer.organization
    if Assessment.objects.filter(organization=org).exists():
        return
    chain_map = SupplyChainMap.objects.filter(organization=org, title="Cotton T-shirts, style 4471-B").first()
    draft = ds.assessment_draft(actor=importer)
    answers: list[tuple[str, str, str, dict[str, Any]]] = [
        ("cbp_engage", "partial", "Annual supplier meetings with tier 1 and 2; no worker voice channel yet.", {}),
        ("cbp_assess", "in_place", "Every style is mapped to the raw material and screened.", {"map": True}),
        (
            "cbp_code",
            "in_place",
            "Supplier code of conduct signed by every tier-1 supplier.",
            {"document": DEMO_CODE_OF_CONDUCT},
        ),
        ("cbp_train", "partial", "Buyers trained; supplier training starts next season.", {}),
        ("cbp_monitor", "partial", "Tier-1 audits; tiers 2-4 by questionnaire only.", {}),
        ("cbp_remediate", "in_place", "Remediation plans with dated milestones.", {}),
        ("oecd_embed", "in_place", "Board-approved responsible sourcing policy.", {}),
        ("oecd_identify", "in_place", "Upstream risk screened on every map.", {"map": True}),
        ("oecd_cease", "partial", "Xinjiang-origin cotton being phased out of the spinner's lots.", {}),
    ]
    for element, status, narrative, extra in answers:
        ds.answer_save(
            actor=importer,
            assessment=draft,
            element=element,
            status=status,
            narrative=narrative,
            map_id=chain_map.pk if chain_map and extra.get("map") else None,
            document=extra.get("document"),
            document_name="code-of-conduct.txt" if extra.get("document") else "",
        )
    ds.assessment_submit(actor=importer, assessment=draft)
    if chain_map is None or RemediationPlan.objects.filter(organization=org).exists():
        return
    ginner = Node.objects.filter(map=chain_map, name="Aksu Golden Field Cotton Ginnery").first()
    plan = ds.plan_create(
        actor=importer,
        title="Remove Xinjiang cotton from the 4471-B yarn",
        description="The Jiangsu spinner mixes Aksu cotton under mass balance; move the style to segregated lots.",
        map_id=chain_map.pk,
        node_id=ginner.pk if ginner else None,
    )
    today = timezone.localdate()
    ds.milestone_add(
        actor=importer, plan=plan, title="Spinner confirms segregated lots", due_date=today - dt.timedelta(days=3)
    )
    ds.milestone_add(
        actor=importer, plan=plan, title="Isotopic test of the finished garment", due_date=today + dt.timedelta(days=45)
    )
    world.notes.append(
        "Supply chains: Harborline's due-diligence assessment v1 is submitted; its remediation plan has an overdue "
        "milestone in the importer's work queue."
    )
