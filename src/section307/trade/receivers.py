"""Reactions to other contexts' signals."""

from __future__ import annotations

from typing import Any


def on_change_request_decided(sender: Any, *, request: Any, actor: Any, **kwargs: Any) -> None:
    from section307.trade.services import request_record_case_decision

    request_record_case_decision(
        actor=actor,
        change_request_id=request.pk,
        granted=request.status == "granted",
        note=request.decision_note,
    )
