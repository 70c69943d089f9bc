"""Due-diligence API: the self-assessment (versions, answers, submission) and remediation plans.

Same rules as the pages (docs/supplychain.md, "Due diligence"): an organization's trade users answer
its assessment and keep its plans; analysts, supervisors, port officers and headquarters reviewers read
every organization's. Another organization's assessment or plan answers 404. The checks are in
``diligence_services``; these operations only translate JSON to its calls.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import SessionAuth

from section307.core.api import choices, error_responses
from section307.core.types import Actor
from section307.ports.api import TokenAuth
from section307.supplychain import diligence_services as ds
from section307.supplychain.diligence import ELEMENTS, AnswerStatus
from section307.supplychain.models import Assessment, AssessmentAnswer, Milestone, RemediationPlan

router = Router(tags=["due diligence"], auth=[TokenAuth(), SessionAuth()])

ELEMENT_CODES = [e.code for e in ELEMENTS]


def _reader(request: HttpRequest) -> Actor:
    actor: Actor = request.user
    ds.require_reader(actor)
    return actor


# ------------------------------------------------------------------------------- schemas


class DocumentOut(Schema):
    name: str
    content_type: str
    size: int | None
    sha256: str


class AnswerOut(Schema):
    element: str = Field(json_schema_extra=choices(ELEMENT_CODES))
    label: str
    source: str = Field(description="CBP's elements or the OECD guidance's steps")
    answered: bool = Field(description="False for an element not answered yet (counted as not started)")
    status: str = Field(json_schema_extra=choices(AnswerStatus))
    narrative: str
    map: int | None = Field(description="Evidence: one of the organization's supplier maps")
    evidence: int | None = Field(description="Evidence: one of its traceability documents")
    document: DocumentOut | None = Field(description="Evidence: an uploaded document (upload on the page)")
    has_evidence: bool


class AssessmentSummaryOut(Schema):
    id: int
    organization: str
    version: int
    status: str = Field(json_schema_extra=choices(Assessment.Status))
    score: int = Field(description="Percentage, rounded down (docs/supplychain.md, Score)")
    submitted_at: dt.datetime | None


class AssessmentOut(AssessmentSummaryOut):
    answers: list[AnswerOut] = Field(description="One per element, in the order of the element list")


class AnswerIn(Schema):
    status: Literal["not_started", "partial", "in_place"]
    narrative: str = Field("", max_length=10_000)
    map: int | None = Field(None, description="One of your organization's supplier maps")
    evidence: int | None = Field(None, description="One of your organization's traceability documents")


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: dt.date
    status: str = Field(json_schema_extra=choices(Milestone.Status))
    overdue: bool
    done_at: dt.datetime | None
    note: str


class PlanSummaryOut(Schema):
    id: int
    organization: str
    title: str
    status: str = Field(json_schema_extra=choices(RemediationPlan.Status))
    map: int | None
    node: int | None
    detention: int | None
    created_at: dt.datetime
    closed_at: dt.datetime | None


class PlanOut(PlanSummaryOut):
    description: str
    outcome_note: str
    milestones: list[MilestoneOut]


class PlanIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    map: int | None = Field(None, description="One of your organization's supplier maps")
    node: int | None = Field(None, description="A supplier (node) on one of your maps, typically the risky one")
    detention: int | None = Field(None, description="A detention of one of your organization's entries")


class MilestoneIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    due_date: dt.date


class MilestoneDoneIn(Schema):
    note: str = Field("", max_length=500)


class OutcomeIn(Schema):
    outcome: Literal["remediate", "not_remediated", "abandon"] = Field(
        description="remediate (every milestone done), not_remediated or abandon"
    )
    note: str = Field(min_length=1, max_length=10_000, description="What the outcome was")


# ------------------------------------------------------------------------------- output


def _summary(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "organization": a.organization.name,
        "version": a.version,
        "status": a.status,
        "score": a.score,
        "submitted_at": a.submitted_at,
    }


def _answer(answer: AssessmentAnswer) -> dict[str, Any]:
    info = answer.element_info
    return {
        "element": answer.element,
        "label": str(info.label),
        "source": info.source,
        "answered": answer.pk is not None,
        "status": answer.status,
        "narrative": answer.narrative,
        "map": answer.map_id,
        "evidence": answer.evidence_id,
        "document": {
            "name": answer.original_name,
            "content_type": answer.content_type,
            "size": answer.size,
            "sha256": answer.sha256,
        }
        if answer.sha256
        else None,
        "has_evidence": answer.has_evidence,
    }


def assessment_out(a: Assessment) -> dict[str, Any]:
    return {**_summary(a), "answers": [_answer(x) for x in ds.answers_by_element(a)]}


def _plan_summary(p: RemediationPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "organization": p.organization.name,
        "title": p.title,
        "status": p.status,
        "map": p.map_id,
        "node": p.node_id,
        "detention": p.detention_id,
        "created_at": p.created_at,
        "closed_at": p.closed_at,
    }


def plan_out(p: RemediationPlan) -> dict[str, Any]:
    return {
        **_plan_summary(p),
        "description": p.description,
        "outcome_note": p.outcome_note,
        "milestones": [
            {
                "id": m.pk,
                "title": m.title,
                "due_date": m.due_date,
                "status": m.status,
                "overdue": m.overdue,
                "done_at": m.done_at,
                "note": m.note,
            }
            for m in p.milestones.all()
        ],
    }


# ------------------------------------------------------------------------------- assessments


@router.get(
    "/due-diligence/assessments",
    response={200: list[AssessmentSummaryOut], **error_responses(401, 403)},
    summary="The due-diligence assessments you may read (your organization's, or every one for staff)",
)
def assessments_list(request: HttpRequest) -> Any:
    actor = _reader(request)
    return Status(
        200, [_summary(a) for a in ds.assessments_visible_to(actor).order_by("organization__name", "-version")[:500]]
    )


@router.post(
    "/due-diligence/assessments",
    response={200: AssessmentOut, **error_responses(401, 403)},
    summary="Your organization's draft assessment, opened when there is none (answers of the latest version copied)",
)
def assessment_draft(request: HttpRequest) -> Any:
    return Status(200, assessment_out(ds.assessment_draft(actor=request.user)))


@router.get(
    "/due-diligence/assessments/{assessment_id}",
    response={200: AssessmentOut, **error_responses(400, 401, 403, 404)},
    summary="One assessment version: its score and the answer to each element",
)
def assessment_read(request: HttpRequest, assessment_id: int) -> Any:
    actor = _reader(request)
    return Status(200, assessment_out(ds.assessment_get(actor=actor, pk=assessment_id)))


@router.put(
    "/due-diligence/assessments/{assessment_id}/answers/{element}",
    response={200: AssessmentOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    summary="Answer one element of the draft (status, narrative, a map or traceability document as evidence)",
)
def assessment_answer(request: HttpRequest, assessment_id: int, element: str, payload: AnswerIn) -> Any:
    actor = _reader(request)
    assessment = ds.assessment_get(actor=actor, pk=assessment_id)
    ds.answer_save(
        actor=actor,
        assessment=assessment,
        element=element,
        status=payload.status,
        narrative=payload.narrative,
        map_id=payload.map,
        evidence_id=payload.evidence,
    )
    assessment.refresh_from_db()
    return Status(200, assessment_out(assessment))


@router.post(
    "/due-diligence/assessments/{assessment_id}/submit",
    response={200: AssessmentOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Submit the draft: the version is scored, dated and never changes again",
)
def assessment_submit(request: HttpRequest, assessment_id: int) -> Any:
    actor = _reader(request)
    assessment = ds.assessment_submit(actor=actor, assessment=ds.assessment_get(actor=actor, pk=assessment_id))
    return Status(200, assessment_out(assessment))


# ------------------------------------------------------------------------------- remediation plans


@router.get(
    "/due-diligence/plans",
    response={200: list[PlanSummaryOut], **error_responses(400, 401, 403, 422)},
    summary="The remediation plans you may read",
)
def plans_list(
    request: HttpRequest, status: Literal["", "open", "remediated", "not_remediated", "abandoned"] = ""
) -> Any:
    actor = _reader(request)
    qs = ds.plans_visible_to(actor)
    if status:
        qs = qs.filter(status=status)
    return Status(200, [_plan_summary(p) for p in qs[:500]])


@router.post(
    "/due-diligence/plans",
    response={201: PlanOut, **error_responses(400, 401, 403, 413, 422)},
    summary="A remediation plan for a risky supplier, a map or a detention of your organization",
)
def plan_create(request: HttpRequest, payload: PlanIn) -> Any:
    plan = ds.plan_create(
        actor=request.user,
        title=payload.title,
        description=payload.description,
        map_id=payload.map,
        node_id=payload.node,
        detention_id=payload.detention,
    )
    return Status(201, plan_out(plan))


@router.get(
    "/due-diligence/plans/{plan_id}",
    response={200: PlanOut, **error_responses(400, 401, 403, 404)},
    summary="One remediation plan with its milestones and outcome",
)
def plan_read(request: HttpRequest, plan_id: int) -> Any:
    actor = _reader(request)
    return Status(200, plan_out(ds.plan_get(actor=actor, pk=plan_id)))


@router.post(
    "/due-diligence/plans/{plan_id}/milestones",
    response={201: PlanOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    summary="Add a milestone to an open plan",
)
def plan_milestone_add(request: HttpRequest, plan_id: int, payload: MilestoneIn) -> Any:
    actor = _reader(request)
    plan = ds.plan_get(actor=actor, pk=plan_id)
    ds.milestone_add(actor=actor, plan=plan, title=payload.title, due_date=payload.due_date)
    return Status(201, plan_out(plan))


@router.post(
    "/due-diligence/plans/{plan_id}/milestones/{milestone_id}/done",
    response={200: PlanOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    summary="Mark a milestone of an open plan done",
)
def plan_milestone_done(request: HttpRequest, plan_id: int, milestone_id: int, payload: MilestoneDoneIn) -> Any:
    actor = _reader(request)
    plan = ds.plan_get(actor=actor, pk=plan_id)
    ds.milestone_complete(actor=actor, milestone=ds.milestone_get(plan=plan, pk=milestone_id), note=payload.note)
    return Status(200, plan_out(plan))


@router.post(
    "/due-diligence/plans/{plan_id}/outcome",
    response={200: PlanOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    summary="Record the plan's outcome: remediated (every milestone done), not remediated or abandoned",
)
def plan_outcome(request: HttpRequest, plan_id: int, payload: OutcomeIn) -> Any:
    actor = _reader(request)
    plan = ds.plan_close(
        actor=actor, plan=ds.plan_get(actor=actor, pk=plan_id), transition=payload.outcome, note=payload.note
    )
    return Status(200, plan_out(plan))
