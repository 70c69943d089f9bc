"""Officer screens through the test client: every page renders, bad input gets a 400 with the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from section307.ports.demo import demo_photo
from section307.ports.models import Detention, Entry, ExamImage

pytestmark = pytest.mark.django_db

HEADER = (
    "entry_number,line,importer,manufacturer,manufacturer_address,shipper,shipper_address,country_of_origin,"
    "hts,description,value_usd,date_of_import,port,mode\n"
)


@pytest.fixture
def staff(officer: Any) -> Client:
    c = Client()
    c.force_login(officer)
    return c


def test_officer_walk_through_the_screens(
    registry: Any, file_entry: Callable[..., Entry], staff: Client, importers: Any, reviewers: Any
) -> None:
    from tests.ports.conftest import hq_determine

    entry = file_entry()
    queue = staff.get("/port/").content.decode()
    assert entry.entry_number in queue
    page = staff.get(f"/port/entries/{entry.entry_number}/").content.decode()
    assert "WRO-2023-0001" in page and "Evidence trail" in page and "Photographic standard" in page
    assert (
        staff.post(f"/port/entries/{entry.entry_number}/target/", {"action": "exam", "reason": ""}).status_code == 400
    )
    assert (
        staff.post(f"/port/entries/{entry.entry_number}/target/", {"action": "exam", "reason": "Labels"}).status_code
        == 302
    )
    photo = SimpleUploadedFile("label.jpg", demo_photo("LABEL"), content_type="image/jpeg")
    r = staff.post(
        f"/port/entries/{entry.entry_number}/images/",
        {"photo": photo, "caption": "Label", "shared_with_importer": "on"},
    )
    assert r.status_code == 302 and ExamImage.objects.count() == 1
    blurry = SimpleUploadedFile("b.jpg", demo_photo("LABEL", blur=6), content_type="image/jpeg")
    r = staff.post(f"/port/entries/{entry.entry_number}/images/", {"photo": blurry, "caption": "Label"})
    assert r.status_code == 400 and "blurred" in r.content.decode()
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    r = staff.post(f"/port/entries/{entry.entry_number}/images/", {"photo": fake, "caption": "Label"})
    assert r.status_code == 400 and "(plain text) is not accepted here" in r.content.decode()
    assert ExamImage.objects.count() == 1
    r = staff.post(f"/port/entries/{entry.entry_number}/target/", {"action": "detain", "reason": "WRO mill"})
    detention = Detention.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/port/detentions/{detention.pk}/"
    page = staff.get(f"/port/detentions/{detention.pk}/").content.decode()
    assert "Proof of admissibility" in page and "19 CFR 12.43" in page
    clock = detention.clocks.get(kind="admissibility")
    r = staff.post(f"/port/clocks/{clock.pk}/extend/", {"reason": "Audit", "approving_official": "FLD"}, follow=True)
    assert "never extended" in r.content.decode() and "19 CFR 12.43" in r.content.decode()
    assert not clock.extensions.exists()
    assert staff.post(f"/port/clocks/{clock.pk}/explode/", {"reason": "x"}).status_code == 404
    assert (
        staff.post(f"/port/detentions/{detention.pk}/decide/", {"outcome": "seize", "reason": "x"}).status_code == 400
    )
    assert staff.post(f"/port/detentions/{detention.pk}/decide/", {"outcome": "release"}).status_code == 400
    # The page says which outcomes the law holds back today, and why.
    page = staff.get(f"/port/detentions/{detention.pk}/").content.decode()
    assert "Not yet (19 CFR 12.44(a))" in page and "proof period of 19 CFR 12.43 runs until" in page
    # The port no longer decides admissibility: release waits for headquarters (19 CFR 12.44).
    r = staff.post(f"/port/detentions/{detention.pk}/decide/", {"outcome": "release", "reason": "Looks fine"})
    assert r.status_code == 400 and "19 CFR 12.44(a)" in r.content.decode()
    hq_determine(detention, reviewers, "admissibility", "granted")
    r = staff.post(f"/port/detentions/{detention.pk}/decide/", {"outcome": "release", "reason": "Proof accepted"})
    assert r.status_code == 302
    detention.refresh_from_db()
    assert detention.status == Detention.Status.RELEASED
    for url in (
        "/port/entries/",
        "/port/detentions/?all=1",
        "/port/clocks/",
        "/port/rescreen/",
        "/port/entries/upload/",
        f"/port/entries/{entry.entry_number}/",
    ):
        assert staff.get(url).status_code == 200, url
    timeline = staff.get(f"/port/entries/{entry.entry_number}/").content.decode()
    for step in (
        "Entry received",
        "Screened on arrival",
        "Held for examination",
        "Exam photo added",
        "Detained under",
        "Detention notice sent",
        "Release: Proof accepted",
    ):
        assert step in timeline, step


def test_entries_upload_all_or_nothing(registry: Any, staff: Client, orgs: Any) -> None:
    good = (
        HEADER
        + "GCB-0000051-1,1,Harborline Apparel Imports LLC,Tianshan Harvest Textile Co. Ltd.,Aksu,,,CN,"
        + "6205.20,Shirts,10,2025-05-01,2704,ocean\n"
    )
    bad = good + "GCB-0000052-1,1,Acme,Mill,,,,CN,6205.20,Shirts,ten,2025-05-01,2704,ocean\n"
    r = staff.post("/port/entries/upload/", {"file": SimpleUploadedFile("e.csv", bad.encode())})
    assert r.status_code == 400 and "e.csv row 3: value_usd" in r.content.decode()
    assert not Entry.objects.exists()
    r = staff.post("/port/entries/upload/", {"file": SimpleUploadedFile("e.pdf", b"%PDF")})
    assert r.status_code == 200 and "Send a .csv or .xlsx file" in r.content.decode()
    r = staff.post("/port/entries/upload/", {"file": SimpleUploadedFile("e.xlsx", b"not a zip")})
    assert r.status_code == 400 and "cannot read as XLSX" in r.content.decode()
    from tests.core.test_uploads import docx_with_member

    bomb = docx_with_member(60 * 1024 * 1024)  # a workbook is a zip like a .docx
    r = staff.post("/port/entries/upload/", {"file": SimpleUploadedFile("e.xlsx", bomb)})
    assert r.status_code == 400 and "unreasonable size" in r.content.decode()
    r = staff.post("/port/entries/upload/", {"file": SimpleUploadedFile("e.csv", good.encode())})
    assert r.status_code == 302
    entry = Entry.objects.get()
    assert entry.source == "upload" and entry.status == Entry.Status.TARGETED and entry.organization == orgs[0]


def test_rescreen_form(registry: Any, staff: Client, file_entry: Callable[..., Entry]) -> None:
    file_entry()
    r = staff.post("/port/rescreen/", {"days": "30", "order_reference": "NOPE"})
    assert r.status_code == 400 and "No order NOPE" in r.content.decode()
    r = staff.post("/port/rescreen/", {"days": "30"})
    assert r.status_code == 302
    assert "lines re-screened" in staff.get(r["Location"]).content.decode()


def test_port_screens_deny_by_default(
    client_as: Callable[..., Client], registry: Any, file_entry: Callable[..., Entry]
) -> None:
    from section307.accounts import roles

    entry = file_entry()
    assert Client().get("/port/").status_code == 302
    partner = client_as(roles.PARTNER_AGENCY)
    assert partner.get("/port/").status_code == 403
    assert partner.get(f"/port/entries/{entry.entry_number}/").status_code == 403
    analyst = client_as(roles.ANALYST)
    assert analyst.get(f"/port/entries/{entry.entry_number}/").status_code == 200  # read-only
    assert (
        analyst.post(f"/port/entries/{entry.entry_number}/target/", {"action": "exam", "reason": "x"}).status_code
        == 403
    )
    assert analyst.get("/port/entries/NO-SUCH/").status_code == 404


def test_an_uploaded_file_with_a_nul_in_a_cell_is_refused_whole(registry: Any, staff: Client, orgs: Any) -> None:
    """Files reach the intake without the request-wide input rules; PostgreSQL cannot store NUL."""
    rows = (
        HEADER
        + "GCB-0000053-1,1,Harborline Apparel Imports LLC,Tianshan\x00 Harvest,Aksu,,,CN,"
        + "6205.20,Shirts,10,2025-05-01,2704,ocean\n"
    )
    r = staff.post("/port/entries/upload/", {"file": SimpleUploadedFile("e.csv", rows.encode())})
    assert r.status_code == 400 and "NUL" in r.content.decode()
    assert not Entry.objects.exists()


def test_lines_cleared_on_screening_fold_away_behind_the_flagged_ones(
    registry: Any, file_entry: Callable[..., Entry], staff: Client
) -> None:
    from section307.ports.models import Decision, EntryLine

    entry = file_entry()
    flagged = entry.lines.get()
    assert flagged.decision != Decision.CLEAR
    for n in (2, 3):
        EntryLine.objects.create(entry=entry, line=n, manufacturer=f"Clean Mill {n}", decision=Decision.CLEAR)
    page = staff.get(f"/port/entries/{entry.entry_number}/").content.decode()
    folded = page.index("2 lines cleared on screening")
    assert page.index(f'id="line-{flagged.line}"') < folded < page.index("Clean Mill 2")
