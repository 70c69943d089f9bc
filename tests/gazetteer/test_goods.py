"""HTS normalisation and goods knowledge, downstream links included."""

from __future__ import annotations

from section307.gazetteer import Hts, classify_goods, downstream_of, upstream_of
from section307.gazetteer.goods import GOODS


def test_hts_normalises_spellings() -> None:
    assert Hts("6109.10.0012") == Hts("6109100012") == "6109100012"
    assert Hts("6109.10.0012").dotted() == "6109.10.0012"
    assert Hts(" 8541.43 ").chapter == "85" and Hts("8541.43").heading == "8541"
    assert Hts("6109.10.0012").startswith_any(["61", "6109", "52"]) == "6109"
    assert Hts(None) == ""


def test_downstream_links() -> None:
    assert {"cotton_yarn", "cotton_fabric", "apparel", "home_textiles"} <= downstream_of("cotton")
    assert {"pv_wafers", "solar_cells", "solar_modules"} <= downstream_of("polysilicon")
    assert "tomato_products" in downstream_of("tomatoes")
    assert "polysilicon" in upstream_of("solar_modules") and "cotton" not in upstream_of("solar_modules")


def test_classify_by_hts_and_keyword() -> None:
    assert [g.key for g in classify_goods("8541.43.0010", "")] == ["solar_modules"]
    assert [g.key for g in classify_goods("854142", "")] == ["solar_cells"]
    assert [g.key for g in classify_goods("2002.90", "")] == ["tomato_products"]
    assert {g.key for g in classify_goods("", "Tomato paste, 28-30 brix")} == {"tomato_products"}
    assert {g.key for g in classify_goods("6109.10.0012", "100% cotton T-shirts")} == {"apparel", "cotton"}
    assert classify_goods("9403.60", "wooden tables") == []
    # whole words only: "cottonwood" is not cotton
    assert classify_goods("", "cottonwood veneer") == []


def test_hts_prefixes_are_real_digit_strings() -> None:
    for g in GOODS:
        for p in g.hts:
            assert p.isdigit() and len(p) in (2, 4, 6, 8, 10), (g.key, p)
