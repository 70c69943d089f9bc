"""Headquarters (Forced Labor Division) screens: packages, protests and determinations awaiting a
reviewer, with a second reviewer's concurrence before anything takes effect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from section307.core.errors import ServiceError
from section307.ports import services as port_services
from section307.ports.models import OUTCOME_LABELS, Determination, Protest
from section307.trade import selectors
from section307.trade.forms import ConcurrenceForm, DeterminationForm
from section307.trade.models import RequestKind, TradeRequest

REVIEW = "ports.review_detention"

# The determination each package asks for.
KIND_FOR_REQUEST = {
    RequestKind.WRO_ADMISSIBILITY: Determination.Kind.ADMISSIBILITY,
    RequestKind.UFLPA_APPLICABILITY: Determination.Kind.APPLICABILITY,
    RequestKind.UFLPA_EXCEPTION: Determination.Kind.UFLPA_EXCEPTION,
    RequestKind.CAATSA_EXCEPTION: Determination.Kind.CAATSA_EXCEPTION,
}


def _form(kind: str, data: Any = None) -> DeterminationForm:
    outcomes = [(o, OUTCOME_LABELS[(kind, o)]) for o in Determination.Outcome.values]
    conditions = port_services.TESTS[kind][1] if kind in port_services.TESTS else ()
    return DeterminationForm(data, outcomes=outcomes, conditions=conditions)


def _error(form: DeterminationForm | ConcurrenceForm, exc: ServiceError) -> None:
    form.add_error(None, f"{exc} ({exc.rule})" if exc.rule else str(exc))


@login_required
@permission_required(REVIEW, raise_exception=True)
def hq_home(request: HttpRequest) -> HttpResponse:
    from section307.parcels.queue import headquarters_items

    context = selectors.hq_worklist(user=request.user)
    # Parcel detentions' proofs and protests, beside the entries'.
    context["parcel_items"] = list(headquarters_items(request.user))
    return render(request, "trade/hq_home.html", context)


@login_required
@permission_required(REVIEW, raise_exception=True)
def hq_request(request: HttpRequest, pk: int) -> HttpResponse:
    package: TradeRequest = get_object_or_404(
        selectors.request_list(user=request.user).filter(kind__in=list(KIND_FOR_REQUEST)), pk=pk
    )
    kind = KIND_FOR_REQUEST[RequestKind(package.kind)]
    form = _form(kind, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            assert package.detention is not None
            try:
                determination = port_services.determination_propose(
                    actor=request.user,
                    detention=package.detention,
                    kind=kind,
                    outcome=form.cleaned_data["outcome"],
                    reasons=form.cleaned_data["reasons"],
                    conditions={c: True for c in form.cleaned_data.get("conditions", [])},
                    request_id=package.pk,
                )
            except ServiceError as exc:
                _error(form, exc)
            else:
                messages.success(
                    request, gettext("Determination proposed; it takes effect when a second reviewer concurs.")
                )
                return redirect("hq:determination", pk=determination.pk)
        status = 400
    return render(
        request,
        "trade/hq_decide.html",
        {
            "package": package,
            "detention": package.detention,
            "form": form,
            "history": Determination.objects.filter(request_id=package.pk).select_related("proposed_by"),
        },
        status=status,
    )


@login_required
@permission_required(REVIEW, raise_exception=True)
def hq_protest(request: HttpRequest, pk: int) -> HttpResponse:
    protest = get_object_or_404(Protest.objects.select_related("detention__entry", "organization"), pk=pk)
    form = _form(Determination.Kind.PROTEST, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                determination = port_services.determination_propose(
                    actor=request.user,
                    detention=protest.detention,
                    kind=Determination.Kind.PROTEST,
                    outcome=form.cleaned_data["outcome"],
                    reasons=form.cleaned_data["reasons"],
                    protest=protest,
                )
            except ServiceError as exc:
                _error(form, exc)
            else:
                messages.success(
                    request, gettext("Determination proposed; it takes effect when a second reviewer concurs.")
                )
                return redirect("hq:determination", pk=determination.pk)
        status = 400
    return render(
        request,
        "trade/hq_decide.html",
        {"protest": protest, "detention": protest.detention, "form": form, "history": protest.determinations.all()},
        status=status,
    )


@login_required
@permission_required(REVIEW, raise_exception=True)
def hq_determination(request: HttpRequest, pk: int) -> HttpResponse:
    determination = get_object_or_404(
        Determination.objects.select_related("detention__entry", "proposed_by", "concurred_by", "protest"), pk=pk
    )
    form = ConcurrenceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if form.is_valid():
            try:
                if action == "concur":
                    port_services.determination_concur(
                        actor=request.user, determination=determination, note=form.cleaned_data["note"]
                    )
                    messages.success(
                        request, gettext("Concurred: the determination is effective; the port carries it out.")
                    )
                else:
                    port_services.determination_return(
                        actor=request.user, determination=determination, note=form.cleaned_data["note"]
                    )
                    messages.success(request, gettext("Returned without concurrence."))
                return redirect("hq:determination", pk=pk)
            except ServiceError as exc:
                _error(form, exc)
        status = 400
    report = determination.detention.clocks.filter(kind="congress_report").first()
    return render(
        request,
        "trade/hq_determination.html",
        {
            "determination": determination,
            "form": form,
            "can_concur": determination.status == Determination.Status.AWAITING_CONCURRENCE
            and determination.proposed_by_id != request.user.pk,
            "report": report,
        },
        status=status,
    )


@login_required
@permission_required(REVIEW, raise_exception=True)
@require_POST
def hq_report(request: HttpRequest, pk: int) -> HttpResponse:
    determination = get_object_or_404(Determination, pk=pk)
    try:
        port_services.congress_report_record(actor=request.user, detention=determination.detention)
        messages.success(request, gettext("The report to Congress and the public is recorded as submitted."))
    except ServiceError as exc:
        messages.error(request, gettext("Not recorded: %(exc)s (%(rule)s).") % {"exc": exc, "rule": exc.rule})
    return redirect("hq:determination", pk=pk)
