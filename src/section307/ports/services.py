"""Writes for port enforcement. Each function is one transaction, takes the actor and leaves an audit row
and, for anything that happens to a shipment, a timeline event on its entry."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from section307.accounts.models import Organization
from section307.core.audit import actor_label, audit_record
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.orders.models import EnforcementOrder
from section307.ports import clocks as rules
from section307.ports import disposition, law
from section307.ports import images as photo
from section307.ports.calendars import business_calendar, cost_bond, deemed_exclusion_regimes
from section307.ports.intake import FieldError, IntakeError, ParsedEntry
from section307.ports.lifecycle import DETENTION_LIFECYCLE, ENTRY_LIFECYCLE, ENTRY_STATUS_FOR_DETENTION
from section307.ports.models import (
    DECISION_RANK,
    REGIME_FOR_ORDER_TYPE,
    ApiToken,
    Clock,
    ClockExtension,
    ClockSuspension,
    Decision,
    Detention,
    DetentionDecision,
    Determination,
    Entry,
    EntryLine,
    ExamImage,
    ForfeitureStep,
    Notice,
    Protest,
    Regime,
    RescreenFinding,
    RescreenRun,
    TimelineEvent,
)
from section307.ports.regimes import PROOF_ACCEPTED
from section307.ports.signals import detention_decided, determination_effective
from section307.screening import Screener


class PortsError(InvalidInput, ValueError):
    """A request the rules refuse; the message says why."""


def max_extensions() -> int:
    return int(getattr(settings, "SECTION307_MAX_EXTENSIONS", rules.DEFAULT_MAX_EXTENSIONS))


def extension_days() -> int:
    return int(getattr(settings, "SECTION307_EXTENSION_DAYS", rules.DEFAULT_EXTENSION_DAYS))


def soon_days() -> int:
    return int(getattr(settings, "SECTION307_CLOCK_SOON_DAYS", rules.DEFAULT_SOON_DAYS))


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def timeline_add(
    *, entry: Entry, kind: str, summary: str, actor: Any = None, data: dict[str, Any] | None = None, shared: bool
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        entry=entry,
        kind=kind,
        summary=summary,
        actor=_user(actor),
        actor_label=actor_label(actor),
        data=data or {},
        shared=shared,
    )


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
def entries_receive(*, actor: Any, entries: Sequence[ParsedEntry], source: str) -> list[Entry]:
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


# -- targeting -------------------------------------------------------------------------------------------


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise PortsError("a written reason is required")
    return reason


@transaction.atomic
def entry_target(*, actor: Any, entry: Entry, action: str, reason: str) -> Entry:
    """Release an entry from the queue or hold it for exam, with a reason."""
    if action not in ("release", "exam"):
        raise PortsError(f"unknown targeting action {action!r}")
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
    raise PortsError("the entry is not linked to an order or presumption; choose the order that applies")


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
    *, actor: Any, entry: Entry, reason: str, order_reference: str = "", notice_date: dt.date | None = None
) -> Detention:
    """Detain the goods: a detention with its clock and a notice to the importer of record."""
    reason = _require_reason(reason)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    ENTRY_LIFECYCLE.check("detain", state=entry.status, actor=actor)
    top = entry.top_line
    reference = (order_reference or (top.order_reference if top else "")).strip()
    if not reference:
        raise PortsError("the entry is not linked to an order or presumption; choose the order that applies")
    order = EnforcementOrder.objects.filter(reference=reference).first()
    if order_reference and order is None:
        raise PortsError(f"no order {order_reference!r} in the registry")
    if order is not None and not order.is_enforced:
        raise PortsError(
            f"{order.reference} is {order.get_status_display().lower()}: it no longer supports a detention"
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
        notice_create(
            organization=entry.organization,
            entry=entry,
            kind=Notice.Kind.DETENTION,
            subject=f"Detention notice: entry {entry.entry_number}",
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
            summary=f"Detention notice sent to {entry.organization.name}",
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


# -- images ----------------------------------------------------------------------------------------------


class ImageBelowStandard(PortsError):
    def __init__(self, report: photo.ImageReport) -> None:
        super().__init__("; ".join(report.problems))
        self.report = report


def image_add(
    *,
    actor: Any,
    entry: Entry,
    data: bytes,
    original_name: str,
    caption: str,
    override_reason: str = "",
    shared_with_importer: bool = True,
) -> ExamImage:
    """Store an exam photo re-encoded as JPEG. A photo below the standard needs the officer's reason.

    Decoding, checking and re-encoding (which drops EXIF and GPS) run before the transaction opens,
    so no database lock is held while a large photo is processed; only the write is atomic.
    """
    if not caption.strip():
        raise PortsError("a caption is required (what the photo shows)")
    report, upright = photo.assess(data)  # raises ImageRejected for unusable files
    if not report.passed and not override_reason.strip():
        raise ImageBelowStandard(report)
    encoded = photo.encode_jpeg(upright)
    return _image_store(
        actor=actor,
        entry=entry,
        encoded=encoded,
        original=data,
        report=report,
        original_name=original_name,
        caption=caption,
        override_reason=override_reason,
        shared_with_importer=shared_with_importer,
    )


@transaction.atomic
def _image_store(
    *,
    actor: Any,
    entry: Entry,
    encoded: bytes,
    original: bytes,
    report: photo.ImageReport,
    original_name: str,
    caption: str,
    override_reason: str,
    shared_with_importer: bool,
) -> ExamImage:
    digest = photo.sha256(encoded)
    image = ExamImage(
        entry=entry,
        original_name=original_name[:255],
        caption=caption.strip()[:300],
        width=report.width,
        height=report.height,
        sha256=digest,
        original_sha256=photo.sha256(original),
        taken_at=report.taken_at,
        camera=report.camera,
        checks=report.as_dict(),
        passed=report.passed,
        override_reason="" if report.passed else override_reason.strip(),
        shared_with_importer=shared_with_importer,
        uploaded_by=_user(actor),
    )
    image.image.save(f"{digest[:16]}.jpg", ContentFile(encoded), save=False)
    image.save()
    note = "" if report.passed else f" (below standard, kept: {image.override_reason})"
    timeline_add(
        entry=entry,
        kind="image",
        summary=f"Exam photo added: {image.caption}{note}",
        actor=actor,
        data={"image": image.pk, "sha256": digest},
        shared=shared_with_importer,
    )
    audit_record(actor=actor, action="image.add", target=image, data={"checks": report.as_dict()})
    return image


@transaction.atomic
def image_redact(*, actor: Any, image: ExamImage, boxes: list[tuple[float, float, float, float]]) -> ExamImage:
    """A redacted derived copy (for sharing with a rights holder); the original stays untouched."""
    if not boxes:
        raise PortsError("draw at least one box to redact")
    with image.image.open("rb") as fh:
        original = fh.read()
    try:
        redacted = photo.redact(original, boxes)
    except ValueError as exc:
        raise PortsError(str(exc)) from None
    image.redaction_boxes = [list(b) for b in boxes]
    image.redacted.save(f"{image.sha256[:16]}-redacted.jpg", ContentFile(redacted), save=False)
    image.save(update_fields=["redacted", "redaction_boxes"])
    audit_record(actor=actor, action="image.redact", target=image, data={"boxes": image.redaction_boxes})
    return image


# -- clocks ----------------------------------------------------------------------------------------------


def _lock_clock(clock: Clock) -> Clock:
    return Clock.objects.select_for_update(of=("self",)).select_related("entry").get(pk=clock.pk)


def _clock_changed(clock: Clock, actor: Any, summary: str) -> None:
    entry = clock.entry
    timeline_add(entry=entry, kind="clock", summary=summary, actor=actor, shared=True)
    if entry.organization is not None:
        notice_create(
            organization=entry.organization,
            entry=entry,
            kind=Notice.Kind.CLOCK,
            subject=f"Deadline changed: entry {entry.entry_number}",
            body=f"{summary}\n\nThe deadline is now {clock.due_date:%Y-%m-%d}.",
        )


@transaction.atomic
def clock_suspend(*, actor: Any, clock: Clock, reason: str, start: dt.date | None = None) -> ClockSuspension:
    reason = _require_reason(reason)
    clock = _lock_clock(clock)
    if not actor.has_perm("ports.decide_detention"):
        raise PortsError("only port officers may suspend a clock")
    _refuse_if_statutory(clock, "suspended")
    if not clock.running:
        raise PortsError("the clock has stopped")
    today = timezone.localdate()
    start = start or today
    existing = [rules.Suspension(s.start, s.end) for s in clock.suspensions.all()]
    try:
        rules.check_suspension(existing, start, today=today)
    except rules.ClockError as exc:
        raise PortsError(str(exc)) from None
    suspension = ClockSuspension.objects.create(clock=clock, start=start, reason=reason, actor=_user(actor))
    clock_refresh(clock)
    _clock_changed(clock, actor, f"{clock.get_kind_display()} suspended from {start:%Y-%m-%d}: {reason}")
    audit_record(actor=actor, action="clock.suspend", target=clock, data={"start": start.isoformat(), "reason": reason})
    return suspension


@transaction.atomic
def clock_resume(*, actor: Any, clock: Clock, end: dt.date | None = None) -> ClockSuspension:
    clock = _lock_clock(clock)
    if not actor.has_perm("ports.decide_detention"):
        raise PortsError("only port officers may resume a clock")
    suspension = clock.suspensions.filter(end__isnull=True).first()
    if suspension is None:
        raise PortsError("the clock is not suspended")
    end = end or timezone.localdate()
    if end < suspension.start:
        raise PortsError("a suspension cannot end before it starts")
    suspension.end = end
    suspension.save(update_fields=["end"])
    clock_refresh(clock)
    _clock_changed(clock, actor, f"{clock.get_kind_display()} resumed on {end:%Y-%m-%d}")
    audit_record(actor=actor, action="clock.resume", target=clock, data={"end": end.isoformat()})
    return suspension


def _refuse_if_statutory(clock: Clock, verb: str) -> None:
    if clock.statutory:
        raise Conflict(
            f"{clock.get_kind_display()} is a period set by {clock.citation}; it is never {verb}",
            rule=clock.citation,
        )


@transaction.atomic
def clock_extend(*, actor: Any, clock: Clock, reason: str, approving_official: str) -> ClockExtension:
    """Record an agency extension CBP granted on a non-statutory period (the discretionary extension
    of a UFLPA response, a 19 CFR 171.2(c) petition extension), with the approving official.

    Statutory periods are refused with the citation that sets them; at most
    ``SECTION307_MAX_EXTENSIONS`` are granted, and none once the clock is past due.
    """
    reason = _require_reason(reason)
    official = (approving_official or "").strip()
    clock = _lock_clock(clock)
    if not actor.has_perm("ports.decide_detention"):
        raise NotPermitted("only port officers record agency extensions")
    _refuse_if_statutory(clock, "extended")
    if not official:
        raise InvalidInput("name the official who approved the extension", field="approving_official")
    if not clock.running:
        raise Conflict("the clock has stopped", rule=clock.citation)
    try:
        rules.check_extension(clock_state(clock), max_extensions=max_extensions())
    except rules.ClockError as exc:
        raise Conflict(str(exc), rule="SECTION307_MAX_EXTENSIONS") from None
    days = extension_days()
    extension = ClockExtension.objects.create(
        clock=clock, days=days, reason=reason, approving_official=official[:200], actor=_user(actor)
    )
    clock_refresh(clock)
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


# -- decisions -------------------------------------------------------------------------------------------

_OUTCOME_TRANSITION = {
    DetentionDecision.Outcome.RELEASE: "release",
    DetentionDecision.Outcome.EXCLUDE: "exclude",
    DetentionDecision.Outcome.EXPORT: "export",
    DetentionDecision.Outcome.SEIZE: "seize",
    DetentionDecision.Outcome.ABANDON: "abandon",
}


def _running_due(detention: Detention, kind: str, today: dt.date, business: law.BusinessCalendar) -> dt.date | None:
    clock = next((c for c in detention.clocks.all() if c.kind == kind and c.running), None)
    return clock_state(clock, today=today, business=business).due if clock is not None else None


def disposition_facts(detention: Detention, *, today: dt.date | None = None) -> disposition.Facts:
    """What the law looks at to allow a decision, read from the detention's records."""
    today = today or timezone.localdate()
    business = business_calendar()
    effective = [
        d
        for d in detention.determinations.all()
        if d.status == Determination.Status.EFFECTIVE and d.kind != Determination.Kind.PROTEST
    ]
    latest = max(effective, key=lambda d: (d.concurred_at or d.created_at, d.pk), default=None)
    protest = getattr(detention.entry, "protest", None) if hasattr(detention.entry, "protest") else None
    order = detention.order
    return disposition.Facts(
        regime=detention.regime,
        status=detention.status,
        today=today,
        order_in_force=order is None or order.is_enforced,
        proof_due=_running_due(detention, law.ADMISSIBILITY, today, business),
        proof_received_on=detention.proof_received_on,
        proof_untimely=detention.proof_untimely,
        response_due=_running_due(detention, law.RESPONSE, today, business),
        deemed_exclusion_due=_running_due(detention, law.DEEMED_EXCLUSION, today, business),
        favourable=latest is not None and latest.favourable,
        unfavourable=latest is not None and not latest.favourable,
        protest_pending=protest is not None and protest.is_pending,
        protest_allowed=protest is not None and protest.status == Protest.Status.ALLOWED,
        abandonment_due=_running_due(detention, law.ABANDONMENT, today, business),
    )


def _lock_detention(detention: Detention) -> Detention:
    return (
        Detention.objects.select_for_update(of=("self",))
        .select_related("entry__organization", "order")
        .get(pk=detention.pk)
    )


@transaction.atomic
def detention_decide(
    *, actor: Any, detention: Detention, outcome: str, reason: str, today: dt.date | None = None
) -> DetentionDecision:
    """Carry out a decision (release, exclusion, export under supervision, seizure, abandonment) with a
    written reason, when the law allows it now: a premature decision is refused with ``Conflict`` naming
    the rule (see ``ports.disposition``)."""
    reason = _require_reason(reason)
    if outcome not in _OUTCOME_TRANSITION:
        raise InvalidInput(f"unknown outcome {outcome!r}", field="decision")
    detention = _lock_detention(detention)
    today = today or timezone.localdate()
    step = DETENTION_LIFECYCLE.check(
        _OUTCOME_TRANSITION[DetentionDecision.Outcome(outcome)], state=detention.status, actor=actor
    )
    refused = disposition.block(outcome, disposition_facts(detention, today=today))
    if refused is not None:
        raise Conflict(
            f"{DetentionDecision.Outcome(outcome).label} is not allowed yet: {refused.reason}", rule=refused.rule
        )
    return _record_decision(actor=actor, detention=detention, outcome=outcome, reason=reason, today=today, step=step)


def _record_decision(
    *, actor: Any, detention: Detention, outcome: str, reason: str, today: dt.date, step: Any, deemed: bool = False
) -> DetentionDecision:
    previous = detention.status
    detention.status = step.target
    detention.decided_at = timezone.now()
    fields = ["status", "decided_at", "updated_at"]
    _stop_clocks(detention, f"decision: {outcome}")
    extra = ""
    if outcome == DetentionDecision.Outcome.EXCLUDE:
        detention.exclusion_date = today
        detention.deemed_exclusion = deemed
        fields += ["exclusion_date", "deemed_exclusion"]
        # Export within 60 days or the goods are abandoned (12.44(a)); a protest may be filed within 180 (1514).
        abandon = clock_start(entry=detention.entry, detention=detention, kind=law.ABANDONMENT, start=today)
        protest = clock_start(entry=detention.entry, detention=detention, kind=law.PROTEST_FILING, start=today)
        extra = (
            f" Export the goods by {abandon.due_date:%Y-%m-%d} or they are deemed abandoned unless a protest is "
            f"pending (19 CFR 12.44(a)). A protest may be filed until {protest.due_date:%Y-%m-%d} "
            "(19 U.S.C. 1514(c)(3))."
        )
    detention.save(update_fields=fields)
    Determination.objects.filter(
        detention=detention, status=Determination.Status.EFFECTIVE, carried_out_at__isnull=True
    ).update(carried_out_at=timezone.now())
    decision = DetentionDecision.objects.create(
        detention=detention, outcome=outcome, reason=reason, decided_by=_user(actor)
    )
    entry = detention.entry
    entry.status = ENTRY_STATUS_FOR_DETENTION[Detention.Status(detention.status)]
    entry.save(update_fields=["status", "updated_at"])
    label = "Deemed exclusion" if deemed else DetentionDecision.Outcome(outcome).label
    timeline_add(
        entry=entry,
        kind=f"decision.{outcome}",
        summary=f"{label}: {reason}{extra}",
        actor=actor,
        data={"from": previous, "to": detention.status},
        shared=True,
    )
    audit_record(actor=actor, action=f"detention.{outcome}", target=detention, data={"reason": reason})
    detention_decided.send(sender=Detention, detention=detention, outcome=outcome, reason=reason, actor=actor)
    if entry.organization is not None:
        notice_create(
            organization=entry.organization,
            entry=entry,
            kind=Notice.Kind.DECISION,
            subject=f"Decision on entry {entry.entry_number}: {label}",
            body=f"The port has decided: {label}.\n\nReason: {reason}\n{extra}".strip(),
        )
    return decision


def detentions_deem_excluded(*, today: dt.date | None = None) -> list[Detention]:
    """Record the exclusion the law deems made when no decision came within 30 days of presentation
    (19 U.S.C. 1499(c)(5)(A)), dated the day after the period, whenever this runs."""
    today = today or timezone.localdate()
    business = business_calendar()
    out: list[Detention] = []
    clocks = Clock.objects.filter(
        kind=law.DEEMED_EXCLUSION,
        running=True,
        detention__status__in=[Detention.Status.DETAINED, Detention.Status.UNDER_REVIEW],
    )
    for clock in clocks.select_related("detention").prefetch_related("suspensions", "extensions"):
        state = clock_state(clock, today=today, business=business)
        if not state.overdue or clock.detention is None:
            continue
        with transaction.atomic():
            detention = _lock_detention(clock.detention)
            step = DETENTION_LIFECYCLE.check("exclude", state=detention.status, actor=None)
            _record_decision(
                actor=None,
                detention=detention,
                outcome=DetentionDecision.Outcome.EXCLUDE,
                reason=f"No final admissibility decision within 30 days of presentation ({clock.start_date:%Y-%m-%d}); "
                "treated as a decision to exclude under 19 U.S.C. 1499(c)(5)(A)",
                today=state.due + dt.timedelta(days=1),
                step=step,
                deemed=True,
            )
            out.append(detention)
    return out


@transaction.atomic
def detention_mark_submitted(*, actor: Any, detention: Detention, summary: str) -> Detention:
    """The importer submitted proof (called by the portal's services). Proof after the 19 CFR 12.43
    period is accepted and flagged untimely."""
    detention = _lock_detention(detention)
    DETENTION_LIFECYCLE.check("submit", state=detention.status, actor=actor)
    today = timezone.localdate()
    detention.status = Detention.Status.UNDER_REVIEW
    fields = ["status", "updated_at"]
    if detention.proof_received_on is None:
        detention.proof_received_on = today
        proof_due = _running_due(detention, law.ADMISSIBILITY, today, business_calendar())
        detention.proof_untimely = proof_due is not None and today > proof_due
        fields += ["proof_received_on", "proof_untimely"]
        if detention.proof_untimely:
            summary += f" (after the 19 CFR 12.43 period that ended {proof_due:%Y-%m-%d}: accepted, flagged untimely)"
    detention.save(update_fields=fields)
    timeline_add(entry=detention.entry, kind="proof", summary=summary, actor=actor, shared=True)
    audit_record(actor=actor, action="detention.submit", target=detention, data={"untimely": detention.proof_untimely})
    return detention


@transaction.atomic
def detention_elect_export(*, actor: Any, detention: Detention, note: str = "") -> Detention:
    """The importer elects to export the goods instead of proving admissibility."""
    from section307.ports.permissions import acting_for, can_act_for_detention

    detention = Detention.objects.select_for_update().select_related("entry__organization").get(pk=detention.pk)
    if not can_act_for_detention(actor, detention):
        raise PortsError("only the importer of record (or its broker) may elect to export")
    if detention.status not in (Detention.Status.DETAINED, Detention.Status.UNDER_REVIEW, Detention.Status.EXCLUDED):
        raise PortsError("the goods can no longer be exported")
    if detention.export_elected_at is not None:
        raise PortsError("export has already been elected")
    detention.export_elected_at = timezone.now()
    detention.save(update_fields=["export_elected_at", "updated_at"])
    timeline_add(
        entry=detention.entry,
        kind="export_elected",
        summary="The importer elected to export the goods" + (f": {note.strip()}" if note.strip() else ""),
        actor=actor,
        shared=True,
    )
    audit_record(
        actor=actor,
        action="detention.elect_export",
        target=detention,
        data={"note": note, **acting_for(actor, detention.entry)},
    )
    return detention


def detentions_abandon_overdue(*, today: dt.date | None = None) -> list[Detention]:
    """Excluded goods not exported within 60 days of the exclusion notice are deemed abandoned
    (19 CFR 12.44(a)), unless a protest is pending."""
    today = today or timezone.localdate()
    out: list[Detention] = []
    clocks = Clock.objects.filter(
        kind=law.ABANDONMENT, running=True, detention__status=Detention.Status.EXCLUDED
    ).exclude(entry__protest__status=Protest.Status.PENDING)
    for clock in clocks.select_related("detention").prefetch_related("suspensions", "extensions"):
        assert clock.detention is not None
        if clock_state(clock, today=today).overdue:
            detention_decide(
                actor=None,
                detention=clock.detention,
                outcome=DetentionDecision.Outcome.ABANDON,
                reason=f"Not exported within 60 days of the exclusion notice (due {clock.due_date:%Y-%m-%d}); "
                "deemed abandoned under 19 CFR 12.44(a)",
                today=today,
            )
            out.append(clock.detention)
    return out


# -- notices ---------------------------------------------------------------------------------------------


def notice_create(*, organization: Organization, entry: Entry | None, kind: str, subject: str, body: str) -> Notice:
    """Record a notice for the organization's portal; the email goes out from a task after commit."""
    notice = Notice.objects.create(organization=organization, entry=entry, kind=kind, subject=subject, body=body)
    from section307.ports.tasks import notice_send

    transaction.on_commit(lambda: notice_send.enqueue(notice.pk))
    return notice


@transaction.atomic
def notice_mark_read(*, actor: Any, notice: Notice) -> Notice:
    from section307.ports.permissions import can_act_for_entry

    own = notice.organization_id == getattr(actor, "organization_id", None)
    if not own and not (notice.entry is not None and can_act_for_entry(actor, notice.entry)):
        raise PortsError("not your organization's notice")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def clocks_remind(*, today: dt.date | None = None) -> list[Notice]:
    """A reminder per running clock that is soon due or overdue, at most one a day."""
    today = today or timezone.localdate()
    sent: list[Notice] = []
    clocks = Clock.objects.filter(
        running=True, kind__in=law.IMPORTER_KINDS, entry__organization__isnull=False
    ).select_related("entry__organization")
    business = business_calendar()
    for clock in clocks.prefetch_related("suspensions", "extensions"):
        state = clock_state(clock, today=today, business=business)
        if not (state.soon_due or state.overdue) or clock.last_reminded_on == today:
            continue
        with transaction.atomic():
            entry = clock.entry
            when = f"was due on {state.due:%Y-%m-%d}" if state.overdue else f"is due on {state.due:%Y-%m-%d}"
            assert entry.organization is not None
            sent.append(
                notice_create(
                    organization=entry.organization,
                    entry=entry,
                    kind=Notice.Kind.REMINDER,
                    subject=f"Reminder: entry {entry.entry_number}, {clock.get_kind_display().split(' (')[0]}",
                    body=f"{clock.get_kind_display()} {when} ({abs(state.days_left)} day(s) "
                    f"{'ago' if state.overdue else 'left'}).",
                )
            )
            clock.last_reminded_on = today
            clock.save(update_fields=["last_reminded_on"])
    return sent


# -- re-screening ----------------------------------------------------------------------------------------


@transaction.atomic
def entries_rescreen(
    *,
    actor: Any,
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
    screener = current_screener()
    orders: dict[str, EnforcementOrder | None] = {}
    lines = EntryLine.objects.filter(entry__date_of_import__gte=since).select_related("entry").order_by("entry_id")
    count = 0
    retarget: dict[int, Entry] = {}
    detained = set(Detention.objects.values_list("entry_id", flat=True))
    for line in lines.iterator(chunk_size=500):
        count += 1
        before = (line.decision, line.order_reference)
        _apply_result(line, screener, orders)
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
        entry.decision = _entry_decision(list(entry.lines.all()))
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


# -- API tokens ------------------------------------------------------------------------------------------


def may_use_api(user: Any) -> bool:
    """Trade users, filers and staff in any role use the API; a bare account does not."""
    from section307.accounts.roles import user_roles

    return bool(getattr(user, "is_active", False) and (user_roles(user) or user.has_perm("ports.file_entry")))


@transaction.atomic
def api_token_create(*, actor: Any, user: Any, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``user`` (their own, or any user's by an administrator or the console
    command, which acts as the system); returns the secret once: only its digest is stored."""
    if actor is not None and actor != user and not getattr(actor, "is_staff", False):
        raise NotPermitted("Only administrators create tokens for other users.")
    if not may_use_api(user):
        raise NotPermitted(f"{user.get_username()} has no role that uses the API.")
    secret = "s307_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100] or "API token", prefix=secret[:12], digest=photo.sha256(secret.encode())
    )
    audit_record(actor=actor, action="api_token.create", target=token, data={"user": user.get_username()})
    return token, secret


# -- headquarters determinations ------------------------------------------------------------------------

DK = Determination.Kind
# Which determination fits which regime (the protest fits any excluded goods).
KINDS_FOR_REGIME: dict[str, tuple[str, ...]] = {
    Regime.WRO: (DK.ADMISSIBILITY,),
    Regime.FINDING: (DK.ADMISSIBILITY,),
    Regime.UFLPA: (DK.APPLICABILITY, DK.UFLPA_EXCEPTION),
    Regime.CAATSA: (DK.CAATSA_EXCEPTION,),
}
# The legal test a kind is decided on: its conditions must all be met to decide for the importer.
TESTS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    DK.UFLPA_EXCEPTION: ("UFLPA sec. 3(b)", law.UFLPA_EXCEPTION_CONDITIONS),
    DK.CAATSA_EXCEPTION: ("22 U.S.C. 9241a(b)", law.CAATSA_EXCEPTION_CONDITIONS),
}


def _reviewer(actor: Any) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm("ports.review_detention")):
        raise NotPermitted("only headquarters reviewers make determinations")


def _check_test(kind: str, outcome: str, conditions: dict[str, bool]) -> dict[str, bool]:
    if kind not in TESTS:
        return {}
    rule, items = TESTS[kind]
    found = {key: bool(conditions.get(key)) for key, _ in items}
    if outcome == Determination.Outcome.GRANTED and not all(found.values()):
        missing = "; ".join(label for key, label in items if not found[key])
        raise Conflict(f"an exception is granted only when every condition is met; not met: {missing}", rule=rule)
    if outcome == Determination.Outcome.DENIED and all(found.values()):
        raise Conflict("every condition of the exception is met: it cannot be denied", rule=rule)
    return found


@transaction.atomic
def determination_propose(
    *,
    actor: Any,
    detention: Detention,
    kind: str,
    outcome: str,
    reasons: str,
    conditions: dict[str, bool] | None = None,
    request_id: int | None = None,
    protest: Protest | None = None,
) -> Determination:
    """A headquarters reviewer's determination; it takes effect when a second reviewer concurs."""
    _reviewer(actor)
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput("give the reasons for the determination", field="reasons")
    if kind not in DK.values:
        raise InvalidInput("choose what is being determined", field="kind")
    if outcome not in Determination.Outcome.values:
        raise InvalidInput("choose the outcome", field="outcome")
    detention = _lock_detention(detention)
    if kind == DK.PROTEST:
        if protest is None or protest.detention_id != detention.pk or not protest.is_pending:
            raise Conflict("there is no pending protest on this detention", rule="19 U.S.C. 1515(a)")
    else:
        if kind not in KINDS_FOR_REGIME[detention.regime]:
            raise InvalidInput(
                f"a {DK(kind).label} does not apply to a {detention.get_regime_display()} detention", field="kind"
            )
        if detention.status not in (
            Detention.Status.DETAINED,
            Detention.Status.UNDER_REVIEW,
            Detention.Status.EXCLUDED,
        ):
            raise Conflict(f"the detention is {detention.get_status_display().lower()}", rule="19 CFR 12.44")
    found = _check_test(kind, outcome, conditions or {})
    open_same = Determination.objects.filter(
        detention=detention, kind=kind, status=Determination.Status.AWAITING_CONCURRENCE
    )
    if protest is not None:
        open_same = open_same.filter(protest=protest)
    if open_same.exists():
        raise Conflict("a determination of this kind already awaits concurrence", rule="two-person review")
    determination = Determination.objects.create(
        detention=detention,
        kind=kind,
        outcome=outcome,
        reasons=reasons,
        conditions=found,
        request_id=request_id,
        protest=protest,
        proposed_by=_user(actor),
    )
    timeline_add(
        entry=detention.entry,
        kind="hq.proposed",
        summary=f"Headquarters: {determination.get_kind_display()} proposed ({determination.outcome_label}), "
        "awaiting a second reviewer",
        actor=actor,
        shared=False,
    )
    audit_record(
        actor=actor, action="determination.propose", target=determination, data={"kind": kind, "outcome": outcome}
    )
    return determination


def _lock_determination(determination: Determination) -> Determination:
    return (
        Determination.objects.select_for_update(of=("self",))
        .select_related("detention__entry__organization", "protest")
        .get(pk=determination.pk)
    )


@transaction.atomic
def determination_concur(*, actor: Any, determination: Determination, note: str = "") -> Determination:
    """A second reviewer (never the proposer) concurs: the determination takes effect, flows to the port
    (which carries it out) and to the importer (a notice)."""
    _reviewer(actor)
    determination = _lock_determination(determination)
    if determination.status != Determination.Status.AWAITING_CONCURRENCE:
        raise Conflict("the determination does not await concurrence", rule="two-person review")
    if determination.proposed_by_id == getattr(actor, "pk", None):
        raise Conflict("the concurrence must come from a second reviewer, not the proposer", rule="two-person review")
    today = timezone.localdate()
    determination.status = Determination.Status.EFFECTIVE
    determination.concurred_by = _user(actor)
    determination.concurred_at = timezone.now()
    determination.concurrence_note = note.strip()
    determination.effective_on = today
    determination.save()
    detention = determination.detention
    entry = detention.entry
    extra = ""
    if determination.kind == DK.UFLPA_EXCEPTION and determination.favourable:
        report = clock_start(entry=entry, detention=detention, kind=law.CONGRESS_REPORT, start=today)
        extra = f" The report to Congress and the public is due by {report.due_date:%Y-%m-%d} (UFLPA sec. 3(c))."
    if determination.kind == DK.PROTEST:
        extra = _protest_close(determination, today)
    summary = f"Headquarters determination: {determination.get_kind_display()}: {determination.outcome_label}."
    timeline_add(
        entry=entry,
        kind="hq.effective",
        summary=f"{summary} Reasons: {determination.reasons}{extra}",
        actor=actor,
        data={"determination": determination.pk},
        shared=True,
    )
    audit_record(actor=actor, action="determination.concur", target=determination, data={"note": note})
    if entry.organization is not None:
        notice_create(
            organization=entry.organization,
            entry=entry,
            kind=Notice.Kind.DECISION,
            subject=f"Headquarters determination on entry {entry.entry_number}: {determination.outcome_label}",
            body=f"{summary}\n\nReasons: {determination.reasons}\n{extra}\n\n"
            "The port of entry carries out the determination.".strip(),
        )
    determination_effective.send(sender=Determination, determination=determination, actor=actor)
    return determination


@transaction.atomic
def determination_return(*, actor: Any, determination: Determination, note: str) -> Determination:
    """The second reviewer does not concur: the determination never takes effect; a new one may be proposed."""
    _reviewer(actor)
    note = (note or "").strip()
    if not note:
        raise InvalidInput("say why you do not concur", field="note")
    determination = _lock_determination(determination)
    if determination.status != Determination.Status.AWAITING_CONCURRENCE:
        raise Conflict("the determination does not await concurrence", rule="two-person review")
    if determination.proposed_by_id == getattr(actor, "pk", None):
        raise Conflict("the proposer cannot act as the second reviewer", rule="two-person review")
    determination.status = Determination.Status.RETURNED
    determination.concurred_by = _user(actor)
    determination.concurred_at = timezone.now()
    determination.concurrence_note = note
    determination.save()
    audit_record(actor=actor, action="determination.return", target=determination, data={"note": note})
    return determination


@transaction.atomic
def congress_report_record(*, actor: Any, detention: Detention, on: dt.date | None = None) -> Clock:
    """Headquarters submitted the UFLPA sec. 3(c) report on a granted exception."""
    _reviewer(actor)
    clock = Clock.objects.select_for_update().filter(detention=detention, kind=law.CONGRESS_REPORT).first()
    if clock is None or not clock.running:
        raise Conflict("no report is due on this detention", rule="UFLPA sec. 3(c)")
    on = on or timezone.localdate()
    late = " (after the 30 days)" if on > clock.due_date else ""
    clock.running = False
    clock.stopped_at = timezone.now()
    clock.stop_reason = f"report submitted on {on:%Y-%m-%d}{late}"[:200]
    clock.save(update_fields=["running", "stopped_at", "stop_reason"])
    audit_record(actor=actor, action="determination.report", target=clock, data={"on": on.isoformat()})
    return clock


# -- protests --------------------------------------------------------------------------------------------


@transaction.atomic
def protest_file(
    *, actor: Any, detention: Detention, grounds: str, accelerated: bool = False, today: dt.date | None = None
) -> Protest:
    """The importer protests an exclusion or deemed exclusion (19 U.S.C. 1514(a)(4)) within 180 days
    (1514(c)(3)); one protest per entry. A pending protest stops abandonment (19 CFR 12.44(a))."""
    from section307.ports.permissions import can_act_for_detention

    grounds = (grounds or "").strip()
    detention = _lock_detention(detention)
    if not can_act_for_detention(actor, detention):
        raise NotPermitted("only the importer of record (or its broker) may protest")
    if not grounds:
        raise InvalidInput("state the grounds of the protest", field="grounds")
    entry = detention.entry
    if Protest.objects.filter(entry=entry).exists():
        raise Conflict("a protest has already been filed for this entry", rule="19 U.S.C. 1514(c)(1)")
    if detention.status != Detention.Status.EXCLUDED:
        raise Conflict("only an exclusion or a deemed exclusion can be protested", rule="19 U.S.C. 1514(a)(4)")
    today = today or timezone.localdate()
    window = Clock.objects.filter(entry=entry, kind=law.PROTEST_FILING).first()
    if window is not None and today > window.due_date:
        raise Conflict(f"the 180 days to protest ended on {window.due_date:%Y-%m-%d}", rule="19 U.S.C. 1514(c)(3)")
    assert entry.organization is not None
    protest = Protest.objects.create(
        entry=entry,
        detention=detention,
        organization=entry.organization,
        filed_by=_user(actor),
        filed_on=today,
        grounds=grounds,
        accelerated=accelerated,
    )
    _clocks_stop(entry, law.PROTEST_FILING, f"protest filed on {today:%Y-%m-%d}")
    decision = clock_start(entry=entry, detention=detention, kind=law.PROTEST_DECISION, start=today)
    deemed = clock_start(entry=entry, detention=detention, kind=law.EXCLUSION_PROTEST, start=today)
    if accelerated:
        clock_start(entry=entry, detention=detention, kind=law.ACCELERATED_DISPOSITION, start=today)
    timeline_add(
        entry=entry,
        kind="protest",
        summary=f"Protest filed: {grounds}. Decision due by {decision.due_date:%Y-%m-%d} (19 U.S.C. 1515(a)); "
        f"deemed denied if not decided by {deemed.due_date:%Y-%m-%d} (19 U.S.C. 1499(c)(5)(B)). "
        "The goods are not abandoned while it is pending.",
        actor=actor,
        shared=True,
    )
    audit_record(actor=actor, action="protest.file", target=protest, data={"accelerated": accelerated})
    return protest


def _protest_close(determination: Determination, today: dt.date) -> str:
    protest = determination.protest
    assert protest is not None
    protest.status = Protest.Status.ALLOWED if determination.favourable else Protest.Status.DENIED
    protest.decided_on = today
    protest.decision_reasons = determination.reasons
    protest.save(update_fields=["status", "decided_on", "decision_reasons", "updated_at"])
    for kind in (law.PROTEST_DECISION, law.EXCLUSION_PROTEST, law.ACCELERATED_DISPOSITION):
        _clocks_stop(protest.entry, kind, f"protest {protest.status} on {today:%Y-%m-%d}")
    if determination.favourable:
        return " The port releases the goods."
    suit = clock_start(entry=protest.entry, detention=protest.detention, kind=law.CIVIL_ACTION, start=today)
    return (
        f" The importer may contest the denial in the Court of International Trade within 180 days, by "
        f"{suit.due_date:%Y-%m-%d} (28 U.S.C. 2636(a))."
    )


# -- forfeiture after seizure ----------------------------------------------------------------------------

_FS = ForfeitureStep.Step
# A step needs the earlier one; it starts or stops a clock.
_STEP_NEEDS = {
    _FS.PUBLICATION: _FS.NOTICE_OF_SEIZURE,
    _FS.PETITION: _FS.NOTICE_OF_SEIZURE,
    _FS.CLAIM_BOND: _FS.PUBLICATION,
}
_STEP_STARTS = {_FS.NOTICE_OF_SEIZURE: law.PETITION, _FS.PUBLICATION: law.CLAIM_BOND}
_STEP_STOPS = {
    _FS.PETITION: (law.PETITION,),
    _FS.CLAIM_BOND: (law.CLAIM_BOND,),
    _FS.DECISION: (law.PETITION, law.CLAIM_BOND),
}


def entry_value(entry: Entry) -> Decimal:
    return sum((ln.value_usd or Decimal("0") for ln in entry.lines.all()), Decimal("0"))


@transaction.atomic
def forfeiture_record(
    *, actor: Any, detention: Detention, step: str, on: dt.date, note: str = "", amount: Decimal | None = None
) -> ForfeitureStep:
    """Record a forfeiture step after a seizure under a Finding (19 CFR 12.44(b), Part 162 subpart E)."""
    if not actor.has_perm("ports.decide_detention"):
        raise NotPermitted("only port officers record forfeiture steps")
    if step not in _FS.values:
        raise InvalidInput("choose the step", field="step")
    detention = _lock_detention(detention)
    if detention.status != Detention.Status.SEIZED:
        raise Conflict("forfeiture follows a seizure under a Finding", rule="19 CFR 12.44(b)")
    done = set(detention.forfeiture_steps.values_list("step", flat=True))
    if step in done:
        raise Conflict("this step has already been recorded", rule="19 CFR Part 162 subpart E")
    needed = _STEP_NEEDS.get(_FS(step))
    if needed is not None and needed not in done:
        raise Conflict(f"record first: {_FS(needed).label}", rule="19 CFR 162.45")
    entry = detention.entry
    if step == _FS.CLAIM_BOND:
        bond = cost_bond(entry_value(entry))
        if amount is None or amount < bond:
            raise InvalidInput(f"the cost bond must be at least ${bond:,.2f}", field="amount", rule="19 CFR 162.45")
    late = ""
    for kind in _STEP_STOPS.get(_FS(step), ()):
        clock = Clock.objects.filter(entry=entry, kind=kind, running=True).first()
        if clock is not None and on > clock_state(clock).due:
            late = " (after the period)"
        _clocks_stop(entry, kind, f"{_FS(step).label} on {on:%Y-%m-%d}{late}")
    if _FS(step) in _STEP_STARTS:
        clock_start(entry=entry, detention=detention, kind=_STEP_STARTS[_FS(step)], start=on)
    recorded = ForfeitureStep.objects.create(
        detention=detention, step=step, on=on, note=note.strip() + late, amount=amount, actor=_user(actor)
    )
    timeline_add(
        entry=entry,
        kind=f"forfeiture.{step}",
        summary=f"{_FS(step).label}: {on:%Y-%m-%d}{late}",
        actor=actor,
        shared=True,
    )
    audit_record(actor=actor, action=f"forfeiture.{step}", target=recorded, data={"on": on.isoformat()})
    return recorded
@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token at once (its owner, or an administrator); revoking twice changes nothing."""
    if actor is not None and token.user_id != actor.pk and not getattr(actor, "is_staff", False):
        raise NotPermitted("Only the token's owner or an administrator revokes it.")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", target=token, data={"user": token.user.get_username()})
    return token
