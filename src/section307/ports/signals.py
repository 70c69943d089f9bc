"""Order changes trigger a look-back over past entries: a decoupled concern, run as a task after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction

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
