"""Importing supplier maps: every bad row named by row and column, nothing half-imported."""

from __future__ import annotations

from typing import Any

import pytest

from section307.core.errors import NotPermitted
from section307.core.uploads import UploadRejected
from section307.supplychain.imports import TEMPLATE_COLUMNS, read_table, template_csv, template_xlsx
from section307.supplychain.models import Link, MatchStatus, Node, SupplyChainMap
from section307.supplychain.services import MapImportError, map_import, map_import_file, map_import_json
from tests.supplychain.conftest import CHAIN_ROWS, ORG_NAME, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def _errors(world: dict[str, Any], rows: list[tuple[str, ...]]) -> list[dict[str, str]]:
    with pytest.raises(MapImportError) as info:
        map_import_file(
            actor=world["importer"], organization=world["org"], title="T", data=csv_bytes(rows), filename="m.csv"
        )
    assert SupplyChainMap.objects.count() == 0 and Node.objects.count() == 0 and Link.objects.count() == 0
    return info.value.errors


def test_csv_import_builds_nodes_links_and_tiers(world: dict[str, Any]) -> None:
    m = map_import_file(
        actor=world["importer"], organization=world["org"], title="Tees", data=csv_bytes(CHAIN_ROWS), filename="m.csv"
    )
    assert m.nodes.count() == 6  # the importer (tier 0) and five suppliers
    assert m.links.count() == 5
    assert sorted(m.nodes.values_list("tier", flat=True)) == [0, 1, 2, 3, 4, 4]
    ginner = m.nodes.get(name="Aksu Golden Field Cotton Ginnery")
    link = ginner.supplies.get()
    assert link.buyer.name == "Jiangsu Evergreen Spinning Co., Ltd." and str(link.share) == "0.0500"
    assert link.custody_model == "mass_balance" and link.hts == "520100"
    assert m.hts == "610910"


def test_xlsx_import_reads_the_same_rows(world: dict[str, Any]) -> None:
    m = map_import_file(
        actor=world["importer"], organization=world["org"], title="Tees", data=xlsx_bytes(CHAIN_ROWS), filename="m.xlsx"
    )
    assert m.links.count() == 5


def test_missing_tier_unknown_country_hts_and_share_are_reported_by_row_and_column(world: dict[str, Any]) -> None:
    rows = [list(r) for r in CHAIN_ROWS]
    rows[1][4] = ""  # missing tier (row 3)
    rows[2][1] = "Atlantis"  # unknown country (row 4)
    rows[3][7] = "7701.00"  # chapter 77 is reserved (row 5)
    rows[4][8] = "1.5"  # share above 1 (row 6)
    errors = _errors(world, [tuple(r) for r in rows])
    found = {(e["row"], e["column"]) for e in errors}
    assert ("3", "tier") in found
    assert ("4", "supplier_country") in found
    assert ("5", "hts") in found
    assert ("6", "share") in found


def test_link_to_unknown_party_is_refused(world: dict[str, Any]) -> None:
    rows = [
        *CHAIN_ROWS[:2],
        ("Spinner X", "CN", "", "", "3", "Nobody We Know Ltd", "Cotton yarn", "5205.11", "1", "segregated"),
    ]
    errors = _errors(world, rows)
    assert [(e["row"], e["column"]) for e in errors] == [("4", "buyer_name")]
    assert "Unknown party" in errors[0]["reason"]


def test_cycle_is_refused_on_the_row_that_closes_it(world: dict[str, Any]) -> None:
    rows = [
        ("A Mill", "VN", "", "", "1", ORG_NAME, "Apparel", "6109", "1", "segregated"),
        ("B Mill", "VN", "", "", "2", "A Mill", "Cotton fabric", "5208", "1", "segregated"),
        ("C Mill", "VN", "", "", "3", "B Mill", "Cotton yarn", "5205", "1", "segregated"),
        # C also buys from ... B is C's supplier? no: B supplies A, C supplies B; now B also supplies C.
        ("B Mill", "VN", "", "", "2", "C Mill", "Cotton yarn", "5205", "1", "segregated"),
    ]
    errors = _errors(world, rows)
    # B (tier 2) cannot sell to C (tier 3): the tier rule catches the loop first, on row 5.
    assert ("5", "tier") in {(e["row"], e["column"]) for e in errors}


def test_cycle_with_consistent_tiers_is_found_by_graph_check() -> None:
    from section307.supplychain.imports import Plan, PlanLink, PlanNode, _cycle_errors

    plan = Plan()
    for key in "abc":
        plan.nodes[key] = PlanNode(key, key.upper(), "VN", tier=1)
    for row, (s, b) in enumerate([("a", "b"), ("b", "c"), ("c", "a")], start=2):
        plan.links.append(PlanLink(s, b, 1, "g", "", None, "segregated", None, None, row))
    errors = _cycle_errors(plan)
    assert len(errors) == 1 and errors[0]["row"] == "4" and errors[0]["column"] == "buyer_name"
    assert "cycle" in errors[0]["reason"]


def test_missing_column_is_named(world: dict[str, Any]) -> None:
    data = b"supplier_name,tier\nX,1\n"
    with pytest.raises(MapImportError) as info:
        map_import_file(actor=world["importer"], organization=world["org"], title="T", data=data, filename="m.csv")
    assert {e["column"] for e in info.value.errors} >= {"supplier_country", "buyer_name", "custody_model"}


def test_binary_file_is_refused_before_parsing(world: dict[str, Any]) -> None:
    with pytest.raises(UploadRejected):
        map_import_file(
            actor=world["importer"], organization=world["org"], title="T", data=b"\x00\x01binary", filename="m.csv"
        )
    with pytest.raises(UploadRejected):
        map_import_file(actor=world["importer"], organization=world["org"], title="T", data=b"a,b", filename="m.exe")


def test_other_organization_cannot_import_for_this_one(world: dict[str, Any]) -> None:
    with pytest.raises(NotPermitted):
        map_import_file(
            actor=world["other_importer"],
            organization=world["org"],
            title="T",
            data=csv_bytes(CHAIN_ROWS),
            filename="m.csv",
        )
    with pytest.raises(NotPermitted):
        map_import(actor=world["analyst"], organization=world["org"], title="T", rows=[])


def test_json_import_uses_node_ids_and_reports_unknown_ids(world: dict[str, Any]) -> None:
    nodes = [
        {"id": "me", "name": ORG_NAME, "tier": 0},
        {"id": "f1", "name": "Saigon Stitch", "country": "VN", "tier": 1},
        {"id": "g1", "name": "Aksu Gin", "country": "CN", "address": "Aksu, Xinjiang", "tier": 2},
    ]
    links = [
        {
            "supplier": "f1",
            "buyer": "me",
            "good": "Apparel",
            "hts": "6109.10",
            "share": 1,
            "custody_model": "segregated",
        },
        {
            "supplier": "g1",
            "buyer": "f1",
            "good": "Cotton",
            "hts": "5201",
            "share": 0.2,
            "custody_model": "mass_balance",
        },
    ]
    m = map_import_json(actor=world["importer"], organization=world["org"], title="API", nodes=nodes, links=links)
    assert m.source == "api" and m.links.count() == 2
    with pytest.raises(MapImportError) as info:
        map_import_json(
            actor=world["importer"],
            organization=world["org"],
            title="API",
            nodes=nodes,
            links=[*links, {"supplier": "g1", "buyer": "zz", "good": "Cotton"}],
        )
    assert info.value.errors[0]["row"] == "2" and info.value.errors[0]["column"] == "buyer_name"


def test_registry_match_is_automatic_for_the_same_name_and_country(world: dict[str, Any]) -> None:
    from section307.geo.models import Country
    from section307.parties.services import party_resolve

    party, _ = party_resolve(actor=None, name="Dong Nai Weaving Mill", country=Country.objects.get(code="VN"))
    m = map_import_file(
        actor=world["importer"], organization=world["org"], title="Tees", data=csv_bytes(CHAIN_ROWS), filename="m.csv"
    )
    node = m.nodes.get(name="Dong Nai Weaving Mill")
    assert node.party == party and node.match_status == MatchStatus.AUTOMATIC
    assert m.nodes.get(name="Texas Plains Cotton Gin").match_status == MatchStatus.UNMATCHED


def test_templates_have_the_columns_and_read_back() -> None:
    assert read_table(template_csv(), "t.csv")[0]["supplier_name"]
    assert list(read_table(template_xlsx(), "t.xlsx")[0])[: len(TEMPLATE_COLUMNS)] == list(TEMPLATE_COLUMNS)


def test_unreadable_files_are_refused_with_a_reason(world: dict[str, Any]) -> None:
    from section307.supplychain.imports import ImportFailed

    header = (
        b"supplier_name,supplier_country,supplier_address,supplier_id,tier,buyer_name,good,hts,share,custody_model\n"
    )
    late_nul = header + b"x" * 5000 + b"\n\x00,VN\n"
    with pytest.raises(ImportFailed) as info:
        read_table(late_nul, "m.csv")
    assert (info.value.errors[0]["row"], info.value.errors[0]["column"]) == ("3", "file")
    with pytest.raises(ImportFailed):
        read_table(b"PK\x03\x04 not really a workbook", "m.xlsx")
    with pytest.raises(ImportFailed):
        read_table("é".encode("latin-1") + b",x\n", "m.csv")
