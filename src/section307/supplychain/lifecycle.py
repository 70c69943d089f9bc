"""The lifecycle of a remediation plan, in one table: open until its outcome is recorded."""

from __future__ import annotations

from section307.core.lifecycle import StateMachine, Transition
from section307.ports.permissions import is_trade_user

OPEN = frozenset({"open"})

REMEDIATION_PLAN = StateMachine(
    name="remediation_plan",
    states=("open", "remediated", "not_remediated", "abandoned"),
    transitions=(
        Transition("remediate", OPEN, "remediated", allowed=is_trade_user),
        Transition("not_remediated", OPEN, "not_remediated", allowed=is_trade_user),
        Transition("abandon", OPEN, "abandoned", allowed=is_trade_user),
    ),
)
