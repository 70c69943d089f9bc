"""Writes for port enforcement. Each function is one transaction, takes the actor and leaves an audit row
and, for anything that happens to a shipment, a timeline event on its entry."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from section307.accounts.models import Organization
from section307.core.audit import actor_label, audit_record
from section307.core.errors import InvalidInput
from section307.orders.models import EnforcementOrder
from section307.ports import clocks as rules
from section307.ports import images as photo
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
    Entry,
    EntryLine,
    ExamImage,
    Notice,
    Regime,
    RescreenFinding,
    RescreenRun,
    TimelineEvent,
)
from section307.ports.regimes import PROOF_ACCEPTED
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
    entry.save(update_fields=["status", "updated_at"])
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


def clock_state(clock: Clock, *, today: dt.date | None = None) -> rules.ClockState:
    return rules.clock_state(
        clock.kind,
        clock.start_date,
        today=today or timezone.localdate(),
        suspensions=[rules.Suspension(s.start, s.end) for s in clock.suspensions.all()],
        extension_days=[e.days for e in clock.extensions.all()],
        max_extensions=max_extensions(),
        soon_days=soon_days(),
    )


def _clock_start(detention: Detention, kind: str, start: dt.date) -> Clock:
    return Clock.objects.create(
        detention=detention, kind=kind, start_date=start, due_date=rules.base_deadline(kind, start)
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
    kind = rules.detention_clock_kind(regime)
    clock = _clock_start(detention, kind, entry.date_of_import if kind == rules.ADMISSIBILITY else today)
    entry.status = Entry.Status.DETAINED
    entry.save(update_fields=["status", "updated_at"])
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
    return detention


# -- images ----------------------------------------------------------------------------------------------


class ImageBelowStandard(PortsError):
    def __init__(self, report: photo.ImageReport) -> None:
        super().__init__("; ".join(report.problems))
        self.report = report


@transaction.atomic
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
    """Store an exam photo re-encoded as JPEG. A photo below the standard needs the officer's reason."""
    if not caption.strip():
        raise PortsError("a caption is required (what the photo shows)")
    report, upright = photo.assess(data)  # raises ImageRejected for unusable files
    if not report.passed and not override_reason.strip():
        raise ImageBelowStandard(report)
    encoded = photo.encode_jpeg(upright)
    digest = photo.sha256(encoded)
    image = ExamImage(
        entry=entry,
        original_name=original_name[:255],
        caption=caption.strip()[:300],
        width=report.width,
        height=report.height,
        sha256=digest,
        original_sha256=photo.sha256(data),
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
    return Clock.objects.select_for_update().select_related("detention__entry").get(pk=clock.pk)


def _clock_changed(clock: Clock, actor: Any, summary: str) -> None:
    entry = clock.detention.entry
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


@transaction.atomic
def clock_extend(*, actor: Any, clock: Clock, reason: str) -> ClockExtension:
    """Grant one extension; refused beyond the configured limit and once the clock is past due."""
    reason = _require_reason(reason)
    clock = _lock_clock(clock)
    if not actor.has_perm("ports.decide_detention"):
        raise PortsError("only port officers may extend a clock")
    if not clock.running:
        raise PortsError("the clock has stopped")
    try:
        rules.check_extension(clock_state(clock), max_extensions=max_extensions())
    except rules.ClockError as exc:
        raise PortsError(str(exc)) from None
    days = extension_days()
    extension = ClockExtension.objects.create(clock=clock, days=days, reason=reason, actor=_user(actor))
    clock_refresh(clock)
    _clock_changed(clock, actor, f"{clock.get_kind_display()} extended by {days} days: {reason}")
    audit_record(actor=actor, action="clock.extend", target=clock, data={"days": days, "reason": reason})
    return extension


def _stop_clocks(detention: Detention, reason: str) -> None:
    Clock.objects.filter(detention=detention, running=True).update(
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


@transaction.atomic
def detention_decide(
    *, actor: Any, detention: Detention, outcome: str, reason: str, today: dt.date | None = None
) -> DetentionDecision:
    """Release, exclude, export under supervision or seize (Findings), with a written reason."""
    reason = _require_reason(reason)
    if outcome not in _OUTCOME_TRANSITION:
        raise PortsError(f"unknown outcome {outcome!r}")
    detention = (
        Detention.objects.select_for_update(of=("self",)).select_related("entry__organization").get(pk=detention.pk)
    )
    today = today or timezone.localdate()
    if outcome == DetentionDecision.Outcome.SEIZE and detention.regime != Regime.FINDING:
        raise PortsError("seizure applies only to goods under a Finding (19 CFR 12.44(b))")
    if outcome == DetentionDecision.Outcome.EXCLUDE and detention.regime == Regime.FINDING:
        raise PortsError("goods under a Finding that are not admissible are seized, not excluded")
    step = DETENTION_LIFECYCLE.check(
        _OUTCOME_TRANSITION[DetentionDecision.Outcome(outcome)], state=detention.status, actor=actor
    )
    previous = detention.status
    detention.status = step.target
    detention.decided_at = timezone.now()
    fields = ["status", "decided_at", "updated_at"]
    _stop_clocks(detention, f"decision: {outcome}")
    if outcome == DetentionDecision.Outcome.EXCLUDE:
        detention.exclusion_date = today
        fields.append("exclusion_date")
        # The exclusion starts its own clock: export within 60 days or the goods are abandoned (12.44(a)).
        _clock_start(detention, rules.ABANDONMENT, today)
    detention.save(update_fields=fields)
    decision = DetentionDecision.objects.create(
        detention=detention, outcome=outcome, reason=reason, decided_by=_user(actor)
    )
    entry = detention.entry
    entry.status = ENTRY_STATUS_FOR_DETENTION[Detention.Status(detention.status)]
    entry.save(update_fields=["status", "updated_at"])
    label = DetentionDecision.Outcome(outcome).label
    extra = ""
    if outcome == DetentionDecision.Outcome.EXCLUDE:
        due = rules.base_deadline(rules.ABANDONMENT, today)
        extra = f" Export the goods by {due:%Y-%m-%d} or they are deemed abandoned (19 CFR 12.44(a))."
    timeline_add(
        entry=entry,
        kind=f"decision.{outcome}",
        summary=f"{label}: {reason}{extra}",
        actor=actor,
        data={"from": previous, "to": detention.status},
        shared=True,
    )
    audit_record(actor=actor, action=f"detention.{outcome}", target=detention, data={"reason": reason})
    from section307.trade.services import requests_close_for_detention

    requests_close_for_detention(actor=actor, detention=detention, outcome=outcome, reason=reason)
    if entry.organization is not None:
        notice_create(
            organization=entry.organization,
            entry=entry,
            kind=Notice.Kind.DECISION,
            subject=f"Decision on entry {entry.entry_number}: {label}",
            body=f"The port has decided: {label}.\n\nReason: {reason}\n{extra}".strip(),
        )
    return decision


@transaction.atomic
def detention_mark_submitted(*, actor: Any, detention: Detention, summary: str) -> Detention:
    """The importer submitted proof (called by the portal's services)."""
    detention = Detention.objects.select_for_update().get(pk=detention.pk)
    DETENTION_LIFECYCLE.check("submit", state=detention.status, actor=actor)
    detention.status = Detention.Status.UNDER_REVIEW
    detention.save(update_fields=["status", "updated_at"])
    timeline_add(entry=detention.entry, kind="proof", summary=summary, actor=actor, shared=True)
    audit_record(actor=actor, action="detention.submit", target=detention)
    return detention


@transaction.atomic
def detention_elect_export(*, actor: Any, detention: Detention, note: str = "") -> Detention:
    """The importer elects to export the goods instead of proving admissibility."""
    from section307.ports.permissions import can_act_for_detention

    detention = Detention.objects.select_for_update().select_related("entry").get(pk=detention.pk)
    if not can_act_for_detention(actor, detention):
        raise PortsError("only the importer of record may elect to export")
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
    audit_record(actor=actor, action="detention.elect_export", target=detention, data={"note": note})
    return detention


def detentions_abandon_overdue(*, today: dt.date | None = None) -> list[Detention]:
    """Excluded goods not exported within 60 days of the exclusion notice are deemed abandoned."""
    today = today or timezone.localdate()
    out: list[Detention] = []
    clocks = Clock.objects.filter(
        kind=Clock.Kind.ABANDONMENT, running=True, detention__status=Detention.Status.EXCLUDED
    )
    for clock in clocks.select_related("detention").prefetch_related("suspensions", "extensions"):
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
    if notice.organization_id != getattr(actor, "organization_id", None):
        raise PortsError("not your organization's notice")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def clocks_remind(*, today: dt.date | None = None) -> list[Notice]:
    """A reminder per running clock that is soon due or overdue, at most one a day."""
    today = today or timezone.localdate()
    sent: list[Notice] = []
    clocks = Clock.objects.filter(running=True, detention__entry__organization__isnull=False).select_related(
        "detention__entry__organization"
    )
    for clock in clocks.prefetch_related("suspensions", "extensions"):
        state = clock_state(clock, today=today)
        if not (state.soon_due or state.overdue) or clock.last_reminded_on == today:
            continue
        with transaction.atomic():
            entry = clock.detention.entry
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
    for line in lines.iterator(chunk_size=500):
        count += 1
        before = (line.decision, line.order_reference)
        _apply_result(line, screener, orders)
        if (line.decision, line.order_reference) == before:
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


@transaction.atomic
def api_token_create(*, actor: Any, user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for a filer; returns the secret once (only its digest is stored)."""
    if not user.has_perm("ports.file_entry"):
        raise PortsError("the user may not file entries")
    if actor != user and not getattr(actor, "is_staff", False):
        raise PortsError("only administrators may create tokens for others")
    secret = "s307_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100] or "API token", prefix=secret[:12], digest=photo.sha256(secret.encode())
    )
    audit_record(actor=actor, action="api_token.create", target=token, data={"user": user.get_username()})
    return token, secret
