"""The detentions API: same service rules as the screens; 409 names the citation; object rules."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from section307.ports.models import Detention, Entry
from section307.ports.services import entry_detain

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_detain_then_read_with_clocks_citations_and_deadlines(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    entry = file_entry()
    staff = _client(officer)
    r = _post(staff, f"/api/v1/entries/{entry.entry_number}/detention", {"reason": "WRO mill on the label"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["regime"] == "wro" and body["order"] == "WRO-2023-0001"
    clocks = {c["kind"]: c for c in body["clocks"]}
    assert clocks["admissibility"]["citation"] == "19 CFR 12.43" and clocks["admissibility"]["statutory"]
    assert clocks["notice"]["state"] == "stopped"
    r = staff.get(f"/api/v1/detentions/{body['id']}")
    assert r.status_code == 200 and r.json()["timeline"]
    assert any(d["id"] == body["id"] for d in staff.get("/api/v1/detentions").json())
    r = _post(staff, f"/api/v1/entries/{entry.entry_number}/detention", {"reason": ""})
    assert r.status_code == 422


def test_premature_decision_is_409_with_the_rule_and_allowed_later(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    staff = _client(officer)
    recent = entry_detain(actor=officer, entry=file_entry(), reason="WRO")
    r = _post(staff, f"/api/v1/detentions/{recent.pk}/decisions", {"decision": "exclude", "reason": "No proof"})
    assert r.status_code == 409
    assert r.json()["rule"] == "19 CFR 12.44(a)" and "runs until" in r.json()["detail"]
    r = _post(staff, f"/api/v1/detentions/{recent.pk}/decisions", {"decision": "abandon", "reason": "x"})
    assert r.status_code == 422  # not one of release, exclude, seize, export
    old = entry_detain(
        actor=officer, entry=file_entry(date=timezone.localdate() - dt.timedelta(days=120)), reason="WRO"
    )
    r = _post(staff, f"/api/v1/detentions/{old.pk}/decisions", {"decision": "exclude", "reason": "No proof"})
    assert r.status_code == 201 and r.json()["outcome"] == "exclude"


def test_extension_on_a_statutory_clock_is_409_with_the_citation(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    detention = entry_detain(actor=officer, entry=file_entry(), reason="WRO")
    staff = _client(officer)
    body = {"reason": "Audit scheduled", "approving_official": "FLD Director"}
    r = _post(staff, f"/api/v1/detentions/{detention.pk}/clocks/admissibility/extensions", body)
    assert r.status_code == 409 and r.json()["rule"] == "19 CFR 12.43"
    r = _post(staff, f"/api/v1/detentions/{detention.pk}/clocks/response/extensions", body)
    assert r.status_code == 404


def test_agency_extension_on_the_uflpa_response_through_the_api(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    entry = file_entry(
        manufacturer="Hami Bright Sun New Energy Co., Ltd.",
        description="Solar modules",
        hts="854143",
        importer="Meridian Solar Supply Inc.",
        importer_number="46-1182093",
    )
    detention = entry_detain(actor=officer, entry=entry, reason="UFLPA")
    r = _post(
        _client(officer),
        f"/api/v1/detentions/{detention.pk}/clocks/response/extensions",
        {"reason": "Tier 3 audit", "approving_official": "Center Director"},
    )
    assert r.status_code == 201
    assert r.json()["agency_extensions"][0]["approving_official"] == "Center Director"


def test_importer_sees_only_its_own_and_files_a_protest(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any
) -> None:
    from section307.ports.services import detention_decide

    detention = entry_detain(
        actor=officer, entry=file_entry(date=timezone.localdate() - dt.timedelta(days=120)), reason="WRO"
    )
    own, other = _client(importers[0]), _client(importers[1])
    assert own.get(f"/api/v1/detentions/{detention.pk}").status_code == 200
    assert other.get(f"/api/v1/detentions/{detention.pk}").status_code == 404
    assert other.get("/api/v1/detentions").json() == []
    r = _post(own, f"/api/v1/detentions/{detention.pk}/decisions", {"decision": "release", "reason": "mine"})
    assert r.status_code == 403
    r = _post(own, f"/api/v1/detentions/{detention.pk}/protests", {"grounds": "Not excluded yet"})
    assert r.status_code == 409 and r.json()["rule"] == "19 U.S.C. 1514(a)(4)"
    detention_decide(actor=officer, detention=detention, outcome="exclude", reason="No proof")
    r = _post(own, f"/api/v1/detentions/{detention.pk}/protests", {"grounds": "Other mill", "accelerated": True})
    assert r.status_code == 201 and r.json()["accelerated"]
    assert _post(other, f"/api/v1/detentions/{detention.pk}/protests", {"grounds": "x"}).status_code == 404
    body = own.get(f"/api/v1/detentions/{detention.pk}").json()
    assert body["protest"]["status"] == "pending"
    assert Detention.objects.get(pk=detention.pk).status == "excluded"


def test_unauthenticated_is_refused(registry: Any) -> None:
    assert Client().get("/api/v1/detentions").status_code == 401
