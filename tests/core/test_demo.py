from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from section307.accounts.models import User
from section307.demo.world import build_demo_world
from section307.orders.models import EnforcementOrder, OrderEvent, OrderType
from section307.parties.models import Party

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return Party.objects.count(), EnforcementOrder.objects.count(), OrderEvent.objects.count(), User.objects.count()


def test_demo_is_idempotent_and_has_every_kind_of_order() -> None:
    build_demo_world(seed=11)
    first = _counts()
    build_demo_world(seed=11)
    assert _counts() == first
    kinds = set(EnforcementOrder.objects.values_list("order_type", flat=True))
    assert kinds == {t.value for t in OrderType}
    statuses = set(EnforcementOrder.objects.values_list("status", flat=True))
    assert statuses == {"active", "modified", "revoked", "inactive"}
    scripts = set(Party.objects.values_list("names__script", flat=True))
    assert {"Han", "Cyrillic", "Arabic", "Thai", "Latin"} <= scripts


def test_printed_credentials_sign_in_and_depend_on_the_seed() -> None:
    out = io.StringIO()
    call_command("demo", "--seed", "3", stdout=out)
    lines = [line.split() for line in out.getvalue().splitlines() if line.startswith("  ")]
    creds = {parts[0]: parts[1] for parts in lines}
    assert {"admin", "analyst", "supervisor", "officer", "importer", "partner"} <= set(creds)
    from django.test import Client

    assert Client().login(username="officer", password=creds["officer"])
    again = build_demo_world(seed=3)
    assert again.users["officer"][1] == creds["officer"]
    assert build_demo_world(seed=4).users["officer"][1] != creds["officer"]
