"""Accessibility of the remaining case pages, including a form showing errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from section307.accounts import roles
from section307.accounts.models import Organization
from section307.allegations.models import Allegation, AllegationStatus
from section307.cases import services
from section307.cases.models import CaseTask
from section307.geo.services import countries_sync
from tests.browser.conftest import check_accessibility, sign_in
from tests.conftest import PASSWORD


def test_case_pages_are_accessible(page: Any, make_user: Any, transactional_db: Any, tmp_path: Path) -> None:
    from importlib import import_module

    from django.apps import apps

    countries_sync()
    import_module("section307.cases.migrations.0002_default_template").seed(apps, None)
    from section307.cases.models import CaseTemplate

    agency = Organization.objects.create(name="Directorate", kind=Organization.Kind.AGENCY)
    Organization.objects.create(name="DOL ILAB", kind=Organization.Kind.PARTNER)
    analyst = make_user(roles.ANALYST, organization=agency, username="dana")
    case = services.case_create(actor=analyst, title="Gloves from Klang", template=CaseTemplate.objects.get())
    CaseTask.objects.filter(case=case).update(due_date=timezone.localdate().replace(year=2020))
    allegation = Allegation.objects.create(
        reference="ALG-2026-00009",
        receipt_digest="9" * 64,
        submitted_at=timezone.now(),
        reasons="x",
        source_type="media",
        merchandise="Gloves",
        status=AllegationStatus.IN_TRIAGE,
    )
    sign_in(page, "dana", PASSWORD)
    for url in (
        "/cases/",
        "/cases/all/",
        "/cases/queue/?overdue=1",
        "/cases/new/",
        f"/cases/{case.reference}/edit/",
        f"/cases/{case.reference}/evidence/",
        f"/cases/{case.reference}/close/",
        f"/cases/{case.reference}/audit/",
        f"/cases/attach-allegation/{allegation.pk}/",
    ):
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        check_accessibility(page)
    # A refused upload shows its reason next to the field, and the page stays accessible.
    bad = tmp_path / "program.png"
    bad.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    page.goto(f"/cases/{case.reference}/evidence/")
    page.set_input_files("#id_file", str(bad))
    page.select_option("#id_kind", "photo")
    page.fill("#id_title", "Not a photo")
    page.fill("#id_source", "Unknown")
    page.fill("#id_date_obtained", timezone.localdate().isoformat())
    page.get_by_role("button", name="Store evidence").click()
    assert "not accepted" in page.locator(".usa-error-message").first.inner_text()
    assert page.locator("#id_title").input_value() == "Not a photo"
    check_accessibility(page)
    # The close page warns about open tasks.
    page.goto(f"/cases/{case.reference}/close/")
    assert "14 tasks are still open" in page.locator("main").inner_text()
    # The refused upload answered 400 (the browser logs that); nothing else may appear.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
