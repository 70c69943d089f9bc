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


def _bar_point(page: Any, figure: str, label_start: str) -> tuple[float, float]:
    """Where on the page the middle of a chart's bar is (Chart.js gives it in canvas pixels)."""
    canvas = page.locator(f"#figure-{figure} canvas")
    canvas.scroll_into_view_if_needed()
    point = page.evaluate(
        """([figure, start]) => {
            const chart = Chart.getChart(document.querySelector('#figure-' + figure + ' canvas'));
            const index = chart.data.labels.findIndex(label => label.startsWith(start));
            const bar = chart.getDatasetMeta(0).data[index];
            return [bar.x, (bar.y + bar.base) / 2];
        }""",
        [figure, label_start],
    )
    box = canvas.bounding_box()
    return box["x"] + point[0], box["y"] + point[1]


def test_manager_drills_from_a_chart_and_downloads_the_quarterly_report(
    page: Any, make_user: Any, transactional_db: Any
) -> None:
    from section307.cases.models import Case

    _history()
    manager = make_user(roles.MANAGER)
    owner = make_user(roles.ANALYST)
    Case.objects.create(reference="CASE-B-1", title="Gloves factory", owner=owner, phase="research")
    page.emulate_media(reduced_motion="reduce")  # bars drawn at once, where they stay
    sign_in(page, manager.username, PASSWORD)
    page.goto("/metrics/?fy=all")
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length > 0")
    # A bar of the cases-by-phase chart opens the cases it counts.
    page.mouse.click(*_bar_point(page, "cases_by_phase", "2."))
    page.wait_for_url("**/metrics/cases/?phase=research")
    assert "CASE-B-1" in page.locator("main").inner_text()
    check_accessibility(page)
    # A bar of the detentions-by-port chart opens the detentions behind it.
    page.goto("/metrics/?fy=2025")
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length > 0")
    page.mouse.click(*_bar_point(page, "detentions_by_port", "1001"))
    page.wait_for_url("**/metrics/detentions/?**port=1001**")
    assert "1 detention" in page.locator("main").inner_text()
    # The quarterly report: requested, built by the background task, downloaded.
    page.goto("/metrics/#section-reports")
    page.select_option("#r-fy", "2025")
    page.select_option("#r-q", "2")
    page.get_by_role("button", name="Build the PDF report").click()
    page.wait_for_url("**/metrics/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").first.click()
    assert download.value.suggested_filename == "fy2025-q2.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    check_accessibility(page)
    assert page.console_errors == []
