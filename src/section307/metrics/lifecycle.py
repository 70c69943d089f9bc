"""The lifecycle of a quarterly report, in one table: the background task that builds it ends it as
ready or failed; nothing else moves it. A failed report stays as it was (with its error); a manager
asks for a new one."""

from __future__ import annotations

from section307.core.lifecycle import StateMachine, Transition
from section307.core.types import Actor
from section307.metrics.models import QuarterlyReport


def _system(actor: Actor | None) -> bool:
    # Only the background task (the system actor, None) finishes a report.
    return actor is None


R = QuarterlyReport.Status
REPORT_LIFECYCLE = StateMachine(
    name="quarterly_report",
    states=tuple(R.values),
    transitions=(
        Transition("build", frozenset({R.QUEUED}), R.READY, _system, "Report built"),
        Transition("fail", frozenset({R.QUEUED}), R.FAILED, _system, "Report could not be built"),
    ),
)
