"""Walk the supply-chain paths: the importer uploads a four-tier apparel chain with a Xinjiang ginner and
sees the tainted path (graph and table), attaches a document and answers the due-diligence assessment;
an analyst files the map in a case and finds it, with its risky path, in the case's Supply chain tab.
Axe checks each page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in
from tests.supplychain.conftest import CHAIN_ROWS, ORG_NAME, csv_bytes


@pytest.fixture
def world(transactional_db: Any) -> Any:
    from section307.demo.world import build_demo_world

    return build_demo_world(seed=13)


def test_importer_uploads_and_sees_the_tainted_path(page: Any, world: Any, tmp_path: Path) -> None:
    importer, password = world.users["importer"]
    assert importer.organization.name == ORG_NAME
    supplier_list = tmp_path / "suppliers.csv"
    supplier_list.write_bytes(csv_bytes(CHAIN_ROWS))
    sign_in(page, importer.username, password)
    page.goto("/supply-chains/")
    check_accessibility(page)
    page.get_by_role("link", name="Upload a supplier list").click()
    check_accessibility(page)
    page.fill("#id_title", "Walk T-shirts")
    page.set_input_files("#id_file", str(supplier_list))
    page.get_by_role("button", name="Import and screen").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Walk T-shirts")
    path = page.locator(".risk-path").first
    expect(path).to_contain_text("Aksu Golden Field Cotton Ginnery")
    expect(path).to_contain_text("Xinjiang")
    expect(path.locator(".path-steps li")).to_have_count(5)
    graph = page.locator("#supply-graph")
    expect(graph).to_have_attribute("data-ready", "true")
    assert int(graph.get_attribute("data-risky") or "0") >= 9  # five nodes and four links on the path
    expect(page.locator("#node-table tr.risky-row")).to_have_count(5)
    check_accessibility(page)
    assert not [e for e in page.console_errors if "Content Security Policy" in e or "Refused" in e]
    # A document for the ginner: the gap list no longer names it.
    doc = tmp_path / "bale-ticket.txt"
    doc.write_text("Bale ticket 2026-0311, lot 44")
    page.select_option("#id_target", label="Aksu Golden Field Cotton Ginnery")
    page.select_option("#id_kind", value="transport")
    page.set_input_files("#id_file", str(doc))
    page.get_by_role("button", name="Add document").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="bale-ticket.txt")).to_be_visible()
    expect(page.locator("#gaps")).not_to_contain_text("Aksu Golden Field Cotton Ginnery (tier 4)")
    expect(page.locator("#gaps")).to_contain_text("Texas Plains Cotton Gin (tier 4)")
    # The due-diligence assessment: the new map as evidence of the risk assessment, then submitted.
    page.goto("/supply-chains/diligence/")
    check_accessibility(page)
    page.get_by_role("button", name="Answer the assessment (open the draft)").click()
    page.wait_for_load_state()
    section = page.locator("#element-cbp_assess")
    section.get_by_label("In place").check()
    section.locator("textarea").fill("Every T-shirt chain is mapped to the ginners and screened.")
    page.select_option("#m-cbp_assess", label="Walk T-shirts")
    section.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.get_by_role("button", name="Submit this version").click()
    page.wait_for_load_state()
    expect(page.locator("#assessment-status")).to_have_text("Submitted")
    expect(page.locator("#element-cbp_assess")).to_contain_text("Walk T-shirts")


def test_analyst_sees_the_importers_map_in_a_case(page: Any, world: Any) -> None:
    from section307.cases.models import Case
    from section307.supplychain.models import SupplyChainMap

    analyst, password = world.users["analyst"]
    chain_map = SupplyChainMap.objects.get(organization=world.users["importer"][0].organization)
    case = Case.objects.filter(owner=analyst).order_by("pk").first()
    assert case is not None
    sign_in(page, analyst.username, password)
    page.goto(f"/supply-chains/{chain_map.pk}/")
    page.fill("#attach-case", case.reference)
    page.get_by_role("button", name="File in case").click()
    page.wait_for_load_state()
    # The case page's Supply chain tab: the map, its risky path and a link to it.
    page.goto(f"/cases/{case.reference}/")
    page.get_by_role("tab", name="Supply chain").click()
    filed = page.locator(".case-supply-map").filter(has_text=chain_map.title)
    expect(filed).to_be_visible()
    expect(filed).to_contain_text("Aksu Golden Field Cotton Ginnery")
    check_accessibility(page)
    filed.get_by_role("link", name=chain_map.title, exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".risk-path").first).to_contain_text("Aksu Golden Field Cotton Ginnery")
    expect(page.locator("#supply-graph")).to_have_attribute("data-ready", "true")
    check_accessibility(page)
