"""The lifecycle of an importer-portal request, in one table.

Who may act on which request (its organization, or a broker it delegated to) is
``trade.permissions``; the port's and headquarters' decisions arrive as grant, deny or withdraw.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from section307.core.lifecycle import StateMachine, Transition
from section307.trade.models import TradeRequest

S = TradeRequest.Status
_OPEN = frozenset({S.DRAFT, S.SUBMITTED, S.INFO_REQUESTED})

REQUEST_LIFECYCLE = StateMachine(
    name="trade_request",
    states=tuple(S.values),
    transitions=(
        # A new version may be submitted while the request is open (corrections, answers with documents).
        Transition("submit", _OPEN, S.SUBMITTED, None, gettext_noop("Submit the package")),
        Transition(
            "ask", frozenset({S.SUBMITTED, S.INFO_REQUESTED}), S.INFO_REQUESTED, None, gettext_noop("Ask for more")
        ),
        Transition("answer", frozenset({S.INFO_REQUESTED}), S.SUBMITTED, None, gettext_noop("Answer the question")),
        Transition("withdraw", _OPEN, S.WITHDRAWN, None, gettext_noop("Withdraw")),
        Transition("grant", _OPEN, S.GRANTED, None, gettext_noop("Granted")),
        Transition("deny", _OPEN, S.DENIED, None, gettext_noop("Denied")),
    ),
)
