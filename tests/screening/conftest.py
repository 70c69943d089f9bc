"""Small hand-written watchlists for the screening tests (no Django, no database)."""

from __future__ import annotations

import itertools

import pytest

from section307.screening import CompiledWatchlist, DolGood, Party, Screener, Watchlist, statutory_rules

# Filler parties give the IDF weights a realistic spread: place and generic words are common.
_PLACES = [
    "Shanghai",
    "Guangzhou",
    "Ningbo",
    "Xiamen",
    "Shenzhen",
    "Hangzhou",
    "Qingdao",
    "Dhaka",
    "Hanoi",
    "Jakarta",
]
_BRANDS = [
    "Hengli",
    "Meida",
    "Jinsheng",
    "Tianyu",
    "Baoxin",
    "Ruifeng",
    "Lianfa",
    "Dongsheng",
    "Yongtai",
    "Kaida",
    "Sunrise",
    "Evergreen",
    "Bluestar",
    "Orchid",
    "Lotus",
]
_GENERIC = ["Trading", "Textile", "Garment", "Industrial", "Import & Export", "Technology"]


def filler_parties() -> list[Party]:
    out = []
    for i, (place, brand, generic) in enumerate(itertools.product(_PLACES, _BRANDS, _GENERIC)):
        if i % 3:
            continue
        out.append(Party(id=f"F{i}", name=f"{place} {brand} {generic} Co., Ltd.", country="CN", list="risk"))
    return out


TARGETS = [
    Party(
        id="P-HUAFU",
        name="Xinjiang Huafu Textile Co., Ltd.",
        aliases=("新疆华孚纺织有限公司",),
        country="CN",
        address="No. 1 Aksu Textile Industrial City, Aksu, Xinjiang",
        identifiers=("USCC:91652900MA775X1234", "MID:CNXINHUA123AKS"),
        list="uflpa",
        order_id="UFLPA-EL-0001",
    ),
    Party(
        id="P-HOSHINE",
        name="Hoshine Silicon Industry Co., Ltd.",
        aliases=("合盛硅业股份有限公司",),
        country="CN",
        address="Jiaxing, Zhejiang",
        list="wro",
        order_id="WRO-2021-06-24-HOSHINE",
    ),
    Party(id="P-ROMASHKA", name="ООО «Ромашка Трейд»", country="RU", list="finding", order_id="FIND-2024-01"),  # noqa: RUF001
    Party(
        id="P-MAJU",
        name="Maju Jaya Gloves Sdn. Bhd.",
        country="MY",
        address="Klang, Selangor",
        list="wro",
        order_id="WRO-2022-MAJU",
    ),
    Party(id="P-BRAUN", name="Braunstein Metallwerke GmbH", country="DE", list="risk"),
    Party(
        id="P-VESSEL",
        name="Da Wang",
        identifiers=("IMO:9123456",),
        country="TW",
        list="wro",
        order_id="WRO-2020-DAWANG",
    ),
    Party(
        id="P-LEI",
        name="Pacific Ocean Harvest Corporation",
        identifiers=("LEI:5493001KJTIIGC8Y1R12",),
        country="PH",
        list="wro",
        order_id="WRO-2023-POH",
    ),
    Party(
        id="P-XPCC",
        name="Xinjiang Production and Construction Corps",
        aliases=("XPCC", "新疆生产建设兵团"),
        country="CN",
        list="uflpa",
        order_id="UFLPA-EL-0002",
    ),
    Party(
        id="P-GOLDEN",
        name="Golden Lion Garment Factory",
        country="BD",
        address="Plot 12, Road 4, Konabari, Gazipur, Dhaka",
        list="wro",
        order_id="WRO-2024-GL",
    ),
]


def build_watchlist(extra: list[Party] | None = None, *, tip: bool = True, dol: bool = True) -> Watchlist:
    wl = Watchlist()
    wl.add_parties(TARGETS)
    wl.add_parties(filler_parties())
    wl.add_parties(extra or [])
    wl.add_region_rules(statutory_rules())
    if dol:
        wl.add_dol_good(DolGood("Garments", "China", forced_labor=True))
        wl.add_dol_good(DolGood("Cotton", "China", child_labor=True, forced_labor=True))
        wl.add_dol_good(DolGood("Rubber Gloves", "Malaysia", forced_labor=True))
        wl.add_dol_good(DolGood("Bricks", "Pakistan", child_labor=True, forced_labor=False))
    if tip:
        wl.set_tip_tier("China", "3")
        wl.set_tip_tier("Malaysia", "2WL")
        wl.set_tip_tier("Viet Nam", "2")
        wl.set_tip_tier("Germany", "1")
    return wl


@pytest.fixture(scope="session")
def compiled() -> CompiledWatchlist:
    return build_watchlist().compile()


@pytest.fixture(scope="session")
def screener(compiled: CompiledWatchlist) -> Screener:
    return Screener(compiled)


def entry(**kw: str) -> dict[str, str]:
    """An entry line with sensible empty defaults."""
    base = {
        "entry_number": "E-1",
        "line": "1",
        "importer": "",
        "manufacturer": "",
        "manufacturer_address": "",
        "shipper": "",
        "shipper_address": "",
        "country_of_origin": "",
        "hts": "",
        "description": "",
        "value_usd": "100",
        "date_of_import": "2025-01-15",
    }
    base.update(kw)
    return base


@pytest.fixture(autouse=True)
def _private_watchlist_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiled watchlists written by the tests go to a temporary directory, not the user's cache."""
    monkeypatch.setenv("SECTION307_SCREENING_CACHE", str(tmp_path_factory.getbasetemp() / "watchlist-cache"))
