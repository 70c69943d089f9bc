"""The whole OpenAPI schema, fuzzed: generated and malformed requests never get a server error.

Runs anonymously, with a filer's API token and with a signed-in session, on SQLite and on
PostgreSQL (``make test`` runs everything but the browser and Spark tests on both). The number of
examples per operation is bounded so the module runs in about a minute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from section307.accounts import roles
from section307.accounts.models import User
from section307.ports.apps import FILER
from section307.ports.services import api_token_create

EXAMPLES = 10

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES,
    deterministic=True,
    database="none",
)

fuzz = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    # Requests go straight to the WSGI application, which closes the database connection when a
    # request ends; the test's transaction lives on that connection (Django's test client does the same).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def fresh_limits() -> None:
    # Rate limits answer 429 quickly; start each operation with a clean slate to reach the code behind.
    cache.clear()


@pytest.fixture
def token(make_user: Callable[..., User], make_org: Callable[..., Any]) -> str:
    filer = make_user(FILER, organization=make_org())
    return api_token_create(actor=filer, user=filer, name="fuzz")[1]


@pytest.fixture
def session_cookie(make_user: Callable[..., User]) -> dict[str, str]:
    client = Client()
    client.force_login(make_user(roles.ANALYST))
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


@pytest.mark.django_db
@schema.parametrize()
@fuzz
def test_anonymous(case: Any, fresh_limits: None) -> None:
    case.call_and_validate(checks=[not_a_server_error])


@pytest.mark.django_db
@schema.parametrize()
@fuzz
def test_with_an_api_token(case: Any, token: str, fresh_limits: None) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])


@pytest.mark.django_db
@schema.parametrize()
@fuzz
def test_with_a_session(case: Any, session_cookie: dict[str, str], fresh_limits: None) -> None:
    case.call_and_validate(cookies=session_cookie, checks=[not_a_server_error])
