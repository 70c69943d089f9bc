"""Object-level rules for the importer portal: a trade user sees and acts on its organization's
requests, and on the requests about entries an importer delegated to it as broker
(``ports.permissions.entry_access_q``).

Port staff (``trade.view_traderequest``) read every request and may ask questions.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from section307.core.types import Actor
from section307.ports.permissions import can_act_for_detention, entry_access_q, is_trade_user
from section307.trade.models import TradeRequest


def requests_visible_to(user: Actor, qs: QuerySet[TradeRequest] | None = None) -> QuerySet[TradeRequest]:
    qs = TradeRequest.objects.all() if qs is None else qs
    if getattr(user, "is_authenticated", False) and user.has_perm("trade.view_traderequest"):
        return qs
    if is_trade_user(user):
        org = user.organization_id
        delegated = Q(detention__isnull=False) & entry_access_q(org, prefix="detention__entry__")
        return qs.filter(Q(organization_id=org) | Q(acting_organization_id=org) | delegated)
    return qs.none()


def can_edit_request(user: Actor, request: TradeRequest) -> bool:
    if not is_trade_user(user):
        return False
    if request.detention is not None:
        return can_act_for_detention(user, request.detention)
    return request.organization_id == user.organization_id
