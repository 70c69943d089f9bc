"""Fixtures: two importers, staff in each role, the apparel chain with a Xinjiang ginner."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from section307.accounts import roles
from section307.accounts.models import Organization, User
from section307.geo.services import countries_sync

HEADER = "supplier_name,supplier_country,supplier_address,supplier_id,tier,buyer_name,good,hts,share,custody_model"
ORG_NAME = "Harborline Apparel Imports LLC"

CHAIN_ROWS = [
    # tier 1 garment maker, tier 2 weaver, tier 3 spinner, tier 4 ginners (one in Xinjiang)
    (
        "Saigon Stitch Garment Co., Ltd.",
        "VN",
        "Ho Chi Minh City",
        "",
        "1",
        ORG_NAME,
        "Apparel",
        "6109.10",
        "1",
        "segregated",
    ),
    (
        "Dong Nai Weaving Mill",
        "VN",
        "Bien Hoa, Dong Nai",
        "",
        "2",
        "Saigon Stitch Garment Co., Ltd.",
        "Cotton fabric",
        "5208.12",
        "1",
        "segregated",
    ),
    (
        "Jiangsu Evergreen Spinning Co., Ltd.",
        "CN",
        "Nantong, Jiangsu",
        "",
        "3",
        "Dong Nai Weaving Mill",
        "Cotton yarn",
        "5205.11",
        "1",
        "mass_balance",
    ),
    (
        "Aksu Golden Field Cotton Ginnery",
        "CN",
        "Aksu Prefecture, Xinjiang Uyghur Autonomous Region",
        "",
        "4",
        "Jiangsu Evergreen Spinning Co., Ltd.",
        "Cotton",
        "5201.00",
        "0.05",
        "mass_balance",
    ),
    (
        "Texas Plains Cotton Gin",
        "US",
        "Lubbock, Texas",
        "",
        "4",
        "Jiangsu Evergreen Spinning Co., Ltd.",
        "Cotton",
        "5201.00",
        "0.95",
        "mass_balance",
    ),
]


def csv_bytes(rows: list[tuple[str, ...]], header: str = HEADER) -> bytes:
    lines = [header] + [",".join(f'"{c}"' for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def dict_rows(rows: list[tuple[str, ...]]) -> list[dict[str, str]]:
    cols = HEADER.split(",")
    return [dict(zip(cols, row, strict=True)) for row in rows]


def xlsx_bytes(rows: list[tuple[str, ...]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER.split(","))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def world(db: Any, make_user: Callable[..., User]) -> dict[str, Any]:
    countries_sync()
    a = Organization.objects.create(name=ORG_NAME, kind=Organization.Kind.IMPORTER)
    b = Organization.objects.create(name="Meridian Solar Supply Inc.", kind=Organization.Kind.IMPORTER)

    def fresh(user: User) -> User:
        return User.objects.get(pk=user.pk)

    return {
        "org": a,
        "other_org": b,
        "importer": fresh(make_user(roles.TRADE_USER, organization=a)),
        "other_importer": fresh(make_user(roles.TRADE_USER, organization=b)),
        "analyst": fresh(make_user(roles.ANALYST)),
        "officer": fresh(make_user(roles.PORT_OFFICER)),
        "hq": fresh(make_user(roles.HQ_REVIEWER)),
        "supervisor": fresh(make_user(roles.SUPERVISOR)),
        "partner": fresh(make_user(roles.PARTNER_AGENCY)),
    }
