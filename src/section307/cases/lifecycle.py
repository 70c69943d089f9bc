"""The phase lifecycle of a case, in one table: allowed moves, who may make them, and their gates.

Permission predicates say who may make a move at all; whether this user may act on this case is
``cases.permissions``; whether the case is ready is the gate named for the move in ``GATES``
(implemented in ``cases.gates``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from section307.cases.models import OrderProposal, Phase
from section307.core.errors import Conflict
from section307.core.lifecycle import StateMachine, Transition
from section307.core.types import Actor


def _perm(actor: Actor, perm: str) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.has_perm(perm))


def _staff(actor: Actor) -> bool:
    return _perm(actor, "cases.work_case")


def _approver(actor: Actor) -> bool:
    return _perm(actor, "cases.approve_proposal")


def _reopener(actor: Actor) -> bool:
    return _perm(actor, "cases.reopen_case")


def _not_author(actor: Actor, proposal: Any) -> bool:
    # Two-person rule: whoever approves or returns a proposal did not write it.
    return proposal.author_id != getattr(actor, "pk", None)


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
        Transition(
            "begin_research", frozenset({INITIATION}), RESEARCH, _staff, gettext_noop("Start research (phase 2)")
        ),
        Transition("escalate", frozenset({RESEARCH}), ESCALATION, _staff, gettext_noop("Escalate (phase 3)")),
        Transition("return_to_research", frozenset({ESCALATION}), RESEARCH, _staff, gettext_noop("Return to research")),
        # Submitting a proposal moves the case; approval and return are the supervisor's.
        Transition(
            "submit_proposal", frozenset({ESCALATION}), DECISION, _staff, gettext_noop("Submit proposal for approval")
        ),
        Transition(
            "return_proposal", frozenset({DECISION}), ESCALATION, _approver, gettext_noop("Return the proposal")
        ),
        Transition(
            "withdraw_proposal", frozenset({DECISION}), ESCALATION, _staff, gettext_noop("Withdraw the proposal")
        ),
        Transition("issue", frozenset({DECISION}), ENFORCEMENT, _approver, gettext_noop("Approve and issue the order")),
        Transition("close", OPEN_PHASES, CLOSED, _staff, gettext_noop("Close the case")),
        Transition("reopen", frozenset({CLOSED}), RESEARCH, _reopener, gettext_noop("Reopen the case")),
    ),
)

P = OrderProposal.Status
PROPOSAL_LIFECYCLE = StateMachine(
    name="proposal",
    states=tuple(P.values),
    transitions=(
        Transition("edit", frozenset({P.DRAFT}), P.DRAFT, _staff, gettext_noop("Change the draft")),
        Transition("submit", frozenset({P.DRAFT}), P.SUBMITTED, _staff, gettext_noop("Submit for approval")),
        Transition("withdraw", frozenset({P.SUBMITTED}), P.WITHDRAWN, _staff, gettext_noop("Withdraw")),
        Transition(
            "approve", frozenset({P.SUBMITTED}), P.APPROVED, _approver, gettext_noop("Approve and issue"), _not_author
        ),
        Transition(
            "return", frozenset({P.SUBMITTED}), P.REJECTED, _approver, gettext_noop("Return to the author"), _not_author
        ),
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
# a petition concerns the order the case issued, which outlives the case.
WRITES_ON_CLOSED_CASE = frozenset(
    {
        "case_reopen",
        "case_view_record",
        "case_share_revoke",
        "evidence_access_record",
        "evidence_verify",
        "petition_file",
        "petition_review",
        "petition_request_info",
        "petition_answer",
        "petition_withdraw",
        "petition_decide",
    }
)


def require_open(case: Any) -> None:
    """The one rule that makes a closed case read-only; every case write except the ones above calls it."""
    if case.phase == CLOSED:
        merged = getattr(case, "merged_into", None) if case.merged_into_id else None
        where = f" It was merged into {merged.reference}; work that case." if merged is not None else ""
        raise Conflict(
            gettext("Case %(reference)s is closed; reopen it before changing it.%(where)s")
            % {"reference": case.reference, "where": where},
            code="case_closed",
            rule="docs/cases.md: a closed case is read-only",
        )


# ------------------------------------------------------------------------------------------ tasks


def _worker(actor: Actor) -> bool:
    # Who works the case is checked by the service (cases.permissions); the system settles tasks too.
    return actor is None or actor.has_perm("cases.work_case")


TASK_OPEN, TASK_DONE, TASK_CANCELLED = "open", "done", "cancelled"

TASK_LIFECYCLE = StateMachine(
    name="case_task",
    states=(TASK_OPEN, TASK_DONE, TASK_CANCELLED),
    transitions=(
        Transition("complete", frozenset({TASK_OPEN}), TASK_DONE, _worker, gettext_noop("Mark done")),
        Transition("cancel", frozenset({TASK_OPEN}), TASK_CANCELLED, _worker, gettext_noop("Cancel")),
        Transition("reopen", frozenset({TASK_DONE, TASK_CANCELLED}), TASK_OPEN, _worker, gettext_noop("Reopen")),
    ),
)


# -------------------------------------------------------------------- order modification petitions


def _hq(actor: Actor) -> bool:
    return actor is not None and actor.has_perm("cases.decide_petition")


PET_FILED, PET_REVIEW, PET_INFO = "filed", "under_review", "info_requested"
PET_MODIFIED, PET_REVOKED, PET_DENIED, PET_WITHDRAWN = (
    "granted_modification",
    "granted_revocation",
    "denied",
    "withdrawn",
)
_PET_OPEN = frozenset({PET_FILED, PET_REVIEW, PET_INFO})

PETITION_LIFECYCLE = StateMachine(
    name="petition",
    states=(PET_FILED, PET_REVIEW, PET_INFO, PET_MODIFIED, PET_REVOKED, PET_DENIED, PET_WITHDRAWN),
    transitions=(
        Transition("review", frozenset({PET_FILED}), PET_REVIEW, _hq, gettext_noop("Take for review")),
        Transition(
            "request_info", frozenset({PET_FILED, PET_REVIEW}), PET_INFO, _hq, gettext_noop("Ask for more information")
        ),
        # The petitioner (or staff for them) answers; who may is the service's object rule.
        Transition("answer", frozenset({PET_INFO}), PET_REVIEW, None, gettext_noop("Answer the question")),
        Transition(
            "grant_modification",
            frozenset({PET_FILED, PET_REVIEW}),
            PET_MODIFIED,
            _hq,
            gettext_noop("Modify the order"),
        ),
        Transition(
            "grant_revocation", frozenset({PET_FILED, PET_REVIEW}), PET_REVOKED, _hq, gettext_noop("Revoke the order")
        ),
        Transition("deny", _PET_OPEN, PET_DENIED, _hq, gettext_noop("Deny")),
        Transition("withdraw", _PET_OPEN, PET_WITHDRAWN, None, gettext_noop("Withdraw")),
    ),
)
