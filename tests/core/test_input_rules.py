"""The input rules every request meets (``core.middleware.InputRulesMiddleware``), on SQLite and PostgreSQL.

PostgreSQL refuses text holding NUL (U+0000) with an error inside the database; every URL pattern and
API operation must answer such input with a 400 naming the field and keep nothing of the request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from section307.accounts.models import User
from section307.allegations.models import Allegation

pytestmark = pytest.mark.django_db


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue  # Django's own admin; the middleware sits in front of it all the same
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern) and not route.startswith("^media"):
            yield route


ROUTES = sorted(set(_patterns()))
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _url(route: str, text: str) -> str:
    """A concrete path for a route: numbers for int parameters, ``text`` for the others."""
    path = _PARAM.sub(lambda m: "1" if m.group(1) == "int" else text, route)
    return "/" + path


def _row_counts() -> tuple[int, ...]:
    """Rows in every table, in one query (this runs twice for each of several hundred cases)."""
    tables = [m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))  # noqa: S608
        return tuple(cursor.fetchone())


@pytest.fixture(scope="module")
def _shared_client() -> Client:
    # One client for the module: each new client builds its middleware chain again, which is slow.
    return Client()


@pytest.fixture
def superuser_client(db: Any, _shared_client: Client) -> Client:
    # The widest access reaches the deepest code behind each URL.
    user = User.objects.create_superuser(username="root-nul", password="x-long-password-307")
    _shared_client.cookies.clear()
    _shared_client.force_login(user)
    return _shared_client


def _refused(response: Any, field: str | None = None) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        assert body["code"] == "nul_character"
        if field is not None:
            assert body["field"] == field
    elif field is not None:
        assert (f"“{field}”" if field != "path" else "address") in response.content.decode()


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("where", ["path", "query", "form", "json"])
def test_nul_is_refused_everywhere(superuser_client: Client, route: str, where: str) -> None:
    before = _row_counts()
    if where == "path":
        # In a text parameter where the route has one, else at the end of the path.
        url = _url(route, "A%00B") if re.search(r"<(?!int:)", route) else _url(route, "x") + "%00"
        _refused(superuser_client.get(url), "path")
    elif where == "query":
        _refused(superuser_client.get(_url(route, "x"), {"q": "a\x00b", "page": "1"}), "q")
    elif where == "form":
        _refused(superuser_client.post(_url(route, "x"), {"title": "ok", "body": "a\x00b"}), "body")
    else:
        body = json.dumps({"reasons": "ok", "parties": [{"name": "a\x00b"}]})
        _refused(superuser_client.post(_url(route, "x"), body, content_type="application/json"), "parties.0.name")
    assert _row_counts() == before


def test_nul_in_multipart_field_and_json_key(client: Client) -> None:
    response = client.post("/api/v1/allegations", {"data": '{"reasons": "a\\u0000b"}'})
    _refused(response, "reasons")
    response = client.post("/api/v1/allegations", '{"a\\u0000": 1}', content_type="application/json")
    assert response.status_code == 400


def test_an_escaped_backslash_before_u0000_is_text_not_nul(client: Client) -> None:
    # "\\u0000" in JSON is a backslash followed by "u0000": ordinary text, judged by the API itself.
    response = client.post("/api/v1/allegations", '{"reasons": "a\\\\u0000b"}', content_type="application/json")
    assert response.status_code == 422


def test_an_allegation_with_one_nul_field_is_refused_whole(client: Client) -> None:
    body = {
        "reasons": "Workers at the plant cannot leave and their passports are held by the managers.",
        "source_type": "worker_testimony",
        "merchandise": "Nitrile gloves\x00",
    }
    response = client.post("/api/v1/allegations", json.dumps(body), content_type="application/json")
    _refused(response, "merchandise")
    assert "merchandise" in response.json()["detail"]
    assert not Allegation.objects.exists()


def test_pages_answer_nul_with_a_page_naming_the_field(client: Client) -> None:
    response = client.get("/orders/", {"q": "gloves\x00"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "“q”" in response.content.decode()


def test_a_nul_in_a_cookie_is_refused_before_the_session_is_read(client: Client) -> None:
    client.cookies[settings.SESSION_COOKIE_NAME] = "abc\x00def"
    assert client.get("/cases/").status_code == 400


# -- sizes -----------------------------------------------------------------------------------------------

ELEVEN_MB = 11 * 1024 * 1024


def test_an_11_mb_json_body_is_413(client: Client) -> None:
    body = b'{"reasons": "' + b"a" * ELEVEN_MB + b'"}'
    response = client.post("/api/v1/allegations", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert not Allegation.objects.exists()


def test_an_11_mb_form_is_413(client_as: Callable[..., Client]) -> None:
    response = client_as("analyst").post("/cases/new/", {"title": "a" * ELEVEN_MB})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")


def test_too_many_form_fields_is_400(client: Client) -> None:
    data = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert client.post("/report/follow-up/", data).status_code == 400


def test_too_many_query_parameters_is_400_in_the_api_body(client: Client) -> None:
    query = "&".join(f"f{i}=x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.get(f"/api/v1/orders?{query}")
    assert response.status_code == 400 and response.json()["code"] == "malformed_request"
