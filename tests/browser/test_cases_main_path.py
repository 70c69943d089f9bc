"""The main path in a browser: allegation → case → four phases → approved WRO on the public list,
with evidence tagged, the ILO matrix, and a partner agency that sees only the shared case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from section307.accounts import roles
from section307.accounts.models import Organization
from section307.allegations.models import Allegation, AllegationParty, AllegationStatus
from section307.cases import services
from section307.cases.models import Case, CaseTemplate
from section307.geo.models import Country
from section307.geo.services import countries_sync
from section307.goods.models import Good
from section307.orders.models import EnforcementOrder
from section307.parties.models import Party
from tests.browser.conftest import check_accessibility, sign_in
from tests.conftest import PASSWORD


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


@pytest.fixture
def scene(make_user: Any, transactional_db: Any) -> dict[str, Any]:
    countries_sync()
    # A flushed test database has no seeded template; the data migration's content is recreated here.
    from importlib import import_module

    from django.apps import apps

    import_module("section307.cases.migrations.0002_default_template").seed(apps, None)
    agency = Organization.objects.create(name="Directorate", kind=Organization.Kind.AGENCY)
    dol = Organization.objects.create(name="DOL ILAB", kind=Organization.Kind.PARTNER)
    cn = Country.objects.get(code="CN")
    mill = Party.objects.create(name="Aksu Spinning Mill Co.", country=cn)
    farm = Party.objects.create(name="Aksu Cotton Farm Co.", country=cn)
    good = Good.objects.create(name="Cotton yarn")
    allegation = Allegation.objects.create(
        reference="ALG-2026-00007",
        receipt_digest="7" * 64,
        submitted_at=timezone.now(),
        reasons="Passports held; fees deducted",
        source_type="worker_testimony",
        merchandise="Cotton yarn",
        country=cn,
        status=AllegationStatus.IN_TRIAGE,
    )
    allegation.goods.add(good)
    AllegationParty.objects.create(allegation=allegation, role="manufacturer", name="Aksu Mill", party=mill)
    analyst = make_user(roles.ANALYST, organization=agency, username="dana")
    supervisor = make_user(roles.SUPERVISOR, organization=agency, username="sam")
    partner = make_user(roles.PARTNER_AGENCY, organization=dol, username="lee")
    # Another case the partner must never see.
    services.case_create(actor=analyst, title="Unrelated seafood case", template=CaseTemplate.objects.first())
    return {
        "allegation": allegation,
        "mill": mill,
        "farm": farm,
        "analyst": analyst,
        "supervisor": supervisor,
        "partner": partner,
    }


def test_allegation_to_published_wro(page: Any, scene: dict[str, Any], tmp_path: Path) -> None:
    sign_in(page, "dana", PASSWORD)
    # Phase 1: open the case from the allegation (pre-filled).
    page.goto(f"/cases/from-allegation/{scene['allegation'].pk}/")
    check_accessibility(page)
    page.get_by_role("button", name="Open case").click()
    page.wait_for_url("**/cases/CASE-*/")
    reference = page.url.rstrip("/").rsplit("/", 1)[1]
    page.get_by_role("tab", name="Related work").click()
    assert "ALG-2026-00007" in page.locator("main").inner_text()
    page.get_by_role("button", name="Start research (phase 2)").click()

    # Phase 2: the gate refuses until the map and the memo exist.
    page.get_by_role("button", name="Escalate (phase 3)").click()
    assert "supply-chain map" in page.locator(".usa-alert--error").first.inner_text()
    page.get_by_role("tab", name="Supply chain").click()
    page.locator("summary", has_text="Add or update a party").click()
    page.select_option("#party-party", label="Aksu Cotton Farm Co.")
    page.fill("#party-tier", "2")
    page.get_by_role("button", name="Save party").click()
    page.locator("summary", has_text="Add or update a party").click()
    page.select_option("#party-party", label="Aksu Spinning Mill Co.")
    page.fill("#party-tier", "1")
    page.select_option("#party-role", "processor")
    page.get_by_role("button", name="Save party").click()
    page.locator("summary", has_text="Add or update a party").click()
    page.select_option("#party-party", label="Aksu Cotton Farm Co.")
    page.fill("#party-tier", "2")
    page.select_option("#party-supplies_to", label="Aksu Spinning Mill Co. (tier 1)")
    page.get_by_role("button", name="Save party").click()
    page.get_by_role("tab", name="Validity memo").click()
    page.fill("#memo-memo", "Imports of yarn found in entry data; testimony is credible.")
    page.get_by_role("button", name="Save memo").click()
    page.get_by_role("button", name="Escalate (phase 3)").click()
    assert "3. Escalation" in page.locator(".usa-summary-box").inner_text()
    check_accessibility(page)

    # Evidence: upload, tag with ILO indicators, see the matrix.
    note = tmp_path / "interview.txt"
    note.write_text("Workers said the mill keeps their passports and deducts recruitment fees.\n")
    page.get_by_role("link", name="Evidence").click()
    page.set_input_files("#id_file", str(note))
    page.select_option("#id_kind", "testimony")
    page.fill("#id_title", "Worker interviews")
    page.fill("#id_source", "Field NGO")
    page.select_option("#id_reliability", "B")
    page.fill("#id_date_obtained", (timezone.localdate() - dt.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Store evidence").click()
    assert "SHA-256" in page.locator("main").inner_text()
    for indicator in ("documents", "debt"):
        page.select_option("#tag-indicator", indicator)
        page.select_option("#tag-strength", "strong")
        page.get_by_role("button", name="Tag indicator").click()
    check_accessibility(page)
    page.get_by_role("link", name="ILO matrix").click()
    summary = page.locator(".usa-summary-box").inner_text()
    assert "2 of 11 indicators substantiated" in summary and "both elements" in summary
    check_accessibility(page)
    page.fill("#id_conclusion", "Debt bondage and retained documents: involuntariness and penalty both shown.")
    page.get_by_role("button", name="Record assessment").click()

    # Stakeholders with a protection referral, then sharing with DOL read-only.
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("tab", name="Engagement").click()
    page.locator("summary", has_text="Record an engagement").click()
    page.select_option("#eng-kind", "ngo")
    page.fill("#eng-stakeholder", "Field NGO")
    page.fill("#eng-engaged_on", timezone.localdate().isoformat())
    page.fill("#eng-summary", "Interviews and worker follow-up")
    page.locator("label[for=eng-protection_referral]").click()
    page.fill("#eng-referral_details", "Two workers referred to a legal-aid clinic")
    page.get_by_role("button", name="Record engagement").click()
    page.get_by_role("tab", name="Sharing").click()
    page.select_option("#share-organization", label="DOL ILAB")
    page.get_by_role("button", name="Share", exact=True).click()
    assert "Shared with DOL ILAB" in page.locator("main").inner_text()

    # Phase 4: the proposal and its gate.
    page.get_by_role("link", name="Write the WRO or Finding proposal").click()
    page.fill("#id_merchandise", "Cotton yarn produced by Aksu Spinning Mill Co.")
    page.fill("#id_basis", "Testimony and entry data reasonably but not conclusively indicate forced labor.")
    page.fill("#id_qualifiers", "and its subsidiaries")
    check_accessibility(page)
    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_url(f"**/cases/{reference}/")
    assert "Proposal awaiting approval" in page.locator(".usa-summary-box").inner_text()
    page.get_by_role("tab", name="Proposals and orders").click()
    page.get_by_role("link", name="Withhold Release Order — Submitted for approval").click()
    assert "another supervisor must approve" in page.locator("main").inner_text()  # the author cannot decide
    assert page.get_by_role("button", name="Record decision").count() == 0
    _sign_out(page)

    # A second person approves.
    sign_in(page, "sam", PASSWORD)
    page.goto(f"/cases/{reference}/#orders")
    page.get_by_role("link", name="Withhold Release Order — Submitted for approval").click()
    check_accessibility(page)
    page.locator("label[for=id_decision_0]").click()
    page.fill("#id_note", "Approved.")
    page.get_by_role("button", name="Record decision").click()
    order = EnforcementOrder.objects.get()
    assert f"{order.reference} is issued" in page.locator("main").inner_text()
    assert Case.objects.get(reference=reference).phase == "enforcement"
    _sign_out(page)

    # The partner agency sees only the shared case, read-only.
    sign_in(page, "lee", PASSWORD)
    page.get_by_role("link", name="Cases").click()
    text = page.locator("main").inner_text()
    assert reference in text and "Unrelated seafood case" not in text
    page.get_by_role("link", name=reference).click()
    page.get_by_role("tab", name="Comments").click()
    expect(page.locator("#comments")).to_be_visible()
    assert page.get_by_role("button", name="Add comment").count() == 0
    assert page.get_by_role("link", name="Evidence").count() == 0
    check_accessibility(page)
    _sign_out(page)

    # A public visitor finds the new order on the public list.
    page.get_by_role("link", name="Orders").first.click()
    page.wait_for_url("**/orders/")
    assert order.reference in page.locator("main").inner_text()
    check_accessibility(page)
    page.get_by_role("link", name="Cotton yarn produced by Aksu Spinning Mill Co.").click()
    assert "Aksu Spinning Mill Co." in page.locator("main").inner_text()
    check_accessibility(page)
    assert page.console_errors == []
