"""Object-level rules for the importer portal: a trade user sees and acts on its organization's requests only.

Port staff (``trade.view_traderequest``) read every request and may ask questions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from section307.ports.permissions import is_trade_user
from section307.trade.models import TradeRequest


def requests_visible_to(user: Any, qs: QuerySet[TradeRequest] | None = None) -> QuerySet[TradeRequest]:
    qs = TradeRequest.objects.all() if qs is None else qs
    if getattr(user, "is_authenticated", False) and user.has_perm("trade.view_traderequest"):
        return qs
    if is_trade_user(user):
        return qs.filter(organization_id=user.organization_id)
    return qs.none()


def can_edit_request(user: Any, request: TradeRequest) -> bool:
    return is_trade_user(user) and request.organization_id == user.organization_id
