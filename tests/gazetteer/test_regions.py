"""Region lookup in every script, without false positives on short or ambiguous names."""

from __future__ import annotations

import pytest

from section307.gazetteer import REGIONS, find_regions, get_region, region_ancestors


def codes(text: str, country: str | None = None) -> list[str]:
    return [r.code for r in find_regions(text, country)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xinjiang", "CN-XJ"),
        ("新疆维吾尔自治区", "CN-XJ"),
        ("Xin Jiang Uygur Autonomous Region", "CN-XJ"),
        ("Ürümqi", "CN-XJ-URUMQI"),
        ("Wu Lu Mu Qi Shi", "CN-XJ-URUMQI"),
        ("乌鲁木齐市", "CN-XJ-URUMQI"),
        ("Kashgar", "CN-XJ-KASHGAR"),
        ("喀什地区", "CN-XJ-KASHGAR"),
        ("Korla, Bayingolin", "CN-XJ-KORLA"),
        ("Kuerle", "CN-XJ-KORLA"),
        ("Yining, Ili", "CN-XJ-YINING"),
        ("Artux", "CN-XJ-ARTUX"),
        ("Hetian", "CN-XJ-HOTAN"),
        ("Shihezi", "CN-XJ-XPCC-D8-CITY"),
        ("Ala'er", "CN-XJ-XPCC-D1-CITY"),
        ("Xinjiang Production and Construction Corps", "CN-XJ-XPCC"),
        ("Bingtuan", "CN-XJ-XPCC"),
        ("农一师", "CN-XJ-XPCC-D1"),
        ("XPCC 13th Division", "CN-XJ-XPCC-D13"),
        ("Xinxing City, Xinjiang", "CN-XJ-XPCC-D13-CITY"),
        ("Tumxuk", "CN-XJ-XPCC-D3-CITY"),
    ],
)
def test_finds_region(text: str, expected: str) -> None:
    assert codes(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Xinxing County, Yunfu, Guangdong",  # a Guangdong county
        "Aksu, Antalya, Turkey",  # a Turkish district
        "Altay Republic, Russia",
        "Hamilton Road",  # "Hami" inside a word
        "Urumqihouse Road",
        "Baiyang Lake, Hebei",
        "新星路88号, 杭州",  # "new star" road
        "1st Division Street, Manila",
        "Shanghai",
        "",
    ],
)
def test_no_false_positive(text: str) -> None:
    assert codes(text) == []


def test_china_only_names_need_china() -> None:
    assert codes("Aksu") == []
    assert codes("Aksu", "CN") == ["CN-XJ-AKSU"]
    assert codes("Aksu City, China") == ["CN-XJ-AKSU"]


def test_every_xpcc_division_and_city() -> None:
    divisions = [r for r in REGIONS if r.kind == "division"]
    assert len(divisions) == 14
    for d in divisions:
        assert region_ancestors(d.code)[-2:] == ["CN-XJ-XPCC", "CN-XJ"]
        n = d.code.rsplit("D", 1)[1]
        assert codes(f"Xinjiang Production and Construction Corps, Division {n}")[0] == d.code
    for city in (
        "Shihezi",
        "Aral",
        "Tumxuk",
        "Wujiaqu",
        "Beitun",
        "Tiemenguan",
        "Shuanghe",
        "Kokdala",
        "Kunyu",
        "Huyanghe",
        "Xinxing",
        "Baiyang",
    ):
        found = find_regions(f"{city} City, Xinjiang")
        assert found and found[0].kind == "city" and found[0].parent and "XPCC" in found[0].parent, city


def test_prefectures_and_cities_covered() -> None:
    for name in (
        "Urumqi",
        "Karamay",
        "Turpan",
        "Hami",
        "Changji",
        "Bortala",
        "Bayingolin",
        "Korla",
        "Aksu",
        "Kizilsu",
        "Artux",
        "Kashgar",
        "Hotan",
        "Ili",
        "Yining",
        "Kuitun",
        "Tacheng",
        "Altay",
    ):
        found = find_regions(f"{name}, Xinjiang")
        assert found and found[0].code != "CN-XJ", name
    assert get_region("CN-XJ-URUMQI") is not None and get_region("CN-XJ-URUMQI").parent == "CN-XJ"  # type: ignore[union-attr]
