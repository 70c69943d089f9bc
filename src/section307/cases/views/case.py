"""section307.cases.views: a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from section307.accounts.models import User
from section307.cases import permissions as perms
from section307.cases import selectors, services
from section307.cases.forms import (
    CaseCreateForm,
    CaseForm,
    CasePartyForm,
    ChangeRequestForm,
    CloseForm,
    CommentForm,
    EngagementForm,
    MemoForm,
    MergeForm,
    ShareForm,
    TaskForm,
    TeamForm,
)
from section307.cases.gates import gate_problems
from section307.cases.models import (
    Case,
    CaseAllegation,
    CaseParty,
    CaseShare,
    CaseTask,
    CaseTemplate,
    Phase,
)
from section307.cases.views._base import _case, _errors, _form_errors, _nav, _pk, _work
from section307.core.audit import audit_trail
from section307.core.errors import Conflict, ServiceError
from section307.core.forms import service_error_message
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.queue import queue_for_page
from section307.core.types import account

# ------------------------------------------------------------------------------------------ a case


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.add_case"):
        raise PermissionDenied
    initial = {"template": CaseTemplate.objects.filter(is_active=True).first()}
    form = CaseCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                actor=request.user,
                title=data["title"],
                template=data["template"],
                origin=data["origin"],
                summary=data["summary"],
                priority=data["priority"],
                risk_rating=data["risk_rating"],
                parties=data["parties"],
                goods=data["goods"],
                countries=data["countries"],
                regions=data["regions"],
                hts_prefixes=data["hts"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, gettext("Case %(reference)s opened.") % {"reference": case.reference})
            return redirect("cases:case_detail", reference=case.reference)
    return render(request, "cases/case_form.html", {"form": form}, status=400 if form.errors else 200)


_PHASE_ORDER = [p.value for p in Phase]


def _task_groups(case: Case, tasks: list[CaseTask]) -> dict[str, Any]:
    """Split the task list for the workspace: what is due now, open work of later phases, finished work.

    Phase 4 tasks carry the "decision" phase and stay current through enforcement.
    """

    def rank(phase: str) -> int:
        return _PHASE_ORDER.index(Phase.DECISION if phase == Phase.ENFORCEMENT else phase)

    now: list[CaseTask] = []
    later: list[CaseTask] = []
    done: list[CaseTask] = []
    current = rank(case.phase) if case.phase != Phase.CLOSED else len(_PHASE_ORDER)
    for task in tasks:
        if task.status != CaseTask.Status.OPEN:
            done.append(task)
        elif rank(task.phase) > current and not task.is_overdue:
            later.append(task)
        else:
            now.append(task)
    open_tasks = [t for t in now if t.due_date is not None] or now
    next_task = min(open_tasks, key=lambda t: t.due_date or dt.date.max, default=None)
    return {"tasks_now": now, "tasks_later": later, "tasks_done": done, "next_task": next_task}


def _detail_context(request: HttpRequest, case: Case, **forms: Any) -> dict[str, Any]:
    user = request.user
    ctx = _nav(case, user)
    tasks = list(case.tasks.select_related("assignee").prefetch_related("comments__author"))
    proposals = list(case.proposals.select_related("author", "decided_by", "order"))
    ctx.update(
        {
            "tasks": tasks,
            "open_tasks": sum(1 for t in tasks if t.status == CaseTask.Status.OPEN),
            "case_parties": case.case_parties.select_related("party", "supplies_to__party"),
            "engagements": case.engagements.select_related("recorded_by"),
            "comments": case.comments.select_related("author"),
            "proposals": proposals,
            "shares": case.shares.select_related("organization", "granted_by").filter(revoked_at__isnull=True)
            if ctx["can_manage"]
            else [],
            "transitions": selectors.available_transitions(user=user, case=case),
            "related": selectors.related_to_case(case=case, user=user)[:10],
            "related_allegations": selectors.allegations_related_to_case(case=case, user=user)
            if ctx["can_work"]
            else [],
            "change_requests": case.change_requests.select_related("order", "submitted_by"),
            "merged_cases": case.merged_cases.all(),
            "phase_tasks": TaskForm.base_fields["phase"].choices,  # type: ignore[attr-defined]
            "assignees": selectors.case_workers(case=case) if ctx["can_work"] else [],
            "party_form": forms.get("party_form") or CasePartyForm(case=case),
            "memo_form": forms.get("memo_form") or MemoForm(initial={"memo": case.validity_memo}),
            "task_form": forms.get("task_form") or TaskForm(),
            "comment_form": forms.get("comment_form") or CommentForm(),
            "engagement_form": forms.get("engagement_form") or EngagementForm(),
            "share_form": forms.get("share_form") or ShareForm(),
            "merge_form": forms.get("merge_form") or MergeForm(),
            "change_form": forms.get("change_form") or ChangeRequestForm(),
            "leave_research_problems": gate_problems("escalate", case) if case.phase == Phase.RESEARCH else [],
        }
    )
    ctx.update(_task_groups(case, tasks))
    ctx["next_items"] = queue_for_page(user, reverse("cases:case_detail", args=[case.reference]))
    from section307.supplychain.selectors import case_maps_summary

    ctx["supply_maps"] = case_maps_summary(user=user, case=case)  # the Supply chain tab (docs/supplychain.md)
    ctx["allegation_links"] = (
        CaseAllegation.objects.filter(case=case).select_related("allegation")
        if request.user.has_perm("allegations.view_allegation")
        else []
    )
    return ctx


@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    services.case_view_record(actor=request.user, case=case, view="detail")
    return render(request, "cases/case_detail.html", _detail_context(request, case))


def _detail_with_errors(request: HttpRequest, case: Case, **forms: Any) -> HttpResponse:
    messages.error(request, gettext("Please correct the errors below."))
    return render(request, "cases/case_detail.html", _detail_context(request, case, **forms), status=400)


@login_required
def case_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work(request, reference)
    initial = {
        "title": case.title,
        "summary": case.summary,
        "origin": case.origin,
        "priority": case.priority,
        "risk_rating": case.risk_rating,
        "labor_type": case.labor_type,
        "goods": case.goods.all(),
        "countries": case.countries.all(),
        "regions": case.regions.all(),
        "hts": ", ".join(case.hts_prefixes),
    }
    form = CaseForm(request.POST or None, initial=initial)
    team_form = (
        TeamForm(request.POST or None, case=case, initial={"team": case.team.all()})
        if perms.can_manage(request.user, case)
        else None
    )
    if request.method == "POST" and form.is_valid() and (team_form is None or team_form.is_valid()):
        data = form.cleaned_data
        try:
            services.case_update(
                actor=request.user,
                case=case,
                data={
                    "title": data["title"],
                    "summary": data["summary"],
                    "origin": data["origin"],
                    "priority": data["priority"],
                    "risk_rating": data["risk_rating"],
                    "hts_prefixes": data["hts"],
                    "labor_type": data["labor_type"],
                },
                goods=data["goods"],
                countries=data["countries"],
                regions=data["regions"],
                team=team_form.cleaned_data["team"] if team_form else None,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, gettext("Case details saved."))
            return redirect("cases:case_detail", reference=case.reference)
    if request.method == "GET":
        services.case_view_record(actor=request.user, case=case, view="edit")
    return render(
        request,
        "cases/case_edit.html",
        {**_nav(case, request.user), "form": form, "team_form": team_form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def case_transition(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work(request, reference)
    name = request.POST.get("transition", "")
    try:
        case = services.case_transition(actor=request.user, case=case, transition=name)
    except services.GateNotPassed as exc:
        for problem in exc.messages:
            messages.error(request, problem)
    except (TransitionNotAllowed, Conflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("Case moved to %(phase)s.") % {"phase": case.get_phase_display()})
    return redirect("cases:case_detail", reference=case.reference)


@login_required
@require_POST
def case_party_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work(request, reference)
    form = CasePartyForm(request.POST, case=case)
    if not form.is_valid():
        return _detail_with_errors(request, case, party_form=form)
    d = form.cleaned_data
    try:
        services.case_party_add(
            actor=request.user,
            case=case,
            party=d["party"],
            role=d["role"],
            tier=d["tier"],
            supplies_to=d["supplies_to"],
            is_target=d["is_target"],
            notes=d["notes"],
        )
    except ValidationError as exc:
        _form_errors(form, exc)
        return _detail_with_errors(request, case, party_form=form)
    except ServiceError as exc:
        service_error_message(request, exc)
        return redirect(case_url(case))
    messages.success(request, gettext("%(party)s is in the supply-chain map.") % {"party": d["party"]})
    return redirect(f"{case_url(case)}#supply-chain")


@login_required
@require_POST
def case_party_remove(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _work(request, reference)
    link = get_object_or_404(CaseParty, pk=pk, case=case)
    try:
        services.case_party_remove(actor=request.user, case=case, link=link)
    except ValidationError as exc:
        for e in _errors(exc):
            messages.error(request, e)
    except ServiceError as exc:
        service_error_message(request, exc)
    return redirect(f"{case_url(case)}#supply-chain")


@login_required
@require_POST
def case_memo(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work(request, reference)
    form = MemoForm(request.POST)
    if not form.is_valid():
        return _detail_with_errors(request, case, memo_form=form)
    try:
        services.case_memo_save(actor=request.user, case=case, memo=form.cleaned_data["memo"])
    except ServiceError as exc:
        service_error_message(request, exc)
        return redirect(case_url(case))
    messages.success(request, gettext("Validity memo saved."))
    return redirect(f"{case_url(case)}#memo")


@login_required
@require_POST
def task_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work(request, reference)
    form = TaskForm(request.POST)
    if not form.is_valid():
        return _detail_with_errors(request, case, task_form=form)
    try:
        services.task_create(actor=request.user, case=case, assignee=account(request.user), **form.cleaned_data)
    except ServiceError as exc:
        service_error_message(request, exc)
        return redirect(case_url(case))
    messages.success(request, gettext("Task added."))
    return redirect(f"{case_url(case)}#tasks")


@login_required
@require_POST
def task_action(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _work(request, reference)
    task = get_object_or_404(CaseTask, pk=pk, case=case)
    action = request.POST.get("action", "")
    try:
        if action == "complete":
            services.task_complete(actor=request.user, task=task)
            messages.success(request, gettext("Task done: %(title)s") % {"title": task.title})
        elif action == "reopen":
            services.task_reopen(actor=request.user, task=task)
        elif action == "assign":
            raw = request.POST.get("assignee", "")
            assignee_pk = _pk(raw)
            assignee = User.objects.filter(pk=assignee_pk).first() if assignee_pk is not None else None
            if raw and assignee is None:
                raise ValidationError({"assignee": gettext("No such user.")})
            services.task_assign(actor=request.user, task=task, assignee=assignee)
            messages.success(request, gettext("Task assigned."))
        elif action == "comment":
            services.task_comment(actor=request.user, task=task, body=request.POST.get("body", ""))
        else:
            messages.error(request, gettext("Unknown task action."))
    except ValidationError as exc:
        for e in _errors(exc):
            messages.error(request, e)
    except ServiceError as exc:
        service_error_message(request, exc)
    return redirect(f"{case_url(case)}#task-{task.pk}")


@login_required
@require_POST
def engagement_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work(request, reference)
    form = EngagementForm(request.POST)
    if not form.is_valid():
        return _detail_with_errors(request, case, engagement_form=form)
    try:
        services.engagement_record(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as exc:
        _form_errors(form, exc)
        return _detail_with_errors(request, case, engagement_form=form)
    except ServiceError as exc:
        service_error_message(request, exc)
        return redirect(case_url(case))
    messages.success(request, gettext("Engagement recorded."))
    return redirect(f"{case_url(case)}#stakeholders")


@login_required
@require_POST
def comment_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not perms.can_comment(request.user, case):
        raise PermissionDenied(gettext("You have read-only access to this case."))
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _detail_with_errors(request, case, comment_form=form)
    try:
        services.case_comment_add(actor=request.user, case=case, body=form.cleaned_data["body"])
    except ServiceError as exc:
        service_error_message(request, exc)
        return redirect(case_url(case))
    messages.success(request, gettext("Comment added."))
    return redirect(f"{case_url(case)}#comments")


@login_required
@require_POST
def case_share(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not perms.can_manage(request.user, case):
        raise PermissionDenied
    if request.POST.get("revoke"):
        share = get_object_or_404(CaseShare, pk=_pk(request.POST["revoke"]), case=case)
        services.case_share_revoke(actor=request.user, share=share)
        messages.success(
            request, gettext("%(organization)s no longer sees this case.") % {"organization": share.organization}
        )
        return redirect(f"{case_url(case)}#sharing")
    form = ShareForm(request.POST)
    if not form.is_valid():
        return _detail_with_errors(request, case, share_form=form)
    try:
        share = services.case_share(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as exc:
        _form_errors(form, exc)
        return _detail_with_errors(request, case, share_form=form)
    except ServiceError as exc:
        service_error_message(request, exc)
        return redirect(case_url(case))
    messages.success(
        request,
        gettext("Shared with %(organization)s (%(access)s).")
        % {"organization": share.organization, "access": share.get_access_display()},
    )
    return redirect(f"{case_url(case)}#sharing")


@login_required
@require_POST
def case_merge(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not perms.can_manage(request.user, case):
        raise PermissionDenied
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _detail_with_errors(request, case, merge_form=form)
    duplicate = selectors.case_for(user=request.user, reference=form.cleaned_data["duplicate"].strip())
    if duplicate is None:
        form.add_error("duplicate", gettext("No case with this reference that you can see."))
        return _detail_with_errors(request, case, merge_form=form)
    try:
        services.case_merge(actor=request.user, duplicate=duplicate, into=case, note=form.cleaned_data["note"])
    except (ValidationError, PermissionDenied, Conflict) as exc:
        form.add_error(None, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
        return _detail_with_errors(request, case, merge_form=form)
    messages.success(request, gettext("%(reference)s merged into this case.") % {"reference": duplicate.reference})
    return redirect("cases:case_detail", reference=case.reference)


@login_required
def case_close(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not perms.can_manage(request.user, case):
        raise PermissionDenied
    form = CloseForm(request.POST or None)
    open_tasks = case.tasks.filter(status=CaseTask.Status.OPEN).count()
    if request.method == "POST" and form.is_valid():
        try:
            case, cancelled = services.case_close(actor=request.user, case=case, **form.cleaned_data)
        except services.GateNotPassed as exc:
            form.add_error(None, exc.messages)
        except (TransitionNotAllowed, Conflict) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                gettext("Case closed.%(value)s")
                % {"value": f" {cancelled} open task(s) were cancelled." if cancelled else ""},
            )
            return redirect("cases:case_detail", reference=case.reference)
    if request.method == "GET":
        services.case_view_record(actor=request.user, case=case, view="close")
    return render(
        request,
        "cases/case_close.html",
        {**_nav(case, request.user), "form": form, "open_task_count": open_tasks},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def case_reopen(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    try:
        services.case_reopen(actor=request.user, case=case, note=request.POST.get("note", "") or "Reopened")
    except (TransitionNotAllowed, Conflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("Case reopened in phase 2."))
    return redirect("cases:case_detail", reference=case.reference)


@login_required
def case_audit(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not perms.can_manage(request.user, case):
        raise PermissionDenied
    services.case_view_record(actor=request.user, case=case, view="audit")
    page = Paginator(audit_trail(case), 50).get_page(request.GET.get("page"))
    return render(request, "cases/case_audit.html", {**_nav(case, request.user), "page": page})


def case_url(case: Case) -> str:
    from django.urls import reverse

    return reverse("cases:case_detail", kwargs={"reference": case.reference})
