"""Headquarters decides a package with a second reviewer's concurrence; the port carries it out (19 CFR 12.44)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in
from tests.trade.test_trade_portal import pdf_bytes

ENTRY = "GCB-0001001-3"


@pytest.fixture
def world(transactional_db: Any) -> Any:
    from section307.demo.world import build_demo_world

    return build_demo_world(seed=3)


def _submitted_package(world: Any) -> Any:
    from section307.ports.models import Detention
    from section307.trade import services

    importer, _ = world.users["importer"]
    detention = Detention.objects.get(entry__entry_number=ENTRY)
    req = services.request_create(actor=importer, kind="wro_admissibility", detention=detention)
    for category in ("certificate_of_origin", "detailed_statement"):
        services.document_add(actor=importer, request=req, data=pdf_bytes(), name=f"{category}.pdf", category=category)
    services.request_update(actor=importer, request=req, statement="Cotton traced to Australian farms.")
    services.request_submit(actor=importer, request=req)
    return detention


def test_hq_reviewer_decides_with_concurrence_and_the_port_carries_it_out(
    page: Any, chromium: Any, live_server: Any, world: Any
) -> None:
    detention = _submitted_package(world)
    hq, password = world.users["hq"]
    sign_in(page, hq.username, password)
    page.get_by_role("link", name="Headquarters review").click()
    page.wait_for_url("**/hq/")
    check_accessibility(page)
    page.get_by_role("link", name="WRO admissibility review").first.click()
    page.wait_for_url("**/hq/requests/*/")
    expect(page.locator("main")).to_contain_text("Cotton traced to Australian farms")
    check_accessibility(page)
    page.click("label[for=outcome-granted]")
    page.fill("#id_reasons", "Tracing to the farm is complete and consistent with the certificate of origin.")
    page.get_by_role("button", name="Propose the determination").click()
    page.wait_for_url("**/hq/determinations/*/")
    expect(page.locator("#determination-status")).to_have_text("Awaiting a second reviewer's concurrence")
    expect(page.get_by_role("button", name="Concur", exact=True)).to_have_count(0)
    check_accessibility(page)
    determination_url = page.url

    second = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}).new_page()
    hq2, password2 = world.users["hq2"]
    sign_in(second, hq2.username, password2)
    second.goto(determination_url)
    second.fill("#id_note", "Concur: the statement and certificate agree.")
    second.get_by_role("button", name="Concur", exact=True).click()
    expect(second.locator("#determination-status")).to_have_text("Effective")
    second.context.close()

    page.context.clear_cookies()
    officer, officer_password = world.users["officer"]
    sign_in(page, officer.username, officer_password)
    page.goto(f"/port/detentions/{detention.pk}/")
    expect(page.locator("main")).to_contain_text("To carry out at the port")
    check_accessibility(page)
    page.get_by_role("tab", name="Decision").click()
    page.click("label[for=outcome-release]")
    page.fill("#id_reason", "Carrying out headquarters' determination of admissibility")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(f"**/port/detentions/{detention.pk}/*")
    expect(page.locator("#detention-status")).to_have_text("Released")
    assert page.console_errors == []
