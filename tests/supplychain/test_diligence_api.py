"""Due-diligence API: an importer answers and submits its assessment and runs a remediation plan to its
outcome with a token; staff read; another organization gets 404; every refusal has its status and code."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from section307.config.api import api
from section307.core.models import AuditEvent
from section307.ports.services import api_token_create
from section307.supplychain.models import Assessment, RemediationPlan
from section307.supplychain.services import map_import
from tests.supplychain.conftest import CHAIN_ROWS, ORG_NAME, dict_rows

pytestmark = pytest.mark.django_db

BASE = "/api/v1/due-diligence"


def _their_map(world: dict[str, Any]) -> Any:
    """The same chain, owned by the other importer (its name as the tier-1 buyer)."""
    rows = [tuple(world["other_org"].name if c == ORG_NAME else c for c in row) for row in CHAIN_ROWS]
    return map_import(
        actor=world["other_importer"], organization=world["other_org"], title="Panels", rows=dict_rows(rows)
    )


class Api:
    """A client with a user's API token."""

    def __init__(self, user: Any) -> None:
        _token, raw = api_token_create(actor=user, user=user, name="ci")
        self.client = Client()
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, path: str) -> Any:
        return self.client.get(BASE + path, **self.auth)

    def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.generic(
            method, BASE + path, json.dumps(body or {}), content_type="application/json", **self.auth
        )


def test_importer_answers_and_submits_its_assessment(world: dict[str, Any]) -> None:
    chain_map = map_import(actor=world["importer"], organization=world["org"], title="Tees", rows=dict_rows(CHAIN_ROWS))
    me = Api(world["importer"])
    r = me.send("POST", "/assessments")
    assert r.status_code == 200, r.content
    draft = r.json()
    assert draft["version"] == 1 and draft["status"] == "draft" and draft["score"] == 0
    assert len(draft["answers"]) == 14 and not any(a["answered"] for a in draft["answers"])
    # The same draft again, not a second one.
    assert me.send("POST", "/assessments").json()["id"] == draft["id"]

    r = me.send(
        "PUT",
        f"/assessments/{draft['id']}/answers/cbp_assess",
        {"status": "in_place", "narrative": "Mapped to the ginners.", "map": chain_map.pk},
    )
    assert r.status_code == 200, r.content
    answer = next(a for a in r.json()["answers"] if a["element"] == "cbp_assess")
    assert answer["answered"] and answer["map"] == chain_map.pk and answer["has_evidence"]
    assert r.json()["score"] == 7  # 2 points of 28, rounded down

    r = me.send("POST", f"/assessments/{draft['id']}/submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted" and r.json()["submitted_at"]
    assert AuditEvent.objects.filter(action="supplychain.assessment_submit").count() == 1

    # A submitted version never changes: 409 with the service's code.
    r = me.send("PUT", f"/assessments/{draft['id']}/answers/cbp_code", {"status": "partial"})
    assert r.status_code == 409 and r.json()["code"] == "assessment_submitted"
    # The next draft is version 2 with the answers copied.
    nxt = me.send("POST", "/assessments").json()
    assert nxt["version"] == 2 and next(a for a in nxt["answers"] if a["element"] == "cbp_assess")["answered"]
    listed = me.get("/assessments").json()
    assert [a["version"] for a in listed] == [2, 1]


def test_bad_answers_are_refused_with_the_field(world: dict[str, Any]) -> None:
    other_map = _their_map(world)
    me = Api(world["importer"])
    draft_id = me.send("POST", "/assessments").json()["id"]
    r = me.send("PUT", f"/assessments/{draft_id}/answers/not_an_element", {"status": "partial"})
    assert r.status_code == 422 and r.json()["field"] == "element"
    r = me.send("PUT", f"/assessments/{draft_id}/answers/cbp_code", {"status": "done"})
    assert r.status_code == 422
    # Evidence must be the organization's own map.
    r = me.send("PUT", f"/assessments/{draft_id}/answers/cbp_code", {"status": "partial", "map": other_map.pk})
    assert r.status_code == 422 and r.json()["field"] == "map"
    # Nothing answered yet: submitting is refused.
    r = me.send("POST", f"/assessments/{draft_id}/submit")
    assert r.status_code == 422 and r.json()["field"] == "answers"


def test_object_level_access_other_organization_404_staff_read_only(world: dict[str, Any]) -> None:
    me = Api(world["importer"])
    draft_id = me.send("POST", "/assessments").json()["id"]
    plan_id = me.send("POST", "/plans", {"title": "Replace the ginner"}).json()["id"]

    other = Api(world["other_importer"])
    assert other.get(f"/assessments/{draft_id}").status_code == 404
    assert other.get(f"/plans/{plan_id}").status_code == 404
    r = other.send("PUT", f"/assessments/{draft_id}/answers/cbp_code", {"status": "partial"})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert other.send("POST", f"/plans/{plan_id}/outcome", {"outcome": "abandon", "note": "x"}).status_code == 404
    assert other.get("/assessments").json() == [] and other.get("/plans").json() == []

    for role in ("analyst", "officer", "hq", "supervisor"):
        staff = Api(world[role])
        assert staff.get(f"/assessments/{draft_id}").status_code == 200
        assert staff.get(f"/plans/{plan_id}").json()["title"] == "Replace the ginner"
        r = staff.send("PUT", f"/assessments/{draft_id}/answers/cbp_code", {"status": "partial"})
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
        assert staff.send("POST", "/assessments").status_code == 403
        assert staff.send("POST", "/plans", {"title": "x"}).status_code == 403

    partner = Api(world["partner"])
    assert partner.get("/assessments").status_code == 403
    assert partner.get(f"/plans/{plan_id}").status_code == 403
    assert Client().get(BASE + "/assessments").status_code == 401
    assert Assessment.objects.get(pk=draft_id).answers.count() == 0


def test_remediation_plan_runs_to_its_outcome(world: dict[str, Any]) -> None:
    chain_map = map_import(actor=world["importer"], organization=world["org"], title="Tees", rows=dict_rows(CHAIN_ROWS))
    ginner = chain_map.nodes.get(name__startswith="Aksu")
    me = Api(world["importer"])
    r = me.send("POST", "/plans", {"title": "Remove Xinjiang cotton", "node": ginner.pk})
    assert r.status_code == 201, r.content
    plan = r.json()
    assert plan["status"] == "open" and plan["node"] == ginner.pk and plan["map"] == chain_map.pk

    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    r = me.send("POST", f"/plans/{plan['id']}/milestones", {"title": "Audit the spinner", "due_date": due})
    assert r.status_code == 201
    milestone = r.json()["milestones"][0]
    assert milestone["status"] == "pending" and not milestone["overdue"]

    # Remediated only once every milestone is done.
    r = me.send("POST", f"/plans/{plan['id']}/outcome", {"outcome": "remediate", "note": "Done."})
    assert r.status_code == 409 and r.json()["code"] == "milestones_pending"
    r = me.send("POST", f"/plans/{plan['id']}/milestones/{milestone['id']}/done", {"note": "Audit passed"})
    assert r.status_code == 200 and r.json()["milestones"][0]["status"] == "done"
    r = me.send("POST", f"/plans/{plan['id']}/milestones/{milestone['id']}/done", {})
    assert r.status_code == 409 and r.json()["code"] == "milestone_done"
    r = me.send("POST", f"/plans/{plan['id']}/outcome", {"outcome": "remediate", "note": "Spinner switched."})
    assert r.status_code == 200 and r.json()["status"] == "remediated"
    assert RemediationPlan.objects.get(pk=plan["id"]).outcome_note == "Spinner switched."
    # A closed plan takes no more milestones and no second outcome.
    r = me.send("POST", f"/plans/{plan['id']}/milestones", {"title": "Late", "due_date": due})
    assert r.status_code == 409 and r.json()["code"] == "plan_closed"
    assert me.send("POST", f"/plans/{plan['id']}/outcome", {"outcome": "abandon", "note": "x"}).status_code == 409
    assert [p["status"] for p in me.get("/plans?status=remediated").json()] == ["remediated"]
    assert me.get("/plans?status=open").json() == []


def test_plan_about_another_organizations_supplier_is_refused(world: dict[str, Any]) -> None:
    theirs = _their_map(world)
    r = Api(world["importer"]).send("POST", "/plans", {"title": "x", "node": theirs.nodes.first().pk})
    assert r.status_code == 422 and r.json()["field"] == "node"
    assert not RemediationPlan.objects.exists()


def test_operations_are_in_the_openapi_schema_with_their_errors() -> None:
    paths = api.get_openapi_schema()["paths"]
    put = paths["/api/v1/due-diligence/assessments/{assessment_id}/answers/{element}"]["put"]
    assert {200, 401, 403, 404, 409, 422} <= {int(s) for s in put["responses"]}
    outcome = paths["/api/v1/due-diligence/plans/{plan_id}/outcome"]["post"]
    assert {200, 404, 409, 422} <= {int(s) for s in outcome["responses"]}
    assert "/api/v1/due-diligence/plans/{plan_id}/milestones/{milestone_id}/done" in paths
