"""Issuing to the registry, the public list and API, and modification/revocation requests."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from section307.cases import services
from section307.cases.models import OrderChangeRequest
from section307.orders.models import EnforcementOrder, OrderStatus, OrderType
from section307.orders.services import order_create

from .conftest import World, draft_proposal, escalated_case


def issue(world: World) -> EnforcementOrder:
    case = escalated_case(world)
    proposal = draft_proposal(world, case)
    services.proposal_submit(actor=world.analyst, proposal=proposal)
    return services.proposal_decide(actor=world.supervisor, proposal=proposal, approve=True).order


def test_public_list_and_detail_show_issued_order_without_sign_in(world: World) -> None:
    order = issue(world)
    order_create(actor=None, order_type=OrderType.UFLPA_ENTITY, merchandise="Entity list item", effective_date=None)
    client = Client()
    page = client.get(reverse("orders_public:list"))
    assert page.status_code == 200
    assert order.reference.encode() in page.content and b"Aksu Spinning Mill Co." in page.content
    assert b"Entity list item" not in page.content  # only WROs and Findings are the published list
    detail = client.get(reverse("orders_public:detail", args=[order.reference]))
    assert detail.status_code == 200 and b"Issued" in detail.content
    assert b"approved by" not in detail.content  # internal notes stay internal
    assert client.get(reverse("orders_public:detail", args=["UEL-2026-0001"])).status_code == 404


def test_public_list_filters(world: World) -> None:
    order = issue(world)
    client = Client()
    assert order.reference.encode() in client.get(reverse("orders_public:list"), {"country": "CN"}).content
    assert order.reference.encode() not in client.get(reverse("orders_public:list"), {"country": "MY"}).content
    assert order.reference.encode() not in client.get(reverse("orders_public:list"), {"type": "finding"}).content
    assert order.reference.encode() not in client.get(reverse("orders_public:list"), {"since": "2030-01-01"}).content
    # Nonsense filters are ignored, not errors.
    assert (
        client.get(reverse("orders_public:list"), {"since": "not-a-date", "status": "zzz", "page": "x"}).status_code
        == 200
    )


def test_api_json_csv_and_filters(world: World) -> None:
    order = issue(world)
    client = Client()
    data = client.get("/api/v1/orders").json()
    assert data["count"] == 1 and data["results"][0]["reference"] == order.reference
    row = data["results"][0]
    assert row["manufacturers"] == ["Aksu Spinning Mill Co."] and row["country"] == "China"
    assert row["type"] == "Withhold Release Order" and row["status"] == "Active"
    assert client.get("/api/v1/orders", {"type": "finding"}).json()["count"] == 0
    assert client.get("/api/v1/orders", {"since": "2026-01-01", "country": "CN"}).json()["count"] == 1
    for response in (
        client.get("/api/v1/orders", {"format": "csv"}),
        client.get("/api/v1/orders", HTTP_ACCEPT="text/csv"),
    ):
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert rows[0]["reference"] == order.reference and rows[0]["manufacturers"] == "Aksu Spinning Mill Co."
    assert client.get("/api/v1/orders", {"page_size": 100000}).status_code == 422
    assert client.get("/api/v1/orders", {"since": "yesterday"}).status_code == 422
    detail = client.get(f"/api/v1/orders/{order.reference}").json()
    assert detail["history"][0]["event"] == "Issued"
    assert client.get("/api/v1/orders/NOPE").status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/orders" in schema["paths"] and "text/csv" in str(schema["paths"]["/api/v1/orders"])


def test_revocation_request_granted_keeps_the_record(world: World) -> None:
    order = issue(world)
    request = services.order_change_request_submit(
        actor=world.analyst, order=order, kind="revoke", ground="no_longer_made", grounds="Audited remediation"
    )
    assert request.case is not None  # reviewed in the case's context
    with pytest.raises(PermissionDenied):
        services.order_change_request_decide(actor=world.analyst, request=request, grant=True, note="x")
    services.order_change_request_decide(actor=world.supervisor, request=request, grant=True, note="Remediated")
    order.refresh_from_db()
    assert order.status == OrderStatus.REVOKED
    assert [e.kind for e in order.events.all()] == ["issued", "revoked"]
    public = Client().get(reverse("orders_public:detail", args=[order.reference]))
    assert b"Revoked" in public.content
    with pytest.raises(ValidationError):
        services.order_change_request_decide(actor=world.supervisor, request=request, grant=False, note="again")


def test_modification_request_narrows_the_order(world: World) -> None:
    order = issue(world)
    request = services.order_change_request_submit(
        actor=world.analyst,
        order=order,
        kind="modify",
        ground="not_made",
        grounds="Yarn from another mill",
        proposed_merchandise="Cotton yarn of counts above 40s produced by Aksu Spinning Mill Co.",
    )
    services.order_change_request_decide(actor=world.supervisor, request=request, grant=True, note="Narrowed")
    order.refresh_from_db()
    assert order.status == OrderStatus.MODIFIED and order.merchandise.startswith("Cotton yarn of counts")
    kinds = [e.kind for e in order.events.all()]
    assert kinds == ["issued", "amended", "modified"]
    assert (
        order.events.get(kind="amended").changes["merchandise"][0] == "Cotton yarn produced by Aksu Spinning Mill Co."
    )


def test_denied_request_changes_nothing(world: World) -> None:
    order = issue(world)
    request = services.order_change_request_submit(
        actor=world.trader, order=order, kind="revoke", ground="not_imported", grounds="We stopped buying"
    )
    assert request.organization == world.trader.organization
    services.order_change_request_decide(actor=world.supervisor, request=request, grant=False, note="Not shown")
    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE and order.events.count() == 1
    assert OrderChangeRequest.objects.get().status == OrderChangeRequest.Status.DENIED


def test_bad_change_requests_are_refused(world: World) -> None:
    order = issue(world)
    with pytest.raises(ValidationError):
        services.order_change_request_submit(actor=world.analyst, order=order, kind="modify", grounds="x")
    with pytest.raises(ValidationError):
        services.order_change_request_submit(
            actor=world.analyst, order=order, kind="modify", grounds="x", proposed_remove_party_ids=[999999]
        )
    with pytest.raises(ValidationError):
        services.order_change_request_submit(actor=world.analyst, order=order, kind="revoke", grounds="  ")


def test_decision_page_in_case_context(world: World) -> None:
    order = issue(world)
    case = order.proposal.case
    client = Client()
    client.force_login(world.analyst)
    response = client.post(
        reverse("cases:change_request_create", args=[case.reference, order.pk]),
        {"kind": "revoke", "ground": "no_longer_made", "grounds": "Remediation plan", "requester_name": "Counsel"},
    )
    assert response.status_code == 302
    change = OrderChangeRequest.objects.get()
    assert client.get(reverse("cases:change_request_decide", args=[case.reference, change.pk])).status_code == 403
    sup = Client()
    sup.force_login(world.supervisor)
    url = reverse("cases:change_request_decide", args=[case.reference, change.pk])
    assert sup.post(url, {"decision": "grant", "note": ""}).status_code == 400
    assert sup.post(url, {"decision": "grant", "note": "Remediated"}).status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.REVOKED and order.effective_date == dt.date(2026, 2, 1)
