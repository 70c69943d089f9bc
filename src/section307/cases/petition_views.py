"""Petition pages (/petitions/): the headquarters queue, a petition with its evidence and actions,
and filing. Views parse input and call ``cases.services`` / ``cases.selectors``; the services check
who may do what."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from section307.cases import selectors, services
from section307.cases.ilo import Indicator
from section307.cases.models import OrderChangeRequest
from section307.cases.petition_forms import (
    INDICATOR_PREFIX,
    AnswerForm,
    InfoRequestForm,
    PetitionDecisionForm,
    PetitionFileForm,
)
from section307.core.errors import ServiceError
from section307.core.types import Actor
from section307.orders.models import EnforcementOrder


def _may_file(user: Actor) -> bool:
    return any(user.has_perm(p) for p in ("cases.decide_petition", "cases.work_case", "trade.use_portal"))


def _petition(request: HttpRequest, pk: int) -> OrderChangeRequest:
    petition = selectors.petition_get(user=request.user, pk=pk)
    if petition is None:
        raise Http404("No such petition")
    return petition


def _show(form: Any, exc: ServiceError) -> None:
    form.add_error(
        exc.field if exc.field in form.fields else None, exc.message + (f" ({exc.rule})" if exc.rule else "")
    )


@login_required
def petition_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    rows = selectors.petition_queue(user=request.user, open_only=not show_all)
    if not rows and not _may_file(request.user):
        raise PermissionDenied
    return render(
        request,
        "petitions/petition_list.html",
        {"rows": rows, "show_all": show_all, "is_hq": request.user.has_perm("cases.decide_petition")},
    )


@login_required
def petition_create(request: HttpRequest) -> HttpResponse:
    if not _may_file(request.user):
        raise PermissionDenied
    form = PetitionFileForm(request.POST or None, initial={"order": request.GET.get("order", "")[:40]})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        order = EnforcementOrder.objects.filter(reference=d["order"].strip()).first()
        if order is None:
            form.add_error("order", _("No order with this reference."))
        else:
            try:
                petition = services.petition_file(
                    actor=request.user,
                    order=order,
                    kind=d["kind"],
                    ground=d["ground"],
                    grounds=d["grounds"],
                    proposed_merchandise=d["proposed_merchandise"],
                    requester_name=d["requester_name"],
                    evidence=form.evidence(),
                )
            except ServiceError as exc:
                _show(form, exc)
            else:
                messages.success(request, _("Petition filed; headquarters reviews it."))
                return redirect("petitions:detail", pk=petition.pk)
    return render(
        request,
        "petitions/petition_form.html",
        {"form": form, "indicator_fields": [f for f in form if f.name.startswith(INDICATOR_PREFIX)]},
        status=400 if form.errors else 200,
    )


def _detail(request: HttpRequest, petition: OrderChangeRequest, status: int = 200, **forms: Any) -> HttpResponse:
    is_hq = request.user.has_perm("cases.decide_petition")
    context: dict[str, Any] = {
        "petition": petition,
        "is_hq": is_hq,
        "is_petitioner": services._is_petitioner(request.user, petition),
        "responses": [
            (Indicator(i).label, petition.indicator_responses.get(i, ""), petition.indicator_findings.get(i, ""))
            for i in petition.indicators
        ],
        "detentions": selectors.order_open_detentions(petition.order),
        "decision_form": forms.get("decision_form") or PetitionDecisionForm(indicators=petition.indicators),
        "info_form": forms.get("info_form") or InfoRequestForm(),
        "answer_form": forms.get("answer_form") or AnswerForm(),
    }
    return render(request, "petitions/petition_detail.html", context, status=status)


@login_required
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _petition(request, pk))


@login_required
@require_POST
def petition_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    petition = _petition(request, pk)
    user = request.user
    form: Any = None
    try:
        if action == "review":
            services.petition_review(actor=user, petition=petition)
        elif action == "withdraw":
            services.petition_withdraw(actor=user, petition=petition)
        elif action == "info":
            form = InfoRequestForm(request.POST)
            if not form.is_valid():
                return _detail(request, petition, 400, info_form=form)
            services.petition_request_info(actor=user, petition=petition, **form.cleaned_data)
        elif action == "answer":
            form = AnswerForm(request.POST)
            if not form.is_valid():
                return _detail(request, petition, 400, answer_form=form)
            services.petition_answer(actor=user, petition=petition, answer=form.cleaned_data["answer"])
        elif action == "decide":
            form = PetitionDecisionForm(request.POST, indicators=petition.indicators)
            if not form.is_valid():
                return _detail(request, petition, 400, decision_form=form)
            services.petition_decide(
                actor=user,
                petition=petition,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                findings=form.findings(),
            )
        else:
            raise Http404
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        if form is None:
            messages.error(request, exc.message)
            return redirect("petitions:detail", pk=petition.pk)
        _show(form, exc)
        key = {"info": "info_form", "answer": "answer_form", "decide": "decision_form"}[action]
        return _detail(request, petition, exc.status, **{key: form})
    messages.success(request, _("Recorded."))
    return redirect("petitions:detail", pk=petition.pk)
