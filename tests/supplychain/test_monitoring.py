"""Monitoring: an order on a tier-3 supplier re-screens the maps and notifies the importer (alert + queue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from section307.core.queue import queue_for
from section307.geo.models import Country
from section307.orders.models import OrderType
from section307.orders.services import ScopedParty, order_create
from section307.parties.services import party_resolve
from section307.supplychain.models import MapAlert, RiskLevel
from section307.supplychain.services import map_import
from tests.supplychain.conftest import CHAIN_ROWS, dict_rows

pytestmark = pytest.mark.django_db(transaction=True)

CLEAN = [r for r in CHAIN_ROWS if "Aksu" not in r[0]]


def test_new_order_on_tier_three_supplier_alerts_the_importer(world: dict[str, Any]) -> None:
    m = map_import(actor=world["importer"], organization=world["org"], title="Tees", rows=dict_rows(CLEAN))
    other = map_import(
        actor=world["other_importer"],
        organization=world["other_org"],
        title="Other",
        rows=dict_rows(
            [("Unrelated Works", "VN", "", "", "1", "Meridian Solar Supply Inc.", "Apparel", "6109", "1", "segregated")]
        ),
    )
    assert m.risk_level == RiskLevel.CLEAR
    cn = Country.objects.get(code="CN")
    spinner, _ = party_resolve(actor=None, name="Jiangsu Evergreen Spinning Co., Ltd.", country=cn)
    # Issuing the order records an OrderEvent; on commit the maps are re-screened (immediate task backend).
    order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Cotton yarn",
        effective_date=dt.date(2025, 1, 6),
        country=cn,
        parties=[ScopedParty(spinner)],
        reference="WRO-2025-0042",
    )
    m.refresh_from_db()
    assert m.risk_level == RiskLevel.HIT
    alert = MapAlert.objects.get(map=m)
    assert alert.risk_before == "clear" and alert.risk_after == "hit" and "WRO-2025-0042" in alert.trigger
    assert not MapAlert.objects.filter(map=other).exists()
    items = [i for i in queue_for(world["importer"]) if i.kind == "supplychain.alert"]
    assert len(items) == 1 and items[0].url.endswith(f"/supply-chains/{m.pk}/")
    assert not [i for i in queue_for(world["other_importer"]) if i.kind == "supplychain.alert"]


def test_refdata_load_triggers_a_rescreen(world: dict[str, Any]) -> None:
    from section307.goods.models import DolGoodListing, Good
    from section307.refdata.models import RefdataLoad

    rows = [
        ("Garments Ltd", "VN", "", "", "1", "Harborline Apparel Imports LLC", "Apparel", "6109", "1", "segregated"),
        ("Tashkent Cotton Gin", "UZ", "Tashkent", "", "2", "Garments Ltd", "Cotton", "5201", "1", "segregated"),
    ]
    m = map_import(actor=world["importer"], organization=world["org"], title="Tees", rows=dict_rows(rows))
    assert m.risk_level == RiskLevel.CLEAR
    DolGoodListing.objects.create(good=Good.objects.create(name="Cotton"), country_id="UZ", forced_labor=True)
    RefdataLoad.objects.create(source="dol", location="test", sha256="0" * 64)
    m.refresh_from_db()
    assert m.risk_level == RiskLevel.REVIEW
    assert MapAlert.objects.filter(map=m, risk_after="review").exists()
