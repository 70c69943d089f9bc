"""section307.ports.services: clocks."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.core.audit import audit_record
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.types import Actor
from section307.ports import clocks as rules
from section307.ports import law
from section307.ports.models import (
    Clock,
    ClockExtension,
    ClockSuspension,
    Detention,
    Notice,
)
from section307.ports.services import notices as _notices
from section307.ports.services import targeting as _targeting
from section307.ports.services._base import PortsError, _user, extension_days, max_extensions, timeline_add

# -- clocks ----------------------------------------------------------------------------------------------


def _lock_clock(clock: Clock) -> Clock:
    return Clock.objects.select_for_update(of=("self",)).select_related("entry").get(pk=clock.pk)


def _clock_changed(clock: Clock, actor: Actor, summary: str) -> None:
    entry = clock.entry
    timeline_add(entry=entry, kind="clock", summary=summary, actor=actor, shared=True)
    if entry.organization is not None:
        _notices.notice_create(
            organization=entry.organization,
            entry=entry,
            kind=Notice.Kind.CLOCK,
            subject=gettext("Deadline changed: entry %(entry_number)s") % {"entry_number": entry.entry_number},
            body=summary + "\n\n" + gettext("The deadline is now %(date)s.") % {"date": f"{clock.due_date:%Y-%m-%d}"},
        )


@transaction.atomic
def clock_suspend(*, actor: Actor, clock: Clock, reason: str, start: dt.date | None = None) -> ClockSuspension:
    reason = _targeting._require_reason(reason)
    clock = _lock_clock(clock)
    if not actor.has_perm("ports.decide_detention"):
        raise PortsError(gettext("only port officers may suspend a clock"))
    _refuse_if_statutory(clock, "suspended")
    if not clock.running:
        raise PortsError(gettext("the clock has stopped"))
    today = timezone.localdate()
    start = start or today
    existing = [rules.Suspension(s.start, s.end) for s in clock.suspensions.all()]
    try:
        rules.check_suspension(existing, start, today=today)
    except rules.ClockError as exc:
        raise PortsError(str(exc)) from None
    suspension = ClockSuspension.objects.create(clock=clock, start=start, reason=reason, actor=_user(actor))
    _targeting.clock_refresh(clock)
    _clock_changed(clock, actor, f"{clock.get_kind_display()} suspended from {start:%Y-%m-%d}: {reason}")
    audit_record(actor=actor, action="clock.suspend", target=clock, data={"start": start.isoformat(), "reason": reason})
    return suspension


@transaction.atomic
def clock_resume(*, actor: Actor, clock: Clock, end: dt.date | None = None) -> ClockSuspension:
    clock = _lock_clock(clock)
    if not actor.has_perm("ports.decide_detention"):
        raise PortsError(gettext("only port officers may resume a clock"))
    suspension = clock.suspensions.filter(end__isnull=True).first()
    if suspension is None:
        raise PortsError(gettext("the clock is not suspended"))
    end = end or timezone.localdate()
    if end < suspension.start:
        raise PortsError(gettext("a suspension cannot end before it starts"))
    suspension.end = end
    suspension.save(update_fields=["end"])
    _targeting.clock_refresh(clock)
    _clock_changed(clock, actor, f"{clock.get_kind_display()} resumed on {end:%Y-%m-%d}")
    audit_record(actor=actor, action="clock.resume", target=clock, data={"end": end.isoformat()})
    return suspension


def _refuse_if_statutory(clock: Clock, verb: str) -> None:
    if clock.statutory:
        raise Conflict(
            gettext("%(kind)s is a period set by %(citation)s; it is never %(verb)s")
            % {"kind": clock.get_kind_display(), "citation": clock.citation, "verb": verb},
            rule=clock.citation,
        )


@transaction.atomic
def clock_extend(*, actor: Actor, clock: Clock, reason: str, approving_official: str) -> ClockExtension:
    """Record an agency extension CBP granted on a non-statutory period (the discretionary extension
    of a UFLPA response, a 19 CFR 171.2(c) petition extension), with the approving official.

    Statutory periods are refused with the citation that sets them; at most
    ``SECTION307_MAX_EXTENSIONS`` are granted, and none once the clock is past due.
    """
    reason = _targeting._require_reason(reason)
    official = (approving_official or "").strip()
    clock = _lock_clock(clock)
    if not actor.has_perm("ports.decide_detention"):
        raise NotPermitted(gettext("only port officers record agency extensions"))
    _refuse_if_statutory(clock, "extended")
    if not official:
        raise InvalidInput(gettext("name the official who approved the extension"), field="approving_official")
    if not clock.running:
        raise Conflict(gettext("the clock has stopped"), rule=clock.citation)
    try:
        rules.check_extension(_targeting.clock_state(clock), max_extensions=max_extensions())
    except rules.ClockError as exc:
        raise Conflict(str(exc), rule="SECTION307_MAX_EXTENSIONS") from None
    days = extension_days()
    extension = ClockExtension.objects.create(
        clock=clock, days=days, reason=reason, approving_official=official[:200], actor=_user(actor)
    )
    _targeting.clock_refresh(clock)
    _clock_changed(
        clock, actor, f"{clock.get_kind_display()}: agency extension of {days} days approved by {official}: {reason}"
    )
    audit_record(
        actor=actor, action="clock.extend", target=clock, data={"days": days, "reason": reason, "official": official}
    )
    return extension


# Periods that outlive the detention's disposition: they bind headquarters or the courts, not the goods.
_KEEP_RUNNING = (law.CONGRESS_REPORT, law.CIVIL_ACTION, law.PETITION, law.CLAIM_BOND)


def _stop_clocks(detention: Detention, reason: str) -> None:
    Clock.objects.filter(detention=detention, running=True).exclude(kind__in=_KEEP_RUNNING).update(
        running=False, stopped_at=timezone.now(), stop_reason=reason[:200]
    )
