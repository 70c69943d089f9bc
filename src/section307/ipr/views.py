"""Pages of IPR detentions: one detention page for the officer, the rights holder and the importer,
each shown what the rule lets them see now; recordations and rights-holder accounts for staff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from section307.core.errors import NotPermitted, ServiceError
from section307.core.forms import service_error_message, service_error_to_form
from section307.core.storedfiles import stored_file_response
from section307.core.uploads import UploadRejected
from section307.ipr import permissions as perms
from section307.ipr import photostandard, selectors, services
from section307.ipr.forms import (
    AccountForm,
    DetainForm,
    ExtendForm,
    ForfeitureForm,
    PhotoForm,
    ReasonForm,
    RecordationForm,
    RedactForm,
    ReplyForm,
    ResponseForm,
    SampleForm,
)
from section307.ipr.lifecycle import machine_for
from section307.ipr.models import Disclosure, IprDetention, IprImage, Recordation
from section307.ports.intake import normalise_entry_number
from section307.ports.models import Entry


def _detention_or_404(request: HttpRequest, pk: int) -> tuple[IprDetention, str]:
    detention = selectors.detention_get(request.user, pk)
    if detention is None:
        raise Http404("No such detention")
    kind = perms.viewer_kind(request.user, detention)
    if kind is None:
        raise Http404("No such detention")
    return detention, kind


@login_required
def detention_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in IprDetention.Status.values:
        status = ""
    rows = selectors.detention_list(request.user, status=status)[:300]
    return render(
        request,
        "ipr/detention_list.html",
        {
            "rows": rows,
            "status": status,
            "statuses": IprDetention.Status.choices,
            "officer": perms.is_ipr_officer(request.user),
            "holder": perms.is_rights_holder(request.user),
            "manage_recordations": request.user.has_perm("ipr.manage_recordation"),
        },
    )


def _render_detail(
    request: HttpRequest, detention: IprDetention, kind: str, status: int = 200, **forms: Any
) -> HttpResponse:
    clocks = selectors.ipr_clocks(detention)
    context: dict[str, Any] = {
        "d": detention,
        "kind": kind,
        "clocks": list(clocks.values()),
        "today": timezone.localdate(),
        "limited": selectors.limited_info(detention),
        "recordations": detention.recordations.all(),
    }
    if kind == perms.STAFF:
        officer = perms.is_ipr_officer(request.user)
        missing = photostandard.missing_shots(detention.images.values_list("shot_type", flat=True))
        context.update(
            officer=officer,
            codes=selectors.code_rows(detention.codes),
            images=list(detention.images.all()),
            missing=missing,
            shot_types=photostandard.SHOT_TYPES,
            actions=[t.name for t in machine_for(detention).available(detention.status, request.user)]
            if officer
            else [],
            window_closed=selectors.reply_window_closed(detention, today=timezone.localdate()),
            responses=detention.responses.select_related("recordation", "responded_by"),
            disclosures=detention.disclosures.select_related("image")[:100],
            photo_form=forms.get("photo_form") or PhotoForm(),
            redact_form=RedactForm(initial={"left": 10, "top": 20, "right": 90, "bottom": 60, "style": "blur"}),
            reason_form=forms.get("reason_form") or ReasonForm(),
            sample_form=SampleForm(),
            seizure_info=selectors.labelled(selectors.seizure_info(detention))
            if detention.status == IprDetention.Status.SEIZED and not detention.restricted
            else None,
            extend_form=forms.get("extend_form") or ExtendForm(),
            forfeiture_form=forms.get("forfeiture_form") or ForfeitureForm(initial={"on": timezone.localdate()}),
            forfeiture_steps=list(detention.forfeiture_steps.all()),
            can_sample=officer
            and not detention.sample_provided_on
            and detention.status in services.SAMPLE_STATES[IprDetention.Procedure(detention.procedure)],
        )
    elif kind == perms.HOLDER:
        view = selectors.holder_view(detention, request.user)
        own = detention.recordations.filter(pk__in=perms.recordations_of(request.user))
        context.update(
            view=view,
            seizure_rows=selectors.labelled(view.seizure_info),
            holder_codes=selectors.code_rows(view.codes) if view.codes is not None else None,
            can_respond=detention.status
            in (
                (IprDetention.Status.DETAINED, IprDetention.Status.NOTICED)
                if detention.restricted
                else (IprDetention.Status.NOTICED, IprDetention.Status.DISCLOSED)
            ),
            response_form=forms.get("response_form") or ResponseForm(recordations=own, piratical=detention.piratical),
        )
        services.holder_views_detention(actor=request.user, detention=detention, channel="page")
    else:
        context.update(
            images=list(detention.images.all()),
            can_reply=detention.status == IprDetention.Status.NOTICED,
            reply_form=forms.get("reply_form") or ReplyForm(piratical=detention.piratical),
        )
    return render(request, "ipr/detention_detail.html", context, status=status)


@login_required
def detention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detention, kind = _detention_or_404(request, pk)
    return _render_detail(request, detention, kind)


@login_required
@permission_required("ipr.manage_iprdetention", raise_exception=True)
def detain(request: HttpRequest) -> HttpResponse:
    form = DetainForm(request.POST or None, initial={"entry_number": request.GET.get("entry", "")})
    if request.method == "POST" and form.is_valid():
        number = normalise_entry_number(form.cleaned_data["entry_number"]) or ""
        entry = Entry.objects.filter(entry_number=number).first()
        if entry is None:
            form.add_error("entry_number", _("No entry with this number."))
        else:
            try:
                codes = services.parse_codes(form.cleaned_data["codes"])
                detention = services.ipr_detain(
                    actor=request.user,
                    entry=entry,
                    recordations=list(form.cleaned_data["recordations"]),
                    reasons=form.cleaned_data["reasons"],
                    decided_on=form.cleaned_data["decided_on"],
                    codes=codes,
                    port_detention=getattr(entry, "detention", None),
                    procedure=form.cleaned_data["procedure"],
                )
            except ServiceError as exc:
                service_error_to_form(form, exc)
            else:
                messages.success(request, _("Goods detained. Add the photos, then send the notice."))
                return redirect("ipr:detention_detail", pk=detention.pk)
    return render(request, "ipr/detain.html", {"form": form}, status=400 if form.errors else 200)


ACTIONS = {
    "send_notice",
    "disclose",
    "release",
    "seize",
    "sample",
    "seizure_info",
    "extend",
    "owner_info",
    "notify_owner",
    "forfeiture",
}


@login_required
@permission_required("ipr.manage_iprdetention", raise_exception=True)
@require_POST
def detention_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    detention, kind = _detention_or_404(request, pk)
    try:
        if action == "send_notice":
            services.ipr_notice_send(actor=request.user, detention=detention)
            messages.success(request, _("Notice sent to the importer."))
        elif action == "disclose":
            services.ipr_disclose(actor=request.user, detention=detention)
            messages.success(
                request,
                _("Unredacted images are now disclosed to the rights holder.")
                if detention.piratical
                else _("Unredacted images and codes are now disclosed to the rights holder."),
            )
        elif action in ("release", "seize"):
            form = ReasonForm(request.POST)
            if not form.is_valid():
                return _render_detail(request, detention, kind, status=400, reason_form=form)
            services.ipr_decide(
                actor=request.user, detention=detention, outcome=action, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Decision recorded; the importer is told."))
        elif action == "extend":
            extend_form = ExtendForm(request.POST)
            if not extend_form.is_valid():
                return _render_detail(request, detention, kind, status=400, extend_form=extend_form)
            services.restricted_extend(actor=request.user, detention=detention, **extend_form.cleaned_data)
            messages.success(request, _("Detention extended; the importer is told the new date."))
        elif action == "owner_info":
            services.restricted_owner_info_send(actor=request.user, detention=detention)
            messages.success(request, _("Importation information given to the mark owner."))
        elif action == "forfeiture":
            forfeiture_form = ForfeitureForm(request.POST)
            if not forfeiture_form.is_valid():
                return _render_detail(request, detention, kind, status=400, forfeiture_form=forfeiture_form)
            try:
                services.ipr_forfeiture_record(actor=request.user, detention=detention, **forfeiture_form.cleaned_data)
            except ServiceError as exc:
                service_error_to_form(forfeiture_form, exc)
                return _render_detail(request, detention, kind, status=400, forfeiture_form=forfeiture_form)
            messages.success(request, _("Forfeiture step recorded."))
        elif action == "sample":
            services.sample_provide(
                actor=request.user, detention=detention, bond_reference=request.POST.get("bond_reference", "")
            )
            messages.success(request, _("Sample recorded as provided on a bond."))
        else:
            services.seizure_info_send(actor=request.user, detention=detention)
            messages.success(request, _("Information after seizure given to the rights holder."))
    except ServiceError as exc:
        service_error_message(request, exc, _("Not done: "))
    return redirect("ipr:detention_detail", pk=detention.pk)


@login_required
@permission_required("ipr.manage_iprdetention", raise_exception=True)
@require_POST
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    detention, kind = _detention_or_404(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, detention, kind, status=400, photo_form=form)
    try:
        services.image_add(
            actor=request.user,
            detention=detention,
            data=form.cleaned_data["photo"].read(),
            shot_type=form.cleaned_data["shot_type"],
            caption=form.cleaned_data["caption"],
            override_reason=form.cleaned_data["override_reason"],
        )
    except (ServiceError, UploadRejected) as exc:
        if isinstance(exc, ServiceError):
            exc.field = exc.field if exc.field in form.fields else "photo"
            service_error_to_form(form, exc)
        else:
            form.add_error("photo", str(exc))
        return _render_detail(request, detention, kind, status=400, photo_form=form)
    messages.success(request, _("Photo added."))
    return redirect("ipr:detention_detail", pk=detention.pk)


@login_required
@permission_required("ipr.manage_iprdetention", raise_exception=True)
@require_POST
def image_redact(request: HttpRequest, pk: int) -> HttpResponse:
    image = get_object_or_404(IprImage.objects.select_related("detention"), pk=pk)
    form = RedactForm(request.POST)
    if form.is_valid():
        try:
            services.image_redact(actor=request.user, image=image, boxes=[form.box()], style=form.cleaned_data["style"])
            messages.success(request, _("Redacted copy made."))
        except ServiceError as exc:
            service_error_message(request, exc, _("Redaction: "))
    else:
        messages.error(request, _("Redaction: give the region as percentages from 0 to 100."))
    return redirect("ipr:detention_detail", pk=image.detention_id)


@login_required
def image_file(request: HttpRequest, pk: int, variant: str) -> HttpResponse:
    """Staff and the importer see every photo unredacted; the rights holder the redacted copy until
    disclosure opens, then the original. Each showing outside CBP is logged."""
    if variant not in ("image", "redacted"):
        raise Http404
    image = get_object_or_404(IprImage, pk=pk)
    detention, kind = _detention_or_404(request, image.detention_id)
    if variant == "redacted" and not image.redacted:
        raise Http404
    if kind == perms.HOLDER:
        if not selectors.holder_may_see_image(detention, image, variant=variant):
            raise Http404
        what = Disclosure.What.UNREDACTED_IMAGE if variant == "image" else Disclosure.What.REDACTED_IMAGE
        services.disclosure_log(
            actor=request.user,
            detention=detention,
            what=what,
            recipient_kind=services.HOLDER,
            channel="page",
            image=image,
        )
    elif kind == perms.IMPORTER:
        what = Disclosure.What.UNREDACTED_IMAGE if variant == "image" else Disclosure.What.REDACTED_IMAGE
        services.disclosure_log(
            actor=request.user,
            detention=detention,
            what=what,
            recipient_kind=services.IMPORTER,
            channel="page",
            image=image,
        )
    data = services.image_bytes(image, variant=variant)
    name = f"{detention.entry.entry_number}-{image.pk}{'-redacted' if variant == 'redacted' else ''}.jpg"
    return stored_file_response(data, content_type="image/jpeg", filename=name, as_attachment=False)


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    detention, kind = _detention_or_404(request, pk)
    if kind != perms.HOLDER:
        raise Http404
    own = detention.recordations.filter(pk__in=perms.recordations_of(request.user))
    form = ResponseForm(request.POST, recordations=own, piratical=detention.piratical)
    if not form.is_valid():
        return _render_detail(request, detention, kind, status=400, response_form=form)
    try:
        services.holder_respond(
            actor=request.user,
            detention=detention,
            answer=form.cleaned_data["answer"],
            note=form.cleaned_data["note"],
            recordation=form.cleaned_data["recordation"],
        )
    except ServiceError as exc:
        service_error_to_form(form, exc)
        return _render_detail(request, detention, kind, status=400, response_form=form)
    messages.success(request, _("Your answer is recorded. The officer decides and tells the importer."))
    return redirect("ipr:detention_detail", pk=detention.pk)


@login_required
@require_POST
def importer_reply(request: HttpRequest, pk: int) -> HttpResponse:
    detention, kind = _detention_or_404(request, pk)
    if kind != perms.IMPORTER:
        raise Http404
    form = ReplyForm(request.POST, piratical=detention.piratical)
    if not form.is_valid():
        return _render_detail(request, detention, kind, status=400, reply_form=form)
    try:
        services.ipr_importer_reply(actor=request.user, detention=detention, text=form.cleaned_data["text"])
    except NotPermitted:
        raise Http404 from None
    except ServiceError as exc:
        service_error_to_form(form, exc)
        return _render_detail(request, detention, kind, status=400, reply_form=form)
    messages.success(request, _("Your information is sent to the port."))
    return redirect("ipr:detention_detail", pk=detention.pk)


def photo_standard_pdf(request: HttpRequest) -> HttpResponse:
    """The published photo standard, generated from the configuration the upload check uses."""
    return stored_file_response(
        photostandard.standard_pdf(today=timezone.localdate()),
        content_type="application/pdf",
        filename="ipr-photo-standard.pdf",
    )


@login_required
@permission_required("ipr.manage_recordation", raise_exception=True)
def recordation_list(request: HttpRequest) -> HttpResponse:
    form = RecordationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recordation = services.recordation_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("Recordation added."))
            return redirect("ipr:recordation_detail", pk=recordation.pk)
    rows = Recordation.objects.select_related("owner").prefetch_related("holders")
    return render(request, "ipr/recordations.html", {"rows": rows, "form": form}, status=400 if form.errors else 200)


@login_required
@permission_required("ipr.manage_recordation", raise_exception=True)
def recordation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recordation = get_object_or_404(Recordation.objects.select_related("owner"), pk=pk)
    form = AccountForm(request.POST or None)
    created: tuple[Any, str] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.rights_holder_account_create(
                actor=request.user, recordation=recordation, **form.cleaned_data
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            form = AccountForm()
    return render(
        request,
        "ipr/recordation_detail.html",
        {
            "r": recordation,
            "form": form,
            "created": created,
            "holders": recordation.holders.all(),
            "detentions": recordation.detentions.select_related("entry")[:100],
        },
        status=400 if form.errors else 200,
    )
