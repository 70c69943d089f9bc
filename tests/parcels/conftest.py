"""Parcels fixtures: the ports registry (a WRO on a listed textile maker, a Finding, a UFLPA entity) and manifests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from section307.accounts import roles
from section307.accounts.models import Organization, User
from section307.parcels.screen import COLUMNS
from tests.ports.conftest import TIANSHAN, registry  # noqa: F401  (fixture)

HAMI = "Hami Bright Sun New Energy Co., Ltd."


def row(n: int, **over: Any) -> dict[str, Any]:
    base = {
        "tracking_number": f"TRK{n:09d}",
        "master_bill": "176-12345675",
        "carrier": "",
        "seller": f"Garden Shop {n % 5}",
        "seller_address": "Porto",
        "shipper": "Consolidator Ltd",
        "shipper_address": "Lisbon",
        "consignee": f"Consignee {n % 7}",
        "consignee_address": "Springfield, IL",
        "description": "ceramic plant pot",
        "value_usd": "9.50",
        "quantity": "1",
        "hts": "",
        "origin_country": "PT",
    }
    base.update(over)
    return base


def listed(n: int, **over: Any) -> dict[str, Any]:
    values = {
        "seller": TIANSHAN,
        "seller_address": "Aksu, Xinjiang",
        "shipper": "Shenzhen Express Forwarding",
        "shipper_address": "Shenzhen",
        "description": "cotton T-shirt",
        "hts": "6109.10",
        "origin_country": "CN",
    }
    return row(n, **{**values, **over})


def csv_bytes(rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str] = COLUMNS) -> bytes:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue().encode()


def upload(data: bytes, name: str = "manifest.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return User.objects.get(pk=make_user(roles.PORT_OFFICER).pk)


@pytest.fixture
def importer(make_org: Callable[..., Organization]) -> Organization:
    """The importer of record named as the one consignee of a group's parcels."""
    return make_org("Harborline Apparel Imports LLC")


@pytest.fixture
def trade(make_user: Callable[..., User], importer: Organization) -> User:
    return make_user(roles.TRADE_USER, organization=importer)


@pytest.fixture
def presented() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def receive(officer: User, presented: dt.date) -> Callable[..., Any]:
    """receive(rows or bytes, source=..., name=...) -> the processed manifest."""
    from section307.parcels import services

    def go(
        data: Any, *, source: str = "postal", name: str = "manifest.csv", carrier: str = "Post A", actor: Any = None
    ) -> Any:
        kwargs: dict[str, Any] = {"rows": data} if isinstance(data, list) else {"upload": upload(data, name)}
        m = services.manifest_receive(
            actor=actor or officer, source=source, carrier=carrier, presented_on=presented, port="2704", **kwargs
        )
        return services.manifest_process(manifest=m, rows=data if isinstance(data, list) else None)

    return go
