"""The status lifecycle of an enforcement order, in one table."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from section307.core.errors import NotPermitted
from section307.core.lifecycle import StateMachine, Transition
from section307.core.types import Actor
from section307.orders.models import OrderEvent, OrderStatus


def _may_publish(actor: Actor | None) -> bool:
    # Reference-data loads run as the system (no actor); people need the permission to publish.
    return actor is None or bool(getattr(actor, "is_authenticated", False) and actor.has_perm("orders.publish_order"))


def _may_manage(actor: Actor | None) -> bool:
    # Inactivating and reinstating are registry upkeep (supervisors, reference loads); headquarters
    # publishes only the modification or revocation a petition decided (docs/adr/0013).
    return _may_publish(actor) and (actor is None or actor.has_perm("orders.change_enforcementorder"))


def require_issuer(actor: Actor | None) -> None:
    """Issuing a new order is the registry's (supervisors, the system), not headquarters' petition work."""
    if not (_may_publish(actor) and (actor is None or actor.has_perm("orders.add_enforcementorder"))):
        raise NotPermitted(gettext("You may not issue enforcement orders."), code="publish_order")


def require_publisher(actor: Actor | None) -> None:
    """Issuing or changing an order is for whoever holds ``orders.publish_order`` (or the system)."""
    if not _may_publish(actor):
        raise NotPermitted(gettext("You may not issue or change enforcement orders."), code="publish_order")


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
        Transition(
            "modify", frozenset({ACTIVE, MODIFIED}), MODIFIED, _may_publish, gettext_noop("Modify the order's scope")
        ),
        Transition("revoke", frozenset({ACTIVE, MODIFIED}), REVOKED, _may_publish, gettext_noop("Revoke the order")),
        Transition("inactivate", frozenset({ACTIVE, MODIFIED}), INACTIVE, _may_manage, gettext_noop("Mark inactive")),
        Transition("reinstate", frozenset({REVOKED, INACTIVE}), ACTIVE, _may_manage, gettext_noop("Reinstate")),
    ),
)

EVENT_FOR_TRANSITION = {
    "modify": OrderEvent.Kind.MODIFIED,
    "revoke": OrderEvent.Kind.REVOKED,
    "inactivate": OrderEvent.Kind.INACTIVATED,
    "reinstate": OrderEvent.Kind.REINSTATED,
}

TRANSITION_TO_STATUS = {t.target: t.name for t in ORDER_LIFECYCLE.transitions}
