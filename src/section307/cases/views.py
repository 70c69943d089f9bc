"""The case workspace. Views parse input and call services/selectors; every case page view is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from section307.accounts.models import User
from section307.allegations.crypto import DecryptionFailed
from section307.allegations.inputs import AllegationInvalid
from section307.cases import permissions as perms
from section307.cases import selectors, services
from section307.cases.evidence_files import evidence_content
from section307.cases.forms import (
    AssessmentForm,
    CaseCreateForm,
    CaseForm,
    CasePartyForm,
    ChangeRequestForm,
    CloseForm,
    CommentForm,
    DecisionForm,
    EngagementForm,
    EvidenceForm,
    MemoForm,
    MergeForm,
    ProposalForm,
    ShareForm,
    TagForm,
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
    CustodyEvent,
    Evidence,
    IndicatorTag,
    OrderProposal,
    Phase,
)
from section307.core.audit import audit_trail
from section307.core.errors import Conflict, ServiceError
from section307.core.forms import service_error_message
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.storedfiles import stored_file_response


def _case(request: HttpRequest, reference: str) -> Case:
    """The case, or 404 when it does not exist or this user may not see it (existence is not revealed)."""
    case = selectors.case_for(user=request.user, reference=reference)
    if case is None:
        raise Http404("No such case")
    return case


def _work(request: HttpRequest, reference: str) -> Case:
    case = _case(request, reference)
    if not perms.can_work(request.user, case):
        raise PermissionDenied("You have read-only access to this case.")
    return case


def _pk(value: str | None) -> int | None:
    """A primary key from form input, or None: junk and out-of-range numbers never reach the database."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {msg}" for field, msgs in exc.message_dict.items() for msg in msgs]
    return list(exc.messages)


def _form_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors on their fields, the rest on top)."""
    if hasattr(exc, "error_dict"):
        for field, msgs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, msgs)
    else:
        form.add_error(None, exc.messages)


def _nav(case: Case, user: Any) -> dict[str, Any]:
    return {
        "case": case,
        "access": perms.case_access(user, case),
        "can_work": perms.can_work(user, case),
        "can_comment": perms.can_comment(user, case),
        "can_manage": perms.can_manage(user, case),
        "can_view_evidence": perms.can_view_evidence(user, case),
    }


# --------------------------------------------------------------------------------- lists and queues


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.view_case"):
        raise PermissionDenied
    tasks = list(selectors.tasks_for_user(user=request.user)[:100])
    return render(
        request,
        "cases/dashboard.html",
        {
            "tasks": tasks,
            "overdue": [t for t in tasks if t.is_overdue],
            "cases": selectors.case_list(user=request.user, phase="open", mine=True)[:50],
            "shared": selectors.case_list(user=request.user, phase="open")[:50]
            if not request.user.has_perm("cases.work_case")
            else None,
            "can_open": request.user.has_perm("cases.add_case"),
        },
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.view_case"):
        raise PermissionDenied
    filters: dict[str, Any] = {
        "phase": request.GET.get("phase", "open"),
        "query": request.GET.get("q", "").strip()[:200],
        "priority": request.GET.get("priority", ""),
    }
    if filters["phase"] not in {"open", "", *Phase.values}:
        filters["phase"] = "open"
    page = Paginator(selectors.case_list(user=request.user, **filters), 25).get_page(request.GET.get("page"))
    template = "cases/_case_list_results.html" if request.htmx else "cases/case_list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"page": page, "filters": filters, "phases": Phase.choices, "priorities": Case.Priority.choices},
    )


@login_required
def task_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.work_case"):
        raise PermissionDenied
    overdue_only = request.GET.get("overdue") == "1"
    tasks = selectors.team_queue(user=request.user, overdue_only=overdue_only)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    return render(request, "cases/task_queue.html", {"page": page, "overdue_only": overdue_only})


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
            messages.success(request, f"Case {case.reference} opened.")
            return redirect("cases:case_detail", reference=case.reference)
    return render(request, "cases/case_form.html", {"form": form}, status=400 if form.errors else 200)


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
    messages.error(request, "Please correct the errors below.")
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
            messages.success(request, "Case details saved.")
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
        messages.success(request, f"Case moved to {case.get_phase_display()}.")
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
    messages.success(request, f"{d['party']} is in the supply-chain map.")
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
    messages.success(request, "Validity memo saved.")
    return redirect(f"{case_url(case)}#memo")


@login_required
@require_POST
def task_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work(request, reference)
    form = TaskForm(request.POST)
    if not form.is_valid():
        return _detail_with_errors(request, case, task_form=form)
    try:
        services.task_create(actor=request.user, case=case, assignee=request.user, **form.cleaned_data)
    except ServiceError as exc:
        service_error_message(request, exc)
        return redirect(case_url(case))
    messages.success(request, "Task added.")
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
            messages.success(request, f"Task done: {task.title}")
        elif action == "reopen":
            services.task_reopen(actor=request.user, task=task)
        elif action == "assign":
            raw = request.POST.get("assignee", "")
            assignee_pk = _pk(raw)
            assignee = User.objects.filter(pk=assignee_pk).first() if assignee_pk is not None else None
            if raw and assignee is None:
                raise ValidationError({"assignee": "No such user."})
            services.task_assign(actor=request.user, task=task, assignee=assignee)
            messages.success(request, "Task assigned.")
        elif action == "comment":
            services.task_comment(actor=request.user, task=task, body=request.POST.get("body", ""))
        else:
            messages.error(request, "Unknown task action.")
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
    messages.success(request, "Engagement recorded.")
    return redirect(f"{case_url(case)}#stakeholders")


@login_required
@require_POST
def comment_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not perms.can_comment(request.user, case):
        raise PermissionDenied("You have read-only access to this case.")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _detail_with_errors(request, case, comment_form=form)
    try:
        services.case_comment_add(actor=request.user, case=case, body=form.cleaned_data["body"])
    except ServiceError as exc:
        service_error_message(request, exc)
        return redirect(case_url(case))
    messages.success(request, "Comment added.")
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
        messages.success(request, f"{share.organization} no longer sees this case.")
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
    messages.success(request, f"Shared with {share.organization} ({share.get_access_display()}).")
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
        form.add_error("duplicate", "No case with this reference that you can see.")
        return _detail_with_errors(request, case, merge_form=form)
    try:
        services.case_merge(actor=request.user, duplicate=duplicate, into=case, note=form.cleaned_data["note"])
    except (ValidationError, PermissionDenied, Conflict) as exc:
        form.add_error(None, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
        return _detail_with_errors(request, case, merge_form=form)
    messages.success(request, f"{duplicate.reference} merged into this case.")
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
                request, f"Case closed.{f' {cancelled} open task(s) were cancelled.' if cancelled else ''}"
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
        messages.success(request, "Case reopened in phase 2.")
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


# ----------------------------------------------------------------------------------------- evidence


@login_required
def evidence_list(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not perms.can_view_evidence(request.user, case):
        raise PermissionDenied("Evidence of this case is not shared with you.")
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not perms.can_work(request.user, case):
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            upload = d["file"]
            try:
                evidence = services.evidence_add(
                    actor=request.user,
                    case=case,
                    file=upload,
                    filename=upload.name,
                    kind=d["kind"],
                    title=d["title"],
                    source=d["source"],
                    reliability=d["reliability"],
                    date_obtained=d["date_obtained"],
                    description=d["description"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            except ServiceError as exc:
                service_error_message(request, exc)
                return redirect("cases:evidence_list", reference=case.reference)
            else:
                messages.success(request, f"Evidence stored (SHA-256 {evidence.sha256[:16]}…).")
                return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)
    services.case_view_record(actor=request.user, case=case, view="evidence")
    importable = []
    if perms.can_work(request.user, case) and request.user.has_perm("allegations.triage_allegation"):
        from section307.allegations.models import Attachment

        imported = set(case.evidence.filter(origin=Evidence.Origin.ALLEGATION).values_list("origin_ref", flat=True))
        importable = [
            a
            for a in Attachment.objects.filter(allegation__case_links__case=case)
            .exclude(sanitized_path="")
            .select_related("allegation")
            if f"{a.allegation}/{a.pk}" not in imported
        ]
    return render(
        request,
        "cases/evidence_list.html",
        {
            **_nav(case, request.user),
            "evidence": selectors.case_evidence(case=case),
            "form": form,
            "importable": importable,
        },
        status=400 if form.errors else 200,
    )


def _evidence(request: HttpRequest, reference: str, pk: int) -> tuple[Case, Evidence]:
    case = _case(request, reference)
    evidence = selectors.case_evidence(case=case).filter(pk=pk).first()
    if evidence is None:
        raise Http404("No such evidence in this case")
    if not perms.can_view_evidence(request.user, case):
        raise PermissionDenied("Evidence of this case is not shared with you.")
    return case, evidence


@login_required
def evidence_detail(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, evidence = _evidence(request, reference, pk)
    tag_form = TagForm()
    note_form = CommentForm()
    status = 200
    if request.method == "POST":
        if not perms.can_work(request.user, case):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "tag":
                tag_form = TagForm(request.POST)
                if tag_form.is_valid():
                    services.evidence_tag(actor=request.user, evidence=evidence, **tag_form.cleaned_data)
                    messages.success(request, "Indicator tagged.")
                    return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)
            elif action == "annotate":
                note_form = CommentForm(request.POST)
                if note_form.is_valid():
                    services.evidence_annotate(
                        actor=request.user, evidence=evidence, body=note_form.cleaned_data["body"]
                    )
                    messages.success(request, "Annotation added.")
                    return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)
            elif action == "withdraw":
                tag = get_object_or_404(IndicatorTag, pk=_pk(request.POST.get("tag")), evidence=evidence)
                services.evidence_tag_withdraw(actor=request.user, tag=tag)
                messages.success(request, "Tag withdrawn.")
                return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)
            elif action == "verify":
                ok = services.evidence_verify(actor=request.user, evidence=evidence)
                (messages.success if ok else messages.error)(
                    request,
                    "The stored file matches its SHA-256." if ok else "The stored file does NOT match its hash.",
                )
                return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)
        except ValidationError as exc:
            for e in _errors(exc):
                messages.error(request, e)
        except ServiceError as exc:
            service_error_message(request, exc)
            return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)
        status = 400
    services.evidence_access_record(actor=request.user, evidence=evidence, action=CustodyEvent.Action.VIEWED)
    return render(
        request,
        "cases/evidence_detail.html",
        {
            **_nav(case, request.user),
            "evidence": evidence,
            "tags": evidence.tags.select_related("tagged_by", "withdrawn_by"),
            "annotations": evidence.annotations.select_related("author"),
            "custody": evidence.custody.all(),
            "tag_form": tag_form,
            "note_form": note_form,
        },
        status=status,
    )


@login_required
def evidence_download(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    _case_obj, evidence = _evidence(request, reference, pk)
    services.evidence_access_record(
        actor=request.user, evidence=evidence, action=CustodyEvent.Action.DOWNLOADED, detail={"sha256": evidence.sha256}
    )
    try:
        data = evidence_content(evidence)
    except DecryptionFailed:
        # Altered on disk (or its key is gone): never hand out bytes that may not be the evidence.
        messages.error(request, "The stored file no longer decrypts: it was altered. Verify its hash to record this.")
        return redirect("cases:evidence_detail", reference=reference, pk=pk)
    return stored_file_response(data, content_type=evidence.content_type, filename=evidence.original_filename)


# -------------------------------------------------------------------------------------- ILO matrix


@login_required
def ilo_matrix(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = AssessmentForm(
        request.POST or None, initial={"conclusion": getattr(getattr(case, "ilo_assessment", None), "conclusion", "")}
    )
    if request.method == "POST":
        if not perms.can_work(request.user, case):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.ilo_assessment_record(
                    actor=request.user, case=case, conclusion=form.cleaned_data["conclusion"]
                )
            except ServiceError as exc:
                service_error_message(request, exc)
            else:
                messages.success(request, "ILO assessment recorded.")
            return redirect("cases:ilo_matrix", reference=case.reference)
    services.case_view_record(actor=request.user, case=case, view="ilo")
    summary = selectors.ilo_summary(case=case)
    return render(
        request,
        "cases/ilo_matrix.html",
        {
            **_nav(case, request.user),
            "summary": summary,
            "assessment": getattr(case, "ilo_assessment", None),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------- proposal


@login_required
def proposal_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work(request, reference)
    draft = case.proposals.filter(status=OrderProposal.Status.DRAFT).first()
    initial: dict[str, Any] = {}
    if draft is not None:
        initial = {f: getattr(draft, f) for f in services.PROPOSAL_FIELDS if f not in {"qualifiers", "hts_prefixes"}}
        initial.update(
            qualifiers="; ".join(draft.qualifiers),
            hts=", ".join(draft.hts_prefixes),
            scope_parties=draft.scope_parties.all(),
            regions=draft.regions.all(),
            goods=draft.goods.all(),
        )
    else:
        initial = {
            "scope_parties": case.case_parties.filter(is_target=True),
            "regions": case.regions.all(),
            "goods": case.goods.all(),
            "hts": ", ".join(case.hts_prefixes),
            "country": case.countries.first(),
        }
    form = ProposalForm(request.POST or None, case=case, initial=initial)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        scope, regions, goods = d.pop("scope_parties"), d.pop("regions"), d.pop("goods")
        d["hts_prefixes"] = d.pop("hts")
        try:
            draft = services.proposal_save(
                actor=request.user, case=case, data=d, scope_parties=scope, regions=regions, goods=goods, proposal=draft
            )
            if request.POST.get("submit") == "1":
                services.proposal_submit(actor=request.user, proposal=draft)
                messages.success(request, "Proposal submitted for a supervisor's approval.")
                return redirect("cases:case_detail", reference=case.reference)
            messages.success(request, "Draft saved.")
            return redirect("cases:proposal_edit", reference=case.reference)
        except services.GateNotPassed as exc:
            problems = exc.messages
        except (ValidationError, TransitionNotAllowed, Conflict) as exc:
            if isinstance(exc, ValidationError):
                _form_errors(form, exc)
            else:
                form.add_error(None, str(exc))
    elif draft is not None:
        problems = gate_problems("submit_proposal", case, proposal=draft)
    if request.method == "GET":
        services.case_view_record(actor=request.user, case=case, view="proposal_form")
    return render(
        request,
        "cases/proposal_form.html",
        {
            **_nav(case, request.user),
            "form": form,
            "draft": draft,
            "problems": problems,
            "overlaps": selectors.proposal_overlaps(draft) if draft is not None else [],
        },
        status=400 if (form.errors or (request.method == "POST" and problems)) else 200,
    )


@login_required
def proposal_decide(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _case(request, reference)
    proposal = get_object_or_404(OrderProposal, pk=pk, case=case)
    if not perms.can_view(request.user, case):
        raise Http404
    can_decide = perms.can_decide(request.user, case, proposal)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("withdraw") == "1":
            try:
                services.proposal_withdraw(actor=request.user, proposal=proposal)
            except ValidationError as exc:
                for e in _errors(exc):
                    messages.error(request, e)
            else:
                messages.success(request, "Proposal withdrawn; the case is back in phase 3.")
            return redirect("cases:case_detail", reference=case.reference)
        if not can_decide:
            raise PermissionDenied("Only a supervisor who did not write the proposal decides (two-person rule).")
        if form.is_valid():
            try:
                proposal = services.proposal_decide(
                    actor=request.user,
                    proposal=proposal,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                )
            except services.GateNotPassed as exc:
                form.add_error(None, exc.messages)
            except ValidationError as exc:
                _form_errors(form, exc)
            except (TransitionNotAllowed, Conflict) as exc:
                form.add_error(None, str(exc))
            else:
                if proposal.order:
                    messages.success(request, f"Approved: {proposal.order.reference} is issued and published.")
                else:
                    messages.success(request, "Proposal returned to its author.")
                return redirect("cases:case_detail", reference=case.reference)
    services.case_view_record(actor=request.user, case=case, view="proposal")
    return render(
        request,
        "cases/proposal_decide.html",
        {
            **_nav(case, request.user),
            "proposal": proposal,
            "form": form,
            "can_decide": can_decide,
            "overlaps": selectors.proposal_overlaps(proposal),
            "problems": gate_problems("issue", case, proposal=proposal, actor=request.user)
            if proposal.status == OrderProposal.Status.SUBMITTED
            else [],
            "summary": selectors.ilo_summary(case=case),
        },
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------- order change petitions


@login_required
@require_POST
def change_request_create(request: HttpRequest, reference: str, order_pk: int) -> HttpResponse:
    """An analyst files a petition from the case that issued the order; headquarters decides it."""
    case = _work(request, reference)
    proposal = get_object_or_404(OrderProposal, case=case, order_id=order_pk)
    assert proposal.order is not None  # the lookup is by order
    form = ChangeRequestForm(request.POST)
    if not form.is_valid():
        return _detail_with_errors(request, case, change_form=form)
    d = form.cleaned_data
    try:
        services.petition_file(
            actor=request.user,
            order=proposal.order,
            kind=d["kind"],
            ground=d["ground"],
            grounds=d["grounds"],
            proposed_merchandise=d["proposed_merchandise"],
            requester_name=d["requester_name"],
            organization=None,
            case=case,
        )
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _detail_with_errors(request, case, change_form=form)
    messages.success(request, "Petition filed; it is in the headquarters queue.")
    return redirect(f"{case_url(case)}#orders")


# ------------------------------------------------------------------------------------ allegations


def _plain(exc: Exception) -> str:
    if isinstance(exc, AllegationInvalid):
        return "; ".join(str(m) for msgs in exc.errors.values() for m in msgs)
    if isinstance(exc, TransitionNotAllowed):
        return "This allegation can no longer be linked to a case (it is closed or merged)."
    return str(exc)


def _allegation(request: HttpRequest, allegation_pk: int) -> Any:
    from section307.allegations.selectors import allegation_detail

    if not request.user.has_perm("cases.add_case"):
        raise PermissionDenied
    allegation = allegation_detail(user=request.user, pk=allegation_pk)
    if allegation is None:
        raise Http404("No such allegation")
    return allegation


@login_required
def case_open_from_allegation(request: HttpRequest, allegation_pk: int) -> HttpResponse:
    """Open a new case from a template, pre-filled with the allegation's parties, goods and country."""
    allegation = _allegation(request, allegation_pk)
    scope = services.allegation_scope(allegation)
    initial = {
        "title": f"{allegation.merchandise[:200]}" + (f" — {scope['countries'][0].name}" if scope["countries"] else ""),
        "summary": f"Opened from allegation {allegation.reference}.",
        "template": CaseTemplate.objects.filter(is_active=True).first(),
        "origin": Case.Origin.TIP,
        "parties": scope["parties"],
        "goods": scope["goods"],
        "countries": scope["countries"],
        "regions": scope["regions"],
        "hts": ", ".join(scope["hts_prefixes"]),
    }
    form = CaseCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_open_from_allegation(
                actor=request.user,
                allegation=allegation,
                title=d["title"],
                template=d["template"],
                origin=d["origin"],
                summary=d["summary"],
                priority=d["priority"],
                risk_rating=d["risk_rating"],
                parties=d["parties"],
                goods=d["goods"],
                countries=d["countries"],
                regions=d["regions"],
                hts_prefixes=d["hts"],
            )
        except (ValidationError, TransitionNotAllowed, AllegationInvalid) as exc:
            form.add_error(None, _errors(exc) if isinstance(exc, ValidationError) else _plain(exc))
        else:
            messages.success(request, f"Case {case.reference} opened from {allegation.reference}.")
            return redirect("cases:case_detail", reference=case.reference)
    return render(
        request, "cases/case_form.html", {"form": form, "allegation": allegation}, status=400 if form.errors else 200
    )


@login_required
def case_attach_allegation(request: HttpRequest, allegation_pk: int) -> HttpResponse:
    """Choose an existing case (similar ones first) and attach the allegation to it."""
    allegation = _allegation(request, allegation_pk)
    scope = services.allegation_scope(allegation)
    similar = selectors.cases_similar_to(
        party_ids=[p.pk for p in scope["parties"]],
        good_ids=[g.pk for g in scope["goods"]],
        region_ids=[r.pk for r in scope["regions"]],
        user=request.user,
    )
    workable = [c for c in selectors.case_list(user=request.user, phase="open") if perms.can_work(request.user, c)]
    error = ""
    if request.method == "POST":
        case = selectors.case_for(user=request.user, reference=request.POST.get("case", "").strip())
        if case is None or not perms.can_work(request.user, case):
            error = "Choose a case you work on."
        else:
            try:
                services.case_link_allegation(
                    actor=request.user, case=case, allegation=allegation, note=request.POST.get("note", "")
                )
            except (ValidationError, TransitionNotAllowed, PermissionDenied, AllegationInvalid, Conflict) as exc:
                error = "; ".join(_errors(exc)) if isinstance(exc, ValidationError) else _plain(exc)
            else:
                messages.success(request, f"{allegation.reference} attached to {case.reference}.")
                return redirect("cases:case_detail", reference=case.reference)
    return render(
        request,
        "cases/attach_allegation.html",
        {
            "allegation": allegation,
            "similar": [s for s in similar if s[0].is_open and perms.can_work(request.user, s[0])],
            "workable": workable,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def evidence_import(request: HttpRequest, reference: str) -> HttpResponse:
    """Import a linked allegation's sanitized file as evidence."""
    from section307.allegations.models import Attachment

    case = _work(request, reference)
    raw = request.POST.get("attachment", "")
    attachment_pk = _pk(raw)
    attachment = (
        Attachment.objects.filter(pk=attachment_pk).select_related("allegation").first()
        if attachment_pk is not None
        else None
    )
    if attachment is None:
        raise Http404("No such file")
    try:
        evidence = services.evidence_import_from_allegation(actor=request.user, case=case, attachment=attachment)
    except (ValidationError, FileNotFoundError) as exc:
        messages.error(request, "; ".join(_errors(exc)) if isinstance(exc, ValidationError) else str(exc))
        return redirect("cases:evidence_list", reference=case.reference)
    except ServiceError as exc:
        service_error_message(request, exc)
        return redirect("cases:evidence_list", reference=case.reference)
    messages.success(request, f"Imported as evidence (SHA-256 {evidence.sha256[:16]}…).")
    return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)


@login_required
def evidence_manifest(request: HttpRequest, reference: str) -> HttpResponse:
    """A CSV manifest of the case's evidence (title, source, dates, SHA-256); each row is an export in custody."""
    import csv

    case = _case(request, reference)
    if not perms.can_view_evidence(request.user, case):
        raise PermissionDenied("Evidence of this case is not shared with you.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-evidence.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "case",
            "title",
            "kind",
            "source",
            "reliability",
            "date_obtained",
            "added_by",
            "added_at",
            "original_filename",
            "content_type",
            "size",
            "sha256",
            "indicators",
        ]
    )
    for ev in selectors.case_evidence(case=case):
        services.evidence_access_record(
            actor=request.user, evidence=ev, action=CustodyEvent.Action.EXPORTED, detail={"manifest": case.reference}
        )
        tags = "; ".join(f"{t.indicator}:{t.strength}" for t in ev.tags.all() if t.withdrawn_at is None)
        writer.writerow(
            [
                ev.pk,
                ev.case.reference,
                ev.title,
                ev.kind,
                ev.source,
                ev.reliability,
                ev.date_obtained.isoformat(),
                ev.added_by.username,
                ev.added_at.isoformat(),
                ev.original_filename,
                ev.content_type,
                ev.size,
                ev.sha256,
                tags,
            ]
        )
    return response
