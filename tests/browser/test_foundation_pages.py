from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from section307.accounts import roles
from tests.browser.conftest import check_accessibility, sign_in
from tests.conftest import PASSWORD


def test_home_page_is_accessible_and_offers_sign_in(page: Any, transactional_db: Any) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text() == "Forced-labor import enforcement"
    assert page.get_by_role("link", name="Sign in").first.is_visible()
    check_accessibility(page)
    assert page.console_errors == []


def test_analyst_signs_in_and_browses_the_registry(page: Any, make_user: Any, transactional_db: Any) -> None:
    from section307.demo.world import build_demo_world

    build_demo_world(seed=1)
    user = make_user(roles.ANALYST)
    sign_in(page, user.username, PASSWORD)
    page.get_by_role("link", name="Registry").click()
    page.wait_for_url("**/registry/")
    check_accessibility(page)
    page.select_option("#f-status", "revoked")
    expect(page.locator("#order-rows caption")).to_have_text(re.compile(r"^1 order$"))
    page.get_by_role("link", name="WRO-2020-0002").click()
    assert "Revoked" in page.locator("main").inner_text()
    check_accessibility(page)
    assert page.console_errors == []
