"""section307.ports.services: screening."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from section307.accounts.models import Organization
from section307.core.audit import audit_record
from section307.core.types import Actor
from section307.orders.models import EnforcementOrder
from section307.ports.intake import FieldError, IntakeError, ParsedEntry
from section307.ports.models import (
    DECISION_RANK,
    Decision,
    Entry,
    EntryLine,
)
from section307.ports.services._base import _user, timeline_add
from section307.screening import Screener

# -- screening -------------------------------------------------------------------------------------------

_screener_lock = threading.Lock()
_screener_cache: dict[str, tuple[int, Screener]] = {}


def current_screener() -> Screener:
    """A screener over the registry's compiled watchlist, rebuilt when the watchlist is."""
    from section307.orders.watchlist import compiled_watchlist

    compiled = compiled_watchlist()
    with _screener_lock:
        cached = _screener_cache.get("registry")
        if cached is not None and cached[0] == id(compiled):
            return cached[1]
        screener = Screener(compiled, threshold=float(getattr(settings, "SECTION307_SCREENING_THRESHOLD", 0.85)))
        _screener_cache["registry"] = (id(compiled), screener)
        return screener


def _apply_result(line: EntryLine, screener: Screener, orders: dict[str, EnforcementOrder | None]) -> None:
    result = screener.screen_one(line.as_screening_input())
    line.decision = result.decision
    line.score = float(result.score or 0.0)
    line.matched_name = (result.matched_name or "")[:300]
    line.matched_field = (result.matched_field or "")[:40]
    line.watch_list = (result.list or "")[:20]
    line.order_reference = (result.order_id or "")[:40]
    if line.order_reference and line.order_reference not in orders:
        orders[line.order_reference] = EnforcementOrder.objects.filter(reference=line.order_reference).first()
    line.order = orders.get(line.order_reference) if line.order_reference else None
    line.reasons = result.reasons
    signals: list[Any] = list(result.signals)  # the engine annotates the field loosely
    line.signals = [s.to_dict() for s in signals]
    line.screened_at = timezone.now()


def _entry_decision(lines: Sequence[EntryLine]) -> str:
    return max((ln.decision for ln in lines), key=lambda d: DECISION_RANK.get(d, -1), default=Decision.CLEAR)


def _importer_org(name: str, number: str) -> Organization | None:
    if number:
        org = Organization.objects.filter(importer_number__iexact=number).first()
        if org is not None:
            return org
    return Organization.objects.filter(name__iexact=name.strip()).first() if name.strip() else None


@transaction.atomic
def entries_receive(*, actor: Actor | None, entries: Sequence[ParsedEntry], source: str) -> list[Entry]:
    """Store entries and screen every line on arrival; hits and reviews go to the targeting queue.

    All or nothing: an entry number already received refuses the whole batch.
    """
    numbers = [p.entry_number for p in entries]
    errors = [FieldError("entry_number", f"{n} appears more than once") for n in set(numbers) if numbers.count(n) > 1]
    taken = set(Entry.objects.filter(entry_number__in=numbers).values_list("entry_number", flat=True))
    errors += [FieldError("entry_number", f"{n} has already been received") for n in sorted(taken)]
    if errors:
        raise IntakeError(errors)
    screener = current_screener()
    orders: dict[str, EnforcementOrder | None] = {}
    user = _user(actor)
    filer_org = user.organization if user is not None and user.has_perm("trade.use_portal") else None
    out: list[Entry] = []
    for parsed in entries:
        entry = Entry.objects.create(
            entry_number=parsed.entry_number,
            port=parsed.port,
            mode=parsed.mode,
            filer=parsed.filer,
            filer_organization=filer_org,
            importer_name=parsed.importer,
            importer_number=parsed.importer_number,
            organization=_importer_org(parsed.importer, parsed.importer_number),
            date_of_import=parsed.date_of_import,
            status=Entry.Status.CLEARED,
            source=source,
            received_by=user,
        )
        lines = [EntryLine(entry=entry, line=pl.line, **pl.values) for pl in parsed.lines]
        for line in lines:
            _apply_result(line, screener, orders)
        EntryLine.objects.bulk_create(lines)
        entry.decision = _entry_decision(lines)
        entry.status = Entry.Status.CLEARED if entry.decision == Decision.CLEAR else Entry.Status.TARGETED
        entry.save(update_fields=["decision", "status", "updated_at"])
        timeline_add(
            entry=entry,
            kind="received",
            summary=f"Entry received by {Entry.Source(source).label} at port {entry.port}, {len(lines)} line(s)",
            actor=actor,
            shared=True,
        )
        flagged = [ln for ln in lines if ln.decision != Decision.CLEAR]
        summary = (
            "Screened on arrival: clear"
            if not flagged
            else "Screened on arrival: "
            + "; ".join(
                f"line {ln.line} {ln.decision} ({ln.order_reference or ln.watch_list or 'risk'})" for ln in flagged
            )
        )
        timeline_add(
            entry=entry,
            kind="screened",
            summary=summary,
            data={"decision": entry.decision, "lines": {ln.line: ln.decision for ln in lines}},
            shared=False,
        )
        audit_record(actor=actor, action="entry.receive", target=entry, data={"decision": entry.decision})
        out.append(entry)
    return out
