"""DOL List of Goods (TVPRA) and EO 13126 list: XLSX, XLS-like, CSV and XML shapes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from section307.refdata.errors import ParseFailed, RowError
from section307.refdata.parsers import PARSERS
from section307.refdata.parsers.dol_goods import parse_dol_goods, parse_eo13126


def test_registered() -> None:
    assert PARSERS["dol-goods"] is parse_dol_goods
    assert PARSERS["dol-eo13126"] is parse_eo13126


def test_xlsx_with_x_marks(tmp_path: Path) -> None:
    # DOL's published workbook: Country, Good, Child Labor, Forced Labor with "X" marks.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Country", "Good", "Child Labor", "Forced Labor"])
    ws.append(["Afghanistan", "Bricks", "X", "X"])
    ws.append(["Angola", "Diamonds", "X", None])
    ws.append(["India ", "Carpets", None, "X"])
    ws.append(["Democratic Republic of the Congo", "Cobalt Ore", "X", None])
    path = tmp_path / "TVPRA2016.xlsx"
    wb.save(path)
    result = parse_dol_goods(path, year=2016)
    assert result.errors == []
    assert [
        (r.good, r.country_code, r.child_labor, r.forced_labor, r.forced_child_labor, r.year, r.row)
        for r in result.records
    ] == [
        ("Bricks", "AF", True, True, False, 2016, 2),
        ("Diamonds", "AO", True, False, False, 2016, 3),
        ("Carpets", "IN", False, True, False, 2016, 4),
        ("Cobalt Ore", "CD", True, False, False, 2016, 5),
    ]


def test_csv_with_derived_goods(fixtures: Path) -> None:
    result = parse_dol_goods(fixtures / "dol_goods.csv")
    assert result.errors == []
    by_good = {r.good: r for r in result.records}
    assert len(by_good) == 9
    bamboo = by_good["Bamboo"]
    assert (bamboo.country_code, bamboo.child_labor, bamboo.forced_labor, bamboo.forced_child_labor) == (
        "MM",
        True,
        True,
        True,
    )
    assert bamboo.sector == "Agriculture"
    assert bamboo.derived is False and bamboo.derived_from == ()
    solar = by_good["Solar Modules"]
    assert (solar.forced_labor, solar.derived, solar.derived_from, solar.derived_country_code) == (
        False,
        True,
        ("Polysilicon",),
        "CN",
    )
    batteries = by_good["Lithium-Ion Batteries"]
    assert (batteries.country_code, batteries.derived_country_code, batteries.derived_from) == (
        "CN",
        "CD",
        ("Cobalt Ore",),
    )
    assert by_good["Garments"].derived_from == ("Cotton", "Gloves", "Thread")
    assert by_good["Cocoa"].country_code == "CI"
    assert by_good["Hazelnuts"].country_code == "TR"


def test_xml(fixtures: Path) -> None:
    result = parse_dol_goods(fixtures / "dol_goods.xml")
    assert result.errors == []
    assert [
        (
            r.row,
            r.good,
            r.country_code,
            r.child_labor,
            r.forced_labor,
            r.forced_child_labor,
            r.derived,
            r.derived_country_code,
            r.sector,
        )
        for r in result.records
    ] == [
        (2, "Açaí Berries", "BR", True, False, False, False, None, "Agriculture"),
        (3, "Solar Cells", "CN", False, False, False, True, "CN", "Manufacturing"),
        (4, "Gold", "BF", True, True, True, False, None, "Mining"),
        (5, "Gold", "KP", False, True, False, False, None, "Mining"),
    ]


def test_xml_with_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE G [<!ENTITY a "aaaa">]><Goods>&a;</Goods>')
    with pytest.raises(ParseFailed, match=r"evil\.xml: not readable XML"):
        parse_dol_goods(path)


def test_bad_rows(fixtures: Path) -> None:
    result = parse_dol_goods(fixtures / "dol_goods_bad.csv")
    assert [r.good for r in result.records] == ["Coffee"]
    assert result.errors == [
        RowError("dol_goods_bad.csv", 2, "forced_labor", "not a yes/no mark: 'Maybe'"),
        RowError("dol_goods_bad.csv", 3, "good", "empty good"),
        RowError("dol_goods_bad.csv", 4, "country", "unknown country: 'Narnia'"),
        RowError(
            "dol_goods_bad.csv",
            5,
            None,
            "no labor type marked (child labor, forced labor, forced child labor or derived)",
        ),
        RowError("dol_goods_bad.csv", 7, "good", "duplicate entry: 'coffee' for 'Brazil' already on row 6"),
    ]


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "goods.csv"
    path.write_text("Product Name,Where\nBricks,Afghanistan\n")
    with pytest.raises(ParseFailed, match=r"goods\.csv: missing required column\(s\): Good, Country"):
        parse_dol_goods(path)


def test_eo13126_list(fixtures: Path) -> None:
    # The TVPRA parser refuses a Country/Good-only file and points at the EO 13126 parser.
    with pytest.raises(ParseFailed, match="dol-eo13126"):
        parse_dol_goods(fixtures / "dol_eo13126.csv")
    result = parse_eo13126(fixtures / "dol_eo13126.csv", year=2014)
    assert result.errors == []
    assert result.source == "dol-eo13126"
    assert [(r.country_code, r.good, r.forced_child_labor, r.year) for r in result.records] == [
        ("AF", "Bricks", True, 2014),
        ("BO", "Brazil Nuts / Chestnuts", True, 2014),  # "Boliva" as DOL spelled it
        ("MM", "Bamboo", True, 2014),
        ("TJ", "Cotton", True, 2014),  # "Tajikstan"
    ]
