"""Detentions API: the legal path of a detained shipment, under the same service rules as the screens.

* ``GET /detentions``, ``GET /detentions/{id}``: status, regime, order, clocks with their citation and
  deadline, the importer's packages, decisions, headquarters determinations, protest, timeline;
* ``POST /entries/{entry_number}/detention``: detain (order reference, reason);
* ``POST /detentions/{id}/decisions``: release, exclude, seize or export; ``409`` with ``rule``
  names the citation when the law does not allow it yet;
* ``POST /detentions/{id}/clocks/{kind}/extensions``: an agency extension; ``409`` with the citation
  for a statutory period;
* ``POST /detentions/{id}/protests``: the importer's protest of an exclusion.

Object rules are the pages': staff see every detention, a trade user only its organization's
(another organization's detention answers 404). Refusals are ``core.errors`` exceptions, answered
by the API's one set of handlers with ``core.api.ErrorOut``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema, Status
from pydantic import Field

from section307.core.api import choices, error_responses, lifecycle_rule
from section307.core.errors import NotFound, NotPermitted
from section307.core.types import Actor
from section307.ports import selectors, services
from section307.ports.api import router
from section307.ports.intake import normalise_entry_number
from section307.ports.models import Clock, Detention, DetentionDecision, Determination, Protest, Regime
from section307.ports.permissions import is_port_staff

# Other contexts list their packages on a detention: a callable (user, detention) -> list of dicts with
# "id", "kind", "status" (the importer portal registers one), and the statuses those packages take.
# Ports does not know them otherwise.
PACKAGE_PROVIDERS: list[Callable[[Any, Detention], list[dict[str, Any]]]] = []
PACKAGE_STATUSES: set[str] = set()

# "" lists every status.
DetentionStatus = Literal[("", *Detention.Status.values)]  # type: ignore[valid-type]
ClockKind = Literal[tuple(Clock.Kind.values)]  # type: ignore[valid-type]
# The rule a lifecycle refusal names when the state machine gives none.
LIFECYCLE_RULE = "detention lifecycle"


def _package_statuses(schema: dict[str, Any]) -> None:
    # Read when the schema is built, after the other apps have registered their statuses.
    schema["enum"] = sorted(PACKAGE_STATUSES)


class ClockExtensionOut(Schema):
    days: int
    approving_official: str
    reason: str
    granted_at: str


class DetentionClockOut(Schema):
    kind: str = Field(json_schema_extra=choices(Clock.Kind))
    label: str
    citation: str
    start_event: str
    start_date: str
    calendar: str
    statutory: bool = Field(description="Statutory and regulatory periods are never extended or suspended")
    due: str = Field(description="The deadline (ISO date), after agency extensions and suspensions")
    running: bool
    state: str = Field(description="running, soon due, overdue, suspended or stopped")
    stop_reason: str
    agency_extensions: list[ClockExtensionOut]


class DetentionPackageOut(Schema):
    id: int
    kind: str
    status: str = Field(json_schema_extra=_package_statuses)


class DetentionDecisionOut(Schema):
    outcome: str = Field(json_schema_extra=choices(DetentionDecision.Outcome))
    reason: str
    decided_at: str
    decided_by: str


class DeterminationOut(Schema):
    kind: str = Field(json_schema_extra=choices(Determination.Kind))
    outcome: str = Field(json_schema_extra=choices(Determination.Outcome))
    outcome_label: str
    status: str = Field(json_schema_extra=choices(Determination.Status))
    reasons: str
    effective_on: str | None


class ProtestOut(Schema):
    id: int
    filed_on: str
    status: str = Field(json_schema_extra=choices(Protest.Status))
    accelerated: bool
    grounds: str
    decided_on: str | None
    decision_reasons: str


class DetentionEventOut(Schema):
    kind: str
    occurred_at: str
    summary: str


class DetentionSummaryOut(Schema):
    id: int
    entry_number: str
    status: str = Field(json_schema_extra=choices(Detention.Status))
    regime: str = Field(json_schema_extra=choices(Regime))
    order: str
    notice_date: str


class DetentionDetailOut(DetentionSummaryOut):
    exclusion_date: str | None
    deemed_exclusion: bool
    proof_received_on: str | None
    proof_untimely: bool
    clocks: list[DetentionClockOut]
    packages: list[DetentionPackageOut]
    decisions: list[DetentionDecisionOut]
    determinations: list[DeterminationOut]
    protest: ProtestOut | None
    timeline: list[DetentionEventOut]


class DetainIn(Schema):
    reason: str = Field(min_length=1, max_length=4000)
    order_reference: str = Field("", max_length=40, description="The order (or presumption); default: the hit's")


class DetentionDecisionIn(Schema):
    decision: Literal["release", "exclude", "seize", "export"]
    reason: str = Field(min_length=1, max_length=4000)


class ClockExtensionIn(Schema):
    reason: str = Field(min_length=1, max_length=4000)
    approving_official: str = Field(min_length=1, max_length=200)


class ProtestIn(Schema):
    grounds: str = Field(min_length=1, max_length=20000)
    accelerated: bool = Field(False, description="Request accelerated disposition (19 U.S.C. 1515(b))")


WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 413, 422)


def _state(clock: Clock, row: Any) -> str:
    return row.state.label if clock.running else "stopped"


def _summary(d: Detention) -> dict[str, Any]:
    return {
        "id": d.pk,
        "entry_number": d.entry.entry_number,
        "status": d.status,
        "regime": d.regime,
        "order": d.order_reference,
        "notice_date": d.notice_date.isoformat(),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _detention_out(user: Actor, d: Detention) -> dict[str, Any]:
    protest = getattr(d.entry, "protest", None) if hasattr(d.entry, "protest") else None
    staff = is_port_staff(user)
    determinations = d.determinations.all()
    if not staff:
        determinations = determinations.filter(status=Determination.Status.EFFECTIVE)
    return {
        **_summary(d),
        "exclusion_date": _iso(d.exclusion_date),
        "deemed_exclusion": d.deemed_exclusion,
        "proof_received_on": _iso(d.proof_received_on),
        "proof_untimely": d.proof_untimely,
        "clocks": [
            {
                "kind": row.clock.kind,
                "label": row.clock.get_kind_display(),
                "citation": row.clock.citation,
                "start_event": row.clock.start_event,
                "start_date": row.clock.start_date.isoformat(),
                "calendar": row.clock.calendar,
                "statutory": row.clock.statutory,
                "due": row.state.due.isoformat(),
                "running": row.clock.running,
                "state": _state(row.clock, row),
                "stop_reason": row.clock.stop_reason,
                "agency_extensions": [
                    {
                        "days": e.days,
                        "approving_official": e.approving_official,
                        "reason": e.reason,
                        "granted_at": e.granted_at.isoformat(),
                    }
                    for e in row.clock.extensions.all()
                ],
            }
            for row in selectors.clock_rows(d)
        ],
        "packages": [p for provider in PACKAGE_PROVIDERS for p in provider(user, d)],
        "decisions": [_decision_out(x) for x in d.decisions.all()],
        "determinations": [
            {
                "kind": x.kind,
                "outcome": x.outcome,
                "outcome_label": x.outcome_label,
                "status": x.status,
                "reasons": x.reasons,
                "effective_on": _iso(x.effective_on),
            }
            for x in determinations
        ],
        "protest": (
            {
                "id": protest.pk,
                "filed_on": protest.filed_on.isoformat(),
                "status": protest.status,
                "accelerated": protest.accelerated,
                "grounds": protest.grounds,
                "decided_on": _iso(protest.decided_on),
                "decision_reasons": protest.decision_reasons,
            }
            if protest is not None
            else None
        ),
        "timeline": [
            {"kind": ev.kind, "occurred_at": ev.occurred_at.isoformat(), "summary": ev.summary}
            for ev in selectors.entry_timeline(user=user, entry=d.entry)
        ],
    }


def _get(user: Actor, detention_id: int) -> Detention:
    detention = selectors.detention_get(user=user, pk=detention_id)
    if detention is None:
        raise NotFound("no such detention")
    return detention


def _decision_out(decision: DetentionDecision) -> dict[str, Any]:
    return {
        "outcome": decision.outcome,
        "reason": decision.reason,
        "decided_at": decision.decided_at.isoformat(),
        "decided_by": str(decision.decided_by or "system"),
    }


@router.get(
    "/detentions",
    response={200: list[DetentionSummaryOut], **error_responses(400, 401, 403, 422)},
    tags=["detentions"],
    summary="Detentions the caller may see (a trade user: its organization's), newest first",
)
def detentions_list(request: HttpRequest, status: DetentionStatus = "") -> Any:
    qs = selectors.detention_list(user=request.user).select_related("entry")
    if status:
        qs = qs.filter(status=status)
    return [_summary(d) for d in qs[:500]]


@router.get(
    "/detentions/{detention_id}",
    response={200: DetentionDetailOut, **error_responses(400, 401, 403, 404)},
    tags=["detentions"],
    summary="A detention with its clocks (citation, deadline), packages, decisions, protest and timeline",
)
def detention_read(request: HttpRequest, detention_id: int) -> Any:
    return _detention_out(request.user, _get(request.user, detention_id))


@router.post(
    "/entries/{entry_number}/detention",
    response={201: DetentionDetailOut, **WRITE_ERRORS},
    tags=["detentions"],
    summary="Detain an entry under an order (default: the order its screening hit)",
)
def entry_detain(request: HttpRequest, entry_number: str, payload: DetainIn) -> Any:
    user = request.user
    if not user.has_perm("ports.target_entry"):
        raise NotPermitted("this account may not detain entries")
    entry = selectors.entry_get(user=user, entry_number=normalise_entry_number(entry_number) or entry_number)
    if entry is None:
        raise NotFound("no such entry")
    with lifecycle_rule(LIFECYCLE_RULE):
        detention = services.entry_detain(
            actor=user, entry=entry, reason=payload.reason, order_reference=payload.order_reference
        )
    return Status(201, _detention_out(user, _get(user, detention.pk)))


@router.post(
    "/detentions/{detention_id}/decisions",
    response={201: DetentionDecisionOut, **WRITE_ERRORS},
    tags=["detentions"],
    summary="Carry out a decision; 409 names the rule (citation) when the law does not allow it yet",
)
def detention_decide(request: HttpRequest, detention_id: int, payload: DetentionDecisionIn) -> Any:
    user = request.user
    detention = _get(user, detention_id)
    if not user.has_perm("ports.decide_detention"):
        raise NotPermitted("only port officers record decisions")
    with lifecycle_rule(LIFECYCLE_RULE):
        decision = services.detention_decide(
            actor=user, detention=detention, outcome=payload.decision, reason=payload.reason
        )
    return Status(201, _decision_out(decision))


@router.post(
    "/detentions/{detention_id}/clocks/{kind}/extensions",
    response={201: DetentionClockOut, **WRITE_ERRORS},
    tags=["detentions"],
    summary="Record an agency extension; 409 with the citation for a statutory period",
)
def clock_extend(request: HttpRequest, detention_id: int, kind: ClockKind, payload: ClockExtensionIn) -> Any:  # type: ignore[valid-type]
    user = request.user
    detention = _get(user, detention_id)
    clock = detention.clocks.filter(kind=kind).first()
    if clock is None:
        raise NotFound(f"no {kind!r} clock on this detention", field="kind")
    services.clock_extend(actor=user, clock=clock, reason=payload.reason, approving_official=payload.approving_official)
    out = _detention_out(user, detention)
    return Status(201, next(c for c in out["clocks"] if c["kind"] == kind))


@router.post(
    "/detentions/{detention_id}/protests",
    response={201: ProtestOut, **WRITE_ERRORS},
    tags=["detentions"],
    summary="Protest an exclusion or deemed exclusion within 180 days (19 U.S.C. 1514); one per entry",
)
def protest_file(request: HttpRequest, detention_id: int, payload: ProtestIn) -> Any:
    user = request.user
    protest = services.protest_file(
        actor=user,
        detention=_get(user, detention_id),
        grounds=payload.grounds,
        accelerated=payload.accelerated,
        today=timezone.localdate(),
    )
    return Status(
        201,
        {
            "id": protest.pk,
            "filed_on": protest.filed_on.isoformat(),
            "status": protest.status,
            "accelerated": protest.accelerated,
            "grounds": protest.grounds,
            "decided_on": None,
            "decision_reasons": "",
        },
    )
