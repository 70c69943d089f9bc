"""Look-back: an order issued after entries arrived lists the past entries it now covers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from section307.geo.models import Country
from section307.orders.models import OrderType
from section307.orders.services import ScopedParty, order_create
from section307.parties.services import party_resolve
from section307.ports.models import Entry, RescreenRun
from section307.ports.services import entries_rescreen

pytestmark = pytest.mark.django_db
NEW_MILL = "Kashgar Golden Sands Apparel Co., Ltd."


def _new_order() -> Any:
    party, _ = party_resolve(actor=None, name=NEW_MILL, country=Country.objects.get(code="CN"), addresses=["Kashgar"])
    return order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Garments",
        effective_date=timezone.localdate(),
        country=Country.objects.get(code="CN"),
        parties=[ScopedParty(party)],
        reference="WRO-2026-0009",
    )


def test_lookback_lists_newly_affected_entries_and_requeues_them(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    today = timezone.localdate()
    recent = file_entry(
        manufacturer=NEW_MILL, origin="VN", description="Cotton shirts", date=today - dt.timedelta(days=10)
    )
    old = file_entry(
        manufacturer=NEW_MILL, origin="VN", description="Cotton shirts", date=today - dt.timedelta(days=400)
    )
    other = file_entry(manufacturer="Hanoi Garment JSC", origin="VN", description="Shirts")
    assert recent.status == old.status == other.status == Entry.Status.CLEARED
    order = _new_order()
    run = entries_rescreen(actor=officer, since=today - dt.timedelta(days=90), order=order, trigger="test")
    affected = [f for f in run.findings.all() if f.newly_affected]
    assert [f.entry_line.entry_id for f in affected] == [recent.pk]
    assert affected[0].previous_decision == "clear" and affected[0].order_reference == "WRO-2026-0009"
    recent.refresh_from_db()
    old.refresh_from_db()
    assert recent.status == Entry.Status.TARGETED and recent.decision == "hit"
    assert old.status == Entry.Status.CLEARED  # outside the window
    assert recent.timeline.filter(kind="rescreened").exists()


def test_order_event_enqueues_the_lookback_after_commit(
    registry: Any, file_entry: Callable[..., Entry], django_capture_on_commit_callbacks: Any
) -> None:
    entry = file_entry(manufacturer=NEW_MILL, origin="VN", description="Cotton shirts")
    with django_capture_on_commit_callbacks(execute=True):
        _new_order()
    run = RescreenRun.objects.get()
    assert run.order_reference == "WRO-2026-0009" and "issued" in run.trigger
    entry.refresh_from_db()
    assert entry.status == Entry.Status.TARGETED


def test_a_burst_of_order_events_runs_one_lookback(
    registry: Any, file_entry: Callable[..., Entry], django_capture_on_commit_callbacks: Any
) -> None:
    from section307.orders.services import order_transition

    file_entry(manufacturer=NEW_MILL, origin="VN", description="Cotton shirts")
    with django_capture_on_commit_callbacks(execute=True):
        order = _new_order()
        order_transition(actor=None, order=order, transition="modify", note="narrowed")
    assert RescreenRun.objects.count() == 1


def test_queue_lists_hits_before_reviews(registry: Any, file_entry: Callable[..., Entry], officer: Any) -> None:
    from section307.ports.selectors import targeting_queue

    review = file_entry(manufacturer="Hanoi Garment JSC", origin="VN", description="Shirts")
    # The selector's ordering is under test here, so the review decision is set directly.
    Entry.objects.filter(pk=review.pk).update(decision="review", status=Entry.Status.TARGETED)
    hit = file_entry()
    assert list(targeting_queue(user=officer)) == [hit, review]


def test_lookback_does_not_relabel_an_entry_detained_under_another_order(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    from django.test import Client

    from section307.orders.services import order_transition
    from section307.ports.selectors import detentions_under_order
    from section307.ports.services import entry_detain

    entry = file_entry()
    detention = entry_detain(actor=officer, entry=entry, reason="Tianshan WRO")
    assert entry.lines.get().order_reference == "WRO-2023-0001"
    order_transition(actor=None, order=registry["wro"], transition="revoke")
    run = entries_rescreen(actor=officer, since=timezone.localdate() - dt.timedelta(days=90), trigger="revoked")
    line = entry.lines.get()
    assert line.order_reference == "WRO-2023-0001" and line.decision == "hit"  # not relabelled
    finding = run.findings.get(entry_line=line)
    assert "Detained under WRO-2023-0001" in finding.reasons and not finding.newly_affected
    # The revoked order lists the shipment still detained under it, as needing the port's action.
    assert list(detentions_under_order(user=officer, order=registry["wro"])) == [detention]
    staff_client = Client()
    staff_client.force_login(officer)
    page = staff_client.get("/registry/orders/WRO-2023-0001/").content.decode()
    assert entry.entry_number in page and "needs the port" in page
