from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from section307.geo.models import Country
from section307.orders.models import OrderType
from section307.orders.services import ScopedParty, order_create
from section307.parties.services import party_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders() -> None:
    cn = Country.objects.get(code="CN")
    hoshine, _ = party_resolve(actor=None, name="Hoshine Silicon Industry Co., Ltd.", aliases=["Hoshine"], country=cn)
    dalian, _ = party_resolve(
        actor=None, name="Dalian Ocean Fishing Co., Ltd.", original_names=["大连海洋渔业有限公司"], country=cn
    )
    order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Silica-based products",
        country=cn,
        effective_date=dt.date(2021, 6, 24),
        parties=[ScopedParty(hoshine, ("and its subsidiaries",)), ScopedParty(dalian)],
    )
    order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Cotton",
        country=Country.objects.get(code="TM"),
        effective_date=dt.date(2018, 5, 18),
        country_wide=True,
    )


def test_csv_export_has_one_row_per_party_and_a_row_for_partyless_orders(orders: None) -> None:
    out = io.StringIO()
    call_command("orders", "export", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["order_id"], r["party_name"]) for r in rows] == [
        ("WRO-2018-0001", ""),
        ("WRO-2021-0001", "Hoshine Silicon Industry Co., Ltd."),
        ("WRO-2021-0001", "Dalian Ocean Fishing Co., Ltd."),
    ]
    hoshine = rows[1]
    assert hoshine["aliases"] == "Hoshine"
    assert hoshine["qualifiers"] == "and its subsidiaries"
    assert rows[2]["aliases"] == "大连海洋渔业有限公司"
    assert hoshine["order_type"] == "wro" and hoshine["status"] == "active"
    assert hoshine["effective_date"] == "2021-06-24" and hoshine["country"] == "CN"


def test_json_export_to_a_file(orders: None, tmp_path: Path) -> None:
    target = tmp_path / "out" / "orders.json"
    call_command("orders", "export", "--format", "json", "--out", str(target), stderr=io.StringIO())
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert len(rows) == 3
    assert set(rows[0]) == {
        "order_id",
        "order_type",
        "status",
        "effective_date",
        "country",
        "merchandise",
        "party_name",
        "aliases",
        "qualifiers",
    }
