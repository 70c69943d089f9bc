"""CBP Withhold Release Orders and Findings list: CSV/XLSX reading, row errors and natural keys."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from section307.refdata.errors import ParseFailed, RowError
from section307.refdata.parsers import PARSERS
from section307.refdata.parsers.cbp_wro import order_key, parse_cbp_wro

HEADER = [
    "Effective Date",
    "Calendar Year",
    "Country Code",
    "Country",
    "Merchandise",
    "WRO/Finding",
    "Industry",
    "Status",
    "Press Release",
    "Entity",
    "Remarks",
]


def write_csv(
    path: Path, rows: list[list[str]], *, encoding: str = "utf-8", header: list[str] = HEADER
) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def test_registered_under_its_source_name() -> None:
    assert PARSERS["cbp-wro"] is parse_cbp_wro


def test_fixture_list_parses_without_errors(fixtures: Path) -> None:
    result = parse_cbp_wro(fixtures / "cbp_wro.csv")
    assert result.errors == []
    assert result.source == "cbp-wro"
    assert result.file == "cbp_wro.csv"
    assert len(result.records) == 18
    by_row = {r.row: r for r in result.records}

    turkmenistan = by_row[2]
    assert turkmenistan.key == "wro:2018-05-18:TM:cotton"
    assert turkmenistan.effective_date == dt.date(2018, 5, 18)
    assert turkmenistan.country_code == "TM"
    assert [(p.name, p.kind, p.country) for p in turkmenistan.parties] == [("Turkmenistan", "region", "TM")]

    hetian = by_row[3]
    assert hetian.order_type == "wro"
    assert hetian.calendar_year == 2019
    assert hetian.industry == "Apparel"
    assert hetian.press_release.startswith("https://www.cbp.gov/")
    assert hetian.entity_text == "Hetian Taida Apparel Co., Ltd."
    assert [p.name for p in hetian.parties] == ["Hetian Taida Apparel Co., Ltd."]

    da_wang = by_row[4]
    assert da_wang.effective_date == dt.date(2019, 2, 26)  # ISO date
    assert da_wang.press_release == ""
    assert [(p.name, p.kind) for p in da_wang.parties] == [("Da Wang", "vessel")]

    xpcc = by_row[5]
    assert xpcc.effective_date == dt.date(2020, 9, 30)  # "Sep 30, 2020"
    assert xpcc.parties[0].aliases == ("XPCC",)

    assert by_row[6].status == "modified"
    assert by_row[7].order_type == "finding"
    assert by_row[7].key == "finding:2022-01-28:MY:palm-oil-and-palm-oil-products"
    assert by_row[8].status == "revoked"

    xuar = by_row[9].parties[0]
    assert (xuar.kind, xuar.region_code, xuar.aliases) == ("region", "CN-XJ", ("XUAR",))

    assert by_row[11].parties[0].qualifiers == ("and its subsidiaries",)
    assert by_row[12].country_code == "DO"
    assert by_row[13].status == "modified"  # "Partially revoked"
    assert [p.name for p in by_row[14].parties] == [
        "Yili Zhuowan Garment Manufacturing Co., Ltd.",
        "Baoding LYSZD Trade and Business Co., Ltd.",
    ]
    north_korea = by_row[15]
    assert (north_korea.country_code, north_korea.status, north_korea.parties) == ("KP", "inactive", ())

    assert [(p.name, p.kind) for p in by_row[16].parties] == [("Kingtom Aluminio S.R.L.", "organization")]
    (vessel,) = by_row[17].parties
    assert (vessel.name, vessel.kind, vessel.identifiers) == (
        "Lien Yi Hsing No. 12",
        "vessel",
        (("IMO", "9123456"),),
    )
    hoshine = by_row[18]
    assert hoshine.key == "finding:2024-04-10:CN:silicon-metal"
    assert [(p.name, p.qualifiers) for p in hoshine.parties] == [
        ("Hoshine Silicon Industry Co., Ltd.", ("and its two subsidiaries",)),
        ("Xinjiang Xinye Silicon Co., Ltd.", ("subsidiary of Hoshine Silicon Industry Co., Ltd.",)),
        ("Hoshine Silicon (Shanshan) Co., Ltd.", ("subsidiary of Hoshine Silicon Industry Co., Ltd.",)),
    ]
    (santa_fe,) = by_row[19].parties
    assert (santa_fe.name, santa_fe.aliases, santa_fe.country) == (
        "Agropecuaria Santa Fe S.A. de C.V.",
        ("Santa Fe Farms", "Campo Santa Fe"),
        "MX",
    )


def test_bad_rows_are_collected_not_raised(fixtures: Path) -> None:
    result = parse_cbp_wro(fixtures / "cbp_wro_bad.csv")
    assert [r.row for r in result.records] == [2]
    assert result.errors == [
        RowError("cbp_wro_bad.csv", 3, "Effective Date", "not a date: '13/45/2020'"),
        RowError(
            "cbp_wro_bad.csv",
            4,
            "WRO/Finding",
            "unknown order type: 'Detention' (expected 'WRO' or 'Finding')",
        ),
        RowError("cbp_wro_bad.csv", 5, "Country", "unknown country: 'Atlantis' (code 'ZZ')"),
        RowError("cbp_wro_bad.csv", 6, "Calendar Year", "not a year: '20x0'"),
        RowError("cbp_wro_bad.csv", 6, "Status", "unknown status: 'Suspended'"),
    ]
    assert (
        str(result.errors[0]) == "cbp_wro_bad.csv, row 3, column 'Effective Date': not a date: '13/45/2020'"
    )


def test_missing_columns_fail_the_file(fixtures: Path) -> None:
    with pytest.raises(ParseFailed) as info:
        parse_cbp_wro(fixtures / "cbp_wro_missing_cols.csv")
    assert info.value.errors == [
        RowError(
            "cbp_wro_missing_cols.csv", 1, None, "missing required column(s): WRO/Finding, Status, Entity"
        )
    ]
    assert "cbp_wro_missing_cols.csv" in str(info.value)


def test_png_renamed_csv_fails(tmp_path: Path) -> None:
    fake = tmp_path / "wro.csv"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    with pytest.raises(
        ParseFailed, match=r"wro\.csv: not a CSV or spreadsheet file \(it looks like a PNG image\)"
    ):
        parse_cbp_wro(fake)


def test_missing_file_fails(tmp_path: Path) -> None:
    with pytest.raises(ParseFailed, match=r"nope\.csv: file not found"):
        parse_cbp_wro(tmp_path / "nope.csv")


ROW = [
    "9/30/2019",
    "2019",
    "CN",
    "China",
    "Garments",
    "WRO",
    "Apparel",
    "Active",
    "",
    "Hetian Taida Apparel Co., Ltd.",
    "",
]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bom.csv", [ROW], encoding="utf-8-sig")
    result = parse_cbp_wro(path)
    assert result.errors == [] and len(result.records) == 1
    assert result.notes == []


def test_cp1252_fallback_is_reported(tmp_path: Path) -> None:
    row = [*ROW[:9], "Kingtom Aluminio S.R.L.", "Dirección general"]
    path = write_csv(tmp_path / "cp.csv", [row], encoding="cp1252")
    result = parse_cbp_wro(path)
    assert result.records[0].remarks == "Dirección general"
    assert result.notes == ["cp.csv: not valid UTF-8, read as Windows-1252 (cp1252)"]


def test_undecodable_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(
        ",".join(HEADER).encode() + b"\r\n9/30/2019,2019,CN,China,G\x81\x8d,WRO,A,Active,,X,\r\n"
    )
    with pytest.raises(ParseFailed, match=r"bad\.csv: cannot decode the file: not UTF-8"):
        parse_cbp_wro(path)


def test_xlsx_with_title_rows_and_date_cells(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["U.S. Customs and Border Protection"])
    ws.append(["Withhold Release Orders and Findings List"])
    ws.append(HEADER)
    ws.append(
        [
            dt.datetime(2021, 6, 24),  # noqa: DTZ001 - spreadsheet cells are naive
            2021,
            "CN",
            "China",
            "Silica-based products",
            "WRO",
            "Manufacturing",
            "Active",
            None,
            "Hoshine Silicon Industry Co., Ltd. and its subsidiaries",
            None,
        ]
    )
    ws.append([None] * len(HEADER))
    ws.append(
        [
            "13/45/2020",
            2020,
            "CN",
            "China",
            "Hair products",
            "WRO",
            "Apparel",
            "Active",
            None,
            "X Co., Ltd.",
            None,
        ]
    )
    ws["I4"].hyperlink = "https://www.cbp.gov/newsroom/national-media-release/hoshine"
    ws["I4"].value = "Press Release"
    path = tmp_path / "wro.xlsx"
    wb.save(path)
    result = parse_cbp_wro(path)
    (rec,) = result.records
    assert rec.row == 4
    assert rec.effective_date == dt.date(2021, 6, 24)
    assert rec.calendar_year == 2021
    assert rec.press_release == "https://www.cbp.gov/newsroom/national-media-release/hoshine"
    assert rec.parties[0].qualifiers == ("and its subsidiaries",)
    assert result.errors == [RowError("wro.xlsx", 6, "Effective Date", "not a date: '13/45/2020'")]


def test_header_spellings_and_code_fallback(tmp_path: Path) -> None:
    header = ["effective date", "Country Code", "Country", "Merchandise", "WRO / Finding", "Status", "Entity"]
    rows = [
        [
            "2020-07-15",
            "MY",
            "",
            "Disposable gloves",
            "Withhold Release Order",
            "ACTIVE",
            "Top Glove Corporation Bhd.",
        ],
        ["2020-07-16", "MM", "Burma", "Gloves", "Findings", "Partially Revoked", ""],
    ]
    result = parse_cbp_wro(write_csv(tmp_path / "w.csv", rows, header=header))
    assert result.errors == []
    assert [(r.country_code, r.country_name, r.order_type, r.status) for r in result.records] == [
        ("MY", "Malaysia", "wro", "active"),
        ("MM", "Burma", "finding", "modified"),
    ]


def test_colliding_natural_keys_are_disambiguated_by_party(tmp_path: Path) -> None:
    base = ["6/17/2020", "2020", "CN", "China", "Hair products", "WRO", "Apparel", "Active", ""]
    rows = [
        [*base, "Hetian Haolin Hair Accessories Co., Ltd.", ""],
        [*base, "Lop County Meixin Hair Product Co., Ltd.", ""],
    ]
    result = parse_cbp_wro(write_csv(tmp_path / "dup.csv", rows))
    assert result.errors == []
    assert [r.key for r in result.records] == [
        "wro:2020-06-17:CN:hair-products~hetian-haolin-hair-accessories-co-ltd",
        "wro:2020-06-17:CN:hair-products~lop-county-meixin-hair-product-co-ltd",
    ]
    # Reversing the rows gives the same keys: the outcome does not depend on order.
    again = parse_cbp_wro(write_csv(tmp_path / "dup2.csv", rows[::-1]))
    assert sorted(r.key for r in again.records) == sorted(r.key for r in result.records)


def test_exact_duplicate_rows_are_an_error(tmp_path: Path) -> None:
    result = parse_cbp_wro(write_csv(tmp_path / "dup.csv", [ROW, ROW]))
    assert [r.row for r in result.records] == [2]
    assert result.errors == [
        RowError(
            "dup.csv",
            3,
            None,
            "duplicate order: same key 'wro:2019-09-30:CN:garments~hetian-taida-apparel-co-ltd' as row 2",
        )
    ]


def test_order_key_normalises_merchandise() -> None:
    assert (
        order_key("wro", dt.date(2021, 6, 24), "cn", "  Silica-based Products ")
        == "wro:2021-06-24:CN:silica-based-products"
    )


def test_utf16_tab_separated_export(tmp_path: Path) -> None:
    # Excel's "Unicode Text" export: UTF-16 with BOM, tab-separated.
    lines = ["\t".join(HEADER), "\t".join(ROW)]
    path = tmp_path / "wro.txt"
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    result = parse_cbp_wro(path)
    assert result.errors == []
    assert result.records[0].parties[0].name == "Hetian Taida Apparel Co., Ltd."
    assert result.notes == ["wro.txt: read as UTF-16"]


def test_semicolon_separated_csv(tmp_path: Path) -> None:
    row = [*ROW[:9], "Lop County Meixin Hair Product Co., Ltd.; Hetian Haolin Hair Accessories Co., Ltd.", ""]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows([HEADER, row])
    path = tmp_path / "wro.csv"
    path.write_text(buf.getvalue())
    (rec,) = parse_cbp_wro(path).records
    assert len(rec.parties) == 2


def test_entity_cells_full_of_semicolons_do_not_change_the_delimiter(tmp_path: Path) -> None:
    cell = "Fishing Vessels: A Long No. 1; B Long No. 2; C Long No. 3; D Long No. 4"
    path = write_csv(tmp_path / "wro.csv", [[*ROW[:9], cell, ""], [*ROW[:9], cell, ""]])
    result = parse_cbp_wro(path)
    assert [len(r.parties) for r in result.records] == [4]
    assert result.errors[0].reason.startswith("duplicate order")


def test_xlsx_list_on_a_later_sheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "About"
    wb.active.append(["This workbook lists CBP's Withhold Release Orders and Findings."])
    ws = wb.create_sheet("WRO and Findings")
    ws.append(HEADER)
    ws.append(ROW)
    path = tmp_path / "wro.xlsx"
    wb.save(path)
    result = parse_cbp_wro(path)
    assert [(r.row, r.key) for r in result.records] == [(2, "wro:2019-09-30:CN:garments")]
    assert result.notes == ["wro.xlsx: read sheet 'WRO and Findings'"]


def test_corrupt_xlsx_fails(tmp_path: Path) -> None:
    path = tmp_path / "wro.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(ParseFailed, match=r"wro\.xlsx: not a readable XLSX workbook"):
        parse_cbp_wro(path)
