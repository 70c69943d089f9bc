"""The managers' dashboard and the public statistics page in a browser, with axe checks."""

from __future__ import annotations

from typing import Any

from section307.accounts import roles
from tests.browser.conftest import check_accessibility, sign_in
from tests.conftest import PASSWORD
from tests.metrics.conftest import HISTORY, add_detention


def _history() -> None:
    from section307.metrics.facts import facts_rebuild

    for row in HISTORY:
        add_detention(**row)
    facts_rebuild()


def test_public_statistics_page_draws_charts_and_is_accessible(page: Any, transactional_db: Any) -> None:
    _history()
    page.goto("/statistics/")
    assert page.locator("h1").inner_text() == "Forced-labor enforcement statistics"
    # Chart.js drew into every canvas (no inline script: the figures come from JSON islands).
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length > 0")
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('canvas[data-chart]')).every(c => Chart.getChart(c) !== undefined)"
    )
    assert drawn
    assert "(s)" in page.locator("#figure-country").inner_text()
    page.click("label[for=s-value]")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**measure=value**")
    check_accessibility(page)
    assert page.console_errors == []


def test_manager_sees_targets_and_drills_down(page: Any, make_user: Any, transactional_db: Any) -> None:
    _history()
    manager = make_user(roles.MANAGER)
    sign_in(page, manager.username, PASSWORD)
    page.get_by_role("link", name="Metrics").click()
    page.wait_for_url("**/metrics/")
    page.select_option("#m-fy", "2025")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**fy=2025**")
    assert "Target:" in page.locator("main").inner_text()
    check_accessibility(page)
    page.locator("#figure-detentions_by_port").get_by_role("link", name="1001").click()
    page.wait_for_url("**/metrics/detentions/**")
    assert "1 detention" in page.locator("main").inner_text()
    check_accessibility(page)
    page.goto("/metrics/targets/")
    page.select_option("#id_indicator", "decisions_on_time")
    page.fill("#id_value", "95")
    page.get_by_role("button", name="Save the target").click()
    assert "Target saved." in page.locator("body").inner_text()
    check_accessibility(page)
    assert page.console_errors == []
