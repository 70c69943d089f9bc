"""Shared imports and helpers of section307.ports.services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings

from section307.core.audit import actor_label
from section307.core.errors import InvalidInput
from section307.core.types import Actor, account
from section307.ports import clocks as rules
from section307.ports.models import (
    Entry,
    TimelineEvent,
)

if TYPE_CHECKING:
    from section307.accounts.models import User


class PortsError(InvalidInput, ValueError):
    """A request the rules refuse; the message says why."""


def max_extensions() -> int:
    return int(getattr(settings, "SECTION307_MAX_EXTENSIONS", rules.DEFAULT_MAX_EXTENSIONS))


def extension_days() -> int:
    return int(getattr(settings, "SECTION307_EXTENSION_DAYS", rules.DEFAULT_EXTENSION_DAYS))


def soon_days() -> int:
    return int(getattr(settings, "SECTION307_CLOCK_SOON_DAYS", rules.DEFAULT_SOON_DAYS))


def _user(actor: Actor | None) -> User | None:
    return account(actor)


def timeline_add(
    *,
    entry: Entry,
    kind: str,
    summary: str,
    actor: Actor | None = None,
    data: dict[str, Any] | None = None,
    shared: bool,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        entry=entry,
        kind=kind,
        summary=summary,
        actor=_user(actor),
        actor_label=actor_label(actor),
        data=data or {},
        shared=shared,
    )
