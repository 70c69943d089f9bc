"""The port officer's queue: targeting ranked by risk score and value; detentions under a changed order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from section307.accounts.models import User
from section307.core.queue import queue_for
from section307.orders.services import order_transition
from section307.ports.models import Entry
from section307.ports.services import entry_detain


def test_targeting_items_rank_hits_by_score_then_value(
    registry: Any, file_entry: Callable[..., Entry], officer: User
) -> None:
    small = file_entry(lines=1)
    large = file_entry(lines=3)  # same manufacturer and score, three times the value
    items = [i for i in queue_for(officer) if i.kind == "entry.target"]
    assert [i.ref for i in items] == [f"ports.entry:{large.pk}", f"ports.entry:{small.pk}"]
    assert "risk score" in items[0].why and items[0].url.endswith(f"/port/entries/{large.entry_number}/")


def test_revoked_order_puts_its_detentions_in_front_of_the_officer(
    registry: Any, file_entry: Callable[..., Entry], officer: User, make_user: Any
) -> None:
    entry = file_entry()
    entry_detain(actor=officer, entry=entry, reason="WRO manufacturer")
    assert not [i for i in queue_for(officer) if i.kind == "detention.order_changed"]
    order_transition(actor=None, order=registry["wro"], transition="revoke", note="Petition granted")
    items = [i for i in queue_for(officer) if i.kind == "detention.order_changed"]
    assert len(items) == 1 and "revoked" in items[0].why and registry["wro"].reference in items[0].why
