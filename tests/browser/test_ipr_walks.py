"""The IPR walks: the rights holder's (redacted, then unredacted photos and the answer) and the
officer's (detain, then seize on the holder's answer and give the information after seizure)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in


@pytest.fixture
def world(transactional_db: Any) -> Any:
    from section307.demo.world import build_demo_world

    return build_demo_world(seed=5)


def test_rights_holder_sees_redacted_then_unredacted_photos_and_answers(page: Any, world: Any) -> None:
    holder, password = world.users["rightsholder"]
    sign_in(page, holder.username, password)
    page.get_by_role("link", name="IPR", exact=True).click()
    page.wait_for_url("**/ipr/")
    main = page.locator("main")
    expect(main).to_contain_text("GCB-0001005-4")
    expect(main).to_contain_text("GCB-0001006-2")
    check_accessibility(page)
    # Inside the importer's 7 business days: redacted copies only, no codes.
    page.get_by_role("link", name="GCB-0001006-2").click()
    expect(page.locator("main")).to_contain_text("Redacted copies")
    links = page.locator("a.photo-link")
    assert links.count() == 3
    hrefs = [links.nth(i).get_attribute("href") for i in range(3)]
    assert all(h.endswith("/redacted/") for h in hrefs)
    assert page.locator("#codes").count() == 0
    check_accessibility(page)
    photo = page.request.get(hrefs[0])
    assert photo.status == 200 and photo.headers["content-type"] == "image/jpeg"
    # The unredacted original is refused until the window closes.
    assert page.request.get(hrefs[0].replace("/redacted/", "/image/")).status == 404
    # After the window: unredacted photos and the codes; the answer is recorded.
    page.goto("/ipr/")
    page.get_by_role("link", name="GCB-0001005-4").click()
    expect(page.locator("#codes")).to_contain_text("SP-BP-30L-BLK")
    links = page.locator("a.photo-link")
    assert [links.nth(i).get_attribute("href").endswith("/image/") for i in range(links.count())] == [True] * 3
    assert page.request.get(links.first.get_attribute("href")).status == 200
    check_accessibility(page)
    page.locator("label[for=answer-counterfeit]").click()  # USWDS draws the radio on the label
    page.get_by_label("Note to the officer").fill("Our factory never made this style; the UPC is not ours.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator("main")).to_contain_text("Your answer is recorded")
    check_accessibility(page)


def test_officer_detains_and_seizes_on_the_holders_answer(page: Any, world: Any) -> None:
    from section307.ipr import services
    from section307.ipr.models import IprDetention

    holder, _ = world.users["rightsholder"]
    disclosed = IprDetention.objects.get(entry__entry_number="GCB-0001005-4")
    services.holder_respond(actor=holder, detention=disclosed, answer="counterfeit", note="Not our product")
    officer, password = world.users["officer"]
    sign_in(page, officer.username, password)
    page.get_by_role("link", name="IPR", exact=True).click()
    page.get_by_role("link", name="Detain goods").click()
    check_accessibility(page)
    page.get_by_label("Entry number").fill("GCB-0001004-6")
    page.locator("label.usa-checkbox__label", has_text="TMK 24-00417").click()
    page.get_by_label("Why the marks are suspected counterfeit").fill("Logo differs from the recorded design")
    page.get_by_label("Codes on the goods and packaging").fill("SKU: SP-INV-1\nserial: X-1")
    page.get_by_role("button", name="Detain").click()
    expect(page.locator("#ipr-status")).to_contain_text("Detained, notice to the importer due")
    expect(page.locator("main")).to_contain_text("Required by the photo standard and still missing")
    check_accessibility(page)
    page.get_by_role("button", name="Send the notice to the importer").click()
    expect(page.locator("#ipr-status")).to_contain_text("Notice sent")
    # The disclosed demo detention: the holder said counterfeit; the officer seizes.
    page.goto(f"/ipr/detentions/{disclosed.pk}/")
    expect(page.locator("main")).to_contain_text("Not our product")
    check_accessibility(page)
    page.get_by_label("Reason", exact=True).fill("The rights holder confirms the marks are counterfeit.")
    page.get_by_role("button", name="Seize as counterfeit").click()
    expect(page.locator("#ipr-status")).to_contain_text("Seized")
    page.get_by_role("button", name="Give this information to the rights holder").click()
    expect(page.locator("main")).to_contain_text("Given to the rights holder on")
    check_accessibility(page)


def test_piratical_article_holder_answers_then_officer_seizes_and_records_forfeiture(page: Any, world: Any) -> None:
    """19 CFR 133.42-133.43 as amended by CBP Dec. 24-03: after the importer's 7 business days the copyright owner
    sees the unredacted photos (no codes) and answers; the officer seizes as a piratical article and records
    the notice of seizure (the petition clock starts)."""
    from section307.ipr.models import IprDetention
    from section307.ports.models import Clock

    detention = IprDetention.objects.get(entry__entry_number="GCB-0001007-0")
    holder, password = world.users["rightsholder"]
    sign_in(page, holder.username, password)
    page.goto(f"/ipr/detentions/{detention.pk}/")
    expect(page.locator("#ipr-procedure")).to_contain_text("piratical article")
    links = page.locator("a.photo-link")
    assert links.count() == 3 and all(links.nth(i).get_attribute("href").endswith("/image/") for i in range(3))
    assert page.locator("#codes").count() == 0
    check_accessibility(page)
    page.locator("label[for=answer-counterfeit]").click()  # "Piratical article"
    page.get_by_label("Note to the officer").fill("No licence was ever granted for this artwork.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator("main")).to_contain_text("Your answer is recorded")
    check_accessibility(page)

    page.context.clear_cookies()
    officer, password = world.users["officer"]
    sign_in(page, officer.username, password)
    page.goto(f"/ipr/detentions/{detention.pk}/")
    expect(page.locator("main")).to_contain_text("No licence was ever granted")
    page.get_by_label("Reason", exact=True).fill("The maps reproduce the recorded artwork; no licence from the owner.")
    page.get_by_role("button", name="Seize as a piratical article").click()
    expect(page.locator("#ipr-status")).to_contain_text("Seized")
    check_accessibility(page)
    page.get_by_label("Step").select_option("notice")
    page.get_by_role("button", name="Record the step").click()
    expect(page.locator("#forfeiture-steps")).to_contain_text("Notice of seizure mailed")
    assert Clock.objects.get(entry=detention.entry, kind="petition").running
    check_accessibility(page)
