from __future__ import annotations

from typing import Any

import pytest

from section307.accounts import roles
from section307.demo.world import build_demo_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Any:
    return build_demo_world(seed=5)


def test_anonymous_visitors_are_sent_to_sign_in(client: Any, world: Any) -> None:
    response = client.get("/registry/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (roles.ANALYST, 200),
        (roles.SUPERVISOR, 200),
        (roles.PORT_OFFICER, 200),
        (roles.PARTNER_AGENCY, 200),
        (roles.ADMINISTRATOR, 200),
        (roles.TRADE_USER, 403),
        (None, 403),
    ],
)
def test_registry_access_by_role(
    client_as: Any, make_user: Any, client: Any, world: Any, role: Any, status: int
) -> None:
    if role is None:
        client.force_login(make_user(None))
        c = client
    else:
        c = client_as(role)
    assert c.get("/registry/").status_code == status
    assert c.get("/registry/orders/WRO-2023-0001/").status_code == status


def test_party_pages_need_party_permission(client_as: Any, world: Any) -> None:
    party = world.parties["tianshan"]
    assert client_as(roles.ANALYST).get(f"/registry/parties/{party.pk}/").status_code == 200
    assert client_as(roles.PARTNER_AGENCY).get(f"/registry/parties/{party.pk}/").status_code == 403


def test_filters_and_htmx_partial(client_as: Any, world: Any) -> None:
    c = client_as(roles.ANALYST)
    page = c.get("/registry/", {"status": "revoked"})
    assert "WRO-2020-0002" in page.content.decode() and "WRO-2023-0001" not in page.content.decode()
    partial = c.get("/registry/", {"q": "天山"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and "WRO-2023-0001" in body


def test_order_detail_shows_scope_aliases_and_history(client_as: Any, world: Any) -> None:
    body = client_as(roles.ANALYST).get("/registry/orders/WRO-2020-0001/").content.decode()
    assert "Selangor Nitrile Industries Berhad" in body and "SNI Berhad" in body
    assert "Modified after remediation" in body


def test_unknown_order_is_404(client_as: Any, world: Any) -> None:
    assert client_as(roles.ANALYST).get("/registry/orders/NOPE/").status_code == 404
