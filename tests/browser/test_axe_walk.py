"""Every role's main pages at a phone width (390 px) and a desktop width (1280 px), in each language,
with zero axe violations (WCAG 2.1 A/AA) and no page wider than the phone's screen.

One browser context per role. Each page is checked in English at 1280 px and in one more language and
width, rotating through the seven other combinations, so that each role covers every language at both
widths while the walk stays a few minutes long on two cores.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import sign_in

LANGUAGES = ("en", "es", "fr", "zh-hans")
WIDTHS = (390, 1280)
# Every (language, width) but the English desktop view each page always gets.
ROTATION = [(lang, width) for width in WIDTHS for lang in LANGUAGES if (lang, width) != ("en", 1280)]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_PAGES = 12
# Not the project's own pages (the Django admin, the API), or not HTML pages (files, exports), or actions.
SKIP = re.compile(
    r"^/(admin|api|i18n|static|media)/|logout|/files?/|/download|/export|/image|/photo|/attachment|/redacted|"
    r"\.(csv|xlsx|pdf|zip|json|png|jpe?g)$|/template"
)

ROLES = [
    "public",
    "submitter",
    "analyst",
    "supervisor",
    "officer",
    "hq",
    "importer",
    "partner",
    "admin",
    "manager",
    "rightsholder",
]


def _shape(path: str) -> str:
    """Pages that differ only by a record's number or reference count once."""
    return re.sub(r"[A-Z]{2,6}-\d{4}-\d+|\d+", "N", path)


def _links(page: Any, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        if not href or not href.startswith("/") or href.startswith("//"):
            continue
        path = urlsplit(href).path
        if "?" in href or SKIP.search(path):
            continue
        out.append(path)
    return out


def _pages(page: Any, start: list[str]) -> list[str]:
    """The role's navigation, then one page of each kind linked from those pages."""
    page.goto("/")
    seen: dict[str, str] = {}
    for path in [*start, *_links(page, "nav.usa-nav a")]:
        seen.setdefault(_shape(path), path)
    for path in list(seen.values()):
        if len(seen) >= MAX_PAGES:
            break
        page.goto(path)
        for link in _links(page, "main a"):
            if len(seen) >= MAX_PAGES:
                break
            seen.setdefault(_shape(link), link)
    return list(seen.values())


def _axe(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    problems = []
    for v in results.response["violations"]:
        targets = "; ".join(",".join(n["target"]) for n in v["nodes"][:3])
        problems.append(f"{v['id']} ({len(v['nodes'])}): {targets}")
    return problems


def _receipt_code(world: Any) -> str:
    for note in world.notes:
        match = re.search(r"receipt (\S+)", note)
        if match and "Closed" not in note:
            return match.group(1)
    raise AssertionError("the demo world has no allegation receipt")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_is_accessible_at_both_widths_in_every_language(
    role: str, chromium: Any, live_server: Any, transactional_db: Any
) -> None:
    from section307.demo.world import build_demo_world

    world = build_demo_world(seed=7)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    start: list[str] = []
    if role == "public":
        start = ["/", "/orders/", "/report/", "/report/follow-up/", "/accounts/login/"]
    elif role == "submitter":
        page.goto("/report/follow-up/")
        page.fill("#id_code", _receipt_code(world))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        start = ["/report/follow-up/status/"]
    else:
        user, password = world.users[role]
        sign_in(page, user.username, password)
        start = ["/queue/"]
    paths = _pages(page, start)
    if role == "submitter":
        paths = [p for p in paths if p.startswith("/report/") and "leave" not in p] or start

    failures: list[str] = []
    for index, path in enumerate(paths):
        # A role with fewer pages than combinations gets every combination on every page.
        combos = (
            [("en", 1280), ROTATION[index % len(ROTATION)]]
            if len(paths) >= len(ROTATION)
            else [("en", 1280), *ROTATION]
        )
        for language, width in combos:
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(path)
            where = f"{path} [{language}, {width} px]"
            if response is None or response.status >= 400:
                failures.append(f"{where}: HTTP {response.status if response else '?'}")
                continue
            failures.extend(f"{where}: {p}" for p in _axe(page))
            if width == 390:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    failures.append(f"{where}: page is {scroll} px wide")
    context.close()
    assert not errors, errors
    assert paths, role
    assert not failures, f"{len(paths)} pages of {role}:\n" + "\n".join(failures)
