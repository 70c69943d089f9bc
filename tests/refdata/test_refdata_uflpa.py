"""UFLPA Entity List: the DHS HTML page and the CSV export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from section307.refdata.errors import ParseFailed, RowError
from section307.refdata.parsers import PARSERS
from section307.refdata.parsers.uflpa import normalize_section, parse_uflpa

JUNE_21 = dt.date(2022, 6, 21)


def test_registered() -> None:
    assert PARSERS["uflpa"] is parse_uflpa


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2(d)(2)(B)(i)", "2(d)(2)(B)(i)"),
        ("Section 2(d)(2)(B)(ii)", "2(d)(2)(B)(ii)"),
        ("UFLPA Section 2 (d)(2)(B)(iv): List of entities that exported", "2(d)(2)(B)(iv)"),
        ("(v)", "2(d)(2)(B)(v)"),
        ("iii", "2(d)(2)(B)(iii)"),
        ("I", "2(d)(2)(B)(i)"),
        ("List of entities working with the government of Xinjiang to recruit, transport", "2(d)(2)(B)(ii)"),
        ("2(d)(2)(B)(vii)", None),
        ("", None),
    ],
)
def test_normalize_section(raw: str, expected: str | None) -> None:
    assert normalize_section(raw) == expected


def test_dhs_html_page(fixtures: Path) -> None:
    result = parse_uflpa(fixtures / "uflpa_entity_list.html")
    got = [(r.name, r.aliases, r.section, r.date_added, r.qualifiers, r.row) for r in result.records]
    assert got == [
        ("Hoshine Silicon Industry Co., Ltd.", (), "2(d)(2)(B)(i)", JUNE_21, ("including subsidiaries",), 21),
        ("Xinjiang Daqo New Energy Co., Ltd.", (), "2(d)(2)(B)(i)", JUNE_21, (), 22),
        ("Xinjiang GCL New Energy Material Technology Co., Ltd.", (), "2(d)(2)(B)(i)", JUNE_21, (), 23),
        ("Hefei Bitland Information Technology Co., Ltd.", (), "2(d)(2)(B)(ii)", JUNE_21, (), 33),
        (
            "Hetian Haolin Hair Accessories Co. Ltd.",
            ("Hotan Haolin Hair Accessories", "Hollin Hair Accessories"),
            "2(d)(2)(B)(ii)",
            JUNE_21,
            (),
            34,
        ),
        ("Changji Esquel Textile Co. Ltd.", ("Changji Yida Textile",), "2(d)(2)(B)(ii)", JUNE_21, (), 36),
        (
            "Ninestar Corporation",
            (),
            "2(d)(2)(B)(ii)",
            dt.date(2023, 6, 12),
            ("& its eight subsidiaries",),
            37,
        ),
        ("Xinjiang Production and Construction Corps", ("XPCC",), "2(d)(2)(B)(v)", JUNE_21, (), 55),
    ]
    assert result.records[0].section_label == "produces in Xinjiang with forced labor"
    assert result.records[-1].section_label == "sources from Xinjiang or government labor schemes"
    # The second Daqo row (under (v)) has a bad date: reported with the line of its <tr>.
    assert result.errors == [RowError("uflpa_entity_list.html", 56, "Date Added", "not a date: '13/1/2023'")]
    assert result.notes == ["uflpa_entity_list.html: skipped the table at line 61 (no Entity column)"]


def test_csv_export(fixtures: Path) -> None:
    result = parse_uflpa(fixtures / "uflpa_entity_list.csv")
    assert result.errors == []
    got = [(r.name, r.aliases, r.section, r.date_added, r.qualifiers) for r in result.records]
    assert got == [
        (
            "Xinjiang Production and Construction Corps",
            ("XPCC", "Xinjiang Production and Construction Corps Group"),
            "2(d)(2)(B)(v)",
            JUNE_21,
            (),
        ),
        ("Hoshine Silicon Industry Co., Ltd.", (), "2(d)(2)(B)(i)", JUNE_21, ("and its subsidiaries",)),
        (
            "Hefei Bitland Information Technology Co., Ltd.",
            ("Hefei Baolongda Information Technology Co.", "Bitland"),
            "2(d)(2)(B)(ii)",
            JUNE_21,
            (),
        ),
        ("Xinjiang GCL New Energy Material Technology Co., Ltd.", (), "2(d)(2)(B)(i)", JUNE_21, ()),
        ("Aksu Huafu Textiles Co., Ltd.", ("Aksu Huafu Dyed Melange Yarn",), "2(d)(2)(B)(iv)", None, ()),
    ]
    assert [r.row for r in result.records] == [2, 3, 4, 5, 6]


def test_csv_bad_rows(fixtures: Path) -> None:
    result = parse_uflpa(fixtures / "uflpa_bad.csv")
    assert [r.row for r in result.records] == [5]
    assert result.errors == [
        RowError("uflpa_bad.csv", 2, "Section", "unknown section of the Act: '2(d)(2)(B)(vii)'"),
        RowError("uflpa_bad.csv", 3, "Entity", "empty entity name"),
        RowError("uflpa_bad.csv", 4, "Date Added", "not a date: '31/12/2022'"),
        RowError(
            "uflpa_bad.csv",
            6,
            "Entity",
            "duplicate entity: 'Xinjiang Daqo New Energy Co., Ltd.' already on row 5",
        ),
    ]


def test_same_entity_in_two_sections_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text(
        'Entity,Section,Country\n"Xinjiang Daqo New Energy Co., Ltd.",i,China\n'
        '"Xinjiang Daqo New Energy Co., Ltd.",v,China\n'
    )
    result = parse_uflpa(path)
    assert result.errors == []
    assert [(r.section, r.country) for r in result.records] == [
        ("2(d)(2)(B)(i)", "CN"),
        ("2(d)(2)(B)(v)", "CN"),
    ]


def test_missing_columns_and_wrong_files(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text("Name of company,Date\nX,2022-06-21\n")
    with pytest.raises(ParseFailed, match=r"u\.csv, row 1: missing required column\(s\): Entity, Section"):
        parse_uflpa(path)
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>Page not found</h1></body></html>")
    with pytest.raises(ParseFailed, match=r"page\.html: no UFLPA Entity List table found"):
        parse_uflpa(page)
    pdf = tmp_path / "list.csv"
    pdf.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(ParseFailed, match="looks like a PDF document"):
        parse_uflpa(pdf)


def test_dhs_page_with_bullet_lists(fixtures: Path) -> None:
    result = parse_uflpa(fixtures / "uflpa_entity_list_bullets.html")
    assert result.errors == []
    assert [(r.name, r.aliases, r.section, r.date_added, r.row) for r in result.records] == [
        ("Xinjiang Zhongtai Chemical Co., Ltd.", (), "2(d)(2)(B)(i)", None, 10),
        ("Xinjiang East Hope Nonferrous Metals Co., Ltd.", (), "2(d)(2)(B)(i)", None, 11),
        (
            "Aksu Huafu Textiles Co.",
            ("Akesu Huafu Textiles Co.", "Aksu Huafu Dyed Melange Yarn"),
            "2(d)(2)(B)(ii)",
            None,
            15,
        ),
    ]


def test_aliases_from_cell_and_column_are_merged(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text(
        "Entity,Aliases,Section\n"
        '"Xinjiang Production and Construction Corps (XPCC)",xpcc | XPCC | Bingtuan | '
        "Xinjiang Production and Construction Corps,v\n"
    )
    (rec,) = parse_uflpa(path).records
    assert rec.aliases == ("XPCC", "Bingtuan")
