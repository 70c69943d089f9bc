"""Headquarters screens: a reviewer proposes on a package, a second reviewer concurs, the port carries it
out and the importer is told; the CAATSA checklist asks for the 302A(b) test."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from section307.ports.models import Detention, Determination, Notice
from section307.trade import services
from section307.trade.checklists import CHECKLISTS
from section307.trade.models import TradeRequest
from tests.trade.test_trade_portal import detention, pdf_bytes  # noqa: F401

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _submitted(detention: Detention, importer: Any) -> TradeRequest:  # noqa: F811
    req = services.request_create(actor=importer, kind="wro_admissibility", detention=detention)
    for category in ("certificate_of_origin", "detailed_statement"):
        services.document_add(actor=importer, request=req, data=pdf_bytes(), name=f"{category}.pdf", category=category)
    services.request_update(actor=importer, request=req, statement="Cotton traced to Australian farms.")
    services.request_submit(actor=importer, request=req)
    return req


def test_19_cfr_12_44_hq_decides_the_package_with_concurrence_and_the_port_carries_it_out(
    detention: Detention,  # noqa: F811
    importers: Any,
    reviewers: Any,
    officer: Any,
) -> None:
    req = _submitted(detention, importers[0])
    first, second = _client(reviewers[0]), _client(reviewers[1])
    home = first.get("/hq/").content.decode()
    assert f"/hq/requests/{req.pk}/" in home
    page = first.get(f"/hq/requests/{req.pk}/").content.decode()
    assert "Cotton traced" in page and "The proof establishes admissibility" in page
    assert first.post(f"/hq/requests/{req.pk}/", {"outcome": "granted", "reasons": ""}).status_code == 400
    r = first.post(f"/hq/requests/{req.pk}/", {"outcome": "granted", "reasons": "Tracing complete to the farm"})
    determination = Determination.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/hq/determinations/{determination.pk}/"
    # The proposer cannot concur; the page says another reviewer must.
    page = first.get(r["Location"]).content.decode()
    assert "must concur" in page and 'value="concur"' not in page
    r = first.post(r["Location"], {"action": "concur"})
    assert r.status_code == 400 and "two-person review" in r.content.decode()
    r = second.post(f"/hq/determinations/{determination.pk}/", {"action": "concur", "note": "Agree"})
    assert r.status_code == 302
    determination.refresh_from_db()
    assert determination.status == "effective" and determination.concurred_by == reviewers[1]
    req.refresh_from_db()
    assert req.status == TradeRequest.Status.GRANTED
    assert Notice.objects.filter(subject__contains="Headquarters determination").exists()
    # The port sees the determination to carry out and records the release.
    port = _client(officer)
    assert "To carry out at the port" in port.get(f"/port/detentions/{detention.pk}/").content.decode()
    r = port.post(f"/port/detentions/{detention.pk}/decide/", {"outcome": "release", "reason": "Per HQ"})
    assert r.status_code == 302
    detention.refresh_from_db()
    assert detention.status == Detention.Status.RELEASED


def test_hq_screens_are_closed_to_port_officers_and_importers(
    detention: Detention,  # noqa: F811
    importers: Any,
    officer: Any,
) -> None:
    for user in (officer, importers[0]):
        assert _client(user).get("/hq/").status_code == 403


def test_caatsa_302a_b_checklist_asks_for_convict_forced_or_indentured_labor_not_nationality() -> None:
    text = " ".join(item.help for item in CHECKLISTS["caatsa_exception"])
    assert "convict labor, forced labor, or indentured labor under penal sanctions" in text
    assert "North Korean nationals" not in text


def test_importer_files_a_protest_from_the_portal(registry: Any, file_entry: Any, importers: Any, officer: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from section307.ports.services import detention_decide, entry_detain

    entry = file_entry(date=timezone.localdate() - dt.timedelta(days=120))
    detention = entry_detain(actor=officer, entry=entry, reason="WRO")  # noqa: F811
    detention_decide(actor=officer, detention=detention, outcome="exclude", reason="No proof")
    own = _client(importers[0])
    assert "Protest the exclusion" in own.get(f"/portal/detentions/{detention.pk}/").content.decode()
    r = own.post(f"/portal/detentions/{detention.pk}/protest/", {"grounds": "The mill is another company"})
    assert r.status_code == 302 and detention.protests.count() == 1
    r = own.post(f"/portal/detentions/{detention.pk}/protest/", {"grounds": "again"}, follow=True)
    assert "19 U.S.C. 1514(c)(1)" in r.content.decode()
    assert (
        _client(importers[1]).post(f"/portal/detentions/{detention.pk}/protest/", {"grounds": "x"}).status_code == 404
    )
