"""section307.cases.views: proposal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from section307.cases import permissions as perms
from section307.cases import selectors, services
from section307.cases.forms import (
    DecisionForm,
    ProposalForm,
)
from section307.cases.gates import gate_problems
from section307.cases.models import (
    OrderProposal,
)
from section307.cases.views._base import _case, _errors, _form_errors, _nav, _work
from section307.core.errors import Conflict
from section307.core.lifecycle import TransitionNotAllowed

# ---------------------------------------------------------------------------------------- proposal


@login_required
def proposal_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work(request, reference)
    pending = case.proposals.filter(status=OrderProposal.Status.SUBMITTED).first()
    if pending is not None:
        # A submitted proposal waits for a decision: show it (with Withdraw), not an empty form.
        return redirect("cases:proposal_decide", reference=case.reference, pk=pending.pk)
    draft = case.proposals.filter(status=OrderProposal.Status.DRAFT).first()
    # A withdrawn or returned proposal comes back as the starting point of the next draft.
    earlier = (
        draft
        or case.proposals.filter(status__in=[OrderProposal.Status.WITHDRAWN, OrderProposal.Status.REJECTED])
        .order_by("-updated_at", "-pk")
        .first()
    )
    initial: dict[str, Any] = {}
    if earlier is not None:
        initial = {f: getattr(earlier, f) for f in services.PROPOSAL_FIELDS if f not in {"qualifiers", "hts_prefixes"}}
        initial.update(
            qualifiers="; ".join(earlier.qualifiers),
            hts=", ".join(earlier.hts_prefixes),
            scope_parties=earlier.scope_parties.all(),
            regions=earlier.regions.all(),
            goods=earlier.goods.all(),
        )
    else:
        # No party is ticked for the analyst: each party the order names is a deliberate choice
        # (the case's targets are marked in the list).
        initial = {
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
                messages.success(request, gettext("Proposal submitted for a supervisor's approval."))
                return redirect("cases:case_detail", reference=case.reference)
            messages.success(request, gettext("Draft saved."))
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
                messages.success(request, gettext("Proposal withdrawn; the case is back in phase 3."))
                if perms.can_work(request.user, case):
                    return redirect("cases:proposal_edit", reference=case.reference)
            return redirect("cases:case_detail", reference=case.reference)
        if not can_decide:
            raise PermissionDenied(
                gettext("Only a supervisor who did not write the proposal decides (two-person rule).")
            )
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
                    messages.success(
                        request,
                        gettext("Approved: %(reference)s is issued and published.")
                        % {"reference": proposal.order.reference},
                    )
                else:
                    messages.success(request, gettext("Proposal returned to its author."))
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
