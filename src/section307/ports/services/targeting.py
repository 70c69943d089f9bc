"""section307.ports.services: targeting."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from section307.core.audit import audit_record
from section307.core.errors import Conflict
from section307.core.types import Actor
from section307.orders.models import EnforcementOrder
from section307.ports import clocks as rules
from section307.ports import law
from section307.ports.calendars import business_calendar, deemed_exclusion_regimes
from section307.ports.lifecycle import ENTRY_LIFECYCLE
from section307.ports.models import (
    REGIME_FOR_ORDER_TYPE,
    Clock,
    Detention,
    Entry,
    EntryLine,
    Notice,
    Regime,
)
from section307.ports.regimes import PROOF_ACCEPTED
from section307.ports.services import notices as _notices
from section307.ports.services._base import PortsError, _user, max_extensions, soon_days, timeline_add

# -- targeting -------------------------------------------------------------------------------------------


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise PortsError(gettext("a written reason is required"))
    return reason


@transaction.atomic
def entry_target(*, actor: Actor, entry: Entry, action: str, reason: str) -> Entry:
    """Release an entry from the queue or hold it for exam, with a reason."""
    if action not in ("release", "exam"):
        raise PortsError(gettext("unknown targeting action %(action)r") % {"action": action})
    reason = _require_reason(reason)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    step = ENTRY_LIFECYCLE.check(action, state=entry.status, actor=actor)
    previous = entry.status
    entry.status = step.target
    fields = ["status", "updated_at"]
    presented = timezone.localdate()
    if action == "exam":
        # Holding for exam is presentation for examination: the 1499(c)(1) decision period starts.
        entry.presented_on = presented
        fields.append("presented_on")
    entry.save(update_fields=fields)
    if action == "exam":
        clock_start(entry=entry, detention=None, kind=law.DECISION, start=presented)
    else:
        _clocks_stop(entry, law.DECISION, "released")
    summary = "Released by the port officer" if action == "release" else "Held for examination"
    timeline_add(entry=entry, kind=action, summary=f"{summary}: {reason}", actor=actor, shared=action == "release")
    audit_record(actor=actor, action=f"entry.{action}", target=entry, data={"from": previous, "reason": reason})
    return entry


def _order_scope(order: EnforcementOrder | None, reference: str) -> str:
    if order is None:
        return f"{reference}: statutory presumption"
    parties = ", ".join(
        f"{op.party.name}" + (f" ({'; '.join(op.qualifiers)})" if op.qualifiers else "")
        for op in order.order_parties.select_related("party")
    )
    regions = ", ".join(r.name for r in order.regions.all())
    parts = [f"{order.get_order_type_display()} {order.reference}: {order.merchandise}"]
    if parties:
        parts.append(f"Parties: {parties}")
    if regions:
        parts.append(f"Regions: {regions}")
    return ". ".join(parts)


def _regime_for(order: EnforcementOrder | None, line: EntryLine | None) -> str:
    if order is not None:
        return str(REGIME_FOR_ORDER_TYPE[order.order_type])  # type: ignore[index]
    if line is not None and line.watch_list in Regime.values:
        return line.watch_list
    raise PortsError(gettext("the entry is not linked to an order or presumption; choose the order that applies"))


def clock_refresh(clock: Clock, *, today: dt.date | None = None) -> rules.ClockState:
    today = today or timezone.localdate()
    state = clock_state(clock, today=today)
    if clock.due_date != state.due:
        clock.due_date = state.due
        clock.save(update_fields=["due_date"])
    return state


def clock_state(
    clock: Clock, *, today: dt.date | None = None, business: law.BusinessCalendar | None = None
) -> rules.ClockState:
    """The clock's state read from its dates: a missed background run changes nothing."""
    return rules.clock_state(
        clock.kind,
        clock.start_date,
        today=today or timezone.localdate(),
        suspensions=[rules.Suspension(s.start, s.end) for s in clock.suspensions.all()],
        extension_days=[e.days for e in clock.extensions.all()],
        max_extensions=max_extensions(),
        soon_days=soon_days(),
        business=business or business_calendar(),
    )


def clock_start(*, entry: Entry, detention: Detention | None, kind: str, start: dt.date) -> Clock:
    """Start (or restart) the period ``kind`` of ``ports.law`` on the entry, recording its legal basis."""
    r = law.rule(kind)
    clock, _ = Clock.objects.update_or_create(
        entry=entry,
        kind=kind,
        defaults={
            "detention": detention,
            "citation": r.citation,
            "start_event": r.start_event,
            "calendar": r.calendar,
            "statutory": r.statutory,
            "start_date": start,
            "due_date": law.due_date(kind, start, business=business_calendar()),
            "running": True,
            "stopped_at": None,
            "stop_reason": "",
        },
    )
    return clock


def _clocks_stop(entry: Entry, kind: str, reason: str) -> None:
    Clock.objects.filter(entry=entry, kind=kind, running=True).update(
        running=False, stopped_at=timezone.now(), stop_reason=reason[:200]
    )


@transaction.atomic
def entry_detain(
    *, actor: Actor, entry: Entry, reason: str, order_reference: str = "", notice_date: dt.date | None = None
) -> Detention:
    """Detain the goods: a detention with its clock and a notice to the importer of record."""
    reason = _require_reason(reason)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    ENTRY_LIFECYCLE.check("detain", state=entry.status, actor=actor)
    top = entry.top_line
    reference = (order_reference or (top.order_reference if top else "")).strip()
    if not reference:
        raise PortsError(gettext("the entry is not linked to an order or presumption; choose the order that applies"))
    order = EnforcementOrder.objects.filter(reference=reference).first()
    if order_reference and order is None:
        raise PortsError(gettext("no order %(order_reference)r in the registry") % {"order_reference": order_reference})
    if order is not None and not order.is_enforced:
        raise PortsError(
            gettext("%(reference)s is %(value)s: it no longer supports a detention")
            % {"reference": order.reference, "value": order.get_status_display().lower()}
        )
    line = next((ln for ln in entry.lines.all() if ln.order_reference == reference), top)
    regime = _regime_for(order, line)
    today = notice_date or timezone.localdate()
    if order is not None and regime == Regime.FINDING:
        _finding_covers(order, entry, today)
    # Goods detained straight from the queue are presented for examination on the day they are detained.
    entry.presented_on = entry.presented_on or today
    detention = Detention.objects.create(
        entry=entry,
        regime=regime,
        order=order,
        order_reference=reference,
        scope=_order_scope(order, reference),
        reasons=reason,
        notice_date=today,
        detained_by=_user(actor),
    )
    clock = _detention_clocks_start(entry, detention, regime, today)
    entry.status = Entry.Status.DETAINED
    entry.save(update_fields=["status", "updated_at", "presented_on"])
    timeline_add(
        entry=entry,
        kind="detained",
        summary=f"Detained under {reference} ({Regime(regime).label}); response due {clock.due_date:%Y-%m-%d}",
        actor=actor,
        data={"order": reference, "regime": regime, "due": clock.due_date.isoformat()},
        shared=True,
    )
    audit_record(actor=actor, action="detention.create", target=detention, data={"order": reference})
    if entry.organization is not None:
        _notices.notice_create(
            organization=entry.organization,
            entry=entry,
            kind=Notice.Kind.DETENTION,
            subject=gettext("Detention notice: entry %(entry_number)s") % {"entry_number": entry.entry_number},
            body=render_to_string(
                "ports/notice_detention.txt",
                {
                    "detention": detention,
                    "entry": entry,
                    "clock": clock,
                    "proof": PROOF_ACCEPTED[regime],
                    "images": entry.images.filter(shared_with_importer=True),
                    "deemed": detention.clocks.filter(kind=law.DEEMED_EXCLUSION).first(),
                },
            ),
        )
        timeline_add(
            entry=entry,
            kind="notice",
            summary=gettext("Detention notice sent to %(name)s") % {"name": entry.organization.name},
            actor=actor,
            shared=True,
        )
        _clocks_stop(entry, law.NOTICE, f"notice sent on {today:%Y-%m-%d}")
    return detention


def _finding_covers(order: EnforcementOrder, entry: Entry, today: dt.date) -> None:
    """A Finding takes effect on publication (19 CFR 12.42(f)) and covers goods not released from
    custody before it was published (12.42(g))."""
    published = order.published_on
    if published is None:
        return
    if published > today:
        raise Conflict(
            f"{order.reference} takes effect on its publication on {published:%Y-%m-%d}", rule="19 CFR 12.42(f)"
        )
    released = entry.timeline.filter(kind="release", occurred_at__date__lt=published).exists()
    if released:
        raise Conflict(
            f"the goods were released before {order.reference} was published on {published:%Y-%m-%d}",
            rule="19 CFR 12.42(g)",
        )


def _detention_clocks_start(entry: Entry, detention: Detention, regime: str, today: dt.date) -> Clock:
    """The periods a detention runs on; returns the one the importer must meet first."""
    presented = entry.presented_on or today
    decision = clock_start(entry=entry, detention=detention, kind=law.DECISION, start=presented)
    late = " (after the period)" if today > decision.due_date else ""
    _clocks_stop(entry, law.DECISION, f"detained on {today:%Y-%m-%d}{late}")
    clock_start(entry=entry, detention=detention, kind=law.NOTICE, start=today)
    if regime in deemed_exclusion_regimes():
        clock_start(entry=entry, detention=detention, kind=law.DEEMED_EXCLUSION, start=presented)
    if regime in (Regime.WRO, Regime.FINDING):
        return clock_start(entry=entry, detention=detention, kind=law.ADMISSIBILITY, start=entry.date_of_import)
    return clock_start(entry=entry, detention=detention, kind=law.RESPONSE, start=today)
