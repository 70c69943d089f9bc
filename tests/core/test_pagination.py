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


LISTS = [
    "/registry/",
    "/orders/",
    "/cases/all/",
    "/cases/queue/",
    "/allegations/",
    "/port/entries/",
    "/port/detentions/",
]


@pytest.mark.parametrize("page", ["9223372036854775807", "99999999999999999999999", "-1", "0", "abc", "1.5", ""])
def test_any_page_number_is_answered_without_an_error(client: Any, page: str) -> None:
    from django.contrib.auth.models import Group

    from section307.accounts.models import User

    roles.sync_roles()
    # A superuser sees every list except the allegation inbox, which only analysts' roles open.
    user = User.objects.create_superuser(username="root-pages", password="x-long-password-307")
    user.groups.add(Group.objects.get(name=roles.ANALYST))
    client.force_login(user)
    for url in LISTS:
        response = client.get(url, {"page": page})
        assert response.status_code == 200, url
    api = client.get("/api/v1/orders", {"page": page})
    assert api.status_code in {200, 422}
    if api.status_code == 422:
        assert api.json()["field"] == "page"


def test_the_api_documents_its_page_bounds(client: Any) -> None:
    params = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/orders"]["get"]["parameters"]
    page = next(p for p in params if p["name"] == "page")["schema"]
    assert page["minimum"] == 1 and page["maximum"] <= 10**6
