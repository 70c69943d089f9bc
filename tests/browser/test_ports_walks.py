"""The two main walks: the port officer's (API arrival to detention) and the importer's (notice to release)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from section307.ports.demo import demo_photo
from tests.browser.conftest import check_accessibility, sign_in
from tests.trade.test_trade_portal import pdf_bytes

ENTRY = "GCB-0009001-4"


@pytest.fixture
def world(transactional_db: Any) -> Any:
    from section307.demo.world import build_demo_world

    return build_demo_world(seed=3)


def test_officer_detains_an_entry_that_arrived_through_the_api(page: Any, world: Any, tmp_path: Path) -> None:
    from section307.ports.services import api_token_create

    broker, _ = world.users["broker"]
    _, secret = api_token_create(actor=broker, user=broker, name="broker system")
    response = page.request.post(
        "/api/v1/entries",
        headers={"Authorization": f"Bearer {secret}"},
        data={
            "entry_number": ENTRY,
            "port": "2704",
            "mode": "ocean",
            "importer": "Harborline Apparel Imports LLC",
            "importer_number": "84-2917365",
            "date_of_import": "2026-11-20",
            "lines": [
                {
                    "line": 1,
                    "manufacturer": "Tianshan Harvest Textile Co., Ltd.",
                    "country_of_origin": "CN",
                    "manufacturer_address": "Aksu, Xinjiang",
                    "hts": "6205.20",
                    "description": "Cotton shirts",
                }
            ],
        },
    )
    assert response.status == 201, response.text()
    officer, password = world.users["officer"]
    sign_in(page, officer.username, password)
    page.get_by_role("link", name="Port", exact=True).click()
    page.wait_for_url("**/port/")
    page.get_by_role("link", name=ENTRY).click()
    page.wait_for_url(f"**/port/entries/{ENTRY}/")
    assert "WRO-2023-0001" in page.locator("main").inner_text()
    check_accessibility(page)
    page.get_by_role("tab", name="Officer decision").click()
    page.click("label[for=action-exam]")
    page.fill("#id_reason", "Manufacturer named in the WRO")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#entry-status")).to_have_text("Held for exam")
    photo = tmp_path / "label.jpg"
    photo.write_bytes(demo_photo("TIANSHAN HARVEST"))
    page.get_by_role("tab", name="Exam images").click()
    page.set_input_files("#id_photo", str(photo))
    page.fill("#id_caption", "Carton label naming the mill")
    page.get_by_role("button", name="Upload photo").click()
    expect(page.get_by_alt_text("Carton label naming the mill")).to_be_visible()
    page.get_by_role("tab", name="Officer decision").click()
    page.click("label[for=action-detain]")
    page.fill("#id_reason", "Labels and invoice name Tianshan Harvest Textile")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/port/detentions/*/")
    assert "Detained, awaiting the importer" in page.locator("#detention-status").inner_text()
    check_accessibility(page)
    assert page.console_errors == []


def test_importer_answers_a_detention_and_sees_the_timeline(page: Any, world: Any, tmp_path: Path) -> None:
    from section307.ports.models import Detention
    from section307.ports.services import detention_decide

    importer, password = world.users["importer"]
    sign_in(page, importer.username, password)
    page.get_by_role("link", name="Importer portal").click()
    page.wait_for_url("**/portal/")
    main = page.locator("main").inner_text()
    assert "GCB-0001001-3" in main and "GCB-0001003-8" not in main  # Meridian's entry is not shown
    check_accessibility(page)
    page.get_by_role("link", name="GCB-0001001-3").first.click()
    page.wait_for_url("**/portal/detentions/*/")
    expect(page.get_by_alt_text("Carton label naming Tianshan Harvest Textile, Aksu")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Open the request").click()
    page.wait_for_url("**/portal/requests/*/")
    for category, name in (("certificate_of_origin", "certificate.pdf"), ("detailed_statement", "statement.pdf")):
        f = tmp_path / name
        f.write_bytes(pdf_bytes())
        page.set_input_files("#id_file", str(f))
        page.select_option("#id_category", category)
        page.get_by_role("button", name="Upload").click()
        expect(page.locator("main")).to_contain_text(f"{name} added")
    page.fill("#id_statement", "Cotton traced to Australian farms; the Aksu mill was not used for these styles.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Saved.")
    check_accessibility(page)
    page.get_by_role("button", name="Submit the package").click()
    expect(page.locator("#request-status")).to_have_text("Submitted")
    officer, _ = world.users["officer"]
    detention = Detention.objects.get(entry__entry_number="GCB-0001001-3")
    # Headquarters determines admissibility (19 CFR 12.44); the port carries it out.
    from tests.ports.conftest import hq_determine

    hq_determine(detention, (world.users["hq"][0], world.users["hq2"][0]), "admissibility", "granted")
    detention_decide(actor=officer, detention=detention, outcome="release", reason="Proof of admissibility accepted")
    page.goto("/portal/entries/GCB-0001001-3/")
    timeline = page.locator("ol.s307-timeline").inner_text()
    for step in (
        "Entry received",
        "Exam photo added",
        "Detained under WRO-2023-0001",
        "Detention notice sent",
        "submitted (version 1",
        "Release: Proof of admissibility accepted",
    ):
        assert step in timeline, step
    assert "Screened on arrival" not in timeline
    check_accessibility(page)
    assert page.console_errors == []
