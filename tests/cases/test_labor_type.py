"""Labor type (19 U.S.C. 1307: convict, forced, indentured, forced or indentured child labor) on a case."""

from __future__ import annotations

import pytest
from django.test import Client

from section307.cases.models import Case
from tests.cases.conftest import World, open_case

pytestmark = pytest.mark.django_db


def test_19_usc_1307_analyst_sets_the_labor_type_on_the_case_page(world: World) -> None:
    case = open_case(world)
    client = Client()
    client.force_login(world.analyst)
    data = {"title": case.title, "origin": case.origin, "priority": case.priority, "risk_rating": case.risk_rating}
    r = client.post(f"/cases/{case.reference}/edit/", {**data, "labor_type": "child"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.labor_type == "child"
    assert "Forced or indentured child labor" in client.get(f"/cases/{case.reference}/").content.decode()
    r = client.post(f"/cases/{case.reference}/edit/", {**data, "labor_type": "slavery"})
    assert r.status_code == 400 and Case.objects.get(pk=case.pk).labor_type == "child"
