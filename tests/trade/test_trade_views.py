"""Importer portal screens through the test client."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from section307.ports.models import Detention, Notice
from section307.trade.models import RequestDocument, TradeRequest
from tests.trade.test_trade_portal import detention, pdf_bytes  # noqa: F401

pytestmark = pytest.mark.django_db


def test_importer_walk_through_the_portal(detention: Detention, importers: Any) -> None:  # noqa: F811
    c = Client()
    c.force_login(importers[0])
    page = c.get(f"/portal/detentions/{detention.pk}/").content.decode()
    assert "Carton label" in page and "Internal" not in page and "19 CFR 12.43(a)" in page
    r = c.post("/portal/requests/new/", {"kind": "wro_admissibility", "detention": str(detention.pk)})
    req = TradeRequest.objects.get()
    assert r["Location"] == f"/portal/requests/{req.pk}/"
    assert c.post("/portal/requests/new/", {"kind": "bogus", "detention": "x"}).status_code == 302
    assert TradeRequest.objects.count() == 1
    r = c.post(
        f"/portal/requests/{req.pk}/documents/",
        {"category": "", "language": "en", "file": SimpleUploadedFile("co.pdf", pdf_bytes())},
    )
    assert r.status_code == 400 and "What the document is" in r.content.decode()
    r = c.post(
        f"/portal/requests/{req.pk}/documents/",
        {
            "category": "certificate_of_origin",
            "language": "en",
            "file": SimpleUploadedFile("co.pdf", b"MZ\x90\x00" * 50),
        },
    )
    assert r.status_code == 400 and "not accepted" in r.content.decode()
    for category, name in (("certificate_of_origin", "co.pdf"), ("detailed_statement", "st.pdf")):
        r = c.post(
            f"/portal/requests/{req.pk}/documents/",
            {"category": category, "language": "en", "file": SimpleUploadedFile(name, pdf_bytes())},
        )
        assert r.status_code == 302
    assert c.post(f"/portal/requests/{req.pk}/submit/").status_code == 302
    req.refresh_from_db()
    assert req.status == TradeRequest.Status.DRAFT  # the statement is still empty
    assert c.post(f"/portal/requests/{req.pk}/statement/", {"statement": "Traced to farms."}).status_code == 302
    c.post(f"/portal/requests/{req.pk}/submit/")
    req.refresh_from_db()
    assert req.status == TradeRequest.Status.SUBMITTED and req.versions.count() == 1
    assert RequestDocument.objects.count() == 2
    notices = c.get("/portal/notices/").content.decode()
    assert "Detention notice" in notices
    notice = Notice.objects.filter(organization=importers[0].organization).first()
    assert c.get(f"/portal/notices/{notice.pk}/").status_code == 200
    notice.refresh_from_db()
    assert notice.read_at is not None
    other = Client()
    other.force_login(importers[1])
    assert other.get(f"/portal/notices/{notice.pk}/").status_code == 404
    r = c.post(f"/portal/detentions/{detention.pk}/export/", {"note": "to Canada"})
    detention.refresh_from_db()
    assert detention.export_elected_at is not None
    assert "elected to export" in c.get(f"/portal/entries/{detention.entry.entry_number}/").content.decode()
