"""Decisions from identifiers, regions, goods, DOL goods and TIP tiers; explanations; batch screening."""

from __future__ import annotations

import json

import polars as pl
import pyarrow as pa
import pytest

from section307.screening import (
    RESULT_COLUMNS,
    Party,
    RegionRule,
    Screener,
    Watchlist,
    WatchlistError,
    parse_identifiers,
)

from .conftest import build_watchlist, entry


# -- identifiers -------------------------------------------------------------------------------------------
def test_mid_wins_outright_over_an_unrelated_name(screener: Screener) -> None:
    r = screener.screen_one(
        entry(manufacturer="Totally Different Name Ltd", manufacturer_id="CN-XINHUA-123-AKS")
    )
    assert (r.decision, r.score, r.matched_id, r.matched_field) == ("hit", 1.0, "P-HUAFU", "manufacturer_id")


@pytest.mark.parametrize(
    ("identifiers", "party"),
    [
        ("USCC:91652900MA775X1234", "P-HUAFU"),
        ("uscc: 9165 2900 ma77 5x12 34", "P-HUAFU"),
        ("IMO 9123456", "P-VESSEL"),
        ("LEI:5493001KJTIIGC8Y1R12", "P-LEI"),
        ("5493001KJTIIGC8Y1R12", "P-LEI"),  # no scheme: matches any scheme
    ],
)
def test_identifier_formats(screener: Screener, identifiers: str, party: str) -> None:
    r = screener.screen_one(entry(manufacturer="Unknown", identifiers=identifiers))
    assert (r.decision, r.matched_id) == ("hit", party)
    assert any(s.kind == "identifier" for s in r.signals)


def test_identifier_scheme_mismatch_does_not_match(screener: Screener) -> None:
    r = screener.screen_one(entry(manufacturer="Unknown", identifiers="MID:9123456"))
    assert r.decision == "clear"


def test_parse_identifiers() -> None:
    assert parse_identifiers("MID:CNXINHOT123URU | USCC:91650100MA77XXXX1X | IMO 9123456 | abc-1") == [
        ("MID", "CNXINHOT123URU"),
        ("USCC", "91650100MA77XXXX1X"),
        ("IMO", "9123456"),
        ("ANY", "ABC1"),
    ]


# -- regions ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "address",
    [
        "新疆喀什市解放北路88号",
        "No. 88 Jiefang North Road, Kashgar, Xinjiang",
        "88 Jiefang Bei Lu, Kashi, PRC",
        "Kashi Shi, Xin Jiang",
    ],
)
def test_address_in_kashgar_is_uflpa_hit(screener: Screener, address: str) -> None:
    r = screener.screen_one(entry(manufacturer="Unlisted Maker", manufacturer_address=address, hts="8471.30"))
    assert (r.decision, r.list, r.matched_field) == ("hit", "uflpa", "manufacturer_address")
    assert "Kashgar" in r.reasons


def test_xpcc_division_address(screener: Screener) -> None:
    r = screener.screen_one(
        entry(
            manufacturer="Unlisted Maker",
            shipper_address="兵团第八师石河子市北四路",
            hts="5201.00",
            description="raw cotton",
        )
    )
    assert r.decision == "hit"
    areas = {dict(s.extra).get("area") for s in r.signals if s.kind == "region"}
    assert {"CN-XJ-XPCC", "CN-XJ"} <= areas
    assert (
        r.order_id == "WRO-2020-12-02-XPCC"
    )  # goods-scoped XPCC cotton order beats the region-wide presumption


def test_region_name_outside_xinjiang_context_is_clear(screener: Screener) -> None:
    for address in ("Xinxing County, Yunfu, Guangdong", "Aksu, Antalya, Turkey", "Hotanville Road, Leeds"):
        r = screener.screen_one(entry(manufacturer="Unlisted Maker", manufacturer_address=address))
        assert not [s for s in r.signals if s.kind == "region"], address


def test_origin_north_korea_is_caatsa_hit(screener: Screener) -> None:
    r = screener.screen_one(entry(manufacturer="Unlisted", country_of_origin="KP", hts="6110.20"))
    assert (r.decision, r.list) == ("hit", "caatsa")
    r = screener.screen_one(
        entry(manufacturer="Unlisted", shipper_address="Pyongyang, DPRK", country_of_origin="CN")
    )
    assert (r.decision, r.list) == ("hit", "caatsa")


# -- goods --------------------------------------------------------------------------------------------------
def test_region_wide_wro_covers_downstream_goods(compiled) -> None:  # type: ignore[no-untyped-def]
    wl = Watchlist()
    wl.add_region_rule(RegionRule("wro-xj-cotton", "CN-XJ", "wro", "WRO-X", goods=("cotton",)))
    wl.add_region_rule(RegionRule("wro-xj-poly", "CN-XJ", "wro", "WRO-P", goods=("polysilicon",)))
    wl.add_region_rule(RegionRule("wro-xj-tom", "CN-XJ", "wro", "WRO-T", goods=("tomatoes",)))
    s = Screener(wl.compile())
    addr = "Urumqi, Xinjiang"
    cases = {
        ("6109.10.0012", ""): "WRO-X",  # cotton t-shirts
        ("5205.11", ""): "WRO-X",  # cotton yarn
        ("6302.21.9020", ""): "WRO-X",  # bed linen
        ("8541.43.0010", ""): "WRO-P",  # solar modules
        ("854142", ""): "WRO-P",  # solar cells
        ("2002.90.8020", ""): "WRO-T",  # tomato paste
        ("", "Tomato ketchup in sachets"): "WRO-T",
        ("", "polysilicon chunks"): "WRO-P",
    }
    for (hts, desc), order in cases.items():
        r = s.screen_one(entry(manufacturer_address=addr, hts=hts, description=desc))
        assert (r.decision, r.order_id) == ("hit", order), (hts, desc)
    r = s.screen_one(entry(manufacturer_address=addr, hts="9403.60", description="wooden furniture"))
    assert r.decision == "clear"


def test_dol_goods_give_review_with_tip(screener: Screener) -> None:
    r = screener.screen_one(
        entry(
            manufacturer="Unlisted Apparel Maker",
            country_of_origin="CN",
            hts="6204.62.4011",
            description="women's cotton trousers",
            manufacturer_address="Ningbo, Zhejiang",
        )
    )
    assert (r.decision, r.list) == ("review", "dol")
    kinds = {s.kind for s in r.signals}
    assert {"dol", "tip"} <= kinds
    gloves = screener.screen_one(
        entry(country_of_origin="MY", hts="4015.19.1010", description="nitrile gloves")
    )
    assert (gloves.decision, gloves.list) == ("review", "dol")


def test_tip_alone_is_a_weak_signal(screener: Screener) -> None:
    r = screener.screen_one(entry(manufacturer="Unlisted Furniture", country_of_origin="CN", hts="9403.60"))
    assert r.decision == "clear"
    assert 0 < r.score < 0.5
    tip = [s for s in r.signals if s.kind == "tip"]
    assert tip and dict(tip[0].extra)["tier"] == "3"
    assert screener.screen_one(entry(country_of_origin="DE")).score == 0.0


# -- explanations -------------------------------------------------------------------------------------------
def test_reasons_and_signals_json(screener: Screener) -> None:
    r = screener.screen_one(
        entry(
            manufacturer="新疆华孚纺织有限公司",
            manufacturer_address="新疆阿克苏",
            country_of_origin="CN",
            hts="5205.12",
            description="cotton yarn",
        )
    )
    assert r.decision == "hit" and r.matched_id == "P-HUAFU"
    assert r.reasons.startswith("Hit: Manufacturer '新疆华孚纺织有限公司' matches")
    signals = json.loads(r.signals_json)
    kinds = {s["kind"] for s in signals}
    assert {"party", "region", "dol", "tip"} <= kinds
    for s in signals:
        assert {"kind", "level", "score", "field", "detail"} <= set(s)
    party = next(s for s in signals if s["kind"] == "party")
    assert (
        party["matched_id"] == "P-HUAFU" and party["list"] == "uflpa" and party["order_id"] == "UFLPA-EL-0001"
    )


def test_clear_result(screener: Screener) -> None:
    r = screener.screen_one(entry(manufacturer="Helvetia Uhren AG", country_of_origin="CH", hts="9102.11"))
    assert (r.decision, r.score, r.matched_id, r.signals) == ("clear", 0.0, None, [])
    assert r.reasons


def test_threshold_moves_hit_to_review() -> None:
    compiled = build_watchlist().compile()
    name = "Hoshin Silicon Industry"  # a typo: scores below 1
    loose = Screener(compiled, threshold=0.8).screen_one(entry(manufacturer=name))
    strict = Screener(compiled, threshold=0.999).screen_one(entry(manufacturer=name))
    assert loose.decision == "hit" and strict.decision == "review"


# -- batches ------------------------------------------------------------------------------------------------
def test_screen_batch_matches_screen_one(screener: Screener) -> None:
    rows = [
        entry(entry_number="A", manufacturer="Hoshine Silicon Industry Co Ltd", country_of_origin="CN"),
        entry(entry_number="B", manufacturer="Nobody", country_of_origin="CH"),
        entry(entry_number="C", manufacturer="Nobody", manufacturer_address="Hotan, Xinjiang"),
    ]
    df = pl.DataFrame(rows).with_columns(pl.lit("x").alias("broker_ref"))
    out = screener.screen(df)
    assert out.columns == [*RESULT_COLUMNS, "broker_ref"]
    assert (
        out["decision"].to_list()
        == [screener.screen_one(r).decision for r in rows]
        == ["hit", "clear", "hit"]
    )
    arrow_out = screener.screen_arrow(pa.Table.from_pylist(rows))
    assert arrow_out.column("signals").to_pylist() == out["signals"].to_list()


def test_watchlist_validation() -> None:
    wl = Watchlist()
    wl.add_region_rule(RegionRule("bad", "CN-NOWHERE", "wro"))
    with pytest.raises(WatchlistError):
        wl.compile()
    wl = Watchlist()
    wl.add_region_rule(RegionRule("bad", "CN-XJ", "wro", goods=("unobtainium",)))
    with pytest.raises(WatchlistError):
        wl.compile()
    wl = Watchlist()
    wl.add_party(Party(id="1", name="Acme"))
    with pytest.raises(WatchlistError):
        wl.set_tip_tier("Atlantis", "3")
