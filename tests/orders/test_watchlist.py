"""The registry as the screening engine's watchlist."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from section307.geo.models import Country, Region
from section307.geo.services import regions_sync
from section307.orders.models import OrderType
from section307.orders.services import ScopedParty, order_create, order_transition
from section307.orders.watchlist import compiled_watchlist, watchlist_from_registry
from section307.parties.services import party_link, party_resolve
from section307.screening import Screener

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry() -> dict[str, Any]:
    regions_sync()
    cn = Country.objects.get(code="CN")
    parent, _ = party_resolve(
        actor=None, name="Aksu Cotton Spinning Co., Ltd.", original_names=["阿克苏棉纺有限公司"], country=cn
    )
    child, _ = party_resolve(actor=None, name="Korla Weaving Mill Co., Ltd.", country=cn)
    party_link(actor=None, parent=parent, child=child)
    other, _ = party_resolve(actor=None, name="Quanzhou Seaside Shoes Co., Ltd.", country=cn)
    with_subs = order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Cotton yarn",
        country=cn,
        effective_date=dt.date(2024, 1, 1),
        parties=[ScopedParty(parent, ("and its subsidiaries",))],
    )
    revoked = order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Shoes",
        country=cn,
        effective_date=dt.date(2022, 1, 1),
        parties=[ScopedParty(other)],
    )
    order_transition(actor=None, order=revoked, transition="revoke")
    return {"with_subs": with_subs, "revoked": revoked, "cn": cn}


def _entry(**kw: str) -> dict[str, str]:
    base = {"entry_number": "E1", "line": "1", "country_of_origin": "CN", "hts": "9403.60", "description": "furniture"}
    return {**base, **kw}


def test_only_enforced_orders_and_their_subsidiaries_are_listed(registry: dict[str, Any]) -> None:
    wl = watchlist_from_registry()
    names = {p.name for p in wl.parties}
    assert names == {"Aksu Cotton Spinning Co., Ltd.", "Korla Weaving Mill Co., Ltd."}
    assert {p.order_id for p in wl.parties} == {registry["with_subs"].reference}
    assert all(p.list == "wro" for p in wl.parties)
    # The order names subsidiaries: the engine may decide a "... (subsidiary)" name as a hit.
    assert {p.name: p.subsidiaries for p in wl.parties}["Aksu Cotton Spinning Co., Ltd."] is True


def test_screening_against_the_registry_hits_original_script_and_subsidiary(registry: dict[str, Any]) -> None:
    screener = Screener(compiled_watchlist())
    by_chinese = screener.screen_one(_entry(manufacturer="阿克苏棉纺有限公司"))
    assert by_chinese.decision == "hit" and by_chinese.order_id == registry["with_subs"].reference
    by_subsidiary = screener.screen_one(_entry(manufacturer="Korla Weaving Mill Company Limited"))
    assert by_subsidiary.decision == "hit"
    revoked = screener.screen_one(_entry(manufacturer="Quanzhou Seaside Shoes Co., Ltd."))
    assert revoked.decision == "clear"


def test_statutory_presumptions_apply_unless_the_registry_carries_them(registry: dict[str, Any]) -> None:
    lists = {(r.area, r.list) for r in watchlist_from_registry().region_rules}
    assert ("CN-XJ", "uflpa") in lists and ("KP", "caatsa") in lists
    order_create(
        actor=None,
        order_type=OrderType.UFLPA_REGION,
        merchandise="XUAR goods",
        country=registry["cn"],
        effective_date=dt.date(2022, 6, 21),
        regions=[Region.objects.get(code="CN-XJ")],
    )
    rules = [r for r in watchlist_from_registry().region_rules if (r.area, r.list) == ("CN-XJ", "uflpa")]
    assert len(rules) == 1 and rules[0].order_id.startswith("UFR-")


def test_compiled_watchlist_is_rebuilt_when_the_registry_changes(registry: dict[str, Any]) -> None:
    first = compiled_watchlist()
    assert compiled_watchlist() is first
    newcomer, _ = party_resolve(actor=None, name="Turpan Grape Drying Co., Ltd.", country=registry["cn"])
    order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Raisins",
        country=registry["cn"],
        effective_date=dt.date(2025, 1, 1),
        parties=[ScopedParty(newcomer)],
    )
    second = compiled_watchlist()
    assert second is not first
    assert Screener(second).screen_one(_entry(manufacturer="Turpan Grape Drying Co Ltd")).decision == "hit"


def test_country_wide_orders_become_country_rules(registry: dict[str, Any]) -> None:
    order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Cotton",
        country=Country.objects.get(code="TM"),
        effective_date=dt.date(2018, 5, 18),
        country_wide=True,
    )
    rules = [r for r in watchlist_from_registry().region_rules if r.area == "TM"]
    assert len(rules) == 1 and rules[0].list == "wro"
