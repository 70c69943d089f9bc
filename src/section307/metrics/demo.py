"""Demo step: several fiscal years of detention history (FY2023 on), targets, and outcome records.

History rows are written in bulk (they are past records, not live work): entries with their lines,
detentions with their final decisions, and the decision and notice clocks as they ran.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone

PORTS = ["2704", "1001", "5301", "3002", "1303", "1601", "2809", "3901"]
GOODS = [
    # HTS, description, country weights
    ("6205.20.2016", "Men's woven cotton shirts", ["CN", "CN", "VN", "BD", "IN"]),
    ("6109.10.0012", "Cotton T-shirts", ["CN", "VN", "BD", "MX"]),
    ("8541.43.0010", "Photovoltaic modules", ["CN", "CN", "MY", "VN", "TH"]),
    ("2804.61.0000", "Polysilicon", ["CN", "CN", "CN"]),
    ("4015.12.1010", "Disposable nitrile gloves", ["MY", "MY", "TH", "CN"]),
    ("0304.87.0000", "Frozen tuna fillets", ["CN", "TH", "ID"]),
    ("7601.10.3000", "Unwrought aluminum", ["CN", "IN"]),
    ("2002.90.8010", "Tomato paste", ["CN", "CN"]),
    ("1511.10.0000", "Crude palm oil", ["MY", "ID"]),
    ("8507.60.0020", "Lithium-ion batteries", ["CN", "CN", "VN"]),
    ("5201.00.1800", "Raw cotton", ["CN", "TM"]),
    ("7208.51.0030", "Hot-rolled steel plate", ["CN", "VN"]),
]
REGIME_WEIGHTS = ["uflpa"] * 12 + ["wro"] * 4 + ["finding"] + ["caatsa"]
# Denied outcomes in rough proportion; release share falls from FY2025 (as CBP's own figures did).
DENIED = ["excluded"] * 5 + ["exported"] * 3 + ["seized", "abandoned"]
PER_YEAR = {2023: 40, 2024: 50, 2025: 65, 2026: 75, 2027: 15}


def _pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return out.getvalue()


def demo_history(world: Any, *, per_year: dict[int, int] | None = None) -> int:
    from section307.metrics.facts import facts_rebuild
    from section307.metrics.figures import fiscal_year_bounds
    from section307.ports import law
    from section307.ports.models import Clock, Detention, DetentionDecision, Entry, EntryLine

    if Entry.objects.filter(entry_number__startswith="HST-").exists():
        return facts_rebuild()  # built on an earlier run: the demo is idempotent
    rng = world.rng
    today = timezone.localdate()
    officer = world.users["officer"][0] if "officer" in world.users else None
    plan: list[tuple[dt.date, str, str, tuple[str, str, list[str]], str]] = []
    for year, count in (per_year or PER_YEAR).items():
        start, end = fiscal_year_bounds(year)
        end = min(end, today - dt.timedelta(days=3))
        if start > end:
            continue
        span = (end - start).days
        for _ in range(count):
            notice = start + dt.timedelta(days=rng.randrange(span + 1))
            age = (today - notice).days
            release_share = 0.5 if year <= 2024 else 0.12
            if age < 45 and rng.random() < 0.7:
                status = "detained" if rng.random() < 0.6 else "under_review"
            elif rng.random() < release_share:
                status = "released"
            else:
                status = rng.choice(DENIED)
            plan.append((notice, rng.choice(REGIME_WEIGHTS), rng.choice(PORTS), rng.choice(GOODS), status))
    plan.sort(key=lambda p: p[0])

    entries = []
    for i, (notice, _regime, port, _good, status) in enumerate(plan):
        imported = notice - dt.timedelta(days=rng.randrange(3, 9))
        entries.append(
            Entry(
                entry_number=f"HST-{i + 1:07d}-{(i * 7) % 10}",
                port=port,
                mode=rng.choice(["ocean", "ocean", "air", "truck"]),
                filer="HST",
                importer_name=f"Demo importer {rng.randrange(1, 40):02d}",
                date_of_import=imported,
                presented_on=imported + dt.timedelta(days=1),
                status="detained" if status in ("detained", "under_review") else status,
                decision="hit",
                source=Entry.Source.DEMO,
            )
        )
    Entry.objects.bulk_create(entries, batch_size=500)
    lines, detentions = [], []
    for entry, (notice, regime, _port, (hts, desc, countries), status) in zip(entries, plan, strict=True):
        origin = rng.choice(countries)
        for n in range(1, rng.choice([1, 1, 2, 3]) + 1):
            lines.append(
                EntryLine(
                    entry=entry,
                    line=n,
                    manufacturer=f"Demo manufacturer {rng.randrange(1, 80):02d}",
                    country_of_origin=origin,
                    hts=hts,
                    description=desc,
                    value_usd=Decimal(rng.randrange(5_000, 400_000)),
                    decision="hit" if n == 1 else "clear",
                    score=0.95 if n == 1 else 0.0,
                )
            )
        decided = None
        if status not in ("detained", "under_review"):
            decided = timezone.make_aware(
                dt.datetime.combine(min(notice + dt.timedelta(days=rng.randrange(10, 150)), today), dt.time(15))
            )
        detentions.append(
            Detention(
                entry=entry,
                regime=regime,
                order_reference=f"DEMO-{regime.upper()}",
                scope="Demo history",
                reasons="Demo history: detained on a screening hit.",
                status=status,
                notice_date=notice,
                detained_by=officer,
                decided_at=decided,
            )
        )
    EntryLine.objects.bulk_create(lines, batch_size=1000)
    Detention.objects.bulk_create(detentions, batch_size=500)
    outcome_for = {
        "released": "release",
        "excluded": "exclude",
        "exported": "export",
        "seized": "seize",
        "abandoned": "abandon",
    }
    decisions, clocks = [], []
    for det in detentions:
        if det.decided_at is not None:
            decisions.append(
                DetentionDecision(
                    detention=det,
                    outcome=outcome_for[det.status],
                    reason="Demo history",
                    decided_by=officer,
                    decided_at=det.decided_at,
                )
            )
        presented = det.entry.presented_on or det.notice_date
        for kind in (law.DECISION, law.NOTICE):
            rule = law.rule(kind)
            start = presented if kind == law.DECISION else det.notice_date - dt.timedelta(days=rng.randrange(0, 4))
            due = law.due_date(kind, start)
            # Most clocks met; about one in eight late.
            stop_day = (
                due - dt.timedelta(days=rng.randrange(0, 3))
                if rng.random() > 0.12
                else due + dt.timedelta(days=rng.randrange(1, 6))
            )
            clocks.append(
                Clock(
                    entry=det.entry,
                    detention=det,
                    kind=kind,
                    citation=rule.citation,
                    start_event=rule.start_event,
                    calendar=rule.calendar,
                    statutory=rule.statutory,
                    start_date=start,
                    due_date=due,
                    running=False,
                    stopped_at=timezone.make_aware(dt.datetime.combine(min(stop_day, today), dt.time(12))),
                    stop_reason="Demo history",
                )
            )
    DetentionDecision.objects.bulk_create(decisions, batch_size=1000)
    Clock.objects.bulk_create(clocks, batch_size=1000)
    return facts_rebuild()


def demo_targets_and_outcomes(world: Any) -> None:
    from section307.cases.models import Case
    from section307.metrics.models import OutcomeRecord, Target
    from section307.metrics.services import outcome_record, target_set
    from section307.orders.models import EnforcementOrder

    if Target.objects.exists() or OutcomeRecord.objects.exists():
        return
    manager = world.users["manager"][0]
    for key, value in [
        ("open_allegations_over_90", 5),
        ("days_allegation_to_case", 14),
        ("days_case_to_order", 180),
        ("proposals_awaiting", 3),
        ("decisions_on_time", 95),
        ("notices_on_time", 95),
        ("days_detention_to_decision", 60),
        ("days_protest_decision", 30),
        ("workers_covered", 500),
        ("recurrences", 0),
    ]:
        target_set(actor=manager, indicator=key, value=Decimal(value), note="Demo target")
    analyst = world.users["analyst"][0]
    supervisor = world.users["supervisor"][0]
    case = Case.objects.filter(owner=analyst).order_by("pk").first()
    order = EnforcementOrder.objects.filter(order_type="wro").order_by("pk").first()
    today = timezone.localdate()
    pdf = _pdf("Remediation evidence (demo)")
    if case is not None:
        outcome_record(
            actor=analyst,
            case=case,
            kind="fees_repaid",
            occurred_on=today - dt.timedelta(days=40),
            amount=Decimal("184500.00"),
            currency="USD",
            workers_covered=410,
            description="Recruitment fees repaid to 410 workers; payment ledger verified by an independent auditor.",
            evidence=pdf,
            evidence_name="repayment-ledger.pdf",
        )
        outcome_record(
            actor=analyst,
            case=case,
            kind="documents_returned",
            occurred_on=today - dt.timedelta(days=35),
            workers_covered=410,
            description="Passports held by the employer returned to all workers.",
            evidence=pdf,
            evidence_name="document-register.pdf",
        )
    if order is not None:
        outcome_record(
            actor=supervisor,
            order=order,
            kind="wages_repaid",
            occurred_on=today - dt.timedelta(days=400),
            amount=Decimal("2150000.00"),
            currency="MYR",
            workers_covered=1300,
            description="Withheld wages repaid to migrant workers; bank transfer records reviewed.",
            evidence=pdf,
            evidence_name="wage-repayment.pdf",
        )
        outcome_record(
            actor=supervisor,
            order=order,
            kind="audit_passed",
            occurred_on=today - dt.timedelta(days=380),
            workers_covered=1300,
            description="Follow-up social audit found none of the ILO indicators.",
            evidence=pdf,
            evidence_name="audit-report.pdf",
        )


def demo_step(world: Any) -> None:
    n = demo_history(world)
    demo_targets_and_outcomes(world)
    world.notes.append(f"Metrics: {n} detentions of history since FY2023; manager targets and outcome records.")
