"""``GET /api/v1/queue``: the caller's work items, the same list as the /queue/ page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.security import SessionAuth

from section307.core.api import error_responses
from section307.core.queue import item_due_date, queue_for
from section307.ports.api import TokenAuth

router = Router(tags=["queue"], auth=[TokenAuth(), SessionAuth()])


class WorkItemOut(Schema):
    kind: str
    title: str
    why: str
    url: str
    due: dt.date | None
    overdue: bool
    rule: str
    # A tie-breaker, not a choice: higher first among items due at the same time.
    rank: int = Field(description="Higher first among items due at the same time (the list is already in order)")
    ref: str


@router.get(
    "/queue",
    response={200: list[WorkItemOut], **error_responses(401, 403)},
    summary="The caller's work items: what, why, by when, with a link; soonest deadline first",
)
def work_queue(request: HttpRequest) -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = []
    for item in queue_for(request.user):
        due = item_due_date(item)
        rows.append(
            {
                "kind": item.kind,
                "title": item.title,
                "why": item.why,
                "url": item.url,
                "due": due,
                "overdue": due is not None and due < today,
                "rule": item.rule,
                "rank": item.priority,
                "ref": item.ref,
            }
        )
    return rows
