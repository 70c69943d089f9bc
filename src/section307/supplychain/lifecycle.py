"""The lifecycle of a remediation plan, in one table: open until its outcome is recorded."""

from __future__ import annotations

from section307.core.lifecycle import StateMachine, Transition
from section307.core.types import Actor


def is_portal_user(user: Actor) -> bool:
    """An importer-portal user; the service also checks the plan is its organization's."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_perm("trade.use_portal"))


OPEN = frozenset({"open"})

REMEDIATION_PLAN = StateMachine(
    name="remediation_plan",
    states=("open", "remediated", "not_remediated", "abandoned"),
    transitions=(
        Transition("remediate", OPEN, "remediated", allowed=is_portal_user),
        Transition("not_remediated", OPEN, "not_remediated", allowed=is_portal_user),
        Transition("abandon", OPEN, "abandoned", allowed=is_portal_user),
    ),
)
