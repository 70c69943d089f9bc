"""Pages, API and queues of the restricted-article (19 CFR 133.25) and piratical-article (133.42-133.43 as amended
by CBP Dec. 24-03) procedures, and the forfeiture form after an IPR seizure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from section307.core.queue import queue_for
from section307.ipr import services
from section307.ipr.models import IprDetention, IprForfeitureStep
from section307.ports import law
from tests.ipr.conftest import IprWorld, make_entry
from tests.ipr.test_ipr_procedures import _piratical, _restricted

pytestmark = pytest.mark.django_db
D = dt.date
S = IprDetention.Status


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_officer_detains_a_suspected_piratical_copy_on_the_page(ipr: IprWorld) -> None:
    from tests.ipr.test_ipr_procedures import _copyright

    copyright_ = _copyright(ipr)
    make_entry("GCB-0003009-8", ipr.importer_org, presented=D(2026, 3, 2))
    officer = _client(ipr.officer)
    page = officer.get("/ipr/detain/")
    assert page.status_code == 200 and "19 CFR 133.42-133.43, as amended by CBP Dec. 24-03" in page.content.decode()
    refused = officer.post(
        "/ipr/detain/",
        {
            "entry_number": "GCB-0003009-8",
            "procedure": "piratical",
            "recordations": [ipr.recordation.pk],
            "reasons": "x",
        },
    )
    assert refused.status_code == 400 and "protects recorded copyright only" in refused.content.decode()
    done = officer.post(
        "/ipr/detain/",
        {
            "entry_number": "GCB-0003009-8",
            "procedure": "piratical",
            "recordations": [copyright_.pk],
            "reasons": "Reprinted trail maps",
        },
    )
    d = IprDetention.objects.get(entry__entry_number="GCB-0003009-8")
    assert done.status_code == 302 and d.procedure == "piratical"
    body = officer.get(f"/ipr/detentions/{d.pk}/").content.decode()
    assert "19 CFR 133.42-133.43 (CBP Dec. 24-03, 89 FR 52364)" in body and "133.43(a)" not in body


def test_piratical_article_api_page_and_queues_under_cbp_dec_24_03(ipr: IprWorld) -> None:
    d = _piratical(ipr)
    holder = _client(ipr.holder)
    body = holder.get(f"/api/v1/ipr/detentions/{d.pk}").json()
    assert body["procedure"] == "piratical" and body["images"] == [] and body["codes"] is None
    assert body["importation"]["port_of_entry"] == "2704"  # the limited importation information from the start
    assert {c["kind"] for c in body["clocks"]} == set(law.PIRATICAL_KINDS)
    assert "owner_notified_on" not in body and "demand_on" not in body
    early = holder.post(
        f"/api/v1/ipr/detentions/{d.pk}/response", {"answer": "counterfeit"}, content_type="application/json"
    )
    assert early.status_code == 409 and early.json()["code"] == "not_disclosed_yet"
    assert early.json()["rule"] == law.R_PIRATICAL
    now = timezone.now()
    assert "ipr.importer_reply" in [i.kind for i in queue_for(ipr.importer, now=now)]

    importer = _client(ipr.importer)
    importer_page = importer.get(f"/ipr/detentions/{d.pk}/").content.decode()
    assert "Show that the goods are not piratical articles" in importer_page
    assert "Information that the goods are not piratical articles" in importer_page
    importer.post(f"/ipr/detentions/{d.pk}/reply/", {"text": "A licensed print run."})
    assert IprDetention.objects.get(pk=d.pk).status == S.NOTICED
    assert "ipr.reply_review" in [i.kind for i in queue_for(ipr.officer, now=now)]
    page = holder.get(f"/ipr/detentions/{d.pk}/").content.decode()
    assert "Are the goods piratical articles?" in page and "A licensed print run" not in page
    assert "file a written demand" not in page


def test_piratical_article_disclosed_page_shows_unredacted_photos_no_codes(ipr: IprWorld) -> None:
    d = _piratical(ipr, presented_days_ago=16, all_shots=True)
    officer = _client(ipr.officer)
    assert officer.post(f"/ipr/detentions/{d.pk}/disclose/").status_code == 302
    d.refresh_from_db()
    assert d.status == S.DISCLOSED
    holder = _client(ipr.holder)
    body = holder.get(f"/api/v1/ipr/detentions/{d.pk}").json()
    assert {i["redacted"] for i in body["images"]} == {False} and body["codes"] is None
    now = timezone.now()
    assert "ipr.holder_answer" in [i.kind for i in queue_for(ipr.holder, now=now)]
    answer = holder.post(
        f"/api/v1/ipr/detentions/{d.pk}/response", {"answer": "counterfeit"}, content_type="application/json"
    )
    assert answer.status_code == 201
    assert "ipr.decide" in [i.kind for i in queue_for(ipr.officer, now=now)]
    page = officer.get(f"/ipr/detentions/{d.pk}/").content.decode()
    assert "Seize as a piratical article" in page


def test_restricted_article_page_steps_and_api_fields(ipr: IprWorld) -> None:
    d = services.ipr_notice_send(actor=ipr.officer, detention=_restricted(ipr), on=D(2026, 3, 3))
    officer = _client(ipr.officer)
    body = officer.get(f"/ipr/detentions/{d.pk}/").content.decode()
    assert "Give the importation information to the mark owner" in body and "good cause" in body
    assert "Disclose to the rights holder" not in body
    assert officer.post(f"/ipr/detentions/{d.pk}/extend/", {"days": "0", "reason": "x"}).status_code == 400
    officer.post(f"/ipr/detentions/{d.pk}/extend/", {"days": "10", "reason": "Licence requested from Japan"})
    officer.post(f"/ipr/detentions/{d.pk}/owner_info/")
    d.refresh_from_db()
    assert d.extension_days == 10 and d.owner_info_sent_on is not None
    api = _client(ipr.holder).get(f"/api/v1/ipr/detentions/{d.pk}").json()
    assert api["procedure"] == "gray_market" and api["extension_days"] == 10
    assert {c["kind"]: c["due"] for c in api["clocks"]}["restricted_detention"] == "2026-04-11"
    assert api["importation"]["country_of_origin"] == "CN" and api["images"] == []


def test_forfeiture_steps_recorded_on_the_page_after_a_seizure(ipr: IprWorld) -> None:
    d = services.ipr_notice_send(actor=ipr.officer, detention=_restricted(ipr), on=D(2026, 3, 3))
    d = services.ipr_decide(actor=ipr.officer, detention=d, outcome="seize", reason="No exception", on=D(2026, 4, 2))
    officer = _client(ipr.officer)
    assert "Record the step" in officer.get(f"/ipr/detentions/{d.pk}/").content.decode()
    early = officer.post(f"/ipr/detentions/{d.pk}/forfeiture/", {"step": "petition", "on": "2026-04-05"})
    assert early.status_code == 400 and "record first" in early.content.decode().lower()
    officer.post(f"/ipr/detentions/{d.pk}/forfeiture/", {"step": "notice", "on": "2026-04-06"})
    assert list(IprForfeitureStep.objects.filter(detention=d).values_list("step", flat=True)) == ["notice"]
    api = _client(ipr.officer).get(f"/api/v1/ipr/detentions/{d.pk}").json()
    assert api["forfeiture"][0]["step"] == "notice" and api["forfeiture"][0]["on"] == "2026-04-06"
