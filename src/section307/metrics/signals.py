"""Keeps a detention's row in the fact table, and the tallies, in step with every save and delete.

The update runs in the saving transaction: the detention, its fact and the tallies commit (or roll
back) together.
"""

from __future__ import annotations

from typing import Any

from section307.ports.models import Detention


def detention_saved(sender: Any, instance: Detention, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    from section307.metrics.facts import facts_update

    facts_update([instance.pk])


def detention_deleted(sender: Any, instance: Detention, **kwargs: Any) -> None:
    from section307.metrics.facts import facts_forget

    facts_forget([instance.pk])
