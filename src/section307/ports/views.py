"""Port officers' screens: targeting queue, entries and their timelines, exams, detentions, clocks, look-backs."""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from section307.core.errors import ServiceError
from section307.core.forms import service_error_message, service_error_to_form
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.queue import queue_for_page
from section307.core.storedfiles import stored_file_response
from section307.core.tabular import template_response
from section307.core.uploads import UploadRejected, check_archive
from section307.orders.models import EnforcementOrder
from section307.ports import disposition, selectors, services
from section307.ports import images as photo
from section307.ports.forms import DecisionForm, EntriesUploadForm, ImageForm, RedactForm, RescreenForm, TargetForm
from section307.ports.intake import ENTRIES_FILE_COLUMNS, IntakeError, read_entries_file
from section307.ports.lifecycle import DETENTION_LIFECYCLE, ENTRY_LIFECYCLE
from section307.ports.models import Clock, Decision, Detention, Entry, ExamImage, ForfeitureStep, RescreenRun
from section307.ports.permissions import detentions_visible_to, entries_visible_to, is_port_staff
from section307.ports.regimes import PROOF_ACCEPTED

MAX_ENTRY_FILE = 20 * 1024 * 1024

# Other contexts (the importer portal's packages) add a section to the staff detention page:
# a callable (user, detention) -> (template, context) or None. Ports itself knows nothing of them.
DetentionSection = Callable[[Any, Detention], "tuple[str, dict[str, Any]] | None"]
DETENTION_PAGE_SECTIONS: list[DetentionSection] = []


def _entry_or_404(request: HttpRequest, entry_number: str) -> Entry:
    entry = selectors.entry_get(user=request.user, entry_number=entry_number)
    if entry is None:
        raise Http404("No such entry")
    return entry


@login_required
@permission_required("ports.view_entry", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ports/queue.html",
        {
            "entries": selectors.targeting_queue(user=request.user)[:200],
            "due": selectors.clocks_due(user=request.user)[:10],
        },
    )


@login_required
@permission_required("ports.view_entry", raise_exception=True)
def entry_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.entry_list(user=request.user, status=status, query=query), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "ports/entry_list.html",
        {"page": page, "status": status, "q": query, "statuses": Entry.Status.choices},
    )


@login_required
@permission_required("ports.view_entry", raise_exception=True)
def entry_detail(request: HttpRequest, entry_number: str) -> HttpResponse:
    entry = _entry_or_404(request, entry_number)
    return _render_entry(request, entry)


def _render_entry(
    request: HttpRequest,
    entry: Entry,
    *,
    target_form: TargetForm | None = None,
    image_form: ImageForm | None = None,
    image_report: photo.ImageReport | None = None,
    status: int = 200,
) -> HttpResponse:
    detention = getattr(entry, "detention", None) if hasattr(entry, "detention") else None
    lines = list(entry.lines.all())
    return render(
        request,
        "ports/entry_detail.html",
        {
            "entry": entry,
            "detention": detention,
            # Lines that cleared screening fold away when others need a look.
            "lines_flagged": [line for line in lines if line.decision != Decision.CLEAR],
            "lines_clear": [line for line in lines if line.decision == Decision.CLEAR],
            "timeline": selectors.entry_timeline(user=request.user, entry=entry),
            "actions": ENTRY_LIFECYCLE.available(entry.status, request.user),
            "target_form": target_form
            or TargetForm(initial={"order_reference": getattr(entry.top_line, "order_reference", "")}),
            "image_form": image_form or ImageForm(initial={"shared_with_importer": True}),
            "image_report": image_report,
            "standard": photo.standard(),
            "can_target": request.user.has_perm("ports.target_entry"),
            "next_items": queue_for_page(request.user, reverse("ports:entry_detail", args=[entry.entry_number])),
        },
        status=status,
    )


@login_required
@permission_required("ports.target_entry", raise_exception=True)
@require_POST
def entry_target(request: HttpRequest, entry_number: str) -> HttpResponse:
    entry = _entry_or_404(request, entry_number)
    form = TargetForm(request.POST)
    if not form.is_valid():
        return _render_entry(request, entry, target_form=form, status=400)
    action = form.cleaned_data["action"]
    try:
        if action == "detain":
            detention = services.entry_detain(
                actor=request.user,
                entry=entry,
                reason=form.cleaned_data["reason"],
                order_reference=form.cleaned_data["order_reference"],
            )
            messages.success(
                request,
                gettext("Entry %(entry_number)s detained; the importer has been notified.")
                % {"entry_number": entry.entry_number},
            )
            return redirect("ports:detention_detail", pk=detention.pk)
        services.entry_target(actor=request.user, entry=entry, action=action, reason=form.cleaned_data["reason"])
    except (services.PortsError, TransitionNotAllowed) as exc:
        service_error_to_form(form, exc)
        return _render_entry(request, entry, target_form=form, status=400)
    messages.success(
        request,
        gettext("Entry %(entry_number)s: %(value)s.")
        % {"entry_number": entry.entry_number, "value": dict(form.fields["action"].choices)[action].lower()},  # type: ignore[attr-defined]
    )
    return redirect("ports:entry_detail", entry_number=entry.entry_number)


@login_required
@permission_required("ports.target_entry", raise_exception=True)
@require_POST
def image_upload(request: HttpRequest, entry_number: str) -> HttpResponse:
    entry = _entry_or_404(request, entry_number)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_entry(request, entry, image_form=form, status=400)
    upload = form.cleaned_data["photo"]
    try:
        services.image_add(
            actor=request.user,
            entry=entry,
            data=upload.read(),
            original_name=upload.name,
            caption=form.cleaned_data["caption"],
            override_reason=form.cleaned_data["override_reason"],
            shared_with_importer=form.cleaned_data["shared_with_importer"],
        )
    except services.ImageBelowStandard as exc:
        form.add_error(
            "photo",
            gettext("The photo does not meet the standard: %(exc)s. Retake it, or give a reason to keep it.")
            % {"exc": exc},
        )
        return _render_entry(request, entry, image_form=form, image_report=exc.report, status=400)
    except (photo.ImageRejected, services.PortsError) as exc:
        exc.field = exc.field or "photo"
        service_error_to_form(form, exc)
        return _render_entry(request, entry, image_form=form, status=400)
    messages.success(request, gettext("Photo added."))
    # Back to the section the officer worked in (the page's tabs open the one the address names).
    return redirect(reverse("ports:entry_detail", args=[entry.entry_number]) + "#images")


@login_required
def image_file(request: HttpRequest, pk: int, variant: str = "image") -> HttpResponse:
    """Staff see every photo; the importer of record sees the photos shared with it."""
    image = get_object_or_404(ExamImage.objects.select_related("entry"), pk=pk)
    if not entries_visible_to(request.user).filter(pk=image.entry_id).exists():
        raise Http404
    own = image.shared_with_importer and image.entry.organization_id == getattr(request.user, "organization_id", None)
    if not (is_port_staff(request.user) or own):
        raise Http404
    field = image.redacted if variant == "redacted" else image.image
    if not field:
        raise Http404
    with field.open("rb") as fh:
        data = fh.read()
    return stored_file_response(
        data, content_type="image/jpeg", filename=f"{image.entry.entry_number}-{pk}.jpg", as_attachment=False
    )


@login_required
@permission_required("ports.target_entry", raise_exception=True)
@require_POST
def image_redact(request: HttpRequest, pk: int) -> HttpResponse:
    image = get_object_or_404(ExamImage.objects.select_related("entry"), pk=pk)
    form = RedactForm(request.POST)
    if form.is_valid():
        box = tuple(form.cleaned_data[k] for k in ("left", "top", "right", "bottom"))
        try:
            services.image_redact(actor=request.user, image=image, boxes=[box])  # type: ignore[list-item]
            messages.success(request, gettext("Redacted copy made."))
        except services.PortsError as exc:
            service_error_message(request, exc, gettext("Redaction: "))
    else:
        messages.error(request, gettext("Redaction: give the box as fractions from 0 to 1."))
    return redirect(reverse("ports:entry_detail", args=[image.entry.entry_number]) + "#images")


@login_required
@permission_required("ports.file_entry", raise_exception=True)
def entries_upload_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The entries file template (header, an example row; in XLSX also a sheet describing each column)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return template_response(ENTRIES_FILE_COLUMNS, fmt=fmt, filename="entries-template", sheet_title=gettext("Entries"))


@login_required
@permission_required("ports.file_entry", raise_exception=True)
def entries_upload(request: HttpRequest) -> HttpResponse:
    form = EntriesUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            form.add_error("file", gettext("Send a .csv or .xlsx file."))
        elif upload.size > MAX_ENTRY_FILE:
            form.add_error(
                "file", gettext("The file is larger than %(value)s MB.") % {"value": MAX_ENTRY_FILE // (1024 * 1024)}
            )
        else:
            with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
                for chunk in upload.chunks():
                    tmp.write(chunk)
                tmp.flush()
                try:
                    if suffix == ".xlsx" and zipfile.is_zipfile(tmp.name):
                        check_archive(tmp.name, field="file")  # a workbook is a zip: refuse bombs unopened
                    parsed = read_entries_file(tmp.name, display_name=upload.name, today=timezone.localdate())
                    entries = services.entries_receive(actor=request.user, entries=parsed, source=Entry.Source.UPLOAD)
                except UploadRejected as exc:
                    form.add_error("file", exc.message)
                    errors = [exc.message]
                except IntakeError as exc:
                    errors = [str(e) for e in exc.errors[:100]]
                else:
                    flagged = sum(1 for e in entries if e.status == Entry.Status.TARGETED)
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d entry received and screened; %(flagged)d sent to the targeting queue.",
                            "%(count)d entries received and screened; %(flagged)d sent to the targeting queue.",
                            len(entries),
                        )
                        % {"count": len(entries), "flagged": flagged},
                    )
                    return redirect("ports:queue")
    return render(
        request,
        "ports/upload.html",
        {"form": form, "errors": errors, "columns": ENTRIES_FILE_COLUMNS},
        status=400 if errors else 200,
    )


@login_required
@permission_required("ports.view_detention", raise_exception=True)
def detention_list(request: HttpRequest) -> HttpResponse:
    open_only = request.GET.get("all") != "1"
    page = Paginator(selectors.detention_list(user=request.user, open_only=open_only), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "ports/detention_list.html", {"page": page, "open_only": open_only})


@login_required
@permission_required("ports.view_detention", raise_exception=True)
def detention_detail(request: HttpRequest, pk: int, decision_form: DecisionForm | None = None) -> HttpResponse:
    detention = selectors.detention_get(user=request.user, pk=pk)
    if detention is None:
        raise Http404
    clocks = selectors.clock_rows(detention)
    return render(
        request,
        "ports/detention_detail.html",
        {
            "detention": detention,
            "entry": detention.entry,
            "timeline": selectors.entry_timeline(user=request.user, entry=detention.entry),
            "clocks": clocks,
            # The running deadline that falls first: the page's "by when" even for readers without a queue item.
            "next_clock": min((r for r in clocks if r.clock.running), key=lambda r: r.state.due, default=None),
            "proof": PROOF_ACCEPTED[detention.regime],
            "sections": [s for s in (section(request.user, detention) for section in DETENTION_PAGE_SECTIONS) if s],
            "order_in_force": detention.order is None or detention.order.is_enforced,
            "determinations": detention.determinations.select_related("proposed_by", "concurred_by"),
            "protest": getattr(detention.entry, "protest", None) if hasattr(detention.entry, "protest") else None,
            "forfeiture_steps": detention.forfeiture_steps.all(),
            "forfeiture_choices": ForfeitureStep.Step.choices,
            "outcome_rows": _outcome_rows(detention, decision_form or DecisionForm()),
            "decision_form": decision_form or DecisionForm(),
            "transitions": DETENTION_LIFECYCLE.available(detention.status, request.user),
            "can_decide": request.user.has_perm("ports.decide_detention"),
            "max_extensions": services.max_extensions(),
            "extension_days": services.extension_days(),
            "next_items": queue_for_page(request.user, reverse("ports:detention_detail", args=[detention.pk])),
        },
        status=400 if decision_form is not None else 200,
    )


def _outcome_rows(detention: Detention, form: DecisionForm) -> list[tuple[str, str, Any]]:
    """Each outcome with the rule that holds it back today (None when the law allows it now)."""
    facts = services.disposition_facts(detention)
    choices: Any = form.fields["outcome"].choices  # type: ignore[attr-defined]
    return [(value, label, disposition.block(value, facts)) for value, label in choices]


@login_required
@permission_required("ports.decide_detention", raise_exception=True)
@require_POST
def detention_decide(request: HttpRequest, pk: int) -> HttpResponse:
    detention = get_object_or_404(detentions_visible_to(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return detention_detail(request, pk, decision_form=form)
    try:
        services.detention_decide(
            actor=request.user,
            detention=detention,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
        )
    except (services.PortsError, ServiceError, TransitionNotAllowed) as exc:
        service_error_to_form(form, exc)
        return detention_detail(request, pk, decision_form=form)
    messages.success(request, gettext("Decision recorded; the importer has been notified."))
    return redirect(reverse("ports:detention_detail", args=[pk]) + "#decide")


@login_required
@permission_required("ports.decide_detention", raise_exception=True)
@require_POST
def forfeiture_record(request: HttpRequest, pk: int) -> HttpResponse:
    detention = get_object_or_404(detentions_visible_to(request.user), pk=pk)
    try:
        on = dt.date.fromisoformat(request.POST.get("on", ""))
        amount_text = request.POST.get("amount", "").strip()
        amount = Decimal(amount_text) if amount_text else None
    except (ValueError, InvalidOperation):
        messages.error(
            request, gettext("Forfeiture step not recorded: give the date as YYYY-MM-DD and the amount as a number.")
        )
        return redirect("ports:detention_detail", pk=pk)
    try:
        services.forfeiture_record(
            actor=request.user,
            detention=detention,
            step=request.POST.get("step", ""),
            on=on,
            note=request.POST.get("note", ""),
            amount=amount,
        )
        messages.success(request, gettext("Forfeiture step recorded."))
    except ServiceError as exc:
        messages.error(request, f"Forfeiture step not recorded: {exc}" + (f" ({exc.rule})." if exc.rule else "."))
    return redirect(reverse("ports:detention_detail", args=[pk]) + "#protest")


@login_required
@permission_required("ports.decide_detention", raise_exception=True)
@require_POST
def clock_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    clock = get_object_or_404(Clock.objects.filter(detention__in=detentions_visible_to(request.user)), pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if action == "suspend":
            services.clock_suspend(actor=request.user, clock=clock, reason=reason)
        elif action == "resume":
            services.clock_resume(actor=request.user, clock=clock)
        elif action == "extend":
            services.clock_extend(
                actor=request.user,
                clock=clock,
                reason=reason,
                approving_official=request.POST.get("approving_official", ""),
            )
        else:
            raise Http404
        messages.success(request, f"Clock {action}ed." if action != "extend" else "Agency extension recorded.")
    except (services.PortsError, ServiceError) as exc:
        service_error_message(request, exc, gettext("Clock not changed: "))
    return redirect(reverse("ports:detention_detail", args=[clock.detention_id]) + "#deadlines")


@login_required
@permission_required("ports.view_entry", raise_exception=True)
def clocks_due(request: HttpRequest) -> HttpResponse:
    return render(request, "ports/clocks_due.html", {"rows": selectors.clocks_due(user=request.user)})


@login_required
@permission_required("ports.rescreen_entries", raise_exception=True)
def rescreen(request: HttpRequest) -> HttpResponse:
    form = RescreenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["order_reference"].strip()
        order = None
        if reference:
            order = EnforcementOrder.objects.filter(reference=reference).first()
            if order is None:
                form.add_error(
                    "order_reference", gettext("No order %(reference)s in the registry.") % {"reference": reference}
                )
        if not form.errors:
            since = timezone.localdate() - dt.timedelta(days=form.cleaned_data["days"])
            run = services.entries_rescreen(actor=request.user, since=since, order=order, trigger="requested by staff")
            messages.success(
                request, gettext("Re-screened %(lines_screened)s lines.") % {"lines_screened": run.lines_screened}
            )
            return redirect("ports:rescreen_detail", pk=run.pk)
    return render(
        request,
        "ports/rescreen.html",
        {"form": form, "runs": RescreenRun.objects.all()[:30]},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required("ports.view_entry", raise_exception=True)
def rescreen_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(selectors.rescreen_runs(), pk=pk)
    findings = list(run.findings.all())
    return render(
        request,
        "ports/rescreen_detail.html",
        {
            "run": run,
            "affected": [f for f in findings if f.newly_affected],
            "other": [f for f in findings if not f.newly_affected],
        },
    )
