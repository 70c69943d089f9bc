"""The managers' dashboard: who sees it, targets, drill-down, exports, outcome records, the quarterly report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from section307.accounts import roles
from section307.core.errors import InvalidInput, NotPermitted
from section307.core.models import AuditEvent
from section307.metrics import selectors, services
from section307.metrics.models import OutcomeRecord, QuarterlyReport, Target
from section307.orders.models import EnforcementOrder
from section307.ports.models import Detention

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Repayment ledger")
    page.showPage()
    page.save()
    return out.getvalue()


def _order() -> EnforcementOrder:
    return EnforcementOrder.objects.create(
        reference="WRO-TEST-1",
        order_type="wro",
        status="active",
        effective_date=dt.date(2024, 1, 1),
        merchandise="Gloves",
        country_id=None,
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (roles.MANAGER, 200),
        (roles.ANALYST, 403),
        (roles.SUPERVISOR, 403),
        (roles.PORT_OFFICER, 403),
        (roles.TRADE_USER, 403),
        (roles.ADMINISTRATOR, 403),
    ],
)
def test_only_managers_see_the_dashboard(client_as: Callable[..., Client], role: str, expected: int) -> None:
    assert client_as(role).get("/metrics/").status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    answer = client.get("/metrics/")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert client.get("/statistics/").status_code == 200


def test_dashboard_shows_the_figures_and_every_indicator(history: list[Detention], manager_client: Client) -> None:
    page = manager_client.get("/metrics/", {"fy": "2024"}).content.decode()
    for section in ("Pipeline", "Ports", "Trade", "Outcomes"):
        assert f">{section}</h2>" in page
    assert "Median days from detention to final decision" in page
    board = selectors.dashboard(fiscal_year=2024)
    regime = board.table("detentions_by_regime")
    assert regime is not None and regime.total is not None
    assert regime.total["detained"] == 6
    assert regime.total["released"] == 3 and regime.total["excluded"] == 1 and regime.total["seized"] == 1
    assert regime.total["pending"] == 1
    assert regime.total["value"] == Decimal("6500")
    # Five decided in FY2024 (notice dates before Sep 2024 + 20 days), each 20 days after the notice.
    figure = next(f for f in board.indicators if f.indicator.key == "days_detention_to_decision")
    assert figure.actual == 20.0


def test_every_indicator_is_on_the_page_with_its_target(history: list[Detention], manager_client: Client) -> None:
    from django.utils.html import escape

    # No target set yet: every card says so.
    page = manager_client.get("/metrics/", {"fy": "2024"}).content.decode()
    assert page.count("Target:") == len(selectors.INDICATORS)
    assert page.count("not set") == len(selectors.INDICATORS)
    for indicator in selectors.INDICATORS:
        assert escape(str(indicator.label)) in page, indicator.key
    Target.objects.create(indicator="recurrences", value=Decimal("2"))
    page = manager_client.get("/metrics/", {"fy": "2024"}).content.decode()
    assert page.count("not set") == len(selectors.INDICATORS) - 1


def test_drill_down_lists_the_detentions_behind_a_cell(history: list[Detention], manager_client: Client) -> None:
    board = selectors.dashboard(fiscal_year=2024)
    country = board.table("detentions_by_country")
    assert country is not None
    vn_link = next(link for row, link in zip(country.rows, country.links, strict=True) if row["detained"] == 1)
    assert vn_link is not None
    page = manager_client.get(vn_link).content.decode()
    assert "1 detention" in page
    assert history[5].entry.entry_number in page
    assert history[0].entry.entry_number not in page
    all_2025 = manager_client.get("/metrics/detentions/", {"fy": "2025", "port": "1001"}).content.decode()
    assert history[8].entry.entry_number in all_2025 and history[7].entry.entry_number not in all_2025
    assert Client().get(vn_link).status_code == 302


def test_drill_down_to_cases_by_phase(manager_client: Client, make_user: Callable[..., Any]) -> None:
    from section307.cases.models import Case

    owner = make_user(roles.ANALYST)
    Case.objects.create(reference="CASE-T-1", title="Gloves factory", owner=owner, phase="research")
    Case.objects.create(reference="CASE-T-2", title="Tomato farm", owner=owner, phase="initiation")
    page = manager_client.get("/metrics/cases/", {"phase": "research"}).content.decode()
    assert "CASE-T-1" in page and "CASE-T-2" not in page
    board = selectors.dashboard(fiscal_year=None)
    phases = board.table("cases_by_phase")
    assert phases is not None
    research = next(r for r in phases.rows if r["label"].startswith("2."))
    assert research["n"] == 1


def test_dashboard_exports(history: list[Detention], manager_client: Client, client_as: Callable[..., Client]) -> None:
    answer = manager_client.get("/metrics/tables/detentions_by_port.csv", {"fy": "2025"})
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0][:2] == ["Port", "Detentions"]
    assert {r[0]: r[1] for r in rows[1:]} == {"1001": "1", "2704": "3", "Total": "4"}
    data = json.loads(manager_client.get("/metrics/tables/indicators.json").content)
    assert len(data["rows"]) == len(selectors.INDICATORS)
    assert manager_client.get("/metrics/tables/clock_compliance.xlsx").status_code == 200
    assert manager_client.get("/metrics/tables/unknown.csv").status_code == 404
    assert client_as(roles.ANALYST).get("/metrics/tables/indicators.csv").status_code == 403


def test_targets_are_set_by_managers_only_and_audited(make_user: Callable[..., Any]) -> None:
    manager = make_user(roles.MANAGER)
    analyst = make_user(roles.ANALYST)
    target = services.target_set(actor=manager, indicator="decisions_on_time", value="97.5", note="GAO-21-106")
    assert target.value == Decimal("97.50")
    assert AuditEvent.objects.filter(action="metrics.target_set", target_id=str(target.pk)).exists()
    with pytest.raises(NotPermitted):
        services.target_set(actor=analyst, indicator="decisions_on_time", value="50")
    with pytest.raises(InvalidInput) as bad:
        services.target_set(actor=manager, indicator="decisions_on_time", value="120")
    assert bad.value.field == "value"
    with pytest.raises(InvalidInput):
        services.target_set(actor=manager, indicator="no_such", value="1")
    services.target_set(actor=manager, indicator="decisions_on_time", value="90")
    assert selectors.current_targets()["decisions_on_time"].value == Decimal("90")
    assert Target.objects.filter(indicator="decisions_on_time").count() == 2


def test_target_beside_the_actual_says_met_or_not(history: list[Detention], make_user: Callable[..., Any]) -> None:
    manager = make_user(roles.MANAGER)
    services.target_set(actor=manager, indicator="days_detention_to_decision", value="30")
    figure = next(
        f for f in selectors.dashboard(fiscal_year=2024).indicators if f.indicator.key == "days_detention_to_decision"
    )
    assert figure.met is True  # 20 days against at most 30
    services.target_set(actor=manager, indicator="days_detention_to_decision", value="10")
    figure = next(
        f for f in selectors.dashboard(fiscal_year=2024).indicators if f.indicator.key == "days_detention_to_decision"
    )
    assert figure.met is False


def test_target_page_posts(manager_client: Client, client_as: Callable[..., Client]) -> None:
    answer = manager_client.post("/metrics/targets/", {"indicator": "recurrences", "value": "0"})
    assert answer.status_code == 302
    assert Target.objects.get(indicator="recurrences").value == 0
    bad = manager_client.post("/metrics/targets/", {"indicator": "notices_on_time", "value": "150"})
    assert bad.status_code == 200 and "more than 100%" in bad.content.decode()


def test_outcome_records_need_permission_evidence_and_amounts(make_user: Callable[..., Any]) -> None:
    supervisor = make_user(roles.SUPERVISOR)
    manager = make_user(roles.MANAGER)
    order = _order()
    today = timezone.localdate()
    common: dict[str, Any] = {
        "occurred_on": today,
        "description": "Fees repaid",
        "evidence_name": "ledger.pdf",
        "order": order,
    }
    with pytest.raises(NotPermitted):
        services.outcome_record(actor=manager, kind="audit_passed", evidence=_pdf(), **common)
    with pytest.raises(InvalidInput) as no_amount:
        services.outcome_record(actor=supervisor, kind="fees_repaid", evidence=_pdf(), **common)
    assert no_amount.value.field == "amount"
    with pytest.raises(InvalidInput) as bad_currency:
        services.outcome_record(
            actor=supervisor, kind="fees_repaid", evidence=_pdf(), amount=Decimal("10"), currency="dollars", **common
        )
    assert bad_currency.value.field == "currency"
    with pytest.raises(InvalidInput) as bad_file:
        services.outcome_record(actor=supervisor, kind="audit_passed", evidence=b"MZ\x90\x00binary", **common)
    assert bad_file.value.field == "evidence"
    record = services.outcome_record(
        actor=supervisor,
        kind="fees_repaid",
        evidence=_pdf(),
        amount=Decimal("1200"),
        currency="usd",
        workers_covered=40,
        **common,
    )
    assert record.currency == "USD"
    assert AuditEvent.objects.filter(action="metrics.outcome_recorded", target_id=str(record.pk)).exists()
    # Stored encrypted: the file on disk is not the PDF.
    with record.evidence.open("rb") as handle:
        assert not handle.read().startswith(b"%PDF")
    assert services.outcome_evidence(actor=manager, record=record).startswith(b"%PDF")
    trade = make_user(roles.TRADE_USER)
    with pytest.raises(NotPermitted):
        services.outcome_evidence(actor=trade, record=record)


def test_outcomes_are_aggregated_with_counts_and_ranges(make_user: Callable[..., Any]) -> None:
    supervisor = make_user(roles.SUPERVISOR)
    order = _order()
    today = timezone.localdate()
    for amount, workers in ((Decimal("100"), 10), (Decimal("900"), 30)):
        services.outcome_record(
            actor=supervisor,
            order=order,
            kind="wages_repaid",
            occurred_on=today,
            description="Wages",
            evidence=_pdf(),
            evidence_name="w.pdf",
            amount=amount,
            currency="USD",
            workers_covered=workers,
        )
    services.outcome_record(
        actor=supervisor,
        order=order,
        kind="order_revoked",
        occurred_on=today,
        description="Revoked",
        evidence=_pdf(),
        evidence_name="r.pdf",
    )
    table = selectors.outcome_table(fiscal_year=None)
    wages = next(r for r in table.rows if r["label"] == "Wages repaid")
    assert (wages["n"], wages["workers"], wages["total"], wages["low"], wages["high"]) == (
        2,
        40,
        Decimal("1000"),
        Decimal("100"),
        Decimal("900"),
    )
    board = selectors.dashboard(fiscal_year=None)
    actual = {f.indicator.key: f.actual for f in board.indicators}
    assert actual["workers_covered"] == 40.0
    assert actual["usd_repaid"] == 1000.0
    assert actual["orders_changed_for_remediation"] == 1.0


def test_outcome_page_records_with_a_file(client_as: Callable[..., Client]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    _order()
    client = client_as(roles.SUPERVISOR)
    answer = client.post(
        "/metrics/outcomes/",
        {
            "kind": "audit_passed",
            "order": "WRO-TEST-1",
            "occurred_on": timezone.localdate().isoformat(),
            "description": "Audit passed",
            "evidence": SimpleUploadedFile("audit.pdf", _pdf(), "application/pdf"),
        },
    )
    assert answer.status_code == 302
    record = OutcomeRecord.objects.get()
    download = client.get(f"/metrics/outcomes/{record.pk}/evidence")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download["Cache-Control"] == "no-store"
    unknown = client.post(
        "/metrics/outcomes/",
        {
            "kind": "audit_passed",
            "order": "NOPE",
            "occurred_on": "2024-01-01",
            "description": "x",
            "evidence": SimpleUploadedFile("a.pdf", _pdf()),
        },
    )
    assert unknown.status_code == 200 and "No order has this reference" in unknown.content.decode()


def test_quarterly_report_is_built_in_the_background_and_downloaded(
    history: list[Detention], manager_client: Client, client_as: Callable[..., Client]
) -> None:
    answer = manager_client.post("/metrics/reports/", {"fiscal_year": "2024", "quarter": "2"})
    assert answer.status_code == 302
    report = QuarterlyReport.objects.get()
    # The test settings run tasks at once (after the commit).
    assert report.status in (QuarterlyReport.Status.QUEUED, QuarterlyReport.Status.READY)
    from section307.metrics.tasks import report_build

    report_build.call(report.pk)
    report.refresh_from_db()
    assert report.status == QuarterlyReport.Status.READY
    pdf = manager_client.get(f"/metrics/reports/{report.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_as(roles.ANALYST).get(f"/metrics/reports/{report.pk}.pdf").status_code == 403
    bad = manager_client.post("/metrics/reports/", {"fiscal_year": "2024", "quarter": "7"}, follow=True)
    assert "Choose a quarter" in bad.content.decode()


def test_clock_compliance_hand_counted(history: list[Detention]) -> None:
    from section307.ports import law
    from section307.ports.models import Clock

    today = timezone.localdate()

    def clock(det: Detention, kind: str, due: dt.date, stopped: dt.date | None) -> None:
        Clock.objects.create(
            entry=det.entry,
            detention=det,
            kind=kind,
            start_date=due - dt.timedelta(days=5),
            due_date=due,
            running=stopped is None,
            stopped_at=timezone.make_aware(dt.datetime.combine(stopped, dt.time(23, 30))) if stopped else None,
        )

    d = history
    # FY2024 decisions: on time (on the due date, late evening), early, one day late. Notices: one
    # still running past its due date (late), one running and not yet due (in FY2099: not counted).
    clock(d[0], law.DECISION, dt.date(2023, 10, 5), dt.date(2023, 10, 5))
    clock(d[1], law.DECISION, dt.date(2023, 11, 20), dt.date(2023, 11, 18))
    clock(d[2], law.DECISION, dt.date(2024, 2, 1), dt.date(2024, 2, 2))
    clock(d[3], law.NOTICE, dt.date(2024, 3, 3), None)
    clock(d[4], law.NOTICE, today + dt.timedelta(days=30), None)
    table = selectors.clock_table(fiscal_year=2024)
    rows = {r["label"]: r for r in table.rows}
    decision = rows["Decision to release or detain"]
    assert (decision["on_time"], decision["late"]) == (2, 1)
    assert round(decision["pct"], 1) == 66.7
    notice = rows["Notice of detention to the importer"]
    assert (notice["on_time"], notice["late"]) == (0, 1)
    everything = {r["label"]: r for r in selectors.clock_table(fiscal_year=None).rows}
    assert everything["Notice of detention to the importer"]["late"] == 1  # the one not yet due is not counted


def test_open_allegations_over_90_days_counted_by_hand() -> None:
    from section307.allegations.models import Allegation

    now = timezone.now()

    def allegation(n: int, status: str, days_old: int) -> None:
        made = Allegation.objects.create(
            reference=f"ALG-2026-{n:05d}",
            receipt_digest=str(n) * 64,
            submitted_at=now,
            reasons="x",
            source_type="media",
            merchandise="Yarn",
            status=status,
        )
        Allegation.objects.filter(pk=made.pk).update(created_at=now - dt.timedelta(days=days_old))

    allegation(1, "new", 120)  # open, old: counted
    allegation(2, "in_triage", 91)  # open, old: counted
    allegation(3, "info_requested", 10)  # open, young
    allegation(4, "closed", 200)  # old but closed
    board = selectors.dashboard(fiscal_year=None)
    actual = {f.indicator.key: f.actual for f in board.indicators}
    assert actual["open_allegations_over_90"] == 2.0
    assert actual["proposals_awaiting"] == 0.0
    table = board.table("allegations_by_status")
    assert table is not None and sum(r["old"] for r in table.rows) == 3
