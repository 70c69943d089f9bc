"""Upstream risk: the path from the risky node to the imported good, its reasons, and the custody rules
(rules.path_ruling: mass balance and book-and-claim never clear a UFLPA or CAATSA taint)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from section307.geo.models import Country
from section307.goods.models import DolGoodListing, Good
from section307.orders.models import OrderType
from section307.orders.services import ScopedParty, order_create
from section307.parties.services import party_resolve
from section307.supplychain.models import CustodyModel, RiskLevel
from section307.supplychain.risk import map_risk, risk_paths, upstream_risky
from section307.supplychain.rules import CAATSA_PRESUMPTION, UFLPA_PRESUMPTION, WHOLLY_OR_IN_PART, path_ruling
from section307.supplychain.services import map_import, map_screen
from tests.supplychain.conftest import CHAIN_ROWS, ORG_NAME, dict_rows

pytestmark = pytest.mark.django_db


def _import(world: dict[str, Any], rows: list[tuple[str, ...]]) -> Any:
    return map_import(actor=world["importer"], organization=world["org"], title="Tees", rows=dict_rows(rows))


def test_xinjiang_ginner_taints_the_garment_with_the_whole_path(world: dict[str, Any]) -> None:
    m = _import(world, CHAIN_ROWS)
    assert m.risk_level == RiskLevel.HIT
    risk = map_risk(m)
    path = risk.paths[0]
    assert path.source.name == "Aksu Golden Field Cotton Ginnery"
    assert [n.name for n in path.nodes] == [
        "Aksu Golden Field Cotton Ginnery",
        "Jiangsu Evergreen Spinning Co., Ltd.",
        "Dong Nai Weaving Mill",
        "Saigon Stitch Garment Co., Ltd.",
        ORG_NAME,
    ]
    assert path.level == RiskLevel.HIT and "uflpa" in path.lists
    assert path.rule == UFLPA_PRESUMPTION
    assert any("Xinjiang" in s["detail"] for s in path.reasons)
    # The Texas gin is not on any risky path.
    assert all(p.source.name != "Texas Plains Cotton Gin" for p in risk.paths)


def test_a_five_percent_mass_balance_share_still_taints(world: dict[str, Any]) -> None:
    m = _import(world, CHAIN_ROWS)
    path = map_risk(m).paths[0]
    assert str(path.links[0].share) == "0.0500" and path.links[0].custody_model == CustodyModel.MASS_BALANCE
    assert path.level == RiskLevel.HIT


def test_segregated_custody_never_clears_a_uflpa_taint(world: dict[str, Any]) -> None:
    rows = [(*r[:9], "segregated") for r in CHAIN_ROWS]
    m = _import(world, rows)
    path = map_risk(m).paths[0]
    assert path.level == RiskLevel.HIT and "no chain-of-custody model clears it" in path.note


def test_clean_chain_is_clear(world: dict[str, Any]) -> None:
    rows = [r for r in CHAIN_ROWS if "Aksu" not in r[0]]
    m = _import(world, rows)
    assert m.risk_level == RiskLevel.CLEAR and map_risk(m).paths == []


def _wro_on_spinner() -> None:
    cn = Country.objects.get(code="CN")
    spinner, _ = party_resolve(actor=None, name="Jiangsu Evergreen Spinning Co., Ltd.", country=cn)
    order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Cotton yarn",
        effective_date=dt.date(2025, 1, 6),
        country=cn,
        parties=[ScopedParty(spinner)],
        reference="WRO-2025-0007",
    )


def test_wro_taint_through_mass_balance_is_a_hit(world: dict[str, Any]) -> None:
    _wro_on_spinner()
    rows = [r for r in CHAIN_ROWS if "Aksu" not in r[0]]
    m = _import(world, rows)
    path = map_risk(m).paths[0]
    assert path.source.name.startswith("Jiangsu") and path.level == RiskLevel.HIT
    assert any(s.get("order_id") == "WRO-2025-0007" for s in path.reasons)
    assert path.rule == WHOLLY_OR_IN_PART


def test_wro_taint_through_segregated_links_is_a_review(world: dict[str, Any]) -> None:
    _wro_on_spinner()
    rows = [(*r[:9], "identity_preserved") for r in CHAIN_ROWS if "Aksu" not in r[0]]
    m = _import(world, rows)
    path = map_risk(m).paths[0]
    assert path.level == RiskLevel.REVIEW and m.risk_level == RiskLevel.REVIEW


def test_dol_listing_for_that_good_and_country_is_a_review(world: dict[str, Any]) -> None:
    cotton = Good.objects.create(name="Cotton")
    DolGoodListing.objects.create(good=cotton, country_id="UZ", forced_labor=True, child_labor=True)
    rows = [
        ("Garments Ltd", "VN", "", "", "1", ORG_NAME, "Apparel", "6109", "1", "segregated"),
        ("Tashkent Cotton Gin", "UZ", "Tashkent", "", "2", "Garments Ltd", "Cotton", "5201", "1", "segregated"),
        ("Tashkent Yarn Works", "UZ", "Tashkent", "", "2", "Garments Ltd", "Polyester", "5402", "1", "segregated"),
    ]
    m = _import(world, rows)
    risk = map_risk(m)
    assert [p.source.name for p in risk.paths] == ["Tashkent Cotton Gin"]
    assert risk.paths[0].level == RiskLevel.REVIEW and "dol" in {s["list"] for s in risk.paths[0].reasons}


def test_risk_paths_reads_only_the_paths_and_agrees_with_the_whole_map(world: dict[str, Any]) -> None:
    # Two Xinjiang ginners, one through a second spinner: two paths, each the same as map_risk gives.
    rows = [
        *CHAIN_ROWS,
        (
            "Hubei Second Spinning",
            "CN",
            "Wuhan, Hubei",
            "",
            "3",
            "Dong Nai Weaving Mill",
            "Cotton yarn",
            "5205",
            "0.5",
            "mass_balance",
        ),
        (
            "Korla Cotton Gin",
            "CN",
            "Korla, Bayingolin, Xinjiang",
            "",
            "4",
            "Hubei Second Spinning",
            "Cotton",
            "5201",
            "1",
            "book_and_claim",
        ),
    ]
    m = _import(world, rows)
    level, paths = risk_paths(m)
    whole = map_risk(m)
    assert level == whole.level == RiskLevel.HIT
    assert sorted(p.source.name for p in paths) == ["Aksu Golden Field Cotton Ginnery", "Korla Cotton Gin"]
    assert [([n.pk for n in p.nodes], [lk.pk for lk in p.links], p.rule, p.level) for p in paths] == [
        ([n.pk for n in p.nodes], [lk.pk for lk in p.links], p.rule, p.level) for p in whole.paths
    ]
    korla = next(p for p in paths if p.source.name == "Korla Cotton Gin")
    assert [n.name for n in korla.nodes][1:3] == ["Hubei Second Spinning", "Dong Nai Weaving Mill"]
    assert risk_paths(_import_clean(world)) == (RiskLevel.CLEAR, [])


def _import_clean(world: dict[str, Any]) -> Any:
    rows = [("Garments Ltd", "VN", "", "", "1", ORG_NAME, "Apparel", "6109", "1", "segregated")]
    return map_import(actor=world["importer"], organization=world["org"], title="Clean", rows=dict_rows(rows))


def test_upstream_query_only_sees_nodes_upstream_of_the_good(world: dict[str, Any]) -> None:
    m = _import(world, CHAIN_ROWS)
    found = upstream_risky(m.pk)
    ginner = m.nodes.get(name__startswith="Aksu")
    assert (ginner.pk, 4) in found


def test_rejected_registry_match_does_not_taint(world: dict[str, Any]) -> None:
    _wro_on_spinner()
    rows = [r for r in CHAIN_ROWS if "Aksu" not in r[0]]
    m = _import(world, rows)
    from section307.supplychain.services import node_match_decide

    node = m.nodes.get(name__startswith="Jiangsu")
    node_match_decide(actor=world["importer"], node=node, confirm=False)
    map_screen(chain_map=m)
    m.refresh_from_db()
    assert m.risk_level == RiskLevel.CLEAR


@pytest.mark.parametrize(
    ("lists", "custody", "level", "rule"),
    [
        ({"uflpa"}, [CustodyModel.BOOK_AND_CLAIM], RiskLevel.HIT, UFLPA_PRESUMPTION),
        ({"caatsa"}, [CustodyModel.MASS_BALANCE], RiskLevel.HIT, CAATSA_PRESUMPTION),
        ({"caatsa"}, [CustodyModel.SEGREGATED], RiskLevel.HIT, CAATSA_PRESUMPTION),
        ({"wro"}, [CustodyModel.SEGREGATED, CustodyModel.MASS_BALANCE], RiskLevel.HIT, WHOLLY_OR_IN_PART),
        ({"wro"}, [CustodyModel.SEGREGATED, CustodyModel.IDENTITY_PRESERVED], RiskLevel.REVIEW, WHOLLY_OR_IN_PART),
    ],
)
def test_path_ruling_custody_table(lists: set[str], custody: list[str], level: str, rule: str) -> None:
    ruling = path_ruling(source_level=RiskLevel.HIT, lists=lists, custody=custody)
    assert (ruling.level, ruling.rule) == (level, rule)
