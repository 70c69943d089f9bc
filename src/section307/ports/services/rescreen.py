"""section307.ports.services: re-screening."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from section307.core.audit import audit_record
from section307.core.types import Actor
from section307.orders.models import EnforcementOrder
from section307.ports.lifecycle import ENTRY_LIFECYCLE
from section307.ports.models import (
    Detention,
    Entry,
    EntryLine,
    RescreenFinding,
    RescreenRun,
)
from section307.ports.services import screening as _screening
from section307.ports.services._base import _user, timeline_add

# -- re-screening ----------------------------------------------------------------------------------------


@transaction.atomic
def entries_rescreen(
    *,
    actor: Actor | None,
    since: dt.date,
    order: EnforcementOrder | None = None,
    trigger: str = "",
    order_reference: str = "",
) -> RescreenRun:
    """Re-screen entry lines imported on or after ``since``; findings list every line whose result changed.

    Lines that become hits or reviews put their cleared or released entry back in the targeting queue
    (only those hit by ``order`` when one is given; ``order_reference`` just labels the run).
    """
    run = RescreenRun.objects.create(
        since=since,
        order_reference=order.reference if order else order_reference[:40],
        trigger=(trigger or "requested by staff")[:200],
        actor=_user(actor),
    )
    screener = _screening.current_screener()
    orders: dict[str, EnforcementOrder | None] = {}
    lines = EntryLine.objects.filter(entry__date_of_import__gte=since).select_related("entry").order_by("entry_id")
    count = 0
    retarget: dict[int, Entry] = {}
    detained = set(Detention.objects.values_list("entry_id", flat=True))
    for line in lines.iterator(chunk_size=500):
        count += 1
        before = (line.decision, line.order_reference)
        _screening._apply_result(line, screener, orders)
        if (line.decision, line.order_reference) == before:
            continue
        if line.entry_id in detained:
            # A detained shipment stays labelled with the order it is detained under; the finding still
            # lists what the new watchlist says, for the officer to act on.
            found = f"{line.decision} ({line.order_reference or 'no order'})"
            line.refresh_from_db()
            RescreenFinding.objects.create(
                run=run,
                entry_line=line,
                previous_decision=before[0],
                previous_order=before[1],
                decision=before[0],
                order_reference=before[1],
                reasons=f"Detained under {before[1]}; the look-back found {found}",
            )
            continue
        line.save()
        finding = RescreenFinding.objects.create(
            run=run,
            entry_line=line,
            previous_decision=before[0],
            previous_order=before[1],
            decision=line.decision,
            order_reference=line.order_reference,
            reasons=line.reasons,
        )
        if finding.newly_affected and (order is None or line.order_reference == order.reference):
            retarget[line.entry_id] = line.entry
    for entry in retarget.values():
        entry.refresh_from_db()
        entry.decision = _screening._entry_decision(list(entry.lines.all()))
        fields = ["decision", "updated_at"]
        if entry.status in (Entry.Status.CLEARED, Entry.Status.RELEASED):
            entry.status = ENTRY_LIFECYCLE.check("retarget", state=entry.status).target
            fields.append("status")
        entry.save(update_fields=fields)
        timeline_add(
            entry=entry,
            kind="rescreened",
            summary=f"Re-screened after an order change ({run.trigger}): now {entry.decision}",
            actor=actor,
            data={"run": run.pk},
            shared=False,
        )
    run.lines_screened = count
    run.save(update_fields=["lines_screened"])
    audit_record(actor=actor, action="entries.rescreen", target=run, data={"since": since.isoformat(), "lines": count})
    return run
