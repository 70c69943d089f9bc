"""The officer's parcel walk: upload a manifest, see the refused row, decide the group, decide the detention."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in

TIANSHAN = "Tianshan Harvest Textile Co., Ltd."


@pytest.fixture
def world(transactional_db: Any) -> Any:
    from section307.demo.world import build_demo_world

    return build_demo_world(seed=3)


def _manifest(path: Path) -> Path:
    lines = ["tracking_number,seller,seller_address,shipper,consignee,description,value_usd,hts,origin_country"]
    for i in range(6):
        seller = TIANSHAN if i % 2 else TIANSHAN.upper()
        lines.append(f'BRW{i:09d},"{seller}","Aksu, Xinjiang",Shenzhen Express,Buyer {i % 3},纯棉T恤,12.00,6109.10,CN')
    for i in range(6, 10):
        lines.append(f"BRW{i:09d},Lisbon Ceramics,Porto,Post PT,Buyer {i},ceramic pot,8.00,,PT")
    lines.append("BRW000000099,Lisbon Ceramics,Porto,Post PT,Buyer 9,ceramic pot,free,,PT")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_officer_uploads_a_manifest_and_decides_the_group_at_once(page: Any, world: Any, tmp_path: Path) -> None:
    officer, password = world.users["officer"]
    sign_in(page, officer.username, password)
    page.get_by_role("link", name="Parcels", exact=True).click()
    page.wait_for_url("**/port/parcels/")
    check_accessibility(page)
    page.get_by_role("link", name="Upload a manifest").first.click()
    page.wait_for_url("**/port/parcels/manifests/new/")
    check_accessibility(page)
    page.select_option("#id_source", "postal")
    page.fill("#id_carrier", "Browser Post")
    page.fill("#id_presented_on", timezone.localdate().isoformat())
    page.set_input_files("#id_file", str(_manifest(tmp_path / "manifest.csv")))
    page.get_by_role("button", name="Upload and screen").click()
    page.wait_for_url("**/port/parcels/manifests/*/")
    main = page.locator("main").inner_text()
    assert "Rows refused" in main and "value_usd" in main
    check_accessibility(page)
    page.get_by_role("link", name=TIANSHAN).click()
    page.wait_for_url("**/port/parcels/groups/*/")
    assert "WRO-2023-0001" in page.locator("main").inner_text()
    check_accessibility(page)
    page.click("label[for=id_action_0]")
    page.fill("#id_reason", "All six parcels come from the seller named in the WRO.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/port/parcels/detentions/*/")
    main = page.locator("main").inner_text()
    assert "19 CFR 12.43" in main and "3 notices" in main
    check_accessibility(page)
    page.select_option("#id_outcome", "export")
    page.fill("#id_reason", "The carrier returns the parcels to the seller.")
    page.get_by_role("button", name="Decide all 6 parcels").click()
    expect(page.locator("main")).to_contain_text("Exported under supervision")
    check_accessibility(page)
    assert page.console_errors == []


def test_importer_answers_its_parcel_detention_in_the_portal(page: Any, world: Any, tmp_path: Path) -> None:
    from PIL import Image

    importer, password = world.users["importer"]
    sign_in(page, importer.username, password)
    page.goto("/portal/")
    page.get_by_role("link", name="Your detained parcels").click()
    page.wait_for_url("**/portal/parcels/")
    check_accessibility(page)
    page.get_by_role("link", name="Parcel detention").first.click()
    page.wait_for_url("**/portal/parcels/*/")
    main = page.locator("main").inner_text()
    assert "19 CFR 12.43" in main and "No proof sent yet" in main
    check_accessibility(page)
    photo = tmp_path / "certificate.png"
    Image.new("RGB", (40, 30), "white").save(photo)
    page.fill("#id_statement", "Certificate of origin and the mill's payroll records.")
    page.set_input_files("#id_document", str(photo))
    page.get_by_role("button", name="Send the proof").click()
    expect(page.locator("main")).to_contain_text("certificate.png")
    check_accessibility(page)
    assert page.console_errors == []
