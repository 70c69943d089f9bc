"""Demo step: a palm-oil case in phase 2 with tasks, a draft supply-chain map and tagged evidence."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps
from django.utils import timezone

from section307.cases.ilo import Indicator, Strength
from section307.cases.models import Case, CaseParty, CaseTemplate, Evidence

DEMO_TITLE = "Palm oil from Sabah estates: recruitment debt and retained passports"


def _png(text: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 200), (238, 238, 238))
    ImageDraw.Draw(image).text((20, 90), text, fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def demo_cases(world: Any) -> None:
    from section307.cases import services

    if Case.objects.filter(title=DEMO_TITLE).exists():
        return
    analyst = world.users["analyst"][0]
    analyst2 = world.users["analyst2"][0]
    parties, goods = world.parties, world.goods
    from section307.geo.models import Country

    opened = timezone.localdate() - dt.timedelta(days=40)
    case = services.case_create(
        actor=analyst,
        title=DEMO_TITLE,
        template=CaseTemplate.objects.filter(is_active=True).order_by("id").first(),
        origin=Case.Origin.TIP,
        summary="Workers on estates supplying a Sabah mill report recruitment fees repaid from wages and "
        "passports held by supervisors.",
        priority=Case.Priority.HIGH,
        risk_rating=Case.Risk.HIGH,
        team=[analyst2],
        goods=[goods["Palm oil"]],
        countries=[Country.objects.get(code="MY")],
        hts_prefixes=["1511"],
        opened_on=opened,
    )
    producer = services.case_party_add(
        actor=analyst, case=case, party=parties["borneo"], role=CaseParty.Role.PRODUCER, tier=2
    )
    services.case_party_add(
        actor=analyst,
        case=case,
        party=parties["alnoor"],
        role=CaseParty.Role.SUPPLIER,
        tier=1,
        is_target=False,
        notes="Trader named on bills of lading",
    )
    trader = CaseParty.objects.get(case=case, party=parties["alnoor"])
    services.case_party_add(
        actor=analyst, case=case, party=parties["borneo"], role=CaseParty.Role.PRODUCER, tier=2, supplies_to=trader
    )
    services.case_transition(actor=analyst, case=case, transition="begin_research")
    for task in case.tasks.filter(phase="initiation"):
        services.task_complete(actor=analyst, task=task)

    testimony = services.evidence_add(
        actor=analyst,
        case=case,
        file=io.BytesIO(
            b"Interview note, 12 workers (translated).\n"
            b"Recruitment fee of 4,000 ringgit deducted monthly; passports kept in the estate office;\n"
            b"workers told they would be reported to immigration if they left.\n"
        ),
        filename="interview-note.txt",
        kind=Evidence.Kind.TESTIMONY,
        title="Worker interviews, Sandakan district",
        source="NGO partner field team",
        reliability="B",
        date_obtained=opened + dt.timedelta(days=5),
        origin=Evidence.Origin.DEMO,
    )
    services.evidence_tag(actor=analyst, evidence=testimony, indicator=Indicator.DEBT, strength=Strength.STRONG)
    services.evidence_tag(actor=analyst, evidence=testimony, indicator=Indicator.DOCUMENTS, strength=Strength.STRONG)
    services.evidence_tag(actor=analyst, evidence=testimony, indicator=Indicator.THREATS, strength=Strength.MODERATE)
    photo = services.evidence_add(
        actor=analyst,
        case=case,
        file=io.BytesIO(_png("Worker housing, estate block C (demo image)")),
        filename="housing.png",
        kind=Evidence.Kind.PHOTO,
        title="Photo of worker housing",
        source="NGO partner field team",
        reliability="C",
        date_obtained=opened + dt.timedelta(days=6),
        origin=Evidence.Origin.DEMO,
    )
    services.evidence_tag(actor=analyst, evidence=photo, indicator=Indicator.CONDITIONS, strength=Strength.MODERATE)
    services.evidence_annotate(actor=analyst, evidence=photo, body="Roughly 20 beds per room; no cooking area.")

    # Link a demo allegation when the allegations app has one to offer.
    if not django_apps.is_installed("section307.allegations"):
        return
    from section307.allegations.models import Allegation, AllegationStatus

    open_states = [AllegationStatus.NEW, AllegationStatus.IN_TRIAGE, AllegationStatus.INFO_REQUESTED]
    # The demo allegation about the same estates (it names the producer); none if the demo has no such one.
    allegation = (
        Allegation.objects.filter(status__in=open_states, named_parties__party=parties["borneo"]).order_by("id").first()
    )
    if allegation is not None:
        services.case_link_allegation(actor=analyst, case=case, allegation=allegation, note="Demo link")
    world.notes.append(f"Case {case.reference} (phase 2) for analyst; evidence tagged; producer {producer.party}.")


def demo_petitions(world: Any) -> None:
    """Demo step: Meridian petitions to modify an active WRO, so the headquarters queue has work."""
    from section307.cases.models import OrderChangeRequest
    from section307.cases.services import PetitionEvidence, petition_file
    from section307.orders.models import EnforcementOrder, OrderStatus, OrderType

    importer = world.users["importer2"][0]
    order = (
        EnforcementOrder.objects.filter(order_type=OrderType.WRO, status=OrderStatus.ACTIVE)
        .order_by("reference")
        .first()
    )
    if order is None or OrderChangeRequest.objects.filter(organization=importer.organization).exists():
        return
    petition_file(
        actor=importer,
        order=order,
        kind=OrderChangeRequest.Kind.MODIFY,
        ground=OrderChangeRequest.Ground.NO_LONGER_MADE,
        grounds="The supplier repaid recruitment fees and returned identity documents; see the audit.",
        proposed_merchandise=f"{order.merchandise} (goods produced before 2025 only)",
        evidence=PetitionEvidence(
            indicator_responses={
                Indicator.DOCUMENTS: "Passports returned to all 412 workers; lockers installed.",
                Indicator.DEBT: "Recruitment fees repaid in full.",
            },
            policies="Zero-fee recruitment policy; grievance hotline run by a third party.",
            audit_firm="Independent Labour Verification Ltd.",
            audit_date=timezone.localdate() - dt.timedelta(days=60),
            audit_unannounced=True,
            audit_summary="No indicator found on site; payroll matches bank transfers.",
            supply_chain_map="Estate → mill → refinery → exporter, four tiers named.",
            remediation="Recruitment fees repaid to workers.",
            remediation_amount_usd=Decimal("1250000.00"),
            remediation_workers=412,
        ),
    )
    world.notes.append(f"Petitions: Meridian asks to modify {order.reference} (headquarters queue, /petitions/)")
