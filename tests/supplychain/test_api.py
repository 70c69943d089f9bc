"""The supply-chain API: create (JSON and upload), read, risk paths, exports; cross-organization denial."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from section307.ports.services import api_token_create
from tests.supplychain.conftest import CHAIN_ROWS, ORG_NAME, csv_bytes

pytestmark = pytest.mark.django_db

BODY = {
    "title": "Tees",
    "nodes": [
        {"id": "me", "name": ORG_NAME, "tier": 0},
        {"id": "f", "name": "Saigon Stitch", "country": "VN", "tier": 1},
        {"id": "s", "name": "Kashgar Spinning Mill", "country": "CN", "address": "Kashgar, Xinjiang", "tier": 2},
    ],
    "links": [
        {
            "supplier": "f",
            "buyer": "me",
            "good": "Apparel",
            "hts": "6109.10",
            "share": 1,
            "custody_model": "segregated",
        },
        {
            "supplier": "s",
            "buyer": "f",
            "good": "Cotton yarn",
            "hts": "5205",
            "share": 0.1,
            "custody_model": "book_and_claim",
        },
    ],
}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token_client(user: Any) -> tuple[Client, dict[str, str]]:
    _token, raw = api_token_create(actor=user, user=user, name="ci")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_importer_creates_reads_and_gets_risk_with_a_token(world: dict[str, Any]) -> None:
    client, auth = _token_client(world["importer"])
    r = client.post("/api/v1/supply-chains", json.dumps(BODY), content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    made = r.json()
    assert made["risk_level"] == "hit" and len(made["nodes"]) == 3 and len(made["links"]) == 2
    r = client.get(f"/api/v1/supply-chains/{made['id']}/risk", **auth)
    assert r.status_code == 200
    path = r.json()["paths"][0]
    assert path["names"] == ["Kashgar Spinning Mill", "Saigon Stitch", ORG_NAME]
    assert path["custody_models"] == ["book_and_claim", "segregated"]
    assert path["level"] == "hit" and "117-78" in path["rule"]
    assert any(reason["list"] == "uflpa" for reason in path["reasons"])


def test_csv_upload_through_the_api(world: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(world["importer"])
    r = client.post(
        "/api/v1/supply-chains",
        {"title": "Upload", "file": SimpleUploadedFile("m.csv", csv_bytes(CHAIN_ROWS), content_type="text/csv")},
    )
    assert r.status_code == 201, r.content
    assert r.json()["source"] == "upload"


def test_bad_rows_answer_422_with_row_and_column(world: dict[str, Any]) -> None:
    client, auth = _token_client(world["importer"])
    body = json.loads(json.dumps(BODY))
    body["links"][1]["share"] = 3
    body["nodes"][2]["country"] = "Narnia"
    r = client.post("/api/v1/supply-chains", json.dumps(body), content_type="application/json", **auth)
    assert r.status_code == 422
    problems = {(e["row"], e["column"]) for e in r.json()["errors"]}
    assert problems == {("1", "share"), ("1", "supplier_country")}
    from section307.supplychain.models import SupplyChainMap

    assert not SupplyChainMap.objects.exists()


def test_other_organization_gets_404_and_staff_read(world: dict[str, Any]) -> None:
    client, auth = _token_client(world["importer"])
    map_id = client.post("/api/v1/supply-chains", json.dumps(BODY), content_type="application/json", **auth).json()[
        "id"
    ]
    other, other_auth = _token_client(world["other_importer"])
    for suffix in ("", "/risk", "/export"):
        assert other.get(f"/api/v1/supply-chains/{map_id}{suffix}", **other_auth).status_code == 404
    for role in ("analyst", "officer", "hq", "supervisor"):
        assert _client(world[role]).get(f"/api/v1/supply-chains/{map_id}/risk").status_code == 200
    assert _client(world["partner"]).get(f"/api/v1/supply-chains/{map_id}").status_code == 404
    assert _client(world["analyst"]).post(
        "/api/v1/supply-chains", json.dumps(BODY), content_type="application/json"
    ).status_code in (403,)


def test_exports_ftm_and_graphml(world: dict[str, Any]) -> None:
    client, auth = _token_client(world["importer"])
    map_id = client.post("/api/v1/supply-chains", json.dumps(BODY), content_type="application/json", **auth).json()[
        "id"
    ]
    r = client.get(f"/api/v1/supply-chains/{map_id}/export?format=ftm", **auth)
    assert r.status_code == 200 and r["Content-Type"] == "application/x-ndjson"
    entities = [json.loads(line) for line in r.content.decode().splitlines()]
    schemata = [e["schema"] for e in entities]
    assert schemata.count("Company") == 3 and schemata.count("UnknownLink") == 2 and "Risk" in schemata
    risk = next(e for e in entities if e["schema"] == "Risk")
    assert risk["properties"]["topics"] == ["forced.labor"]
    r = client.get(f"/api/v1/supply-chains/{map_id}/export?format=graphml", **auth)
    assert r.status_code == 200
    import networkx as nx

    graph = nx.read_graphml(io.BytesIO(r.content))
    assert graph.number_of_nodes() == 3 and graph.number_of_edges() == 2
    assert sum(1 for _, d in graph.nodes(data=True) if d["on_risky_path"]) == 3
    assert client.get(f"/api/v1/supply-chains/{map_id}/export?format=pdf", **auth).status_code == 422
