"""``Cache-Control: no-store`` on every response but the public pages (``core.middleware.NoStoreMiddleware``)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from section307.accounts.models import User
from section307.core.middleware import CACHEABLE_PUBLIC_VIEWS

pytestmark = pytest.mark.django_db


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    found: list[str] = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver) and not route.startswith("admin/"):
            found += _routes(entry, route)
        elif isinstance(entry, URLPattern) and not route.startswith("^media"):
            found.append(route)
    return sorted(set(found))


ROUTES = _routes()


def _url(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) == "int" else "X-1", route)


@pytest.fixture(scope="module")
def shared() -> Client:
    return Client()


@pytest.mark.parametrize("route", ROUTES)
def test_every_response_to_a_signed_in_user_is_not_stored(shared: Client, route: str) -> None:
    shared.cookies.clear()
    shared.force_login(User.objects.create_superuser(username="root-cache", password="x-long-password-307"))
    response = shared.get(_url(route))
    assert "no-store" in response["Cache-Control"], (route, response.status_code)


@pytest.mark.parametrize("route", ROUTES)
def test_only_public_pages_may_be_stored_for_anonymous_visitors(shared: Client, route: str) -> None:
    shared.cookies.clear()
    url = _url(route)
    response = shared.get(url)
    public = resolve(url).view_name in CACHEABLE_PUBLIC_VIEWS
    assert ("no-store" in response.get("Cache-Control", "")) is not public, (route, response.status_code)


def test_an_api_token_makes_a_public_operation_private(client: Client) -> None:
    response = client.get("/api/v1/orders", HTTP_AUTHORIZATION="Bearer anything")
    assert response["Cache-Control"] == "no-store"


def test_receipt_status_and_follow_up_are_not_stored(client: Client, countries: Any) -> None:
    import json

    body = {
        "reasons": "Workers at the plant cannot leave and their passports are held by the managers.",
        "source_type": "worker_testimony",
        "merchandise": "Nitrile gloves",
    }
    submitted = client.post("/api/v1/allegations", json.dumps(body), content_type="application/json")
    assert submitted.status_code == 201 and submitted["Cache-Control"] == "no-store"
    code = submitted.json()["receipt_code"]
    status = client.get("/api/v1/allegations/status", HTTP_X_RECEIPT_CODE=code)
    assert status.status_code == 200 and status["Cache-Control"] == "no-store"
    page = client.post("/report/follow-up/", {"code": code}, follow=True)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]


@pytest.fixture
def countries(db: Any) -> None:
    from section307.geo.services import countries_sync

    countries_sync()
