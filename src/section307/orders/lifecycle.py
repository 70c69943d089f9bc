"""The status lifecycle of an enforcement order, in one table."""

from __future__ import annotations

from typing import Any

from section307.accounts.roles import ADMINISTRATOR, HQ_REVIEWER, SUPERVISOR, user_has_role
from section307.core.lifecycle import StateMachine, Transition
from section307.orders.models import OrderEvent, OrderStatus


def _may_publish(actor: Any) -> bool:
    # Reference-data loads run as the system (no actor); people need the supervisor role, or
    # headquarters deciding a modification or revocation petition.
    return actor is None or user_has_role(actor, SUPERVISOR, ADMINISTRATOR, HQ_REVIEWER)


ACTIVE, MODIFIED, REVOKED, INACTIVE = (
    OrderStatus.ACTIVE,
    OrderStatus.MODIFIED,
    OrderStatus.REVOKED,
    OrderStatus.INACTIVE,
)

ORDER_LIFECYCLE = StateMachine(
    name="order",
    states=(ACTIVE, MODIFIED, REVOKED, INACTIVE),
    transitions=(
        Transition("modify", frozenset({ACTIVE, MODIFIED}), MODIFIED, _may_publish, "Modify the order's scope"),
        Transition("revoke", frozenset({ACTIVE, MODIFIED}), REVOKED, _may_publish, "Revoke the order"),
        Transition("inactivate", frozenset({ACTIVE, MODIFIED}), INACTIVE, _may_publish, "Mark inactive"),
        Transition("reinstate", frozenset({REVOKED, INACTIVE}), ACTIVE, _may_publish, "Reinstate"),
    ),
)

EVENT_FOR_TRANSITION = {
    "modify": OrderEvent.Kind.MODIFIED,
    "revoke": OrderEvent.Kind.REVOKED,
    "inactivate": OrderEvent.Kind.INACTIVATED,
    "reinstate": OrderEvent.Kind.REINSTATED,
}

TRANSITION_TO_STATUS = {t.target: t.name for t in ORDER_LIFECYCLE.transitions}
