"""No snake_case code reaches the visible text of the main pages (demo world, each role's screens)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from section307.core.words import CODE_TOKEN_RE

pytestmark = pytest.mark.django_db

# Tokens that are data people typed or file names they uploaded, not codes of ours.
FILE_NAME_RE = re.compile(r"\S+\.(?:pdf|csv|xlsx|jpe?g|png|tiff?|txt|docx?|eml|bin)\b", re.I)


class _VisibleText(HTMLParser):
    """Text a sighted reader sees: no scripts, styles, code samples or attribute values."""

    SKIP = {"script", "style", "code", "pre", "template", "noscript", "textarea", "option", "select"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def visible_codes(html: str) -> set[str]:
    parser = _VisibleText()
    parser.feed(html)
    text = FILE_NAME_RE.sub(" ", " ".join(parser.parts))
    return set(CODE_TOKEN_RE.findall(text))


def test_visible_text_scanner_finds_codes() -> None:
    html = "<p>caatsa / uflpa_entity</p><code>entry_number</code><p>file supply_chain_map.pdf</p><td>cotton_yarn</td>"
    assert visible_codes(html) == {"uflpa_entity", "cotton_yarn"}


def _pages(world: object) -> list[tuple[str, str]]:
    from section307.allegations.models import Allegation
    from section307.cases.models import Case
    from section307.ports.models import Detention, Entry, RescreenRun
    from section307.trade.models import TradeRequest

    pages: list[tuple[str, str]] = [
        ("analyst", "/"),
        ("analyst", "/queue/"),
        ("officer", "/port/"),
        ("anon", "/orders/"),
    ]
    for case in Case.objects.all()[:3]:
        pages += [("analyst", f"/cases/{case.reference}/"), ("supervisor", f"/cases/{case.reference}/audit/")]
    for allegation in Allegation.objects.exclude(status="draft")[:2]:
        pages.append(("analyst", f"/allegations/{allegation.pk}/"))
    for entry in Entry.objects.order_by("-decision", "pk")[:6]:
        pages.append(("officer", f"/port/entries/{entry.entry_number}/"))
    for detention in Detention.objects.all()[:2]:
        pages.append(("officer", f"/port/detentions/{detention.pk}/"))
    for run in RescreenRun.objects.all()[:1]:
        pages.append(("officer", f"/port/rescreen/{run.pk}/"))
    pages += [("analyst", "/allegations/"), ("officer", "/port/entries/"), ("hq", "/hq/")]
    from section307.orders.models import EnforcementOrder

    for order in EnforcementOrder.objects.order_by("order_type", "pk")[:3]:
        pages.append(("analyst", f"/registry/orders/{order.reference}/"))
    for detention in Detention.objects.filter(entry__organization__isnull=False)[:2]:
        owner = detention.entry.organization.members.first()  # type: ignore[union-attr]
        if owner is not None:
            pages += [(owner.get_username(), "/portal/"), (owner.get_username(), f"/portal/detentions/{detention.pk}/")]
    for req in TradeRequest.objects.all()[:3]:
        user = req.created_by
        pages.append((user.get_username(), f"/portal/requests/{req.pk}/"))
    return pages


def _importer_request_with_documents() -> None:
    """The demo has no importer package yet: open one with documents of the kinds people saw as codes."""
    from section307.ports.models import Detention
    from section307.trade import services

    detention = Detention.objects.filter(entry__organization__isnull=False).first()
    assert detention is not None
    user = detention.entry.organization.members.first()  # type: ignore[union-attr]
    from tests.trade.test_trade_portal import pdf_bytes

    req = services.request_create(actor=user, kind="wro_admissibility", detention=detention)
    for category in ("certificate_of_origin", "supply_chain_tier"):
        services.document_add(actor=user, request=req, data=pdf_bytes(), name="scan.pdf", category=category, tier=1)


def test_main_pages_show_no_internal_codes() -> None:
    from section307.accounts.models import User
    from section307.demo.world import build_demo_world

    world = build_demo_world(seed=307)
    _importer_request_with_documents()
    found: dict[str, set[str]] = {}
    pages = _pages(world)
    trails = 0
    for who, path in pages:
        client = Client()
        if who != "anon":
            client.force_login(world.users[who][0] if who in world.users else User.objects.get(username=who))
        response = client.get(path, follow=True)
        if response.status_code != 200:
            found[f"{who} {path}"] = {f"status {response.status_code}"}
            continue
        html = response.content.decode()
        trails += "Evidence trail" in html
        codes = visible_codes(html)
        if codes:
            found[f"{who} {path}"] = codes
    assert found == {}
    assert len(pages) >= 15 and trails >= 1  # the screens people read all day, trails included
