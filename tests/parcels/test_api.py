"""POST /api/v1/manifests and GET /api/v1/parcels/{tracking_number}."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from section307.accounts import roles
from section307.parcels import services
from section307.parcels.models import Manifest, Parcel
from section307.ports.apps import FILER
from section307.ports.services import api_token_create

from .conftest import csv_bytes, listed, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def filer(make_user: Callable[..., Any], make_org: Callable[..., Any]) -> tuple[Any, dict[str, str]]:
    user = make_user(FILER, organization=make_org("Fast Air Express"))
    secret = api_token_create(actor=user, user=user, name="manifests")[1]
    return user, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _body(rows: list[dict[str, Any]], **over: Any) -> str:
    return json.dumps(
        {
            "source": "express",
            "carrier": "Fast Air",
            "presented_on": str(timezone.localdate() - dt.timedelta(days=1)),
            "rows": rows,
            **over,
        }
    )


def test_json_rows_answer_with_counts_and_row_errors(registry: Any, filer: Any) -> None:
    rows = [listed(1), row(2), row(3, value_usd="free"), row(2)]
    r = Client().post("/api/v1/manifests", _body(rows), content_type="application/json", **filer[1])
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["rows_read"], body["rows_stored"], body["rows_rejected"], body["hits"], body["groups"]) == (
        4,
        2,
        2,
        1,
        1,
    )
    assert {(e["row"], e["column"]) for e in body["row_errors"]} == {(3, "value_usd"), (4, "tracking_number")}
    assert Manifest.objects.get(pk=body["id"]).uploaded_by == filer[0]


def test_a_file_upload_is_read_and_screened(registry: Any, filer: Any) -> None:
    data = csv_bytes([listed(1), row(2)])
    form = {"source": "postal", "carrier": "Post", "presented_on": "2026-01-05", "file": _file(data)}
    r = Client().post("/api/v1/manifests", form, **filer[1])
    assert r.status_code == 201, r.content
    assert r.json()["format"] == "csv" and r.json()["rows_stored"] == 2


def _file(data: bytes, name: str = "m.csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_file_without_a_required_column_is_refused_with_the_column(registry: Any, filer: Any) -> None:
    data = csv_bytes([row(1)], columns=["tracking_number", "seller", "consignee", "description", "value_usd"])
    form = {"source": "postal", "carrier": "Post", "presented_on": "2026-01-05", "file": _file(data)}
    r = Client().post("/api/v1/manifests", form, **filer[1])
    assert r.status_code == 422
    assert r.json()["code"] == "manifest_unreadable" and r.json()["field"] == "origin_country"
    assert not Parcel.objects.exists()


@override_settings(SECTION307_PARCELS_SYNC_BYTES=10)
def test_a_large_file_is_read_in_the_background(registry: Any, filer: Any) -> None:
    data = csv_bytes([row(i) for i in range(1, 30)])
    form = {"source": "postal", "carrier": "Post", "presented_on": "2026-01-05", "file": _file(data)}
    r = Client().post("/api/v1/manifests", form, **filer[1])
    assert r.status_code == 202
    # The test settings run tasks at once; the manifest's own endpoint shows the result.
    m = Manifest.objects.get(pk=r.json()["id"])
    assert m.status == "screened" and m.rows_stored == 29
    r = Client().get(f"/api/v1/manifests/{m.pk}", **filer[1])
    assert r.status_code == 200 and r.json()["rows_stored"] == 29


def test_bad_requests(registry: Any, filer: Any) -> None:
    c = Client()
    assert c.post("/api/v1/manifests", "x=1", content_type="text/plain", **filer[1]).status_code == 415
    assert c.post("/api/v1/manifests", "{", content_type="application/json", **filer[1]).status_code == 400
    r = c.post("/api/v1/manifests", _body([]), content_type="application/json", **filer[1])
    assert r.status_code == 422 and r.json()["field"] == "rows"
    r = c.post(
        "/api/v1/manifests", _body([row(1)], presented_on="2999-01-01"), content_type="application/json", **filer[1]
    )
    assert r.status_code == 422 and r.json()["field"] == "presented_on"
    r = c.post("/api/v1/manifests", _body([row(1)], source="sea"), content_type="application/json", **filer[1])
    assert r.status_code == 422 and r.json()["field"] == "source"
    assert c.post("/api/v1/manifests", _body([row(1)]), content_type="application/json").status_code == 401


def test_a_parcel_with_its_screening_detention_and_timeline(
    registry: Any, filer: Any, officer: Any, client_as: Callable[..., Client]
) -> None:
    r = Client().post(
        "/api/v1/manifests", _body([listed(1), listed(2), row(3)]), content_type="application/json", **filer[1]
    )
    m = Manifest.objects.get(pk=r.json()["id"])
    services.group_detain(actor=officer, group=m.groups.get(), reason="Listed seller.")
    c = Client()
    c.force_login(officer)
    body = c.get("/api/v1/parcels/trk000000002").json()
    assert body["status"] == "detained" and body["decision"] == "hit" and body["order_reference"] == "WRO-2023-0001"
    assert body["detention"]["parcels"] == 2 and body["detention"]["regime"] == "wro"
    assert {d["clock"] for d in body["detention"]["due"]} >= {"decision", "notice", "admissibility"}
    assert [s["kind"] for s in body["timeline"]] == ["received", "screened", "grouped", "detained"]
    # The sender sees its parcel's status, not the screening internals.
    mine = Client().get("/api/v1/parcels/TRK000000002", **filer[1]).json()
    assert mine["status"] == "detained" and mine["decision"] == "" and mine["reasons"] == ""
    # Others see nothing.
    assert client_as(roles.TRADE_USER).get("/api/v1/parcels/TRK000000002").status_code in (403, 404)
    other_filer = client_as(FILER)
    assert other_filer.get("/api/v1/parcels/TRK000000002").status_code == 404
    assert c.get("/api/v1/parcels/NOPE12345").status_code == 404
