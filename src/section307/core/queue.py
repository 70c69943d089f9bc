"""Work queues: every record someone must act on appears in somebody's queue, with why and by when.

Apps contribute *providers* in their ``AppConfig.ready()``: a provider takes the user and the
current time and yields the ``WorkItem``s that user must act on. Providers compute items from
the records' dates when read, so a missed background tick never hides or delays an item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from section307.core.types import Actor, account

if TYPE_CHECKING:
    from section307.accounts.models import User


@dataclass(frozen=True)
class WorkItem:
    kind: str  # stable machine key, e.g. "detention.decision_due"
    title: str  # what the record is, in words
    why: str  # why it needs this user now, in words
    url: str  # where the user acts on it
    due: date | datetime | None = None  # by when (None: no legal or set deadline)
    rule: str = ""  # citation of the rule that sets the deadline, if any
    priority: int = 0  # higher first among items due at the same time
    ref: str = ""  # "app_label.model:pk" of the record


QueueProvider = Callable[["User", datetime], Iterable[WorkItem]]

PROVIDERS: list[QueueProvider] = []


def register(provider: QueueProvider) -> QueueProvider:
    """Add a provider (usable as a decorator); registering the same function twice is a no-op."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def _due_key(item: WorkItem) -> tuple[int, str, int]:
    if item.due is None:
        return (1, "", -item.priority)
    due = item.due
    if isinstance(due, datetime):
        stamp = timezone.localtime(due).isoformat() if timezone.is_aware(due) else due.isoformat()
    else:
        stamp = due.isoformat()
    return (0, stamp, -item.priority)


def item_due_date(item: WorkItem) -> date | None:
    """The item's deadline as a local date (a datetime deadline counts on its local day)."""
    if item.due is None:
        return None
    if isinstance(item.due, datetime):
        return timezone.localdate(item.due) if timezone.is_aware(item.due) else item.due.date()
    return item.due


def queue_for(user: Actor, *, now: datetime | None = None) -> list[WorkItem]:
    """The user's work items, soonest deadline first; items without a deadline last."""
    acct = account(user)
    if acct is None:
        return []
    now = now or timezone.now()
    items: list[WorkItem] = []
    for provider in PROVIDERS:
        items.extend(provider(acct, now))
    return sorted(items, key=_due_key)


def queue_for_page(user: Actor, path: str, *, now: datetime | None = None) -> list[tuple[WorkItem, bool]]:
    """The user's work items acted on at ``path`` or below it, soonest first, each with "is overdue".

    Workspace pages show these as their next action, so the page and the queue never disagree.
    """
    from urllib.parse import urlsplit

    now = now or timezone.now()
    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    rows = []
    for item in queue_for(user, now=now):
        item_path = urlsplit(item.url).path
        if item_path == path or item_path.startswith(path.rstrip("/") + "/"):
            due = item_due_date(item)
            rows.append((item, due is not None and due < today))
    return rows
