"""The phase lifecycle of a case, in one table: allowed moves, who may make them, and their gates.

Role predicates say who may make a move at all; whether this user may act on this case is
``cases.permissions``; whether the case is ready is the gate named for the move in ``GATES``
(implemented in ``cases.gates``).
"""

from __future__ import annotations

from typing import Any

from section307.accounts.roles import ANALYST, SUPERVISOR, user_has_role
from section307.cases.models import Phase
from section307.core.errors import Conflict
from section307.core.lifecycle import StateMachine, Transition


def _staff(actor: Any) -> bool:
    return user_has_role(actor, ANALYST, SUPERVISOR)


def _supervisor(actor: Any) -> bool:
    return user_has_role(actor, SUPERVISOR)


INITIATION, RESEARCH, ESCALATION, DECISION, ENFORCEMENT, CLOSED = (
    Phase.INITIATION,
    Phase.RESEARCH,
    Phase.ESCALATION,
    Phase.DECISION,
    Phase.ENFORCEMENT,
    Phase.CLOSED,
)
OPEN_PHASES = frozenset({INITIATION, RESEARCH, ESCALATION, DECISION, ENFORCEMENT})

CASE_LIFECYCLE = StateMachine(
    name="case",
    states=(INITIATION, RESEARCH, ESCALATION, DECISION, ENFORCEMENT, CLOSED),
    transitions=(
        Transition("begin_research", frozenset({INITIATION}), RESEARCH, _staff, "Start research (phase 2)"),
        Transition("escalate", frozenset({RESEARCH}), ESCALATION, _staff, "Escalate (phase 3)"),
        Transition("return_to_research", frozenset({ESCALATION}), RESEARCH, _staff, "Return to research"),
        # Submitting a proposal moves the case; approval and return are the supervisor's.
        Transition("submit_proposal", frozenset({ESCALATION}), DECISION, _staff, "Submit proposal for approval"),
        Transition("return_proposal", frozenset({DECISION}), ESCALATION, _supervisor, "Return the proposal"),
        Transition("withdraw_proposal", frozenset({DECISION}), ESCALATION, _staff, "Withdraw the proposal"),
        Transition("issue", frozenset({DECISION}), ENFORCEMENT, _supervisor, "Approve and issue the order"),
        Transition("close", OPEN_PHASES, CLOSED, _staff, "Close the case"),
        Transition("reopen", frozenset({CLOSED}), RESEARCH, _supervisor, "Reopen the case"),
    ),
)

# Moves a person makes from the case page with a single button (the others have their own forms).
SIMPLE_TRANSITIONS = ("begin_research", "escalate", "return_to_research")

# Which gate each move must pass; see cases.gates.
GATES: dict[str, str] = {
    "escalate": "gate_leave_research",
    "submit_proposal": "gate_proposal",
    "issue": "gate_issue",
    "close": "gate_close",
}


# A closed (or merged) case is a record: these writes still apply to it, every other write refuses.
# Reopening is the way back to work; revoking a share and verifying evidence protect the record;
# a change request concerns the order the case issued, which outlives the case.
WRITES_ON_CLOSED_CASE = frozenset(
    {
        "case_reopen",
        "case_view_record",
        "case_share_revoke",
        "evidence_access_record",
        "evidence_verify",
        "order_change_request_submit",
        "order_change_request_decide",
    }
)


def require_open(case: Any) -> None:
    """The one rule that makes a closed case read-only; every case write except the ones above calls it."""
    if case.phase == CLOSED:
        merged = getattr(case, "merged_into", None) if case.merged_into_id else None
        where = f" It was merged into {merged.reference}; work that case." if merged is not None else ""
        raise Conflict(
            f"Case {case.reference} is closed; reopen it before changing it.{where}",
            code="case_closed",
            rule="docs/cases.md: a closed case is read-only",
        )
