"""Demo allegations, submitted through the same services as real ones. Fictional; idempotent.

Each demo allegation has a fixed receipt code (derived from the demo seed) so a tester can follow it
up; real allegations never get a chosen code.
"""

from __future__ import annotations

import random
from typing import Any

from section307.allegations import services
from section307.allegations.inputs import AllegationInput, IdentityInput, IndicatorInput, NamedPartyInput
from section307.allegations.models import Allegation, AllegationStatus
from section307.allegations.receipts import ALPHABET, LENGTH, receipt_digest, receipt_display

SPECS: list[dict[str, Any]] = [
    {
        "key": "tianshan-apparel",
        "input": AllegationInput(
            reasons=(
                "I worked for eight months at the sewing floor of Tianshan Harvest Textile in Aksu. Workers "
                "transferred from southern Xinjiang under a labour programme could not leave the dormitory compound "
                "without a pass, our identity cards were collected on arrival, and wages were paid into accounts "
                "controlled by the company. Political classes were held every evening after a 12-hour shift."
            ),
            source_type="worker_testimony",
            merchandise=(
                "Knitted cotton T-shirts and polo shirts, men's and women's, sold in plain colours; hang tags for "
                "several US brands were attached on the line before packing."
            ),
            hts_code="6109.10",
            industry="apparel",
            sample_available=False,
            country="CN",
            region_text="Aksu, Xinjiang",
            supply_chain_stage="manufacturing",
            importers_brands="Harborline Apparel Imports LLC (seen on carton labels)",
            shipment_refs=[("container", "TGHU 123456 7")],
            parties=[
                NamedPartyInput("manufacturer", "Tianshan Harvest Textile Co., Ltd.", "88 Jiefang Road, Aksu", "CN"),
                NamedPartyInput("supplier", "天山丰收(阿克苏)纺纱有限公司", "Aksu Industrial Park", "CN"),
            ],
            indicators=[
                IndicatorInput("restriction_of_movement", "A pass was needed to leave the dormitory compound."),
                IndicatorInput("retention_of_documents", "Identity cards were collected on arrival and not returned."),
                IndicatorInput("withholding_of_wages", "Wages went to company-controlled bank cards."),
                IndicatorInput(
                    "intimidation_threats", "Workers who refused overtime were told their families would be visited."
                ),
            ],
            language="zh-hans",
        ),
    },
    {
        "key": "borneo-palm",
        "input": AllegationInput(
            reasons=(
                "Our 2025 field research interviewed 41 harvesters on three estates of Borneo Crest Plantations in "
                "Sabah. Most were recruited from Indonesia and paid recruitment fees of 3 to 5 months' wages, "
                "deducted from pay; passports were held by estate management 'for safekeeping'."
            ),
            source_type="research_report",
            source_details="Field report 'Harvest of Debt', November 2025, with anonymised interview transcripts.",
            merchandise="Crude palm oil and palm kernel oil shipped from Sandakan.",
            hts_code="1511.10",
            industry="agriculture",
            sample_available=False,
            country="MY",
            region_text="Sandakan, Sabah",
            supply_chain_stage="raw_material",
            importers_brands="Refineries supplying US food manufacturers",
            parties=[
                NamedPartyInput(
                    "manufacturer", "Borneo Crest Plantations Sdn. Bhd.", "Lot 12, Jalan Labuk, Sandakan", "MY"
                )
            ],
            indicators=[
                IndicatorInput("debt_bondage", "Recruitment fees of 3 to 5 months' wages deducted from pay."),
                IndicatorInput("retention_of_documents", "Passports held by estate management."),
                IndicatorInput("excessive_overtime", "Harvest quotas required 11-hour days, 7 days a week."),
            ],
            identity=IdentityInput(name="Mira Santos", organization="Fair Harvest Watch", email="mira@example.org"),
            contact_allowed=True,
            contact_method="email",
            language="en",
        ),
        "ask": "Can you share the estate names and the months when the interviews took place?",
    },
    {
        "key": "silverline-polysilicon",
        "input": AllegationInput(
            reasons=(
                "A local news report and provincial government notices describe 'surplus labour transfer' workers "
                "assigned to the Silverline polysilicon plant in Shihezi, with military-style management."
            ),
            source_type="media",
            merchandise="Polysilicon chunks used to make solar wafers.",
            hts_code="2804.61",
            industry="energy",
            country="CN",
            region_text="Shihezi, Xinjiang",
            supply_chain_stage="processing",
            parties=[NamedPartyInput("manufacturer", "Silverline Polysilicon Materials Co., Ltd.", "", "CN")],
            indicators=[IndicatorInput("abuse_of_vulnerability", "Workers from rural households assigned by quota.")],
            language="en",
        ),
        "triage": True,
    },
    {
        "key": "selangor-gloves",
        "input": AllegationInput(
            reasons=(
                "An audit summary leaked to us shows migrant workers at a glove factory in Klang owed recruitment "
                "debts and had passports retained, and that remediation was not completed."
            ),
            source_type="audit",
            merchandise="Disposable nitrile examination gloves.",
            hts_code="4015.19",
            industry="rubber_plastics",
            country="MY",
            region_text="Klang, Selangor",
            supply_chain_stage="manufacturing",
            parties=[NamedPartyInput("manufacturer", "Selangor Nitrile Industries Berhad", "", "MY")],
            indicators=[IndicatorInput("debt_bondage", "Recruitment debts recorded in the audit.")],
            language="es",
        ),
        "close": "already_covered",
    },
]


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(LENGTH))


def build_allegations(world: Any) -> None:
    analyst = world.users.get("analyst", (None, ""))[0]
    rng = random.Random(f"allegations-{world.seed}")
    for spec in SPECS:
        code = _code(rng)
        digest = receipt_digest(code)
        if not Allegation.objects.filter(receipt_digest=digest).exists():
            allegation, _issued = services.allegation_submit(actor=None, data=spec["input"])
            # Demo only: replace the random receipt with the seeded one so testers can follow up.
            Allegation.objects.filter(pk=allegation.pk).update(receipt_digest=digest)
            allegation.refresh_from_db()
            if analyst is not None:
                if spec.get("ask"):
                    services.allegation_ask(actor=analyst, allegation=allegation, question=spec["ask"])
                if spec.get("triage"):
                    services.allegation_start_triage(actor=analyst, allegation=allegation)
                if spec.get("close"):
                    services.allegation_close(actor=analyst, allegation=allegation, reason=spec["close"])
        allegation = Allegation.objects.get(receipt_digest=digest)
        status = AllegationStatus(allegation.status).label
        world.notes.append(f"  allegation {allegation.reference:15} receipt {receipt_display(code)}  ({status})")
