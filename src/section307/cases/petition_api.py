"""Petitions API: file and read modification and revocation petitions, and decide them (headquarters).

Authentication: a bearer token or a signed-in session, as for the entries API. The same rules as
the pages: the services decide who may file and decide, the selectors what each caller sees.
Refusals are ``core.errors`` exceptions answered by the API's handlers with ``core.api.ErrorOut``
(403, 404, 409 with ``rule``, 422).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status
from ninja.security import SessionAuth
from pydantic import WithJsonSchema

from section307.cases import selectors, services
from section307.cases.ilo import Indicator
from section307.cases.models import OrderChangeRequest
from section307.core.api import choices, error_responses, lifecycle_rule
from section307.core.errors import NotFound
from section307.core.types import Actor
from section307.orders.models import EnforcementOrder, OrderSource
from section307.ports.api import TokenAuth

router = Router(tags=["petitions"], auth=[TokenAuth(), SessionAuth()])

IndicatorKey = Literal[tuple(Indicator.values)]  # type: ignore[valid-type]
FindingValue = Literal[tuple(OrderChangeRequest.Finding.values)]  # type: ignore[valid-type]
LongText = Annotated[str, Field(max_length=20000)]
Note = Annotated[str, Field(max_length=4000)]
# The rule a state refusal names when the petition lifecycle gives none.
LIFECYCLE_RULE = "petition lifecycle"
# Documented as a number (a string of digits is accepted as well), cents at most.
Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=2),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 999999999999.99}),
]


class EvidenceIn(Schema):
    indicator_responses: dict[IndicatorKey, Note] = Field(  # type: ignore[valid-type]
        default_factory=dict, description="Per ILO indicator: how it was refuted or remediated"
    )
    policies: LongText = ""
    audit_firm: str = Field("", max_length=200)
    audit_date: dt.date | None = None
    audit_unannounced: bool = False
    audit_summary: LongText = ""
    supply_chain_map: LongText = ""
    remediation: LongText = ""
    remediation_amount_usd: Money | None = None
    remediation_workers: int | None = Field(None, ge=0, lt=2**31)


class PetitionIn(Schema):
    order: str = Field(..., min_length=1, max_length=40, description="The order's reference")
    kind: Literal["modify", "revoke"]
    ground: Literal["not_made", "no_longer_made", "not_imported"] = "no_longer_made"
    grounds: str = Field(..., min_length=1, max_length=20000, description="The facts and documents offered")
    proposed_merchandise: str = Field("", max_length=4000)
    proposed_remove_party_ids: list[Annotated[int, Field(ge=1, lt=2**63)]] = Field([], max_length=500)
    requester_name: str = Field("", max_length=200)
    evidence: EvidenceIn = Field(default_factory=EvidenceIn)  # type: ignore[arg-type]


class PetitionDecisionIn(Schema):
    decision: Literal["modify", "revoke", "deny"]
    note: str = Field(..., min_length=1, max_length=4000)
    findings: dict[IndicatorKey, FindingValue] = Field(  # type: ignore[valid-type]
        default_factory=dict, description="Headquarters' finding per identified ILO indicator"
    )


class PetitionOut(Schema):
    id: int
    order: str
    order_source: str = Field(json_schema_extra=choices(OrderSource))
    kind: str = Field(json_schema_extra=choices(OrderChangeRequest.Kind))
    ground: str = Field(json_schema_extra=choices(OrderChangeRequest.Ground))
    status: str = Field(json_schema_extra=choices(OrderChangeRequest.Status))
    filed_via: str = Field(json_schema_extra=choices(OrderChangeRequest.Channel))
    petitioner: str
    organization: str | None
    filed_at: dt.datetime
    indicators: list[str] = Field(json_schema_extra={"items": {"type": "string", **choices(Indicator)}})
    indicator_responses: dict[str, str]
    indicator_findings: dict[str, str]
    info_question: str
    info_due_date: dt.date | None
    decided_at: dt.datetime | None
    decision_note: str
    detained_entries: list[str]


def _out(p: OrderChangeRequest) -> dict[str, Any]:
    return {
        "id": p.pk,
        "order": p.order.reference,
        "order_source": p.order.source,
        "kind": p.kind,
        "ground": p.ground,
        "status": p.status,
        "filed_via": p.filed_via,
        "petitioner": p.requester_name,
        "organization": p.organization.name if p.organization else None,
        "filed_at": p.created_at,
        "indicators": list(p.indicators),
        "indicator_responses": dict(p.indicator_responses),
        "indicator_findings": dict(p.indicator_findings),
        "info_question": p.info_question,
        "info_due_date": p.info_due_date,
        "decided_at": p.decided_at,
        "decision_note": p.decision_note,
        "detained_entries": list(p.detained_entries),
    }


ERRORS = error_responses(400, 401, 403, 404, 409, 413, 422)


def _petition(user: Actor, petition_id: int) -> OrderChangeRequest:
    petition = selectors.petition_get(user=user, pk=petition_id)
    if petition is None:
        raise NotFound(gettext("No such petition."))
    return petition


@router.get(
    "/petitions",
    response={200: list[PetitionOut], **error_responses(400, 401, 403, 422)},
    summary="Petitions the caller may see",
)
def petition_list(request: HttpRequest, open_only: bool = False) -> Any:
    return [_out(r.petition) for r in selectors.petition_queue(user=request.user, open_only=open_only)]


@router.post("/petitions", response={201: PetitionOut, **ERRORS}, summary="File a modification or revocation petition")
def petition_create(request: HttpRequest, body: PetitionIn) -> Any:
    order = EnforcementOrder.objects.filter(reference=body.order.strip()).first()
    if order is None:
        raise NotFound(gettext("No order with this reference."), field="order")
    petition = services.petition_file(
        actor=request.user,
        order=order,
        kind=body.kind,
        ground=body.ground,
        grounds=body.grounds,
        proposed_merchandise=body.proposed_merchandise,
        proposed_remove_party_ids=body.proposed_remove_party_ids,
        requester_name=body.requester_name,
        evidence=services.PetitionEvidence(**body.evidence.dict()),
    )
    return Status(201, _out(petition))


@router.get(
    "/petitions/{petition_id}",
    response={200: PetitionOut, **error_responses(400, 401, 403, 404)},
    summary="One petition",
)
def petition_detail(request: HttpRequest, petition_id: int) -> Any:
    return _out(_petition(request.user, petition_id))


@router.post(
    "/petitions/{petition_id}/decision",
    response={200: PetitionOut, **ERRORS},
    summary="Decide a petition (headquarters forced-labor reviewer); 409 names the rule when it cannot be granted",
)
def petition_decision(request: HttpRequest, petition_id: int, body: PetitionDecisionIn) -> Any:
    petition = _petition(request.user, petition_id)
    with lifecycle_rule(LIFECYCLE_RULE):
        decided = services.petition_decide(
            actor=request.user, petition=petition, decision=body.decision, note=body.note, findings=dict(body.findings)
        )
    return _out(decided)
