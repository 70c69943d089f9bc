"""The managers' dashboard (/metrics/) and the public statistics page (/statistics/). Views stay thin."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from section307.core.errors import ServiceError
from section307.core.forms import service_error_to_form
from section307.core.storedfiles import stored_file_response
from section307.core.types import Actor
from section307.metrics import selectors, services
from section307.metrics.figures import INDUSTRIES, fiscal_year_bounds
from section307.metrics.indicators import INDICATORS, SECTIONS
from section307.metrics.models import OutcomeKind, OutcomeRecord, QuarterlyReport
from section307.metrics.ratelimits import statistics_limited
from section307.metrics.tables import Table, as_csv, as_json, as_xlsx
from section307.ports.models import Regime

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require_manager(request: HttpRequest) -> None:
    if not services.may_view_dashboard(request.user):
        raise PermissionDenied


def _fiscal_year(request: HttpRequest, *, default: int | None) -> int | None:
    raw = request.GET.get("fy", "")
    if raw == "all":
        return None
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return default


def export_response(table: Table, fmt: str, filename: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    body: bytes | str
    if fmt == "csv":
        body = as_csv(table)
    elif fmt == "json":
        body = as_json(table)
    else:
        body = as_xlsx(table)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# --- Dashboard -------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    fy = _fiscal_year(request, default=selectors.current_fiscal_year())
    board = selectors.dashboard(fiscal_year=fy)
    sections = [
        {
            "key": key,
            "title": SECTIONS[key],
            "indicators": [f for f in board.indicators if f.indicator.section == key],
            "tables": board.sections[key],
        }
        for key in SECTIONS
    ]
    return render(
        request,
        "metrics/dashboard.html",
        {
            "board": board,
            "sections": sections,
            "fiscal_years": selectors.fiscal_years_with_data(),
            "fy": fy,
            "fy_param": fy or "all",
            "may_set_targets": request.user.has_perm(services.SET_TARGET),
            "reports": QuarterlyReport.objects.all()[:8],
        },
    )


@login_required
def dashboard_export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    _require_manager(request)
    fy = _fiscal_year(request, default=selectors.current_fiscal_year())
    tables = selectors.dashboard_tables(selectors.dashboard(fiscal_year=fy))
    if key not in tables:
        raise Http404
    return export_response(tables[key], fmt, f"{key}-{'fy' + str(fy) if fy else 'all-years'}")


class UswdsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css_by_widget: dict[type, str] = {
                forms.Select: "usa-select",
                forms.Textarea: "usa-textarea",
                forms.ClearableFileInput: "usa-file-input",
                forms.FileInput: "usa-file-input",
            }
            css = css_by_widget.get(type(widget), "usa-input")
            widget.attrs.setdefault("class", css)


class TargetForm(UswdsForm):
    indicator = forms.ChoiceField(label=gettext_lazy("Indicator"), choices=[(i.key, i.label) for i in INDICATORS])
    value = forms.DecimalField(label=gettext_lazy("Target"), min_value=Decimal("0"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=gettext_lazy("Why this target"), required=False, widget=forms.Textarea)


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    initial_key = request.GET.get("indicator", "")
    form = TargetForm(request.POST or None, initial={"indicator": initial_key})
    if request.method == "POST":
        if not request.user.has_perm(services.SET_TARGET):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.target_set(
                    actor=request.user,
                    indicator=form.cleaned_data["indicator"],
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                )
            except ServiceError as exc:
                service_error_to_form(form, exc)
            else:
                messages.success(request, _("Target saved."))
                return redirect("metrics:targets")
    current = selectors.current_targets()
    rows = [{"indicator": i, "section": SECTIONS[i.section], "target": current.get(i.key)} for i in INDICATORS]
    return render(request, "metrics/targets.html", {"form": form, "rows": rows})


# --- Drill-down ------------------------------------------------------------------------------


@login_required
def drill_detentions(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    params = {k: str(v) for k, v in request.GET.items() if k in selectors.DRILL_FILTERS and v}
    qs = selectors.drill_detentions(params)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    countries = selectors._country_names()
    shown = [
        (
            str(selectors.DIMENSIONS.get(k, k)),
            selectors.dimension_label(k, v, countries=countries) if k != "fy" else f"FY{v}",
        )
        for k, v in params.items()
        if k in selectors.DIMENSIONS or k == "fy"
    ]
    return render(
        request,
        "metrics/drill_detentions.html",
        {
            "page": page,
            "filters": shown,
            "count": qs.count(),
            "industries": INDUSTRIES,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def drill_cases(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    from section307.cases.models import Phase

    phase = request.GET.get("phase", "")
    if phase and phase not in Phase.values:
        phase = ""
    qs = selectors.drill_cases(phase)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "metrics/drill_cases.html",
        {"page": page, "phase_label": Phase(phase).label if phase else "", "count": qs.count()},
    )


# --- Outcome records ------------------------------------------------------------------------


class OutcomeForm(UswdsForm):
    kind = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=OutcomeKind.choices)
    case = forms.CharField(label=gettext_lazy("Case reference"), required=False, max_length=30)
    order = forms.CharField(label=gettext_lazy("Order reference"), required=False, max_length=40)
    occurred_on = forms.DateField(label=gettext_lazy("Date achieved"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.CharField(label=gettext_lazy("Amount repaid (repayments only)"), required=False, max_length=20)
    currency = forms.CharField(label=gettext_lazy("Currency (ISO 4217, repayments only)"), required=False, max_length=3)
    workers_covered = forms.IntegerField(label=gettext_lazy("Workers covered"), required=False, min_value=0)
    description = forms.CharField(
        label=gettext_lazy("What was achieved, and what the evidence shows"), widget=forms.Textarea
    )
    evidence = forms.FileField(label=gettext_lazy("Evidence (PDF, office document or photo)"))


def _may_see_outcomes(user: Actor) -> bool:
    return services.may_view_dashboard(user) or services.may_record_outcome(user)


@login_required
@require_http_methods(["GET", "POST"])
def outcomes(request: HttpRequest) -> HttpResponse:
    if not _may_see_outcomes(request.user):
        raise PermissionDenied
    may_record = services.may_record_outcome(request.user)
    form = OutcomeForm(request.POST or None, request.FILES or None) if may_record else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                record = _outcome_from_form(request, form)
            except ServiceError as exc:
                service_error_to_form(form, exc)
            else:
                messages.success(request, _("Outcome recorded: %(kind)s.") % {"kind": record.get_kind_display()})
                return redirect("metrics:outcomes")
    fy = _fiscal_year(request, default=None)
    records = selectors.outcome_records(fiscal_year=fy).select_related("case", "order")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "metrics/outcomes.html",
        {"form": form, "page": page, "summary": selectors.outcome_table(fiscal_year=fy), "fy": fy},
    )


def _outcome_from_form(request: HttpRequest, form: OutcomeForm) -> OutcomeRecord:
    from section307.cases.models import Case
    from section307.core.errors import InvalidInput
    from section307.core.uploads import max_bytes_for, read_limited
    from section307.orders.models import EnforcementOrder

    data = form.cleaned_data
    case = order = None
    if data["case"]:
        case = Case.objects.filter(reference=data["case"].strip()).first()
        if case is None:
            raise InvalidInput(_("No case has this reference."), field="case")
    if data["order"]:
        order = EnforcementOrder.objects.filter(reference=data["order"].strip()).first()
        if order is None:
            raise InvalidInput(_("No order has this reference."), field="order")
    amount = None
    if data["amount"].strip():
        try:
            amount = Decimal(data["amount"].replace(",", "").strip())
        except InvalidOperation:
            raise InvalidInput(_("Enter the amount as a number, such as 1250.00."), field="amount") from None
    upload = data["evidence"]
    content = read_limited(upload, limit=max_bytes_for("outcome_evidence"), field="evidence")
    return services.outcome_record(
        actor=request.user,
        kind=data["kind"],
        occurred_on=data["occurred_on"],
        description=data["description"],
        evidence=content,
        evidence_name=upload.name,
        case=case,
        order=order,
        amount=amount,
        currency=data["currency"],
        workers_covered=data["workers_covered"],
    )


@login_required
def outcome_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may_see_outcomes(request.user):
        raise PermissionDenied
    record = get_object_or_404(OutcomeRecord, pk=pk)
    try:
        data = services.outcome_evidence(actor=request.user, record=record)
    except ServiceError as exc:
        raise PermissionDenied(str(exc)) from exc
    return stored_file_response(data, content_type=record.evidence_type, filename=record.evidence_name)


# --- Quarterly reports --------------------------------------------------------------------------


@login_required
@require_POST
def report_request(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    try:
        fy = int(request.POST.get("fiscal_year", ""))
        quarter = int(request.POST.get("quarter", ""))
    except ValueError:
        messages.error(request, _("Choose a fiscal year and a quarter."))
        return redirect("metrics:dashboard")
    try:
        services.report_request(actor=request.user, fiscal_year=fy, quarter=quarter)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The report is being built; it appears under Quarterly reports when ready."))
    return redirect("metrics:dashboard")


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    report = get_object_or_404(QuarterlyReport, pk=pk, status=QuarterlyReport.Status.READY)
    with report.file.open("rb") as handle:
        data = handle.read()
    return stored_file_response(
        data, content_type="application/pdf", filename=f"fy{report.fiscal_year}-q{report.quarter}.pdf"
    )


# --- Public statistics ----------------------------------------------------------------------


def _public_filters(request: HttpRequest) -> tuple[int | None, str]:
    fy = _fiscal_year(request, default=None)
    regime = request.GET.get("regime", "")
    return fy, regime if regime in Regime.values else ""


def _too_many(request: HttpRequest) -> HttpResponse:
    from section307.core.views import ratelimited

    return ratelimited(request, PermissionDenied())


def statistics_page(request: HttpRequest) -> HttpResponse:
    if statistics_limited(request):
        return _too_many(request)
    fy, regime = _public_filters(request)
    measure = "value" if request.GET.get("measure") == "value" else "stopped"
    tables = selectors.statistics_as_tables(selectors.statistics_tables(fiscal_year=fy, regime=regime))
    for table in tables:
        table.chart = measure
    query = request.GET.copy()
    query.pop("measure", None)
    return render(
        request,
        "metrics/statistics.html",
        {
            "tables": tables,
            "fy": fy,
            "regime": regime,
            "measure": measure,
            "regimes": Regime.choices,
            "fiscal_years": selectors.fiscal_years_with_data(),
            "minimum": selectors.minimum_cell(),
            "period": fiscal_year_bounds(fy) if fy else None,
            "query": query.urlencode(),
        },
    )


def statistics_export(request: HttpRequest, dimension: str, fmt: str) -> HttpResponse:
    if dimension not in selectors.PUBLIC_DIMENSIONS:
        raise Http404
    if statistics_limited(request):
        return _too_many(request)
    fy, regime = _public_filters(request)
    tables = selectors.statistics_as_tables(selectors.statistics_tables(fiscal_year=fy, regime=regime))
    table = next(t for t in tables if t.key == dimension)
    return export_response(table, fmt, f"statistics-{dimension}-{'fy' + str(fy) if fy else 'all-years'}")
