"""Pages of the due-diligence self-assessment and remediation plans (importer portal; staff read)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from section307.core.errors import ServiceError
from section307.core.forms import service_error_message
from section307.core.storedfiles import stored_file_response
from section307.core.types import Actor
from section307.core.uploads import read_limited
from section307.ports.permissions import is_trade_user
from section307.supplychain import diligence_services as ds
from section307.supplychain.diligence import ELEMENTS, AnswerStatus
from section307.supplychain.lifecycle import REMEDIATION_PLAN
from section307.supplychain.models import AssessmentAnswer, Evidence, Milestone, RemediationPlan, SupplyChainMap
from section307.supplychain.permissions import reads_all


def _reader(request: HttpRequest) -> None:
    if not (is_trade_user(request.user) or reads_all(request.user)):
        raise PermissionDenied(_("Due diligence is for importers and enforcement staff."))


def _editor(request: HttpRequest, organization_id: int) -> None:
    if not ds.can_edit_org(request.user, organization_id):
        raise PermissionDenied(_("Only the organization's trade users change its due diligence."))


@login_required
def diligence_home(request: HttpRequest) -> HttpResponse:
    """The importer's assessments (every version) and plans; staff see every organization's."""
    _reader(request)
    return render(
        request,
        "supplychain/diligence_home.html",
        {
            "assessments": ds.assessments_visible_to(request.user)[:200],
            "plans": ds.plans_visible_to(request.user)[:200],
            "is_importer": is_trade_user(request.user),
        },
    )


@login_required
@require_POST
def assessment_edit(request: HttpRequest) -> HttpResponse:
    """Open (or continue) the draft version."""
    try:
        draft = ds.assessment_draft(actor=request.user)
    except ServiceError as exc:
        raise PermissionDenied(str(exc.message)) from None
    return redirect("supplychain:assessment", pk=draft.pk)


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(ds.assessments_visible_to(request.user), pk=pk)
    editable = assessment.status == "draft" and ds.can_edit_org(request.user, assessment.organization_id)
    org_id = assessment.organization_id
    return render(
        request,
        "supplychain/assessment.html",
        {
            "assessment": assessment,
            "answers": ds.answers_by_element(assessment),
            "editable": editable,
            "statuses": AnswerStatus.choices,
            "maps": SupplyChainMap.objects.filter(organization_id=org_id).only("pk", "title") if editable else [],
            "evidence": Evidence.objects.filter(map__organization_id=org_id).select_related("map")[:500]
            if editable
            else [],
        },
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_POST
def answer_save(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(ds.assessments_visible_to(request.user), pk=pk)
    _editor(request, assessment.organization_id)
    upload = request.FILES.get("document")
    try:
        ds.answer_save(
            actor=request.user,
            assessment=assessment,
            element=request.POST.get("element", ""),
            status=request.POST.get("status", ""),
            narrative=request.POST.get("narrative", ""),
            map_id=_int(request.POST.get("map")),
            evidence_id=_int(request.POST.get("evidence")),
            document=read_limited(upload, limit=25 * 2**20) if upload else None,
            document_name=upload.name or "" if upload else "",
        )
        messages.success(request, _("Answer saved."))
    except ServiceError as exc:
        service_error_message(request, exc, _("Answer not saved: "))
    return redirect(f"{assessment.get_absolute_url()}#element-{request.POST.get('element', '')}")


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(ds.assessments_visible_to(request.user), pk=pk)
    _editor(request, assessment.organization_id)
    try:
        ds.assessment_submit(actor=request.user, assessment=assessment)
        messages.success(request, _("Version %(v)s submitted; it can no longer change.") % {"v": assessment.version})
    except ServiceError as exc:
        service_error_message(request, exc, _("Not submitted: "))
    return redirect("supplychain:assessment", pk=assessment.pk)


@login_required
def answer_file(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    assessment = get_object_or_404(ds.assessments_visible_to(request.user), pk=pk)
    answer = get_object_or_404(AssessmentAnswer, pk=answer_pk, assessment=assessment)
    try:
        data = ds.answer_document(actor=request.user, answer=answer)
    except ServiceError as exc:
        return HttpResponse(str(exc.message), status=exc.status, content_type="text/plain; charset=utf-8")
    return stored_file_response(data, content_type=answer.content_type, filename=answer.original_name)


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    if not is_trade_user(request.user):
        raise PermissionDenied(_("Only an importer's trade users make remediation plans."))
    org_id = request.user.organization_id or 0
    if request.method == "POST":
        try:
            plan = ds.plan_create(
                actor=request.user,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                map_id=_int(request.POST.get("map")),
                node_id=_int(request.POST.get("node")),
                detention_id=_int(request.POST.get("detention")),
            )
            messages.success(request, _("Remediation plan created."))
            return redirect(plan)
        except ServiceError as exc:
            service_error_message(request, exc, _("Plan not created: "))
    return render(
        request,
        "supplychain/plan_new.html",
        {
            "maps": SupplyChainMap.objects.filter(organization_id=org_id).prefetch_related("nodes"),
            "values": request.POST,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ds.plans_visible_to(request.user), pk=pk)
    editable = plan.status == RemediationPlan.Status.OPEN and ds.can_edit_org(request.user, plan.organization_id)
    outcomes = [
        (t.name, label)
        for t, label in (
            (REMEDIATION_PLAN.transition("remediate"), _("Remediated")),
            (REMEDIATION_PLAN.transition("not_remediated"), _("Not remediated")),
            (REMEDIATION_PLAN.transition("abandon"), _("Abandoned")),
        )
    ]
    return render(
        request,
        "supplychain/plan.html",
        {"plan": plan, "milestones": plan.milestones.all(), "editable": editable, "outcomes": outcomes},
    )


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ds.plans_visible_to(request.user), pk=pk)
    _editor(request, plan.organization_id)
    due: dt.date | None
    try:
        due = dt.date.fromisoformat(request.POST.get("due_date", ""))
    except ValueError:
        due = None
    try:
        ds.milestone_add(actor=request.user, plan=plan, title=request.POST.get("title", ""), due_date=due)
        messages.success(request, _("Milestone added."))
    except ServiceError as exc:
        service_error_message(request, exc, _("Milestone not added: "))
    return redirect(plan)


@login_required
@require_POST
def milestone_complete(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    plan = get_object_or_404(ds.plans_visible_to(request.user), pk=pk)
    _editor(request, plan.organization_id)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, plan=plan)
    try:
        ds.milestone_complete(actor=request.user, milestone=milestone, note=request.POST.get("note", ""))
        messages.success(request, _("Milestone done."))
    except ServiceError as exc:
        service_error_message(request, exc, _("Milestone not changed: "))
    return redirect(plan)


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ds.plans_visible_to(request.user), pk=pk)
    _editor(request, plan.organization_id)
    try:
        ds.plan_close(
            actor=request.user, plan=plan, transition=request.POST.get("outcome", ""), note=request.POST.get("note", "")
        )
        messages.success(request, _("Outcome recorded."))
    except ServiceError as exc:
        service_error_message(request, exc, _("Outcome not recorded: "))
    return redirect(plan)


def diligence_context(user: Actor | None, organization_id: int | None) -> dict[str, Any]:
    """What the summary beside a detention, petition or request shows (staff and the importer itself)."""
    if organization_id is None or not ds.can_view_org(user, organization_id):
        return {"visible": False}
    return {
        "visible": True,
        "assessment": ds.latest_submitted(organization_id),
        "open_plans": RemediationPlan.objects.filter(
            organization_id=organization_id, status=RemediationPlan.Status.OPEN
        ).count(),
        "elements": len(ELEMENTS),
    }


def detention_page_section(user: Actor, detention: Any) -> tuple[str, dict[str, Any]] | None:
    """The importer's latest submitted assessment on the staff detention page (registered in apps.py)."""
    ctx = diligence_context(user, detention.entry.organization_id)
    return ("supplychain/_detention_diligence.html", ctx) if ctx["visible"] else None
