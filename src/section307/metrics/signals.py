"""Keeps a detention's row in the fact table in step with every save, after the commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from section307.ports.models import Detention


def detention_saved(sender: Any, instance: Detention, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    from section307.metrics.facts import facts_update

    pk = instance.pk
    transaction.on_commit(lambda: facts_update([pk]))
