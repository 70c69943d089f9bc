"""Similar items (parties, goods, HTS, region) and the public view of an allegation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from section307.allegations import services
from section307.allegations.inputs import NamedPartyInput
from section307.allegations.selectors import allegation_similar_items, party_matches
from section307.geo.models import Country, Region
from section307.goods.models import Good, GoodHtsCode
from section307.orders.models import OrderStatus, OrderType
from section307.orders.services import ScopedParty, order_create
from section307.parties.services import party_resolve

from .conftest import valid_input

pytestmark = pytest.mark.django_db


def submit(**kwargs: Any) -> Any:
    allegation, _ = services.allegation_submit(actor=services.PUBLIC, data=valid_input(**kwargs))
    return allegation


def test_party_matching_is_on_folded_names(countries: None) -> None:
    party, _ = party_resolve(
        actor=None,
        name="Tianshan Harvest Textile Co., Ltd.",
        original_names=["天山丰收纺织有限公司"],
        country=Country.objects.get(code="CN"),
    )
    assert party_matches(names=["TIANSHAN HARVEST TEXTILE CO. LTD"]) == {party.pk: "TIANSHAN HARVEST TEXTILE CO. LTD"}
    assert party.pk in party_matches(names=["天山丰收纺织有限公司"])
    assert party_matches(names=["Another Company"]) == {}


def test_similar_allegations_and_orders(countries: None) -> None:
    cn = Country.objects.get(code="CN")
    party, _ = party_resolve(actor=None, name="Tianshan Harvest Textile Co., Ltd.", country=cn)
    apparel = Good.objects.create(name="Apparel")
    GoodHtsCode.objects.create(good=apparel, code="61")
    xj = Region.objects.create(code="CN-XJ", name="Xinjiang", kind="region", country=cn, names=["Xinjiang", "新疆"])
    aksu = Region.objects.create(code="CN-XJ-AKS", name="Aksu", kind="prefecture", country=cn, parent=xj)
    order = order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Cotton apparel",
        effective_date=dt.date(2024, 1, 1),
        country=cn,
        parties=[ScopedParty(party)],
    )
    region_order = order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Anything from Xinjiang",
        effective_date=None,
        country=cn,
        regions=[xj],
    )
    revoked = order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Old",
        effective_date=None,
        country=cn,
        parties=[ScopedParty(party)],
        status=OrderStatus.REVOKED,
    )
    base = submit(hts_code="6109.10", region_text="a factory in Aksu, Xinjiang")
    assert base.region == aksu  # the most specific region named
    same_party = submit(
        hts_code="8541.43", region_text="", parties=[NamedPartyInput("manufacturer", "tianshan harvest textile co ltd")]
    )
    same_hts = submit(hts_code="6109.90", region_text="", parties=[])
    same_region = submit(hts_code="0702", region_text="Xinjiang", parties=[])
    unrelated = submit(hts_code="0702", region_text="", country="MY", parties=[])

    similar = allegation_similar_items(allegation=base)
    found = {s.allegation.pk: s.reasons for s in similar.allegations}
    assert same_party.pk in found and any(r.startswith("party") for r in found[same_party.pk])
    assert same_hts.pk in found and any("6109" in r or "good" in r for r in found[same_hts.pk])
    assert same_region.pk in found and any(r.startswith("region") for r in found[same_region.pk])
    assert unrelated.pk not in found and base.pk not in found
    orders = {s.order.pk: s.reasons for s in similar.orders}
    assert order.pk in orders and region_order.pk in orders
    assert revoked.pk not in orders  # only active (enforced) orders count


def test_no_similar_items(countries: None) -> None:
    lone = submit(parties=[], hts_code="", region_text="")
    assert not allegation_similar_items(allegation=lone)
