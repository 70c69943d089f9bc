"""Reactions to other contexts' signals."""

from __future__ import annotations

from typing import Any

from section307.core.types import Actor


def on_change_request_decided(sender: Any, *, request: Any, actor: Actor, **kwargs: Any) -> None:
    from section307.trade.services import request_record_case_decision

    request_record_case_decision(
        actor=actor,
        change_request_id=request.pk,
        granted=request.is_granted,
        note=request.decision_note,
        organization_id=request.organization_id,
    )


def on_petition_answered(sender: Any, *, petition: Any, actor: Actor, **kwargs: Any) -> None:
    from section307.trade.services import request_record_petition_answer

    request_record_petition_answer(actor=actor, change_request_id=petition.pk, answer=petition.info_answer)


def on_petition_info_requested(sender: Any, *, petition: Any, actor: Actor, **kwargs: Any) -> None:
    from section307.trade.services import request_record_petition_question

    due = f"{petition.info_due_date:%Y-%m-%d}" if petition.info_due_date else ""
    request_record_petition_question(
        actor=actor, change_request_id=petition.pk, question=petition.info_question, due=due
    )


def on_detention_decided(
    sender: Any, *, detention: Any, outcome: str, reason: str, actor: Actor, **kwargs: Any
) -> None:
    from section307.trade.services import requests_close_for_detention

    requests_close_for_detention(actor=actor, detention=detention, outcome=outcome, reason=reason)


def on_determination_effective(sender: Any, *, determination: Any, actor: Actor, **kwargs: Any) -> None:
    from section307.trade.services import request_record_determination

    request_record_determination(actor=actor, determination=determination)
