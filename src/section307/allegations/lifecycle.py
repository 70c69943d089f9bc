"""The triage lifecycle of an allegation, in one table, and what the reporter is shown for each state."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from section307.allegations.models import AllegationStatus, PublicStatus
from section307.core.errors import Conflict
from section307.core.lifecycle import StateMachine, Transition
from section307.core.types import Actor

NEW, IN_TRIAGE, INFO_REQUESTED, ESCALATED, DUPLICATE, CLOSED = (
    AllegationStatus.NEW,
    AllegationStatus.IN_TRIAGE,
    AllegationStatus.INFO_REQUESTED,
    AllegationStatus.ESCALATED,
    AllegationStatus.DUPLICATE,
    AllegationStatus.CLOSED,
)
OPEN = frozenset({NEW, IN_TRIAGE, INFO_REQUESTED})
# Terminal until reopened: triage writes refuse (the reporter may still add information).
TERMINAL = frozenset({CLOSED, DUPLICATE})


def _may_triage(actor: Actor) -> bool:
    return actor is None or bool(getattr(actor, "has_perm", None) and actor.has_perm("allegations.triage_allegation"))


def _may_reopen(actor: Actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.has_perm("allegations.reopen_allegation"))


def _reporter(actor: Actor) -> bool:
    # The reporter has no account: replies arrive through the receipt channel as the public actor.
    return not getattr(actor, "is_authenticated", False)


ALLEGATION_LIFECYCLE = StateMachine(
    name="allegation",
    states=(NEW, IN_TRIAGE, INFO_REQUESTED, ESCALATED, DUPLICATE, CLOSED),
    transitions=(
        Transition("start_triage", frozenset({NEW}), IN_TRIAGE, _may_triage, gettext_noop("Start triage")),
        Transition("request_info", OPEN, INFO_REQUESTED, _may_triage, gettext_noop("Ask the reporter")),
        Transition(
            "reporter_replied", frozenset({INFO_REQUESTED}), IN_TRIAGE, _reporter, gettext_noop("Reporter replied")
        ),
        Transition("mark_duplicate", OPEN, DUPLICATE, _may_triage, gettext_noop("Mark as duplicate / merge")),
        Transition("escalate", OPEN | {ESCALATED}, ESCALATED, _may_triage, gettext_noop("Link to a case")),
        Transition("close", OPEN | {ESCALATED}, CLOSED, _may_triage, gettext_noop("Close")),
        Transition("reopen", frozenset({CLOSED, DUPLICATE}), IN_TRIAGE, _may_reopen, gettext_noop("Reopen")),
    ),
)

# The reporter never sees internal states; an open question always shows as "more information requested".
PUBLIC_STATUS: dict[str, str] = {
    NEW: PublicStatus.RECEIVED,
    IN_TRIAGE: PublicStatus.UNDER_REVIEW,
    INFO_REQUESTED: PublicStatus.INFO_REQUESTED,
    ESCALATED: PublicStatus.UNDER_REVIEW,
    DUPLICATE: PublicStatus.UNDER_REVIEW,
    CLOSED: PublicStatus.CLOSED,
}


def require_not_terminal(allegation: Any) -> None:
    """A closed or merged allegation is a record: reopen it before triage changes it."""
    if allegation.status in TERMINAL:
        raise Conflict(
            gettext("Allegation %(reference)s is %(value)s; reopen it first.")
            % {"reference": allegation.reference, "value": allegation.get_status_display().lower()},
            code="allegation_closed",
            rule="docs/allegations.md: a closed allegation is read-only",
        )
