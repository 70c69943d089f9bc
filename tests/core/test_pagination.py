from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from section307.accounts import roles
from section307.orders.models import OrderType
from section307.orders.services import order_create

pytestmark = pytest.mark.django_db


def test_pages_keep_the_filters(client_as: Any) -> None:
    for i in range(30):
        order_create(
            actor=None, order_type=OrderType.WRO, merchandise=f"Gloves lot {i}", effective_date=dt.date(2024, 1, 1)
        )
    body = client_as(roles.ANALYST).get("/registry/", {"status": "active", "q": "Gloves"}).content.decode()
    assert 'href="?status=active&amp;q=Gloves&amp;page=2"' in body
    second = client_as(roles.ANALYST).get("/registry/", {"status": "active", "q": "Gloves", "page": 2})
    assert "2 / 2" in second.content.decode()
