"""Issuing to the registry, the public list and API (petitions: test_petitions.py)."""

from __future__ import annotations

import csv
import io

from django.test import Client
from django.urls import reverse

from section307.cases import services
from section307.orders.models import EnforcementOrder, OrderType
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
