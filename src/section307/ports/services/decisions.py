"""section307.ports.services: decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.core.audit import audit_record
from section307.core.errors import Conflict, InvalidInput
from section307.core.types import Actor
from section307.ports import disposition, law
from section307.ports.calendars import business_calendar
from section307.ports.lifecycle import DETENTION_LIFECYCLE, ENTRY_STATUS_FOR_DETENTION
from section307.ports.models import (
    Clock,
    Detention,
    DetentionDecision,
    Determination,
    Notice,
    Protest,
)
from section307.ports.services import clocks as _clocks
from section307.ports.services import notices as _notices
from section307.ports.services import targeting as _targeting
from section307.ports.services._base import PortsError, _user, timeline_add
from section307.ports.signals import detention_decided

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
    return _targeting.clock_state(clock, today=today, business=business).due if clock is not None else None


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
    *, actor: Actor | None, detention: Detention, outcome: str, reason: str, today: dt.date | None = None
) -> DetentionDecision:
    """Carry out a decision (release, exclusion, export under supervision, seizure, abandonment) with a
    written reason, when the law allows it now: a premature decision is refused with ``Conflict`` naming
    the rule (see ``ports.disposition``)."""
    reason = _targeting._require_reason(reason)
    if outcome not in _OUTCOME_TRANSITION:
        raise InvalidInput(gettext("unknown outcome %(outcome)r") % {"outcome": outcome}, field="decision")
    detention = _lock_detention(detention)
    today = today or timezone.localdate()
    step = DETENTION_LIFECYCLE.check(
        _OUTCOME_TRANSITION[DetentionDecision.Outcome(outcome)], state=detention.status, actor=actor
    )
    refused = disposition.block(outcome, disposition_facts(detention, today=today))
    if refused is not None:
        raise Conflict(
            gettext("%(label)s is not allowed yet: %(reason)s")
            % {"label": DetentionDecision.Outcome(outcome).label, "reason": refused.reason},
            rule=refused.rule,
        )
    return _record_decision(actor=actor, detention=detention, outcome=outcome, reason=reason, today=today, step=step)


def _record_decision(
    *,
    actor: Actor | None,
    detention: Detention,
    outcome: str,
    reason: str,
    today: dt.date,
    step: Any,
    deemed: bool = False,
) -> DetentionDecision:
    previous = detention.status
    detention.status = step.target
    detention.decided_at = timezone.now()
    fields = ["status", "decided_at", "updated_at"]
    _clocks._stop_clocks(detention, f"decision: {outcome}")
    extra = ""
    if outcome == DetentionDecision.Outcome.EXCLUDE:
        detention.exclusion_date = today
        detention.deemed_exclusion = deemed
        fields += ["exclusion_date", "deemed_exclusion"]
        # Export within 60 days or the goods are abandoned (12.44(a)); a protest may be filed within 180 (1514).
        abandon = _targeting.clock_start(entry=detention.entry, detention=detention, kind=law.ABANDONMENT, start=today)
        protest = _targeting.clock_start(
            entry=detention.entry, detention=detention, kind=law.PROTEST_FILING, start=today
        )
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
        _notices.notice_create(
            organization=entry.organization,
            entry=entry,
            kind=Notice.Kind.DECISION,
            subject=gettext("Decision on entry %(entry_number)s: %(label)s")
            % {"entry_number": entry.entry_number, "label": label},
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
        state = _targeting.clock_state(clock, today=today, business=business)
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
def detention_mark_submitted(*, actor: Actor, detention: Detention, summary: str) -> Detention:
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
def detention_elect_export(*, actor: Actor, detention: Detention, note: str = "") -> Detention:
    """The importer elects to export the goods instead of proving admissibility."""
    from section307.ports.permissions import acting_for, can_act_for_detention

    detention = (
        Detention.objects.select_for_update(of=("self",)).select_related("entry__organization").get(pk=detention.pk)
    )
    if not can_act_for_detention(actor, detention):
        raise PortsError(gettext("only the importer of record (or its broker) may elect to export"))
    if detention.status not in (Detention.Status.DETAINED, Detention.Status.UNDER_REVIEW, Detention.Status.EXCLUDED):
        raise PortsError(gettext("the goods can no longer be exported"))
    if detention.export_elected_at is not None:
        raise PortsError(gettext("export has already been elected"))
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
        if _targeting.clock_state(clock, today=today).overdue:
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
