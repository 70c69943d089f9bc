"""An order published, modified or revoked re-screens the parcels not yet disposed, after commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction


def order_event_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    from section307.ports.signals import RESCREEN_KINDS

    if not created or kwargs.get("raw") or instance.kind not in RESCREEN_KINDS:
        return
    if not getattr(settings, "SECTION307_RESCREEN_ON_ORDER_CHANGE", True):
        return
    from section307.parcels.tasks import parcels_rescreen_task

    event_id = instance.pk
    transaction.on_commit(lambda: parcels_rescreen_task.enqueue(event_id))
