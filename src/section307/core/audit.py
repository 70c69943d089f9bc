"""Write audit rows. Every service that changes state calls ``audit_record`` inside its transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from section307.core.models import AuditChainHead, AuditEvent
from section307.core.types import Actor, account

SYSTEM = "system"


def actor_label(actor: Actor | None) -> str:
    if actor is None:
        return SYSTEM
    if getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return "public"


# The chain starts from this value; a row's hash covers the previous hash and the row's content.
GENESIS = "0" * 64


def canonical_content(
    *,
    pk: int,
    occurred_at: dt.datetime,
    actor_label: str,
    action: str,
    target_type_id: int | None,
    target_id: str,
    target_repr: str,
    data: Any,
) -> str:
    """The row's content as canonical JSON (sorted keys, no spaces, UTC microseconds).

    The actor's foreign key is left out on purpose: it is set to NULL when an account is deleted,
    while ``actor_label`` keeps the name for good.
    """
    content = {
        "id": pk,
        "occurred_at": occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type_id,
        "target_id": target_id,
        "target_repr": target_repr,
        # Through JSON once so the value hashes the same before and after the database round trip.
        "data": json.loads(json.dumps(data)),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


def event_hash(event: AuditEvent, prev_hash: str) -> str:
    return chain_hash(
        prev_hash,
        canonical_content(
            pk=event.pk,
            occurred_at=event.occurred_at,
            actor_label=event.actor_label,
            action=event.action,
            target_type_id=event.target_type_id,
            target_id=event.target_id,
            target_repr=event.target_repr,
            data=event.data,
        ),
    )


@transaction.atomic
def audit_record(
    *,
    actor: Actor | None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    user = account(actor)
    event = AuditEvent(
        actor=user,
        actor_label=actor_label(actor),
        action=action,
        data=data or {},
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = str(target.pk)
        event.target_repr = str(target)[:300]
    # The head row is the chain's lock: concurrent writers queue here, so each appends to the last
    # committed hash (SQLite's IMMEDIATE transactions already serialise writers).
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event.prev_hash = head.hash or GENESIS
    event.save()
    event.hash = event_hash(event, event.prev_hash)
    AuditEvent.objects.filter(pk=event.pk).update(hash=event.hash)
    head.last_id, head.hash = event.pk, event.hash
    head.save(update_fields=["last_id", "hash"])
    return event


def audit_trail(target: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")


@dataclass(frozen=True)
class ChainBreak:
    row_id: int | None
    reason: str


def audit_chain_verify(*, batch: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the chain from the first row; return the rows checked and the first broken link, if any."""
    prev_hash, prev_id, checked = GENESIS, None, 0
    for event in _events_in_order(batch):
        if event.prev_hash != prev_hash:
            after = f"row {prev_id}" if prev_id is not None else "the start of the chain"
            return checked, ChainBreak(
                event.pk,
                f"prev_hash does not match the hash of {after}: a row before it was deleted, inserted or edited",
            )
        expected = event_hash(event, prev_hash)
        if event.hash != expected:
            return checked, ChainBreak(
                event.pk, f"content differs from what was recorded (stored hash {event.hash}, computed {expected})"
            )
        prev_hash, prev_id = event.hash, event.pk
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_hash = head.hash if head and head.hash else GENESIS
    head_id = head.last_id if head else None
    if (head_id, head_hash) != (prev_id, prev_hash):
        return checked, ChainBreak(
            prev_id, f"the chain head names row {head_id}, but the last row is {prev_id}: rows at the end were deleted"
        )
    return checked, None


def _events_in_order(batch: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk")[:batch])
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1].pk
