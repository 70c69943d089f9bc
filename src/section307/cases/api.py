"""Read API for cases (signed-in session): the same object-level rules as the pages; every read is audited."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from section307.cases import selectors, services
from section307.cases.ilo import Indicator
from section307.cases.models import Case, Phase
from section307.core.api import choices, error_responses
from section307.core.errors import NotFound, NotPermitted

router = Router(tags=["cases"], auth=django_auth)


class CaseOut(Schema):
    reference: str
    title: str
    phase: str = Field(json_schema_extra=choices(Phase))
    priority: str = Field(json_schema_extra=choices(Case.Priority))
    risk_rating: str = Field(json_schema_extra=choices(Case.Risk, blank=True))
    owner: str
    open_tasks: int


class IndicatorOut(Schema):
    indicator: str = Field(json_schema_extra=choices(Indicator))
    label: str
    substantiated: bool
    basis: str
    elements: list[str]
    evidence_count: int


class CaseDetailOut(CaseOut):
    summary: str
    parties: list[dict[str, object]]
    goods: list[str]
    countries: list[str]
    orders: list[str]
    ilo: list[IndicatorOut]
    involuntariness_shown: bool
    penalty_shown: bool


class CaseFilters(Schema):
    phase: Phase | Literal["open", ""] = Field("open", description="A phase, open (every phase but closed) or all")
    q: str = Field("", max_length=200)


@router.get(
    "/cases",
    response={200: list[CaseOut], **error_responses(400, 401, 403, 422)},
    summary="Cases the signed-in user may see",
)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> list[dict[str, object]]:
    if not request.user.has_perm("cases.view_case"):
        raise NotPermitted("No access to cases")
    cases = selectors.case_list(user=request.user, phase=str(filters.phase), query=filters.q)[:500]
    return [
        {
            "reference": c.reference,
            "title": c.title,
            "phase": c.phase,
            "priority": c.priority,
            "risk_rating": c.risk_rating,
            "owner": c.owner.username,
            "open_tasks": c.open_tasks,  # type: ignore[attr-defined]
        }
        for c in cases
    ]


@router.get(
    "/cases/{reference}",
    response={200: CaseDetailOut, **error_responses(400, 401, 403, 404)},
    summary="One case with its scope and ILO summary",
)
def get_case(request: HttpRequest, reference: str) -> dict[str, object]:
    case = selectors.case_for(user=request.user, reference=reference)
    if case is None:
        raise NotFound("No such case")
    services.case_view_record(actor=request.user, case=case, view="api")
    summary = selectors.ilo_summary(case=case)
    return {
        "reference": case.reference,
        "title": case.title,
        "phase": case.phase,
        "priority": case.priority,
        "risk_rating": case.risk_rating,
        "owner": case.owner.username,
        "open_tasks": case.tasks.filter(status="open").count(),
        "summary": case.summary,
        "parties": [
            {"name": cp.party.name, "role": cp.role, "tier": cp.tier, "target": cp.is_target}
            for cp in case.case_parties.select_related("party")
        ],
        "goods": [g.name for g in case.goods.all()],
        "countries": [c.code for c in case.countries.all()],
        "orders": [p.order.reference for p in case.proposals.select_related("order") if p.order],
        "ilo": [
            {
                "indicator": r.indicator,
                "label": r.label,
                "substantiated": r.substantiated,
                "basis": r.basis,
                "elements": sorted(r.elements),
                "evidence_count": r.evidence_count,
            }
            for r in summary.rows
        ],
        "involuntariness_shown": summary.involuntariness_shown,
        "penalty_shown": summary.penalty_shown,
    }
