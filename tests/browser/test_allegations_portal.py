"""A reporter submits a full allegation with a photo, in the browser, and follows it up; an analyst triages it.

Every page on the way is checked with axe (WCAG 2.1 A and AA).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from section307.accounts import roles
from tests.allegations.conftest import jpeg_with_gps
from tests.browser.conftest import check_accessibility, sign_in
from tests.conftest import PASSWORD


def _tick(page: Any, label: str) -> None:
    # USWDS hides the native radio/checkbox and styles its label: click the label, as a person does.
    page.locator("label", has_text=label).first.click()


def _next(page: Any) -> None:
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()


def test_reporter_submits_anonymously_with_a_photo_and_follows_up(
    page: Any, transactional_db: Any, tmp_path: Path, make_user: Any
) -> None:
    from section307.allegations.models import Allegation
    from section307.geo.services import countries_sync

    countries_sync()
    page.goto("/report/")
    check_accessibility(page)
    page.get_by_role("link", name="Start a report").click()

    # Step 1: a field error first, then the real answer.
    _next(page)
    assert page.locator("#id_reasons-error").is_visible()
    check_accessibility(page)
    page.fill("#id_reasons", "Harvesters on the estate owe recruitment debts and their passports are held.")
    _tick(page, "Worker testimony")
    _next(page)

    page.fill("#id_merchandise", "Crude palm oil shipped in bulk from Sandakan.")
    page.fill("#id_hts_code", "1511.10")
    check_accessibility(page)
    _next(page)

    page.select_option("#id_country", "MY")
    page.fill("#id_region_text", "Sandakan, Sabah")
    page.fill("#id_party-0-name", "Borneo Crest Plantations Sdn. Bhd.")
    page.fill("#id_bill_of_lading", "MAEU123456789")
    check_accessibility(page)
    _next(page)

    _tick(page, "Debt bondage")
    page.fill("#id_obs_debt_bondage", "Recruitment fees of five months' wages, deducted from pay.")
    check_accessibility(page)
    _next(page)

    photo = tmp_path / "IMG_2231.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.set_input_files("#id_files", str(photo))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    assert page.locator("table caption", has_text="Files added so far").is_visible()
    check_accessibility(page)
    _next(page)

    assert page.get_by_label("No, stay anonymous").is_checked()
    check_accessibility(page)
    _next(page)

    assert "Borneo Crest Plantations" in page.locator("main").inner_text()
    check_accessibility(page)
    _tick(page, "The information I give is true to the best of my knowledge")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_load_state()
    code = page.locator("#receipt-code").inner_text().strip()
    assert len(code.replace("-", "")) == 20
    check_accessibility(page)

    allegation = Allegation.objects.get()
    assert allegation.is_anonymous and allegation.attachments.get().sanitization == "cleaned"

    page.get_by_role("link", name="Follow up on a report").click()
    page.fill("#id_code", code)
    page.get_by_role("button", name="Open my report").click()
    page.wait_for_load_state()
    assert "Received" in page.locator(".s307-status").inner_text()
    check_accessibility(page)
    page.fill("#id_body", "I can also share a payslip.")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_load_state()
    assert "I can also share a payslip." in page.locator("main").inner_text()
    assert page.console_errors == []

    # The analyst sees it in the inbox and opens it.
    page.get_by_role("button", name="Close my report on this device").click()
    analyst = make_user(roles.ANALYST)
    sign_in(page, analyst.username, PASSWORD)
    page.goto("/allegations/")
    check_accessibility(page)
    page.get_by_role("link", name=allegation.reference).click()
    page.wait_for_load_state()
    assert "Borneo Crest Plantations Sdn. Bhd." in page.locator("main").inner_text()
    check_accessibility(page)
    page.get_by_role("button", name="Start triage (assign to me)").click()
    page.wait_for_load_state()
    page.get_by_role("tab", name="Conversation").click()
    page.fill("#id_question", "Which estates did the harvesters work on?")
    page.get_by_role("button", name="Send question").click()
    page.wait_for_load_state()
    allegation.refresh_from_db()
    assert allegation.status == "info_requested"
    assert page.console_errors == []


def test_portal_in_chinese_is_accessible(page: Any, transactional_db: Any) -> None:
    page.goto("/report/")
    page.get_by_role("button", name="Languages").click()
    page.locator('button[name="language"][value="zh-hans"]').click()
    page.wait_for_load_state()
    assert "举报使用强迫劳动生产的货物" in page.locator("h1").inner_text()
    page.get_by_role("link", name="开始举报").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    check_accessibility(page)
