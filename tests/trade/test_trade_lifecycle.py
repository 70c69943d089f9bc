"""The importer-portal request lifecycle table: every edge allowed from its sources, refused elsewhere,
and the services move requests only through it."""

from __future__ import annotations

from typing import Any

import pytest

from section307.core.lifecycle import TransitionNotAllowed
from section307.trade import services
from section307.trade.lifecycle import REQUEST_LIFECYCLE
from section307.trade.models import TradeRequest


@pytest.mark.parametrize("source,name,target", sorted(REQUEST_LIFECYCLE.edges()))
def test_every_request_edge(source: str, name: str, target: str) -> None:
    step = REQUEST_LIFECYCLE.transition(name)
    assert REQUEST_LIFECYCLE.check(name, state=source).target == target
    for other in set(REQUEST_LIFECYCLE.states) - set(step.sources):
        with pytest.raises(TransitionNotAllowed):
            REQUEST_LIFECYCLE.check(name, state=other)


def test_decided_requests_stay_decided() -> None:
    for state in (TradeRequest.Status.GRANTED, TradeRequest.Status.DENIED, TradeRequest.Status.WITHDRAWN):
        assert REQUEST_LIFECYCLE.available(state) == []


def test_answer_without_a_question_is_refused(registry: Any, importers: Any) -> None:
    user = importers[0]
    req = services.request_create(actor=user, kind="order_revocation", order=registry["wro"])
    with pytest.raises(services.TradeError):
        services.request_answer(actor=user, request=req, answer="Unasked")
    services.request_withdraw(actor=user, request=req)
    req.refresh_from_db()
    assert req.status == TradeRequest.Status.WITHDRAWN
    with pytest.raises(services.TradeError):
        services.request_withdraw(actor=user, request=req)
