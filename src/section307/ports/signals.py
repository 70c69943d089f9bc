"""Order changes trigger a look-back over past entries: a decoupled concern, run as a task after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

from section307.orders.models import OrderEvent

RESCREEN_KINDS = {
    OrderEvent.Kind.ISSUED,
    OrderEvent.Kind.MODIFIED,
    OrderEvent.Kind.REVOKED,
    OrderEvent.Kind.AMENDED,
    OrderEvent.Kind.REINSTATED,
}


def order_event_saved(sender: Any, instance: OrderEvent, created: bool, **kwargs: Any) -> None:
    from django.conf import settings

    if not created or instance.kind not in RESCREEN_KINDS or kwargs.get("raw"):
        return
    if not getattr(settings, "SECTION307_RESCREEN_ON_ORDER_CHANGE", True):
        return
    from section307.ports.tasks import rescreen_after_order_event

    transaction.on_commit(lambda: rescreen_after_order_event.enqueue(instance.pk))


# Sent inside the transaction of every recorded detention decision (release, exclusion, export,
# seizure, abandonment), with ``detention``, ``outcome``, ``reason`` and ``actor``: the importer
# portal closes the detention's open requests from it.
detention_decided = Signal()
# Sent when a headquarters determination takes effect (a second reviewer concurred), with
# ``determination`` and ``actor``: the portal marks the package it decided.
determination_effective = Signal()
