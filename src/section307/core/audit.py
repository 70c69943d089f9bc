"""Write audit rows. Every service that changes state calls ``audit_record`` inside its transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from section307.core.models import AuditEvent

SYSTEM = "system"


def actor_label(actor: Any) -> str:
    if actor is None:
        return SYSTEM
    if getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return "public"


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
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
    event.save()
    return event


def audit_trail(target: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")
