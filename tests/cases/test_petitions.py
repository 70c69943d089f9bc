"""Order modification and revocation petitions: one headquarters queue for every order, decided by a
headquarters reviewer under CBP's WRO Modification/Revocation Processes Overview (2021)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from section307.accounts import roles
from section307.cases import services
from section307.cases.lifecycle import PETITION_LIFECYCLE
from section307.cases.models import OrderChangeRequest
from section307.cases.selectors import petition_queue
from section307.core.audit import audit_trail
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.orders.models import EnforcementOrder, OrderSource, OrderStatus, OrderType
from section307.orders.services import ScopedParty, order_create
from section307.ports.models import Detention, Entry, EntryLine, Notice, Regime
from section307.ports.services import api_token_create

from .conftest import World, draft_proposal, escalated_case

S = OrderChangeRequest.Status
ALL_REMEDIATED = {i: "remediated" for i in ("documents", "overtime")}


@pytest.fixture
def hq(make_user: Any, world: World) -> Any:
    return make_user(roles.HQ_REVIEWER, username="hq")


def issue(world: World) -> EnforcementOrder:
    case = escalated_case(world)
    proposal = draft_proposal(world, case)
    services.proposal_submit(actor=world.analyst, proposal=proposal)
    order = services.proposal_decide(actor=world.supervisor, proposal=proposal, approve=True).order
    assert order is not None
    return order


def listed_order(world: World, reference: str = "WRO-LIST-1") -> EnforcementOrder:
    """An order loaded from CBP's official list: no case here, no ILO tags."""
    return order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Disposable gloves",
        effective_date=dt.date(2024, 1, 1),
        parties=[ScopedParty(party=world.spinner)],
        source=OrderSource.CBP_LIST,
        source_key=reference,
        reference=reference,
    )


def detain(world: World, order: EnforcementOrder, number: str, value: str = "1000") -> Detention:
    entry = Entry.objects.create(
        entry_number=number,
        port="2704",
        mode=Entry.Mode.OCEAN,
        importer_name="Importer Inc",
        organization=world.trader.organization,
        date_of_import=dt.date(2026, 1, 2),
        status=Entry.Status.DETAINED,
        source=Entry.Source.DEMO,
    )
    EntryLine.objects.create(entry=entry, line=1, value_usd=Decimal(value))
    return Detention.objects.create(
        entry=entry,
        regime=Regime.WRO,
        order=order,
        order_reference=order.reference,
        scope=order.merchandise,
        reasons="Manufacturer named in the order",
        notice_date=dt.date(2026, 1, 3),
    )


def test_petition_against_a_listed_order_decided_end_to_end(world: World, hq: Any) -> None:
    """An order from the official list gets a petition, a headquarters review, a question, an answer and a
    revocation; the order's history, the petitioner's notice and the detained shipments all show it."""
    order = listed_order(world)
    detention = detain(world, order, "GCB-0000001-1")
    petition = services.petition_file(
        actor=world.trader,
        order=order,
        kind="revoke",
        ground="not_imported",
        grounds="We no longer buy from this mill.",
        evidence=services.PetitionEvidence(indicator_responses={"documents": "Passports returned"}),
    )
    assert petition.case is None and petition.filed_via == "portal"
    assert petition.organization == world.trader.organization
    assert len(petition.indicators) == 11  # no case here: every ILO indicator is in play
    assert [r.petition for r in petition_queue(user=hq)] == [petition]
    assert petition_queue(user=world.supervisor) == []  # not theirs: neither filed nor on their cases

    services.petition_review(actor=hq, petition=petition)
    services.petition_request_info(actor=hq, petition=petition, question="Send the audit report.")
    petition.refresh_from_db()
    assert petition.status == S.INFO_REQUESTED
    assert petition.info_due_date == timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(NotPermitted):
        services.petition_answer(actor=world.analyst, petition=petition, answer="Not mine")
    services.petition_answer(actor=world.trader, petition=petition, answer="Attached the audit.")
    petition.refresh_from_db()
    assert petition.status == S.UNDER_REVIEW

    with pytest.raises(Conflict) as refused:
        services.petition_decide(actor=hq, petition=petition, decision="revoke", note="Revoked", findings={})
    assert "all forced labor indicators are remediated" in (refused.value.rule or "")
    findings = {i: "refuted" for i in petition.indicators}
    services.petition_decide(actor=hq, petition=petition, decision="revoke", note="Not imported", findings=findings)
    petition.refresh_from_db()
    order.refresh_from_db()
    assert petition.status == S.GRANTED_REVOCATION and order.status == OrderStatus.REVOKED
    assert petition.detained_entries == [detention.entry.entry_number]
    assert [e.kind for e in order.events.all()] == ["issued", "revoked"]
    notice = Notice.objects.get(organization=world.trader.organization)
    assert "granted" in notice.subject and notice.body == "Not imported"
    assert {"order.petition_file", "order.petition_decide"} <= {e.action for e in audit_trail(order)}


def test_modification_needs_every_indicator_remediated(world: World, hq: Any) -> None:
    """CBP WRO Modification/Revocation Processes Overview (2021): CBP will not modify unless all forced labor
    indicators are remediated."""
    order = issue(world)
    petition = services.petition_file(
        actor=world.analyst,
        order=order,
        kind="modify",
        ground="no_longer_made",
        grounds="Remediation verified",
        proposed_merchandise="Cotton yarn of counts above 40s produced by Aksu Spinning Mill Co.",
    )
    assert petition.case is not None and petition.indicators == ["documents", "overtime"]
    with pytest.raises(Conflict) as refused:
        services.petition_decide(
            actor=hq,
            petition=petition,
            decision="modify",
            note="Narrowed",
            findings={"documents": "remediated", "overtime": "not_remediated"},
        )
    assert refused.value.rule and "Modification/Revocation" in refused.value.rule
    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE  # nothing changed
    services.petition_decide(actor=hq, petition=petition, decision="modify", note="Narrowed", findings=ALL_REMEDIATED)
    order.refresh_from_db()
    assert order.status == OrderStatus.MODIFIED and order.merchandise.startswith("Cotton yarn of counts")
    assert [e.kind for e in order.events.all()] == ["issued", "amended", "modified"]


def test_only_headquarters_decides(world: World, hq: Any) -> None:
    order = issue(world)
    petition = services.petition_file(actor=world.analyst, order=order, kind="revoke", grounds="Remediated")
    for actor in (world.analyst, world.supervisor, world.trader, world.officer):
        with pytest.raises(NotPermitted):
            services.petition_decide(actor=actor, petition=petition, decision="deny", note="x")
    services.petition_decide(actor=hq, petition=petition, decision="deny", note="Not shown")
    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE and order.events.count() == 1
    with pytest.raises(Conflict):
        services.petition_decide(actor=hq, petition=petition, decision="deny", note="again")


def test_bad_petitions_are_refused(world: World) -> None:
    order = issue(world)
    with pytest.raises(InvalidInput):
        services.petition_file(actor=world.analyst, order=order, kind="modify", grounds="x")
    with pytest.raises(InvalidInput):
        services.petition_file(
            actor=world.analyst, order=order, kind="modify", grounds="x", proposed_remove_party_ids=[999999]
        )
    with pytest.raises(InvalidInput):
        services.petition_file(actor=world.analyst, order=order, kind="revoke", grounds="  ")
    with pytest.raises(InvalidInput):
        services.petition_file(
            actor=world.analyst,
            order=order,
            kind="revoke",
            grounds="x",
            evidence=services.PetitionEvidence(remediation_amount_usd=Decimal("-1")),
        )
    with pytest.raises(NotPermitted):
        services.petition_file(actor=world.partner, order=order, kind="revoke", grounds="x")
    entity = order_create(actor=None, order_type=OrderType.UFLPA_ENTITY, merchandise="All goods", effective_date=None)
    with pytest.raises(InvalidInput) as not_a_wro:
        services.petition_file(actor=world.trader, order=entity, kind="revoke", grounds="x")
    assert not_a_wro.value.rule and "Modification/Revocation" in not_a_wro.value.rule
    assert not OrderChangeRequest.objects.exists()


def test_queue_puts_detained_shipments_first(world: World, hq: Any) -> None:
    quiet = listed_order(world, "WRO-LIST-1")
    busy = listed_order(world, "WRO-LIST-2")
    detain(world, busy, "GCB-0000002-1")
    first = services.petition_file(actor=world.trader, order=quiet, kind="revoke", grounds="a")
    second = services.petition_file(actor=world.trader, order=busy, kind="revoke", grounds="b")
    rows = petition_queue(user=hq)
    assert [r.petition for r in rows] == [second, first]
    assert rows[0].detained == 1 and rows[0].value_usd == 1000.0


@pytest.mark.parametrize("source,name,target", sorted(PETITION_LIFECYCLE.edges()))
def test_every_petition_edge(world: World, hq: Any, source: str, name: str, target: str) -> None:
    """Each edge of the petition lifecycle is allowed from its sources and refused from every other state."""
    step = PETITION_LIFECYCLE.transition(name)
    assert PETITION_LIFECYCLE.check(name, state=source, actor=hq).target == target
    for other in set(PETITION_LIFECYCLE.states) - set(step.sources):
        with pytest.raises(Exception, match="cannot"):
            PETITION_LIFECYCLE.check(name, state=other, actor=hq)
    if step.allowed is not None:
        assert not step.allowed(world.supervisor)


def test_pages_file_and_decide(world: World, hq: Any) -> None:
    order = issue(world)
    case = order.proposal.case
    analyst = Client()
    analyst.force_login(world.analyst)
    response = analyst.post(
        reverse("cases:change_request_create", args=[case.reference, order.pk]),
        {"kind": "revoke", "ground": "no_longer_made", "grounds": "Remediation plan", "requester_name": "Counsel"},
    )
    assert response.status_code == 302
    petition = OrderChangeRequest.objects.get()
    url = reverse("petitions:action", args=[petition.pk, "decide"])
    assert analyst.post(url, {"decision": "revoke", "note": "x"}).status_code == 403
    reviewer = Client()
    reviewer.force_login(hq)
    assert b"Petition" in reviewer.get(reverse("petitions:list")).content
    assert reviewer.post(url, {"decision": "revoke", "note": ""}).status_code == 400
    refused = reviewer.post(url, {"decision": "revoke", "note": "Remediated"})
    assert refused.status_code == 409 and b"remediated" in refused.content
    ok = reviewer.post(
        url,
        {"decision": "revoke", "note": "Remediated", "finding_documents": "remediated", "finding_overtime": "refuted"},
    )
    assert ok.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.REVOKED


def test_api_files_reads_and_decides(world: World, hq: Any) -> None:
    order = listed_order(world)
    trader = Client()
    trader.force_login(world.trader)
    created = trader.post(
        "/api/v1/petitions",
        {"order": order.reference, "kind": "revoke", "ground": "not_imported", "grounds": "Stopped buying"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert trader.get(f"/api/v1/petitions/{pk}").json()["status"] == "filed"
    assert (
        trader.post(
            "/api/v1/petitions", {"order": "NOPE", "kind": "revoke", "grounds": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    denied = trader.post(
        f"/api/v1/petitions/{pk}/decision", {"decision": "deny", "note": "x"}, content_type="application/json"
    )
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"
    reviewer = Client()
    reviewer.force_login(hq)
    conflict = reviewer.post(
        f"/api/v1/petitions/{pk}/decision", {"decision": "revoke", "note": "ok"}, content_type="application/json"
    )
    assert conflict.status_code == 409 and "Modification/Revocation" in conflict.json()["rule"]
    bad = reviewer.post(
        f"/api/v1/petitions/{pk}/decision", {"decision": "maybe", "note": "ok"}, content_type="application/json"
    )
    assert bad.status_code == 422
    decided = reviewer.post(
        f"/api/v1/petitions/{pk}/decision", {"decision": "deny", "note": "Not shown"}, content_type="application/json"
    )
    assert decided.status_code == 200 and decided.json()["status"] == "denied"
    other = Client()
    other.force_login(world.officer)
    assert other.get(f"/api/v1/petitions/{pk}").status_code == 404


@pytest.mark.parametrize(
    "evidence",
    [
        {"remediation_amount_usd": "1e20"},
        {"remediation_amount_usd": 0.001},
        {"remediation_workers": 2**31},
        {"policies": "x" * 20001},
        {"indicator_responses": {"documents": "x" * 4001}},
    ],
    ids=["amount-overflow", "fraction-of-a-cent", "workers-overflow", "long-policies", "long-response"],
)
def test_api_refuses_out_of_range_evidence_with_422_and_saves_nothing(world: World, evidence: dict[str, Any]) -> None:
    """Numbers past the columns' range (PostgreSQL refuses them inside the database) and over-long text
    are refused by the API before any write."""
    order = listed_order(world)
    trader = Client()
    trader.force_login(world.trader)
    body = {"order": order.reference, "kind": "revoke", "ground": "not_imported", "grounds": "x", "evidence": evidence}
    response = trader.post("/api/v1/petitions", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["field"].startswith("evidence.")
    assert not OrderChangeRequest.objects.exists()


def test_api_token_files_and_reads_petitions_and_the_queue(world: World) -> None:
    """A bearer token works on the petitions and queue operations as on the entries API (no session, no CSRF)."""
    order = listed_order(world)
    secret = api_token_create(actor=world.trader, user=world.trader, name="erp")[1]
    api = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = {"order": order.reference, "kind": "revoke", "ground": "not_imported", "grounds": "Stopped buying"}
    created = api.post("/api/v1/petitions", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert [p["id"] for p in api.get("/api/v1/petitions").json()] == [created.json()["id"]]
    assert api.get(f"/api/v1/petitions/{created.json()['id']}").status_code == 200
    assert api.get("/api/v1/queue").status_code == 200
    assert Client(HTTP_AUTHORIZATION="Bearer s307_wrong").get("/api/v1/petitions").status_code == 401
