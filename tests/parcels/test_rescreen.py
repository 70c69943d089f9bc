"""Re-screening after an order change: parcels not yet disposed are screened again; new hits are held
and grouped for the officer's decision, hits now clear enter the officer's queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from section307.core.queue import queue_for
from section307.geo.models import Country
from section307.orders.models import EnforcementOrder, OrderType
from section307.orders.services import ScopedParty, order_create, order_transition
from section307.parcels import services
from section307.parcels.models import Manifest, Parcel, ParcelGroup, ParcelRescreenFinding, ParcelRescreenRun
from section307.parties.services import party_resolve

from .conftest import listed, row

pytestmark = pytest.mark.django_db
NEW_SELLER = "Kashgar Golden Sands Apparel Co., Ltd."


def _new_order() -> EnforcementOrder:
    party, _ = party_resolve(actor=None, name=NEW_SELLER, country=Country.objects.get(code="CN"), addresses=["Kashgar"])
    return order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Garments",
        effective_date=timezone.localdate(),
        country=Country.objects.get(code="CN"),
        parties=[ScopedParty(party)],
        reference="WRO-2026-0009",
    )


def _new_seller(n: int) -> dict[str, Any]:
    return row(n, seller=NEW_SELLER, seller_address="Hanoi", description="polyester shirt", origin_country="VN")


def test_a_new_order_holds_cleared_parcels_it_now_covers_in_a_group_for_the_officer(
    registry: Any, receive: Callable[..., Manifest], officer: Any
) -> None:
    m = receive([_new_seller(1), _new_seller(2), row(3)])
    assert set(m.parcels.values_list("status", flat=True)) == {"cleared"} and not m.groups.exists()
    _new_order()
    run = services.parcels_rescreen(actor=None, trigger="issue of WRO-2026-0009", order_reference="WRO-2026-0009")
    assert run is not None and run.parcels_screened == 3 and run.new_hits == 2 and run.groups_created == 1
    group = m.groups.get()
    assert group.status == ParcelGroup.Status.PENDING and group.parcel_count == 2
    assert group.order_reference == "WRO-2026-0009" and group.order is not None
    assert "re-screening after issue of WRO-2026-0009" in group.events.get(kind="grouped").summary
    p = Parcel.objects.get(tracking_number="TRK000000001")
    # The name matches the new order's party (the address does not corroborate it): a review.
    assert p.status == Parcel.Status.HELD and p.decision == "review" and p.group == group
    finding = ParcelRescreenFinding.objects.get(parcel=p)
    assert (finding.kind, finding.previous_decision, finding.decision) == ("new_hit", "clear", "review")
    assert finding.group == group
    assert Parcel.objects.get(tracking_number="TRK000000003").status == Parcel.Status.CLEARED
    items = [i for i in queue_for(officer) if i.kind == "parcels.group_decision"]
    assert [i.url for i in items] == [reverse("parcels:group_detail", args=[group.pk])]
    # The new group is detained like any other: under the new order.
    detention = services.group_detain(actor=officer, group=group, reason="Seller named in the new WRO.")
    assert detention.order_reference == "WRO-2026-0009"


def test_disposed_parcels_and_cleared_parcels_past_the_look_back_are_not_screened_again(
    registry: Any, receive: Callable[..., Manifest], officer: Any, settings: Any
) -> None:
    released = receive([_new_seller(1)])
    old = receive([_new_seller(2)])
    Manifest.objects.filter(pk=old.pk).update(presented_on=timezone.localdate() - dt.timedelta(days=40))
    Parcel.objects.filter(manifest=released).update(status=Parcel.Status.RELEASED)
    settings.SECTION307_PARCELS_RESCREEN_DAYS = 30
    _new_order()
    run = services.parcels_rescreen(actor=None, trigger="t")
    assert run is None  # nothing open to screen
    assert not ParcelRescreenFinding.objects.exists()
    assert set(Parcel.objects.values_list("status", flat=True)) == {"released", "cleared"}


def test_a_revoked_order_puts_held_and_detained_parcels_now_clear_in_the_officer_queue(
    registry: Any, receive: Callable[..., Manifest], officer: Any
) -> None:
    # Outside Xinjiang and not cotton: only the WRO on the seller holds them.
    plain = {
        "seller_address": "88 Jiefang Road, Aksu",
        "description": "ceramic plant pot",
        "hts": "",
        "origin_country": "PT",
    }
    m1 = receive([listed(1, **plain), listed(2, **plain)])
    m2 = receive([listed(3, **plain)])
    held, detained_group = m1.groups.get(), m2.groups.get()
    detention = services.group_detain(actor=officer, group=detained_group, reason="Listed seller.")
    order_transition(actor=None, order=registry["wro"], transition="revoke")
    run = services.parcels_rescreen(actor=None, trigger="revocation of WRO-2023-0001")
    assert run is not None and run.cleared == 3 and run.new_hits == 0
    # The parcels keep the screening they were grouped and detained under.
    p = Parcel.objects.get(tracking_number="TRK000000003")
    assert p.status == Parcel.Status.DETAINED and p.order_reference == "WRO-2023-0001"
    items = {i.url: i for i in queue_for(officer) if i.kind == "parcels.rescreen_cleared"}
    assert set(items) == {
        reverse("parcels:group_detail", args=[held.pk]),
        reverse("parcels:group_detail", args=[detained_group.pk]),
    }
    assert "revocation of WRO-2023-0001" in items[reverse("parcels:group_detail", args=[held.pk])].why
    # A second run finds nothing new to record.
    again = services.parcels_rescreen(actor=None, trigger="again")
    assert again is not None and again.cleared == 0 and ParcelRescreenFinding.objects.count() == 3
    # The group page lists the findings; deciding the group takes it off the queue.
    page = Client()
    page.force_login(officer)
    body = page.get(reverse("parcels:group_detail", args=[held.pk])).content.decode()
    assert "Re-screening after order changes" in body and "revocation of WRO-2023-0001" in body
    services.group_release(actor=officer, group=held, reason="The WRO was revoked.")
    services.detention_decide(actor=officer, detention=detention, outcome="release", reason="The WRO was revoked.")
    assert not [i for i in queue_for(officer) if i.kind == "parcels.rescreen_cleared"]


def test_an_order_event_re_screens_parcels_after_commit_once_per_burst(
    registry: Any, receive: Callable[..., Manifest], django_capture_on_commit_callbacks: Any
) -> None:
    m = receive([_new_seller(1)])
    with django_capture_on_commit_callbacks(execute=True):
        order = _new_order()
        order_transition(actor=None, order=order, transition="modify", note="narrowed")
    run = ParcelRescreenRun.objects.get()
    assert "WRO-2026-0009" in run.trigger and run.order_reference == "WRO-2026-0009"
    assert m.groups.get().parcel_count == 1
