"""A small, hand-counted detention history (see ``history``)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from section307.ports.models import Detention, Entry, EntryLine

_numbers = itertools.count(1)


def add_detention(
    *,
    notice: dt.date,
    status: str = "detained",
    regime: str = "uflpa",
    port: str = "2704",
    country: str = "CN",
    hts: str = "6205.20",
    values: tuple[int, ...] = (1000,),
) -> Detention:
    n = next(_numbers)
    entry = Entry.objects.create(
        entry_number=f"TST-{n:07d}-1",
        port=port,
        mode="ocean",
        importer_name="Test importer",
        date_of_import=notice - dt.timedelta(days=3),
        status="detained",
        decision="hit",
        source="demo",
    )
    for i, value in enumerate(values, start=1):
        EntryLine.objects.create(
            entry=entry,
            line=i,
            country_of_origin=country if i == 1 else "MX",
            hts=hts if i == 1 else "9403.60",
            value_usd=Decimal(value),
            decision="hit" if i == 1 else "clear",
            score=0.9 if i == 1 else 0.0,
        )
    decided = None
    if status not in ("detained", "under_review"):
        decided = timezone.make_aware(dt.datetime.combine(notice + dt.timedelta(days=20), dt.time(12)))
    return Detention.objects.create(
        entry=entry,
        regime=regime,
        order_reference="TEST",
        scope="test",
        reasons="test",
        status=status,
        notice_date=notice,
        decided_at=decided,
    )


# FY2024 (Oct 2023 - Sep 2024) and FY2025. Hand count:
#   FY2024: 6 stopped — released 3, denied 2 (excluded 1, seized 1), pending 1; value 6*1000 + 500 = 6500
#           by country: CN 5, VN 1. by regime: uflpa 5, wro 1.
#   FY2025: 4 stopped — released 0, denied 1 (exported), pending 3; value 4000. all CN, all uflpa;
#           one in port 1001, HTS 8541.43.
HISTORY: list[dict[str, Any]] = [
    {"notice": dt.date(2023, 10, 5), "status": "released"},
    {"notice": dt.date(2023, 11, 20), "status": "released", "values": (1000, 500)},
    {"notice": dt.date(2024, 2, 1), "status": "released"},
    {"notice": dt.date(2024, 3, 3), "status": "excluded", "regime": "wro"},
    {"notice": dt.date(2024, 6, 30), "status": "seized"},
    {"notice": dt.date(2024, 9, 30), "status": "under_review", "country": "VN"},
    {"notice": dt.date(2024, 10, 1), "status": "exported"},
    {"notice": dt.date(2025, 1, 10), "status": "detained"},
    {"notice": dt.date(2025, 2, 10), "status": "detained", "port": "1001", "hts": "8541.43"},
    {"notice": dt.date(2025, 8, 10), "status": "detained"},
]


@pytest.fixture
def history(db: Any) -> list[Detention]:
    from section307.metrics.facts import facts_rebuild

    made = [add_detention(**row) for row in HISTORY]
    facts_rebuild()
    return made


@pytest.fixture
def manager_client(client_as: Callable[..., Any]) -> Any:
    from section307.accounts import roles

    return client_as(roles.MANAGER)
