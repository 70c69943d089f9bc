"""POST /api/v1/entries and GET /api/v1/entries/{n}: authentication, validation, scoping."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from section307.accounts import roles
from section307.core.errors import NotPermitted
from section307.ports.apps import FILER
from section307.ports.models import Entry
from section307.ports.services import api_token_create, entry_detain
from tests.ports.conftest import payload

pytestmark = pytest.mark.django_db
URL = "/api/v1/entries"


@pytest.fixture
def filer(make_user: Callable[..., Any], make_org: Callable[..., Any]) -> tuple[Any, str]:
    from django.contrib.auth.models import Group

    from section307.accounts.models import User

    broker_org = make_org("Gulfport Customs Brokerage Co.", kind="broker")
    user = make_user(roles.TRADE_USER, organization=broker_org)
    user.groups.add(Group.objects.get_or_create(name=FILER)[0])
    user = User.objects.get(pk=user.pk)
    _, secret = api_token_create(actor=user, user=user, name="broker system")
    return user, secret


def _post(client: Client, body: Any, token: str = "") -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


def test_filer_posts_one_entry_with_a_token_and_it_is_screened(registry: Any, filer: Any, orgs: Any) -> None:
    user, secret = filer
    response = _post(Client(), payload(number="GCB-7000001-1", lines=2), secret)
    assert response.status_code == 201, response.content
    (entry,) = response.json()
    assert entry["entry_number"] == "GCB-7000001-1" and entry["status"] == "targeted"
    assert [ln["decision"] for ln in entry["lines"]] == ["", ""]  # screening internals stay with staff
    saved = Entry.objects.get(entry_number="GCB-7000001-1")
    assert saved.filer_organization == user.organization and saved.organization == orgs[0]
    assert saved.lines.count() == 2 and saved.decision == "hit"


def test_a_list_of_entries_and_all_or_nothing_validation(registry: Any, filer: Any) -> None:
    _, secret = filer
    ok = _post(Client(), [payload(number="GCB-7000002-1"), payload(number="GCB-7000003-1")], secret)
    assert ok.status_code == 201 and len(ok.json()) == 2
    bad = payload(number="GCB-7000004-1")
    bad["lines"][0]["value_usd"] = "n/a"
    response = _post(Client(), [payload(number="GCB-7000005-1"), bad], secret)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "[1].lines[0].value_usd", "reason": "'n/a' is not a number"}]
    assert not Entry.objects.filter(entry_number__in=["GCB-7000004-1", "GCB-7000005-1"]).exists()
    dup = _post(Client(), payload(number="GCB-7000002-1"), secret)
    assert dup.status_code == 400 and "already been received" in dup.json()["errors"][0]["reason"]


@pytest.mark.parametrize("body", ["not json", "[1, 2]", "{}", "[]", '{"lines": "x"}'])
def test_malformed_bodies_get_clear_errors_not_500(registry: Any, filer: Any, body: str) -> None:
    _, secret = filer
    response = Client().post(URL, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code in (400, 422), response.content
    assert not Entry.objects.exists()


def test_deny_by_default(registry: Any, client_as: Callable[..., Client], make_user: Callable[..., Any]) -> None:
    assert _post(Client(), payload()).status_code == 401
    assert _post(Client(), payload(), "s307_wrong").status_code == 401
    trade = client_as(roles.TRADE_USER)
    assert _post(trade, payload()).status_code in (401, 403)  # session writes need CSRF and the permission
    user = make_user(None)  # an account with no role has no API use
    with pytest.raises(NotPermitted):
        api_token_create(actor=user, user=user, name="x")
    assert Client().get(f"{URL}/GCB-1000000-0").status_code == 401


def test_get_is_scoped_by_organization(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any
) -> None:
    entry = file_entry()
    entry_detain(actor=officer, entry=entry, reason="WRO manufacturer")
    own, other = Client(), Client()
    own.force_login(importers[0])
    other.force_login(importers[1])
    data = own.get(f"{URL}/{entry.entry_number}").json()
    assert data["detention"]["order"] == "WRO-2023-0001" and data["detention"]["due"]
    assert all(ev["kind"] != "screened" for ev in data["timeline"])  # internal steps hidden
    assert "detained" in [ev["kind"] for ev in data["timeline"]]
    assert other.get(f"{URL}/{entry.entry_number}").status_code == 404
    staff = Client()
    staff.force_login(officer)
    staff_view = staff.get(f"{URL}/{entry.entry_number.replace('-', '')}").json()
    assert staff_view["lines"][0]["order_reference"] == "WRO-2023-0001"
    assert "screened" in [ev["kind"] for ev in staff_view["timeline"]]
