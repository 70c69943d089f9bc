"""section307.ports.services: headquarters determinations."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from section307.core.audit import audit_record
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.types import Actor
from section307.ports import law
from section307.ports.models import (
    Clock,
    Detention,
    Determination,
    Notice,
    Protest,
    Regime,
)
from section307.ports.services import decisions as _decisions
from section307.ports.services import notices as _notices
from section307.ports.services import protests as _protests
from section307.ports.services import targeting as _targeting
from section307.ports.services._base import _user, timeline_add
from section307.ports.signals import determination_effective

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


def _reviewer(actor: Actor) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm("ports.review_detention")):
        raise NotPermitted(gettext("only headquarters reviewers make determinations"))


def _check_test(kind: str, outcome: str, conditions: dict[str, bool]) -> dict[str, bool]:
    if kind not in TESTS:
        return {}
    rule, items = TESTS[kind]
    found = {key: bool(conditions.get(key)) for key, _ in items}
    if outcome == Determination.Outcome.GRANTED and not all(found.values()):
        missing = "; ".join(label for key, label in items if not found[key])
        raise Conflict(
            gettext("an exception is granted only when every condition is met; not met: %(missing)s")
            % {"missing": missing},
            rule=rule,
        )
    if outcome == Determination.Outcome.DENIED and all(found.values()):
        raise Conflict(gettext("every condition of the exception is met: it cannot be denied"), rule=rule)
    return found


@transaction.atomic
def determination_propose(
    *,
    actor: Actor,
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
        raise InvalidInput(gettext("give the reasons for the determination"), field="reasons")
    if kind not in DK.values:
        raise InvalidInput(gettext("choose what is being determined"), field="kind")
    if outcome not in Determination.Outcome.values:
        raise InvalidInput(gettext("choose the outcome"), field="outcome")
    detention = _decisions._lock_detention(detention)
    if kind == DK.PROTEST:
        if protest is not None and protest.detention_id == detention.pk:
            _protests.protest_check_decidable(protest, timezone.localdate())
        if protest is None or protest.detention_id != detention.pk or not protest.is_pending:
            raise Conflict(gettext("there is no pending protest on this detention"), rule="19 U.S.C. 1515(a)")
    else:
        if kind not in KINDS_FOR_REGIME[detention.regime]:
            raise InvalidInput(
                gettext("a %(label)s does not apply to a %(regime)s detention")
                % {"label": DK(kind).label, "regime": detention.get_regime_display()},
                field="kind",
            )
        if detention.status not in (
            Detention.Status.DETAINED,
            Detention.Status.UNDER_REVIEW,
            Detention.Status.EXCLUDED,
        ):
            raise Conflict(
                gettext("the detention is %(value)s") % {"value": detention.get_status_display().lower()},
                rule="19 CFR 12.44",
            )
    found = _check_test(kind, outcome, conditions or {})
    open_same = Determination.objects.filter(
        detention=detention, kind=kind, status=Determination.Status.AWAITING_CONCURRENCE
    )
    if protest is not None:
        open_same = open_same.filter(protest=protest)
    if open_same.exists():
        raise Conflict(gettext("a determination of this kind already awaits concurrence"), rule="two-person review")
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
        summary=gettext("Headquarters: %(kind)s proposed (%(outcome_label)s), awaiting a second reviewer")
        % {"kind": determination.get_kind_display(), "outcome_label": determination.outcome_label},
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
def determination_concur(*, actor: Actor, determination: Determination, note: str = "") -> Determination:
    """A second reviewer (never the proposer) concurs: the determination takes effect, flows to the port
    (which carries it out) and to the importer (a notice)."""
    _reviewer(actor)
    determination = _lock_determination(determination)
    if determination.status != Determination.Status.AWAITING_CONCURRENCE:
        raise Conflict(gettext("the determination does not await concurrence"), rule="two-person review")
    if determination.proposed_by_id == getattr(actor, "pk", None):
        raise Conflict(
            gettext("the concurrence must come from a second reviewer, not the proposer"), rule="two-person review"
        )
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
        report = _targeting.clock_start(entry=entry, detention=detention, kind=law.CONGRESS_REPORT, start=today)
        extra = f" The report to Congress and the public is due by {report.due_date:%Y-%m-%d} (UFLPA sec. 3(c))."
    if determination.kind == DK.PROTEST:
        extra = _protests._protest_close(determination, today)
    summary = f"Headquarters determination: {determination.get_kind_display()}: {determination.outcome_label}."
    timeline_add(
        entry=entry,
        kind="hq.effective",
        summary=gettext("%(summary)s Reasons: %(reasons)s%(extra)s")
        % {"summary": summary, "reasons": determination.reasons, "extra": extra},
        actor=actor,
        data={"determination": determination.pk},
        shared=True,
    )
    audit_record(actor=actor, action="determination.concur", target=determination, data={"note": note})
    if entry.organization is not None:
        _notices.notice_create(
            organization=entry.organization,
            entry=entry,
            kind=Notice.Kind.DECISION,
            subject=gettext("Headquarters determination on entry %(entry_number)s: %(outcome_label)s")
            % {"entry_number": entry.entry_number, "outcome_label": determination.outcome_label},
            body=f"{summary}\n\nReasons: {determination.reasons}\n{extra}\n\n"
            "The port of entry carries out the determination.".strip(),
        )
    determination_effective.send(sender=Determination, determination=determination, actor=actor)
    return determination


@transaction.atomic
def determination_return(*, actor: Actor, determination: Determination, note: str) -> Determination:
    """The second reviewer does not concur: the determination never takes effect; a new one may be proposed."""
    _reviewer(actor)
    note = (note or "").strip()
    if not note:
        raise InvalidInput(gettext("say why you do not concur"), field="note")
    determination = _lock_determination(determination)
    if determination.status != Determination.Status.AWAITING_CONCURRENCE:
        raise Conflict(gettext("the determination does not await concurrence"), rule="two-person review")
    if determination.proposed_by_id == getattr(actor, "pk", None):
        raise Conflict(gettext("the proposer cannot act as the second reviewer"), rule="two-person review")
    determination.status = Determination.Status.RETURNED
    determination.concurred_by = _user(actor)
    determination.concurred_at = timezone.now()
    determination.concurrence_note = note
    determination.save()
    audit_record(actor=actor, action="determination.return", target=determination, data={"note": note})
    return determination


@transaction.atomic
def congress_report_record(*, actor: Actor, detention: Detention, on: dt.date | None = None) -> Clock:
    """Headquarters submitted the UFLPA sec. 3(c) report on a granted exception."""
    _reviewer(actor)
    clock = Clock.objects.select_for_update().filter(detention=detention, kind=law.CONGRESS_REPORT).first()
    if clock is None or not clock.running:
        raise Conflict(gettext("no report is due on this detention"), rule="UFLPA sec. 3(c)")
    on = on or timezone.localdate()
    late = " (after the 30 days)" if on > clock.due_date else ""
    clock.running = False
    clock.stopped_at = timezone.now()
    clock.stop_reason = f"report submitted on {on:%Y-%m-%d}{late}"[:200]
    clock.save(update_fields=["running", "stopped_at", "stop_reason"])
    audit_record(actor=actor, action="determination.report", target=clock, data={"on": on.isoformat()})
    return clock
