"""Monitoring hooks: an order change or a reference-list load re-screens the maps after commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction


def _enqueue(trigger: str) -> None:
    if not getattr(settings, "SECTION307_SUPPLYCHAIN_MONITOR", True):
        return
    from section307.supplychain.tasks import maps_rescreen_task

    transaction.on_commit(lambda: maps_rescreen_task.enqueue(trigger))


def order_event_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    from section307.ports.signals import RESCREEN_KINDS

    if not created or kwargs.get("raw") or instance.kind not in RESCREEN_KINDS:
        return
    _enqueue(f"{instance.get_kind_display().lower()} of {instance.order.reference}")


def refdata_load_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    _enqueue(f"the {instance.source} reference list load")
