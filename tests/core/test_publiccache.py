"""Public pages are cached per process for anonymous visitors, keyed by the registry's version."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from section307.accounts import roles
from section307.demo.world import build_demo_world
from section307.orders.selectors import public_order_list

pytestmark = pytest.mark.django_db

PUBLIC_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public-cache-test"},
}


@pytest.fixture(autouse=True)
def _cache_on() -> Any:
    with override_settings(CACHES=PUBLIC_CACHE):
        from django.core.cache import caches

        caches["public"].clear()
        yield
        caches["public"].clear()


@pytest.fixture
def order() -> Any:
    build_demo_world(seed=5)
    return public_order_list().first()


def _queries(client: Client, path: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content


def test_second_visit_is_served_from_the_cache_and_follows_registry_changes(order: Any) -> None:
    first_count, _ = _queries(Client(), "/orders/")
    second_count, second = _queries(Client(), "/orders/")
    assert second_count < first_count
    assert order.reference.encode() in second
    order.merchandise = "Cached-page check merchandise"
    order.save()
    _, third = _queries(Client(), f"/orders/{order.reference}/")
    assert b"Cached-page check merchandise" in third
    _, api = _queries(Client(), "/api/v1/orders")
    assert b"Cached-page check merchandise" in api


def test_each_visitor_gets_a_working_csrf_token_from_a_cached_page(order: Any) -> None:
    Client().get("/orders/")  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/orders/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    assert token is not None and "csrftoken" in page.cookies
    response = visitor.post("/i18n/setlang/", {"language": "es", "next": "/", "csrfmiddlewaretoken": token[1].decode()})
    assert response.status_code == 302


def test_signed_in_users_never_get_the_anonymous_copy(order: Any, client_as: Any) -> None:
    Client().get("/orders/")
    body = client_as(roles.ANALYST).get("/orders/").content
    assert b"Sign out" in body


def test_language_is_part_of_the_key(order: Any) -> None:
    Client().get("/orders/")
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es").get("/orders/")
    assert b'lang="es"' in spanish.content


def test_registry_is_asked_at_most_once_per_recheck_interval(order: Any) -> None:
    with override_settings(SECTION307_PUBLIC_VERSION_SECONDS=3600):
        Client().get(f"/orders/{order.reference}/")
        order.merchandise = "Changed within the interval"
        order.save()
        count, body = _queries(Client(), f"/orders/{order.reference}/")
        assert count == 0 and b"Changed within the interval" not in body
    _, fresh = _queries(Client(), f"/orders/{order.reference}/")
    assert b"Changed within the interval" in fresh
