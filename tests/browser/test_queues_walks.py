"""Walk each role's work queue: importer, headquarters reviewer and port officer through a petition against
an order loaded from the official list; supervisor and analyst; an importer delegating to its broker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in

FIXTURES = Path(__file__).resolve().parents[1] / "refdata" / "fixtures"
PASSWORD = "queue-walk-passphrase-307"


@pytest.fixture
def world(transactional_db: Any) -> Any:
    from section307.demo.world import build_demo_world

    return build_demo_world(seed=5)


def _hq_user() -> Any:
    from django.contrib.auth.models import Group

    from section307.accounts import roles
    from section307.accounts.models import User

    user = User.objects.create_user(username="hq-walk", password=PASSWORD, first_name="Harper")
    user.groups.add(Group.objects.get(name=roles.HQ_REVIEWER))
    return user


def _listed_order_with_a_detention(world: Any) -> tuple[Any, str]:
    """Load CBP's list (the test fixture), then detain a shipment of Harborline under one of its WROs."""
    from section307.orders.models import EnforcementOrder, OrderSource
    from section307.ports.models import Detention, Entry, EntryLine, Regime
    from section307.refdata.services import refdata_load

    refdata_load(source="cbp-wro", location=str(FIXTURES / "cbp_wro.csv"))
    order = EnforcementOrder.objects.get(source=OrderSource.CBP_LIST, parties__name="Hetian Taida Apparel Co., Ltd.")
    entry = Entry.objects.create(
        entry_number="GCB-0007001-2",
        port="2704",
        mode=Entry.Mode.OCEAN,
        importer_name="Harborline Apparel Imports LLC",
        organization=world.orgs["harborline"],
        date_of_import=dt.date(2026, 11, 2),
        status=Entry.Status.DETAINED,
        source=Entry.Source.DEMO,
    )
    EntryLine.objects.create(entry=entry, line=1, manufacturer="Hetian Taida Apparel", value_usd=Decimal("12500"))
    Detention.objects.create(
        entry=entry,
        regime=Regime.WRO,
        order=order,
        order_reference=order.reference,
        scope=order.merchandise,
        reasons="Manufacturer named in the WRO",
        notice_date=dt.date(2026, 11, 3),
    )
    return order, entry.entry_number


def test_petition_against_a_listed_order_walks_importer_hq_and_port(page: Any, world: Any) -> None:
    order, entry_number = _listed_order_with_a_detention(world)
    hq = _hq_user()

    importer, password = world.users["importer"]
    sign_in(page, importer.username, password)
    page.wait_for_url("**/queue/")
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    page.goto(f"/petitions/new/?order={order.reference}")
    check_accessibility(page)
    page.select_option("#pet-kind", "revoke")
    page.select_option("#pet-ground", "not_imported")
    page.fill("#pet-grounds", "Harborline stopped buying garments from Hetian Taida in 2024.")
    page.fill("#pet-indicator_documents", "Passports were never held; audit confirms.")
    page.get_by_role("button", name="File the petition").click()
    expect(page.get_by_test_id("petition-status")).to_have_text("Filed")
    check_accessibility(page)
    page.get_by_role("button", name=f"Sign out {importer.username}").click()

    sign_in(page, hq.username, PASSWORD)
    page.wait_for_url("**/queue/")
    page.get_by_role("link", name="Petitions", exact=True).click()
    expect(page.get_by_test_id("petition-queue")).to_contain_text(order.reference)
    check_accessibility(page)
    page.goto("/queue/")
    page.get_by_role("link", name=f"against {order.reference}").click()
    expect(page.get_by_test_id("petition-detentions")).to_contain_text(entry_number)
    page.get_by_role("button", name="Take for review").click()
    expect(page.get_by_test_id("petition-status")).to_have_text("Under review")
    page.get_by_text("Grant: revoke the order").click()
    page.fill("#decide-note", "Goods no longer imported; indicators refuted.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".usa-alert--error")).to_contain_text("all forced labor indicators")  # refused: no findings
    for select in page.locator("select[name^=finding_]").all():
        select.select_option("refuted")
    page.get_by_text("Grant: revoke the order").click()
    page.fill("#decide-note", "Goods no longer imported; indicators refuted.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("petition-status")).to_have_text("Granted: order revoked")
    check_accessibility(page)
    page.get_by_role("button", name=f"Sign out {hq.username}").click()

    officer, password = world.users["officer"]
    sign_in(page, officer.username, password)
    page.wait_for_url("**/queue/")
    row = page.locator("tr[data-kind='detention.order_changed']")
    expect(row).to_contain_text(entry_number)
    expect(row).to_contain_text("revoked")
    expect(page.locator("tr[data-kind='entry.target']").first).to_contain_text("risk score")
    check_accessibility(page)
    row.get_by_role("link").click()
    page.wait_for_url("**/port/detentions/*/")
    page.get_by_role("button", name=f"Sign out {officer.username}").click()

    sign_in(page, importer.username, password=world.users["importer"][1])
    page.wait_for_url("**/queue/")
    expect(page.get_by_test_id("work-queue")).to_contain_text("granted")


def test_supervisor_and_analyst_queues(page: Any, world: Any) -> None:
    from django.utils import timezone

    from section307.cases.models import Case, CaseTask, OrderProposal, Phase

    case = Case.objects.order_by("pk").first()
    assert case is not None
    analyst, analyst_password = world.users["analyst"]
    OrderProposal.objects.create(
        case=case, order_type="wro", merchandise="Palm oil", author=analyst, status=OrderProposal.Status.SUBMITTED
    )
    Case.objects.filter(pk=case.pk).update(phase=Phase.DECISION)
    # A task due today (the template's tasks may be gone: live-server tests flush migration data).
    CaseTask.objects.create(
        case=case, phase="research", title="Check the bills of lading", due_date=timezone.localdate(), assignee=analyst
    )

    supervisor, password = world.users["supervisor"]
    sign_in(page, supervisor.username, password)
    page.wait_for_url("**/queue/")
    row = page.locator("tr[data-kind='case.proposal_approval']")
    expect(row).to_contain_text(case.reference)
    expect(row).to_contain_text("written by analyst")
    check_accessibility(page)
    row.get_by_role("link").click()
    page.wait_for_url(f"**/cases/{case.reference}/proposal/*/")
    page.get_by_role("button", name=f"Sign out {supervisor.username}").click()

    sign_in(page, analyst.username, analyst_password)
    page.wait_for_url("**/queue/")
    tasks = page.locator("tr[data-kind='case.task']", has_text="Check the bills of lading")
    expect(tasks.first).to_contain_text(case.reference)
    tasks.first.get_by_role("link").click()
    page.wait_for_url(f"**/cases/{case.reference}/*")


def test_importer_delegates_to_its_broker_who_then_sees_the_work(page: Any, world: Any) -> None:
    broker, broker_password = world.users["broker"]
    sign_in(page, broker.username, broker_password)
    page.wait_for_url("**/queue/")
    expect(page.get_by_test_id("work-queue")).not_to_contain_text("GCB-0001001-3")
    page.get_by_role("button", name=f"Sign out {broker.username}").click()

    importer, password = world.users["importer"]
    sign_in(page, importer.username, password)
    page.goto("/portal/brokers/")
    page.get_by_label("Customs broker").select_option(label="Gulfport Customs Brokerage Co.")
    page.get_by_text("Only the entries listed below").click()
    page.get_by_label("Entry numbers (one per line or separated by commas)").fill("GCB-0001001-3")
    page.get_by_role("button", name="Grant access").click()
    expect(page.locator("table").first).to_contain_text("GCB-0001001-3")
    check_accessibility(page)
    page.get_by_role("button", name=f"Sign out {importer.username}").click()

    sign_in(page, broker.username, broker_password)
    page.wait_for_url("**/queue/")
    expect(page.locator("tr[data-kind='notice.unread']").first).to_contain_text("GCB-0001001-3")
    page.goto("/portal/")
    expect(page.locator("main")).to_contain_text("GCB-0001001-3")
