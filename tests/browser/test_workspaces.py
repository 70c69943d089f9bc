"""Staff workspaces in the browser: tabs with keyboard support, a much shorter case page at 1280 px,
the filtered multi-select with removable chips, and no sideways scrolling at 390 px."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in


@pytest.fixture
def demo(transactional_db: Any) -> Any:
    from section307.demo.world import build_demo_world

    return build_demo_world(seed=11)


def _signed_in(chromium: Any, live_server: Any, demo: Any, username: str, **options: Any) -> Any:
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.script_errors = []
    page.on("pageerror", lambda exc: page.script_errors.append(str(exc)))
    user, password = demo.users[username]
    sign_in(page, user.username, password)
    return context, page


def _case_reference() -> str:
    from section307.cases.models import Case

    case = Case.objects.order_by("pk").first()
    assert case is not None
    return case.reference


def test_case_sections_are_tabs_and_the_page_is_much_shorter(chromium: Any, live_server: Any, demo: Any) -> None:
    reference = _case_reference()
    # Without script every section shows, with a side navigation of anchors: the page as it was.
    context, page = _signed_in(chromium, live_server, demo, "analyst", java_script_enabled=False)
    page.goto(f"/cases/{reference}/")
    full_height = page.evaluate("document.documentElement.scrollHeight")
    assert page.locator("#comments").is_visible() and page.locator("#tasks").is_visible()
    assert page.locator("nav.s307-tabs a[href='#comments']").count() == 1
    context.close()

    context, page = _signed_in(chromium, live_server, demo, "analyst")
    page.goto(f"/cases/{reference}/")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < full_height * 0.6, (height, full_height)
    # Summary and next action come first, in reading order, before the sections.
    order = page.evaluate(
        """() => ['.usa-summary-box', '[data-testid=next-action]', '[role=tablist]'].map(
            s => document.querySelector(s).getBoundingClientRect().top + window.scrollY)"""
    )
    assert order[0] < order[2] and order[1] < order[2]

    tasks_tab = page.get_by_role("tab", name="Tasks")
    expect(tasks_tab).to_have_attribute("aria-selected", "true")
    expect(page.locator("#comments")).to_be_hidden()
    # Arrow keys move between tabs and show the panel; End goes to the last tab.
    tasks_tab.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Supply chain")).to_be_focused()
    expect(page.locator("#supply-chain")).to_be_visible()
    expect(page.locator("#tasks")).to_be_hidden()
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="Comments 0")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#comments")).to_be_visible()
    page.keyboard.press("Home")
    expect(tasks_tab).to_be_focused()
    # A link to a section (as the work queue gives) opens its tab.
    page.goto(f"/cases/{reference}/#memo")
    expect(page.locator("#memo")).to_be_visible()
    expect(page.get_by_role("tab", name="Validity memo")).to_have_attribute("aria-selected", "true")
    check_accessibility(page)
    assert page.script_errors == []
    context.close()


def test_countries_are_chosen_by_typing_and_shown_as_removable_chips(
    chromium: Any, live_server: Any, demo: Any
) -> None:
    from section307.cases.models import Case

    reference = _case_reference()
    context, page = _signed_in(chromium, live_server, demo, "analyst")
    page.goto(f"/cases/{reference}/edit/")
    combo = page.get_by_role("combobox", name="Countries")
    combo.fill("thai")
    expect(page.get_by_role("option", name="Thailand")).to_be_visible()
    combo.press("Enter")
    chips = page.locator("#id_countries").locator("xpath=..").locator(".s307-multiselect__chip")
    expect(chips.filter(has_text="Thailand")).to_have_count(1)
    # The chip's button removes it again; a second choice stays.
    combo.fill("")
    combo.fill("viet")
    combo.press("Enter")
    page.get_by_role("button", name="Remove Thailand").click()
    expect(chips.filter(has_text="Thailand")).to_have_count(0)
    combo.press("Escape")
    check_accessibility(page)
    page.locator("form.usa-form button[type=submit]").first.click()
    page.wait_for_load_state()
    codes = set(Case.objects.get(reference=reference).countries.values_list("code", flat=True))
    assert "VN" in codes and "TH" not in codes
    assert page.script_errors == []
    context.close()


def test_workspaces_fit_a_phone_screen(chromium: Any, live_server: Any, demo: Any) -> None:
    from section307.allegations.models import Allegation
    from section307.ports.models import Detention

    detention = Detention.objects.select_related("entry").order_by("pk").first()
    allegation = Allegation.objects.order_by("pk").first()
    assert detention is not None and allegation is not None
    context, page = _signed_in(chromium, live_server, demo, "officer")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        "/port/",
        f"/port/detentions/{detention.pk}/",
        f"/port/entries/{detention.entry.entry_number}/",
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()
    context, page = _signed_in(chromium, live_server, demo, "analyst")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/cases/", f"/cases/{_case_reference()}/", "/allegations/", f"/allegations/{allegation.pk}/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()
