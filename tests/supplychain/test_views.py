"""Pages: upload with row errors, a map with its risky path, self-screening downloads, evidence with hash
checks, EPCIS events and gaps, background jobs, and the case map for analysts."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from section307.supplychain import services
from section307.supplychain.models import Evidence, ImportJob, SupplyChainMap
from tests.supplychain.conftest import CHAIN_ROWS, csv_bytes, dict_rows

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/MediaBox[0 0 3 3]/Parent 2 0 R>>endobj\nxref\n0 4\n0000000000 65535 f \n"
    b"0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\n"
    b"startxref\n164\n%%EOF\n"
)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _map(world: dict[str, Any]) -> SupplyChainMap:
    return services.map_import(
        actor=world["importer"], organization=world["org"], title="Tees", rows=dict_rows(CHAIN_ROWS)
    )


def test_upload_shows_the_tainted_path(world: dict[str, Any]) -> None:
    client = _client(world["importer"])
    r = client.post(
        "/supply-chains/upload/", {"title": "Tees", "file": SimpleUploadedFile("m.csv", csv_bytes(CHAIN_ROWS))}
    )
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "Aksu Golden Field Cotton Ginnery" in page and "Xinjiang" in page
    assert "117-78" in page  # the UFLPA presumption named on the path


def test_upload_errors_are_listed_by_row_and_column(world: dict[str, Any]) -> None:
    rows = [list(r) for r in CHAIN_ROWS]
    rows[0][8] = "-0.2"
    client = _client(world["importer"])
    r = client.post(
        "/supply-chains/upload/",
        {"title": "Tees", "file": SimpleUploadedFile("m.csv", csv_bytes([tuple(x) for x in rows]))},
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert 'id="row-errors"' in page and ">2<" in page and ">share<" in page
    assert not SupplyChainMap.objects.exists()


def test_other_importer_cannot_open_or_change_the_map(world: dict[str, Any]) -> None:
    m = _map(world)
    other = _client(world["other_importer"])
    assert other.get(f"/supply-chains/{m.pk}/").status_code == 404
    assert other.post(f"/supply-chains/{m.pk}/evidence/", {}).status_code == 404
    # Staff read but do not change an importer's map.
    analyst = _client(world["analyst"])
    assert analyst.get(f"/supply-chains/{m.pk}/").status_code == 200
    assert analyst.post(f"/supply-chains/{m.pk}/evidence/", {}).status_code == 403


def test_map_results_download_lists_each_node_with_its_path(world: dict[str, Any]) -> None:
    m = _map(world)
    r = _client(world["importer"]).get(f"/supply-chains/{m.pk}/screening/")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    ginner = next(row for row in rows if row["name"].startswith("Aksu"))
    assert ginner["level"] == "hit" and ginner["path_to_good"].endswith("Harborline Apparel Imports LLC")
    r = _client(world["importer"]).get(f"/supply-chains/{m.pk}/screening/?format=xlsx")
    assert r.content[:2] == b"PK"


def test_self_screening_an_entry_file(world: dict[str, Any]) -> None:
    data = (
        b"manufacturer,manufacturer_address,country_of_origin,hts,description\n"
        b'Aksu Cotton Mill,"Aksu, Xinjiang",CN,5201,raw cotton\n'
        b'Lubbock Gin,"Lubbock, Texas",US,5201,raw cotton\n'
    )
    client = _client(world["importer"])
    r = client.post("/supply-chains/self-screening/", {"file": SimpleUploadedFile("e.csv", data)})
    assert r.status_code == 302
    job = ImportJob.objects.get()
    assert [row["decision"] for row in job.results] == ["hit", "clear"]
    r = client.get(f"/supply-chains/uploads/{job.pk}/results/")
    assert "Xinjiang" in r.content.decode("utf-8-sig")
    assert _client(world["other_importer"]).get(f"/supply-chains/uploads/{job.pk}/").status_code == 404


def test_self_screening_reports_missing_columns(world: dict[str, Any]) -> None:
    r = _client(world["importer"]).post(
        "/supply-chains/self-screening/", {"file": SimpleUploadedFile("e.csv", b"manufacturer\nX\n")}
    )
    assert r.status_code == 400 and "country_of_origin" in r.content.decode()


def test_large_upload_runs_in_the_background_with_progress(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    services.BACKGROUND_ROWS, before = 2, services.BACKGROUND_ROWS
    try:
        client = _client(world["importer"])
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            r = client.post(
                "/supply-chains/upload/", {"title": "Big", "file": SimpleUploadedFile("m.csv", csv_bytes(CHAIN_ROWS))}
            )
    finally:
        services.BACKGROUND_ROWS = before
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED
    page = client.get(r["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert r["Location"].endswith(f"/supply-chains/uploads/{job.pk}/")
    # The queued task ran (the test task backend runs it when enqueued): the job is done and its map exists.
    assert job.status == ImportJob.Status.DONE and job.map is not None and job.payload in (b"", memoryview(b""))
    page = client.get(r["Location"]).content.decode()
    assert "Open the map" in page


def test_evidence_is_encrypted_and_its_hash_checked(world: dict[str, Any]) -> None:
    m = _map(world)
    node = m.nodes.get(name__startswith="Aksu")
    client = _client(world["importer"])
    r = client.post(
        f"/supply-chains/{m.pk}/evidence/",
        {"target": f"node:{node.pk}", "kind": "origin_test", "file": SimpleUploadedFile("test.pdf", PDF)},
    )
    assert r.status_code == 302
    ev = Evidence.objects.get()
    with ev.file.open("rb") as fh:
        assert PDF not in fh.read()  # encrypted at rest
    assert client.get(f"/supply-chains/{m.pk}/evidence/{ev.pk}/").content == PDF
    # A changed file no longer matches its recorded hash and is refused.
    Evidence.objects.filter(pk=ev.pk).update(sha256="0" * 64)
    assert client.get(f"/supply-chains/{m.pk}/evidence/{ev.pk}/").status_code == 409
    page = client.get(f"/supply-chains/{m.pk}/").content.decode()
    assert "Dong Nai Weaving Mill (tier 2): no document or traceability event" in page
    assert "Aksu Golden Field Cotton Ginnery (tier 4): no document" not in page


def test_evidence_type_is_checked(world: dict[str, Any]) -> None:
    m = _map(world)
    node = m.nodes.get(name__startswith="Aksu")
    client = _client(world["importer"])
    client.post(
        f"/supply-chains/{m.pk}/evidence/",
        {"target": f"node:{node.pk}", "kind": "audit", "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00binary")},
    )
    assert not Evidence.objects.exists()


def test_epcis_events_import_and_errors(world: dict[str, Any]) -> None:
    m = _map(world)
    doc = {
        "type": "EPCISDocument",
        "epcisBody": {
            "eventList": [
                {
                    "type": "TransformationEvent",
                    "eventTime": "2026-03-01T08:00:00Z",
                    "bizStep": "commissioning",
                    "bizLocation": {"id": "Dong Nai Weaving Mill"},
                },
                {
                    "type": "ObjectEvent",
                    "eventTime": "2026-03-02T08:00:00+07:00",
                    "bizStep": "shipping",
                    "readPoint": {"id": "Saigon Stitch Garment Co., Ltd."},
                },
            ]
        },
    }
    made = services.events_import(actor=world["importer"], chain_map=m, document=doc)
    assert [e.node.name if e.node else None for e in made] == [
        "Dong Nai Weaving Mill",
        "Saigon Stitch Garment Co., Ltd.",
    ]
    bad = {
        "epcisBody": {
            "eventList": [{"type": "Nonsense", "eventTime": "x"}, {"type": "ObjectEvent", "eventTime": "yesterday"}]
        }
    }
    with pytest.raises(services.MapImportError) as info:
        services.events_import(actor=world["importer"], chain_map=m, document=bad)
    assert [e["field"] for e in info.value.errors] == ["eventList.0.type", "eventList.1.eventTime"]
    assert m.events.count() == 2
    r = _client(world["importer"]).post(
        f"/supply-chains/{m.pk}/events/", {"file": SimpleUploadedFile("e.json", json.dumps(doc).encode())}
    )
    assert r.status_code == 302 and m.events.count() == 4


def test_match_confirm_is_audited(world: dict[str, Any]) -> None:
    from section307.core.models import AuditEvent
    from section307.geo.models import Country
    from section307.parties.services import party_resolve

    party_resolve(actor=None, name="Dong Nai Weaving Mill", country=Country.objects.get(code="VN"))
    m = _map(world)
    node = m.nodes.get(name="Dong Nai Weaving Mill")
    r = _client(world["importer"]).post(f"/supply-chains/{m.pk}/nodes/{node.pk}/match/", {"decision": "confirm"})
    assert r.status_code == 302
    node.refresh_from_db()
    assert node.match_status == "confirmed"
    assert AuditEvent.objects.filter(action="supplychain.match_confirm", data__node=node.pk).exists()
    assert (
        _client(world["officer"])
        .post(f"/supply-chains/{m.pk}/nodes/{node.pk}/match/", {"decision": "reject"})
        .status_code
        == 403
    )


def test_analyst_draws_a_case_map(world: dict[str, Any]) -> None:
    from section307.cases import services as case_services
    from section307.cases.models import CaseParty
    from section307.geo.models import Country
    from section307.parties.services import party_resolve

    case = case_services.case_create(actor=world["analyst"], title="Xinjiang cotton")
    cn = Country.objects.get(code="CN")
    gin, _ = party_resolve(actor=None, name="Aksu Gin Works", country=cn, addresses=["Aksu, Xinjiang"])
    mill, _ = party_resolve(actor=None, name="Coastal Apparel", country=Country.objects.get(code="VN"))
    top = case_services.case_party_add(
        actor=world["analyst"], case=case, party=mill, tier=1, role=CaseParty.Role.PROCESSOR
    )
    case_services.case_party_add(actor=world["analyst"], case=case, party=gin, tier=2, supplies_to=top)
    client = _client(world["analyst"])
    r = client.post("/supply-chains/from-case/", {"case": case.reference})
    assert r.status_code == 302, r.content
    m = SupplyChainMap.objects.get(case=case)
    assert m.organization is None and m.risk_level == "hit"
    assert case.reference in client.get(f"/supply-chains/?case={case.reference}").content.decode()
    assert _client(world["importer"]).get(f"/supply-chains/{m.pk}/").status_code == 404


def test_analyst_files_the_importers_map_in_a_case(world: dict[str, Any]) -> None:
    from section307.cases import services as case_services

    m = _map(world)
    case = case_services.case_create(actor=world["analyst"], title="Xinjiang cotton")
    client = _client(world["analyst"])
    r = client.post(f"/supply-chains/{m.pk}/case/", {"case": case.reference})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.case == case and m.organization == world["org"]  # the same map, still the importer's
    listing = client.get(f"/supply-chains/?case={case.reference}").content.decode()
    assert m.title in listing
    # An officer reads the map but does not work the case.
    assert _client(world["officer"]).post(f"/supply-chains/{m.pk}/case/", {"case": case.reference}).status_code == 403


def test_case_page_shows_the_maps_filed_in_it_with_their_risky_paths(world: dict[str, Any]) -> None:
    from section307.cases import services as case_services
    from section307.supplychain.selectors import case_maps_summary

    m = _map(world)
    case = case_services.case_create(actor=world["analyst"], title="Xinjiang cotton")
    client = _client(world["analyst"])
    empty = client.get(f"/cases/{case.reference}/").content.decode()
    assert "No supplier map is filed in this case yet" in empty
    assert client.post(f"/supply-chains/{m.pk}/case/", {"case": case.reference}).status_code == 302

    page = client.get(f"/cases/{case.reference}/").content.decode()
    tab = page[page.index('id="supply-chain"') :]
    assert "Supplier maps filed in this case" in tab
    assert f'href="/supply-chains/{m.pk}/"' in tab and m.title in tab
    # The tainted path, from the Xinjiang ginner to the importer, and why.
    path = tab[tab.index("Aksu Golden Field Cotton Ginnery") :]
    assert path.index("Jiangsu Evergreen Spinning") < path.index("Saigon Stitch Garment")
    summary = case_maps_summary(user=world["analyst"], case=case)
    assert summary is not None and summary[0].level == "hit"
    assert summary[0].paths[0].source.name == "Aksu Golden Field Cotton Ginnery"
    assert summary[0].paths[0].note in tab.replace("&#x27;", "'")
    # A partner agency reads shared cases but no supplier maps: no summary for it.
    assert case_maps_summary(user=world["partner"], case=case) is None
