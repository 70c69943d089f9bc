"""Case tasks that follow the gates: a task tied to a condition is done when the case meets it.

The conditions are the same checks the phase gates make (``cases.gates``), so a task and the
gate it stands for can never disagree. The services that satisfy a condition call
``tasks_settle`` in their transaction; ``task_condition_met`` is also read by the pages.
"""

from __future__ import annotations

from collections.abc import Callable

from section307.cases.gates import MSG_MAP, gate_leave_research
from section307.cases.models import Case, OrderProposal, StakeholderEngagement


def _issued(case: Case) -> bool:
    return OrderProposal.objects.filter(case=case, status=OrderProposal.Status.APPROVED).exists()


CONDITIONS: dict[str, Callable[[Case], bool]] = {
    "map": lambda case: MSG_MAP not in gate_leave_research(case),
    "memo": lambda case: bool(case.validity_memo.strip()),
    "engagement": lambda case: StakeholderEngagement.objects.filter(case=case).exists(),
    "ilo": lambda case: bool(getattr(getattr(case, "ilo_assessment", None), "conclusion", "").strip()),
    "proposal": lambda case: OrderProposal.objects.filter(
        case=case, status__in=[OrderProposal.Status.SUBMITTED, OrderProposal.Status.APPROVED]
    ).exists(),
    "approval": _issued,
    "issued": _issued,
}


def task_condition_met(case: Case, gate: str) -> bool:
    check = CONDITIONS.get(gate)
    return check is not None and check(case)
