"""TIP report tier placements: CSV and the report's Tier Placements HTML page."""

from __future__ import annotations

from pathlib import Path

import pytest

from section307.refdata.errors import ParseFailed, RowError
from section307.refdata.parsers import PARSERS
from section307.refdata.parsers.tip import normalize_tier, parse_tip


def test_registered() -> None:
    assert PARSERS["tip"] is parse_tip


@pytest.mark.parametrize(
    ("raw", "tier"),
    [
        ("Tier 1", "1"),
        ("1", "1"),
        ("TIER 2", "2"),
        ("Tier 2 Watch List", "2WL"),
        ("2WL", "2WL"),
        ("Tier 2WL", "2WL"),
        ("Tier 3", "3"),
        ("Special Case", "special"),
        ("Special Cases", "special"),
        ("Tier 4", None),
        ("", None),
    ],
)
def test_normalize_tier(raw: str, tier: str | None) -> None:
    assert normalize_tier(raw) == tier


EXPECTED_CSV = [
    ("Australia", "AU", "1"),
    ("Burma", "MM", "3"),
    ("Côte d'Ivoire", "CI", "2"),
    ("Curaçao", "CW", "2WL"),
    ("Democratic Republic of the Congo", "CD", "2WL"),
    ("Congo, Republic of the", "CG", "2"),
    ("Korea, North", "KP", "3"),
    ("Korea, South", "KR", "1"),
    ("The Gambia", "GM", "2"),
    ("Türkiye", "TR", "2"),
    ("Macau", "MO", "2WL"),
    ("Hong Kong", "HK", "2"),
    ("Timor-Leste", "TL", "2"),
    ("Libya", "LY", "special"),
    ("Taiwan", "TW", "1"),
]


def test_csv(fixtures: Path) -> None:
    result = parse_tip(fixtures / "tip_tiers.csv")
    assert result.errors == []
    assert [(r.country_name, r.country_code, r.tier) for r in result.records] == EXPECTED_CSV
    assert {r.year for r in result.records} == {2024}
    assert [r.row for r in result.records] == list(range(2, 17))


def test_html_tier_placements(fixtures: Path) -> None:
    result = parse_tip(fixtures / "tip_tier_placements.html")
    got = {r.country_code: r.tier for r in result.records}
    assert got == {
        "AU": "1", "KR": "1", "TW": "1",
        "CI": "2", "CG": "2", "GM": "2", "TR": "2", "HK": "2", "TL": "2",
        "CW": "2WL", "CD": "2WL", "MO": "2WL",
        "MM": "3", "KP": "3",
        "LY": "special", "SO": "special", "YE": "special",
    }  # fmt: skip
    assert {r.year for r in result.records} == {2024}  # from the page title
    assert result.records[0].row == 10  # line of "Australia"
    assert result.errors == [
        RowError("tip_tier_placements.html", 30, "Country", "unknown country: 'Atlantis'")
    ]


def test_html_year_override_and_missing_year(fixtures: Path, tmp_path: Path) -> None:
    result = parse_tip(fixtures / "tip_tier_placements.html", year=2023)
    assert {r.year for r in result.records} == {2023}
    page = tmp_path / "tiers.html"
    page.write_text(
        "<html><head><title>Tier Placements</title></head><body><h2>Tier 1</h2><ul><li>Chile</li></ul>"
    )
    with pytest.raises(ParseFailed, match=r"tiers\.html: cannot tell the report year"):
        parse_tip(page)
    assert [(r.country_code, r.year) for r in parse_tip(page, year=2022).records] == [("CL", 2022)]


def test_csv_errors(tmp_path: Path) -> None:
    path = tmp_path / "tiers.csv"
    path.write_text(
        "Country,Tier,Year\nChile,Tier 4,2024\nNarnia,1,2024\nChile,1,24\nChile,1,2024\nchile,2,2024\n"
    )
    result = parse_tip(path)
    assert result.errors == [
        RowError("tiers.csv", 2, "Tier", "unknown tier: 'Tier 4'"),
        RowError("tiers.csv", 3, "Country", "unknown country: 'Narnia'"),
        RowError("tiers.csv", 4, "Year", "not a year: '24'"),
        RowError("tiers.csv", 6, "Country", "'chile' is placed twice for 2024 (first on row 5)"),
    ]
    assert [r.row for r in result.records] == [5]


def test_csv_without_year_column_needs_a_year(tmp_path: Path) -> None:
    path = tmp_path / "tiers.csv"
    path.write_text("Country,Tier\nChile,1\n")
    with pytest.raises(ParseFailed, match=r"missing required column\(s\): Year"):
        parse_tip(path)
    assert [(r.country_code, r.year) for r in parse_tip(path, year=2024).records] == [("CL", 2024)]


def test_html_bold_paragraph_headings_and_capitals(tmp_path: Path) -> None:
    # Another layout of the same page: bold paragraphs as headings, upper-case names split by <br>.
    page = tmp_path / "tiers.html"
    page.write_text(
        "<html><head><title>2023 Trafficking in Persons Report</title></head><body>"
        "<p><strong>TIER 1</strong></p><p>ARGENTINA<br>KOREA, SOUTH<br></p>"
        "<p><strong>TIER 2 WATCH LIST</strong></p><p>TÜRKIYE<br>CURAÇAO</p>"
        "<p><b>SPECIAL CASES</b></p><p>SOMALIA</p></body></html>",
        encoding="utf-8",
    )
    result = parse_tip(page)
    assert result.errors == []
    assert [(r.country_name, r.country_code, r.tier, r.year) for r in result.records] == [
        ("ARGENTINA", "AR", "1", 2023),
        ("KOREA, SOUTH", "KR", "1", 2023),
        ("TÜRKIYE", "TR", "2WL", 2023),
        ("CURAÇAO", "CW", "2WL", 2023),
        ("SOMALIA", "SO", "special", 2023),
    ]
