"""Work-queue providers of port enforcement: the targeting queue, and detentions under an order
that was modified or revoked after the goods were detained (the port acts on them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from section307.core.queue import WorkItem, register
from section307.orders.models import OrderEvent
from section307.ports.models import Detention
from section307.ports.permissions import detentions_visible_to

ORDER_CHANGE_RULE = "CBP WRO Modification/Revocation Processes Overview (2021)"


def targeting_items(user: Any, now: dt.datetime) -> Iterator[WorkItem]:
    """Officers: hits and reviews waiting in the targeting queue, ranked by risk score and value."""
    if not user.has_perm("ports.target_entry"):
        return
    from section307.ports.selectors import targeting_queue

    entries = list(targeting_queue(user=user)[:200])
    for position, entry in enumerate(entries):
        why = _("%(decision)s on screening, risk score %(score).2f, value USD %(value).2f") % {
            "decision": entry.get_decision_display() or _("Flagged"),
            "score": getattr(entry, "risk_score", 0.0),
            "value": getattr(entry, "value_usd", 0),
        }
        if entry.status == entry.Status.EXAM:
            why = _("Held for exam; ") + why
        yield WorkItem(
            kind="entry.target",
            title=_("Entry %(number)s (%(importer)s)")
            % {"number": entry.entry_number, "importer": entry.importer_name},
            why=why,
            url=reverse("ports:entry_detail", args=[entry.entry_number]),
            due=None,
            priority=len(entries) - position,
            ref=f"ports.entry:{entry.pk}",
        )


def order_change_items(user: Any, now: dt.datetime) -> Iterator[WorkItem]:
    """Officers: open detentions whose order was modified or revoked after the detention began."""
    if not user.has_perm("ports.decide_detention"):
        return
    open_statuses = [Detention.Status.DETAINED, Detention.Status.UNDER_REVIEW]
    detentions = detentions_visible_to(user).filter(status__in=open_statuses, order__isnull=False)
    detentions = detentions.select_related("entry", "order")
    for detention in detentions:
        assert detention.order is not None  # filtered above
        event = (
            OrderEvent.objects.filter(
                order=detention.order,
                kind__in=[OrderEvent.Kind.MODIFIED, OrderEvent.Kind.REVOKED],
                recorded_at__gt=detention.created_at,
            )
            .order_by("-recorded_at")
            .first()
        )
        if event is None:
            continue
        yield WorkItem(
            kind="detention.order_changed",
            title=_("Detention of %(number)s") % {"number": detention.entry.entry_number},
            why=_("%(order)s was %(change)s on %(date)s: decide whether the goods are still covered")
            % {
                "order": detention.order.reference,
                "change": event.get_kind_display().lower(),
                "date": f"{timezone.localdate(event.recorded_at):%Y-%m-%d}",
            },
            url=reverse("ports:detention_detail", args=[detention.pk]),
            due=timezone.localdate(event.recorded_at),
            rule=ORDER_CHANGE_RULE,
            priority=2,
            ref=f"ports.detention:{detention.pk}",
        )


def register_providers() -> None:
    register(targeting_items)
    register(order_change_items)
