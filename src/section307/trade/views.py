"""The importer portal: an organization's entries, detentions, requests and notices (nobody else's)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from section307.core.errors import ServiceError
from section307.core.forms import service_error_message, service_error_to_form
from section307.core.storedfiles import stored_file_response
from section307.core.types import Actor
from section307.orders.models import EnforcementOrder, OrderType
from section307.ports import selectors as port_selectors
from section307.ports.models import Detention, Notice
from section307.ports.permissions import can_act_for_entry, detentions_visible_to, is_port_staff, is_trade_user
from section307.ports.regimes import PROOF_ACCEPTED, REQUEST_KINDS_FOR_REGIME
from section307.ports.services import PortsError, detention_elect_export, notice_mark_read
from section307.ports.services import protest_file as protest_file_service
from section307.trade import selectors, services
from section307.trade.checklists import ILO_INDICATORS
from section307.trade.forms import (
    AnswerForm,
    ChangeRequestForm,
    DocumentForm,
    ExportForm,
    ProtestForm,
    StatementForm,
)
from section307.trade.models import ORDER_KINDS, RequestDocument, RequestKind, TradeRequest
from section307.trade.permissions import can_edit_request, requests_visible_to
from section307.trade.uploads import document_content


def portal_user(view: Any) -> Any:
    """Trade users with an organization only; everyone else is refused."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_trade_user(request.user):
            raise PermissionDenied(gettext("The importer portal is for trade users of an organization."))
        return view(request, *args, **kwargs)

    return wrapper


@portal_user
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "trade/home.html",
        {
            "detentions": port_selectors.detention_list(user=user)[:100],
            "entries": port_selectors.entry_list(user=user)[:50],
            "requests": selectors.request_list(user=user)[:100],
            "notices": port_selectors.notices_for(user=user)[:10],
            "unread": port_selectors.notices_for(user=user).filter(read_at__isnull=True).count(),
            "change_orders": EnforcementOrder.objects.filter(
                order_type__in=[OrderType.WRO, OrderType.FINDING], status__in=["active", "modified"]
            ).order_by("reference"),
        },
    )


@portal_user
def entry_detail(request: HttpRequest, entry_number: str) -> HttpResponse:
    entry = port_selectors.entry_get(user=request.user, entry_number=entry_number)
    if entry is None:
        raise Http404
    detention = getattr(entry, "detention", None) if can_act_for_entry(request.user, entry) else None
    return render(
        request,
        "trade/entry_detail.html",
        {
            "entry": entry,
            "detention": detention,
            "timeline": port_selectors.entry_timeline(user=request.user, entry=entry),
        },
    )


def _detention_for(request: HttpRequest, pk: int) -> Detention:
    detention = port_selectors.detention_get(user=request.user, pk=pk)
    if detention is None:
        raise Http404
    return detention


@portal_user
def detention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detention = _detention_for(request, pk)
    existing = {r.kind for r in selectors.requests_for_detention(user=request.user, detention=detention)}
    return render(
        request,
        "trade/detention_detail.html",
        {
            "detention": detention,
            "entry": detention.entry,
            "timeline": port_selectors.entry_timeline(user=request.user, entry=detention.entry),
            "images": detention.entry.images.filter(shared_with_importer=True),
            "clocks": port_selectors.clock_rows(detention),
            "proof": PROOF_ACCEPTED[detention.regime],
            "requests": selectors.requests_for_detention(user=request.user, detention=detention),
            "kinds": [
                (k, RequestKind(k).label) for k in REQUEST_KINDS_FOR_REGIME[detention.regime] if k not in existing
            ],
            "export_form": ExportForm(),
            "determinations": detention.determinations.filter(status="effective"),
            "protest": getattr(detention.entry, "protest", None) if hasattr(detention.entry, "protest") else None,
            "protest_form": ProtestForm(),
        },
    )


@portal_user
@require_POST
def detention_export(request: HttpRequest, pk: int) -> HttpResponse:
    detention = _detention_for(request, pk)
    form = ExportForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        detention_elect_export(actor=request.user, detention=detention, note=note)
        messages.success(request, gettext("Your election to export has been sent to the port."))
    except PortsError as exc:
        service_error_message(request, exc, gettext("Export not elected: "))
    return redirect("trade:detention_detail", pk=pk)


@portal_user
@require_POST
def protest_file(request: HttpRequest, pk: int) -> HttpResponse:
    detention = _detention_for(request, pk)
    form = ProtestForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Protest not filed: state its grounds."))
        return redirect("trade:detention_detail", pk=pk)
    try:
        protest_file_service(
            actor=request.user,
            detention=detention,
            grounds=form.cleaned_data["grounds"],
            accelerated=form.cleaned_data["accelerated"],
        )
        messages.success(request, gettext("Protest filed; headquarters will decide it."))
    except ServiceError as exc:
        if exc.rule:
            messages.error(
                request, gettext("Protest not filed: %(reason)s (%(rule)s).") % {"reason": exc, "rule": exc.rule}
            )
        else:
            messages.error(request, gettext("Protest not filed: %(reason)s.") % {"reason": exc})
    return redirect("trade:detention_detail", pk=pk)


@portal_user
@require_POST
def request_create(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    detention = None
    order = None
    if request.POST.get("detention"):
        try:
            detention = detentions_visible_to(request.user).filter(pk=int(request.POST["detention"])).first()
        except ValueError:
            detention = None
    if request.POST.get("order"):
        order = EnforcementOrder.objects.filter(reference=request.POST["order"]).first()
    try:
        created = services.request_create(actor=request.user, kind=kind, detention=detention, order=order)
    except services.TradeError as exc:
        service_error_message(request, exc, gettext("Request not opened: "))
        return redirect("trade:detention_detail", pk=detention.pk) if detention else redirect("trade:home")
    messages.success(
        request, gettext("%(kind)s opened. Add the documents, then submit.") % {"kind": created.get_kind_display()}
    )
    return redirect("trade:request_detail", pk=created.pk)


def _request_context(request: HttpRequest, obj: TradeRequest, **extra: Any) -> dict[str, Any]:
    if obj.kind in ORDER_KINDS:
        initial: dict[str, Any] = {
            "statement": obj.statement,
            "grounds": obj.grounds,
            "proposed_change": obj.proposed_change,
        }
        initial.update({f"ilo_{k}": obj.ilo_answers.get(k, "") for k, _ in ILO_INDICATORS})
        statement_form: StatementForm = ChangeRequestForm(initial=initial, kind=obj.kind)
    else:
        statement_form = StatementForm(initial={"statement": obj.statement})
    ctx: dict[str, Any] = {
        "req": obj,
        "checklist": services.checklist(obj),
        "untranslated": services.untranslated(obj),
        "problems": services.submission_problems(obj) if obj.is_open else [],
        "document_form": DocumentForm(request_obj=obj, initial={"language": "en"}),
        "statement_form": statement_form,
        "answer_form": AnswerForm(),
        "editable": obj.is_open and can_edit_request(request.user, obj),
        "staff": is_port_staff(request.user),
    }
    ctx.update(extra)
    return ctx


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not (is_trade_user(request.user) or request.user.has_perm("trade.view_traderequest")):
        raise PermissionDenied
    obj = selectors.request_get(user=request.user, pk=pk)
    if obj is None:
        raise Http404
    return render(request, "trade/request_detail.html", _request_context(request, obj))


def _own_request(request: HttpRequest, pk: int) -> TradeRequest:
    obj = selectors.request_get(user=request.user, pk=pk)
    if obj is None:
        raise Http404
    return obj


@portal_user
@require_POST
def request_statement(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _own_request(request, pk)
    form: StatementForm = (
        ChangeRequestForm(request.POST, kind=obj.kind) if obj.kind in ORDER_KINDS else StatementForm(request.POST)
    )
    if not form.is_valid():
        return render(
            request, "trade/request_detail.html", _request_context(request, obj, statement_form=form), status=400
        )
    data = form.cleaned_data
    try:
        services.request_update(
            actor=request.user,
            request=obj,
            statement=data["statement"],
            ilo_answers={k: data.get(f"ilo_{k}", "") for k, _ in ILO_INDICATORS},
            grounds=data.get("grounds", ""),
            proposed_change=data.get("proposed_change", ""),
        )
    except services.TradeError as exc:
        service_error_to_form(form, exc)
        return render(
            request, "trade/request_detail.html", _request_context(request, obj, statement_form=form), status=400
        )
    messages.success(request, gettext("Saved."))
    return redirect("trade:request_detail", pk=pk)


@portal_user
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _own_request(request, pk)
    form = DocumentForm(request.POST, request.FILES, request_obj=obj)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_add(
                actor=request.user,
                request=obj,
                data=upload.read(),
                name=upload.name,
                category=form.cleaned_data["category"],
                language=form.cleaned_data["language"],
                tier=form.cleaned_data["tier"],
                translation_of=form.cleaned_data["translation_of"],
                description=form.cleaned_data["description"],
            )
        except services.TradeError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, gettext("%(name)s added.") % {"name": upload.name})
            return redirect("trade:request_detail", pk=pk)
    return render(request, "trade/request_detail.html", _request_context(request, obj, document_form=form), status=400)


@portal_user
@require_POST
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _own_request(request, pk)
    try:
        version = services.request_submit(actor=request.user, request=obj)
    except services.TradeError as exc:
        service_error_message(request, exc, gettext("Not submitted: "))
    else:
        messages.success(request, gettext("Version %(number)s submitted.") % {"number": version.number})
    return redirect("trade:request_detail", pk=pk)


@portal_user
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _own_request(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return render(
            request, "trade/request_detail.html", _request_context(request, obj, answer_form=form), status=400
        )
    try:
        services.request_answer(actor=request.user, request=obj, answer=form.cleaned_data["answer"])
        messages.success(request, gettext("Answer sent."))
    except services.TradeError as exc:
        service_error_message(request, exc, gettext("Answer not sent: "))
    return redirect("trade:request_detail", pk=pk)


@portal_user
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _own_request(request, pk)
    try:
        services.request_withdraw(actor=request.user, request=obj)
        messages.success(request, gettext("Request withdrawn."))
    except services.TradeError as exc:
        service_error_message(request, exc, gettext("Not withdrawn: "))
    return redirect("trade:request_detail", pk=pk)


@login_required
def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(RequestDocument.objects.select_related("request"), pk=pk)
    if not requests_visible_to(request.user).filter(pk=doc.request_id).exists():
        raise Http404
    return stored_file_response(document_content(doc), content_type=doc.content_type, filename=doc.original_name)


@portal_user
def notices(request: HttpRequest) -> HttpResponse:
    return render(request, "trade/notices.html", {"notices": port_selectors.notices_for(user=request.user)[:200]})


@portal_user
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(port_selectors.notices_for(user=request.user), pk=pk)
    try:
        notice_mark_read(actor=request.user, notice=notice)
    except PortsError:
        raise Http404 from None
    return render(request, "trade/notice_detail.html", {"notice": notice, "kinds": Notice.Kind})


@login_required
@permission_required("ports.decide_detention", raise_exception=True)
@require_POST
def request_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """A port officer asks the importer a question on its package (from the staff detention page)."""
    trade_request = get_object_or_404(requests_visible_to(request.user), pk=pk)
    try:
        services.request_ask(actor=request.user, request=trade_request, question=request.POST.get("question", ""))
        messages.success(request, gettext("Question sent to the importer."))
    except (services.TradeError, PermissionDenied) as exc:
        messages.error(request, gettext("Question not sent: %(exc)s.") % {"exc": exc})
    if trade_request.detention_id:
        return redirect("ports:detention_detail", pk=trade_request.detention_id)
    return redirect("ports:queue")


def detention_page_section(user: Actor, detention: Detention) -> tuple[str, dict[str, Any]] | None:
    """The importer's packages on the staff detention page (registered with ports in TradeConfig.ready)."""
    return (
        "trade/_detention_requests.html",
        {
            "requests": selectors.requests_for_detention(user=user, detention=detention),
            "can_ask": user.has_perm("ports.decide_detention"),
        },
    )


# ------------------------------------------------------------------------------- broker delegation


@portal_user
def brokers(request: HttpRequest) -> HttpResponse:
    """An importer grants customs brokers access to all or some of its entries, and revokes it."""
    from section307.accounts.models import EntryAccessGrant, Organization
    from section307.accounts.services import entry_access_grant
    from section307.core.errors import ServiceError
    from section307.trade.forms import BrokerGrantForm

    org = request.user.organization  # type: ignore[union-attr]
    is_importer = org is not None and org.kind == Organization.Kind.IMPORTER
    form = BrokerGrantForm(request.POST or None)
    if request.method == "POST":
        if not is_importer:
            raise PermissionDenied(gettext("Only an importer of record grants access to its entries."))
        if form.is_valid():
            d = form.cleaned_data
            numbers = None if d["scope"] == "all" else d["entry_numbers"]
            try:
                entry_access_grant(actor=request.user, broker=d["broker"], entry_numbers=numbers)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, gettext("Access granted."))
                return redirect("trade:brokers")
    granted = EntryAccessGrant.objects.filter(importer=org).select_related("broker", "granted_by", "revoked_by")
    received = EntryAccessGrant.objects.filter(broker=org, revoked_at__isnull=True).select_related("importer")
    return render(
        request,
        "trade/brokers.html",
        {"form": form, "granted": granted, "received": received, "is_importer": is_importer},
        status=400 if form.errors else 200,
    )


@portal_user
@require_POST
def broker_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    from section307.accounts.models import EntryAccessGrant
    from section307.accounts.services import entry_access_revoke
    from section307.core.errors import ServiceError

    grant = get_object_or_404(EntryAccessGrant, pk=pk, importer_id=request.user.organization_id)  # type: ignore[union-attr]
    try:
        entry_access_revoke(actor=request.user, grant=grant)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Access revoked."))
    return redirect("trade:brokers")
