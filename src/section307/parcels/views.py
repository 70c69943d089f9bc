"""Port officers' parcel pages: manifests, groups to decide, parcel detentions, one parcel's path."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from section307.core.errors import ServiceError
from section307.core.forms import service_error_message, service_error_to_form
from section307.core.types import Actor
from section307.parcels import selectors, services
from section307.parcels.forms import (
    BulkDetainForm,
    ConcurForm,
    DetentionDecisionForm,
    GroupDecisionForm,
    ManifestForm,
    ProofForm,
    ReviewForm,
)
from section307.parcels.models import Manifest, ParcelDetention, ParcelGroup, ParcelReview
from section307.parcels.screen import COLUMNS, REQUIRED
from section307.ports.forms import ForfeitureForm

VIEW = "parcels.view_parcel"
DECIDE = "parcels.decide_parcels"
REVIEW = "ports.review_detention"

TEMPLATE_EXAMPLE = {
    "tracking_number": "1Z999AA10123456784",
    "master_bill": "176-12345675",
    "carrier": "Example Express",
    "seller": "Example Store (marketplace seller 123)",
    "seller_address": "Shenzhen, Guangdong, China",
    "shipper": "Example Logistics Ltd",
    "shipper_address": "Hong Kong",
    "consignee": "J. Doe",
    "consignee_address": "Springfield, IL",
    "description": "cotton T-shirt",
    "value_usd": "12.50",
    "quantity": "2",
    "hts": "6109.10",
    "origin_country": "CN",
}


@login_required
@permission_required(VIEW, raise_exception=True)
def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.manifests_visible_to(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "parcels/home.html",
        {"page": page, "pending": selectors.groups_pending().count(), "required": REQUIRED, "columns": COLUMNS},
    )


@login_required
@permission_required("parcels.upload_manifest", raise_exception=True)
def manifest_template(request: HttpRequest) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow([TEMPLATE_EXAMPLE[c] for c in COLUMNS])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="parcel-manifest-template.csv"'
    return response


@login_required
@permission_required(["parcels.upload_manifest", VIEW], raise_exception=True)
def manifest_upload(request: HttpRequest) -> HttpResponse:
    form = ManifestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            manifest = services.manifest_receive(
                actor=request.user,
                source=d["source"],
                carrier=d["carrier"],
                presented_on=d["presented_on"],
                port=d.get("port") or "",
                upload=d["file"],
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            if d["file"].size <= services.sync_bytes():
                services.manifest_process(manifest=manifest)
            else:
                from section307.parcels.tasks import manifest_process_task

                manifest_process_task.enqueue(manifest.pk)
                messages.info(request, _("The manifest is being read in the background; this page shows its progress."))
            return redirect("parcels:manifest_detail", pk=manifest.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "parcels/manifest_upload.html", {"form": form, "columns": COLUMNS, "required": REQUIRED}, status=status
    )


def _manifest_or_404(request: HttpRequest, pk: int) -> Manifest:
    return get_object_or_404(selectors.manifests_visible_to(request.user), pk=pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def manifest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    manifest = _manifest_or_404(request, pk)
    groups = manifest.groups.order_by("-decision", "-parcel_count")
    return render(request, "parcels/manifest_detail.html", {"manifest": manifest, "groups": groups})


@login_required
@permission_required(VIEW, raise_exception=True)
def manifest_progress(request: HttpRequest, pk: int) -> HttpResponse:
    manifest = _manifest_or_404(request, pk)
    return render(request, "parcels/_progress.html", {"manifest": manifest})


@login_required
@permission_required(VIEW, raise_exception=True)
def group_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.groups_pending().order_by("manifest__presented_on", "-parcel_count")
    form = BulkDetainForm(queryset=qs) if request.user.has_perm(DECIDE) else None
    return render(request, "parcels/group_list.html", {"groups": qs[:500], "form": form})


@login_required
@permission_required(DECIDE, raise_exception=True)
@require_POST
def groups_detain(request: HttpRequest) -> HttpResponse:
    qs = selectors.groups_pending()
    form = BulkDetainForm(request.POST, queryset=qs)
    if form.is_valid():
        try:
            detentions = services.groups_detain(
                actor=request.user,
                groups=list(form.cleaned_data["groups"]),
                reason=form.cleaned_data["reason"],
                notice_to=form.cleaned_data.get("notice_to") or "",
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            n = sum(d.group.parcel_count for d in detentions)
            messages.success(request, _("%(g)d groups detained: %(n)d parcels.") % {"g": len(detentions), "n": n})
            return redirect("parcels:group_list")
    return render(request, "parcels/group_list.html", {"groups": qs[:500], "form": form}, status=400)


@login_required
@permission_required(VIEW, raise_exception=True)
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(ParcelGroup.objects.select_related("manifest", "order"), pk=pk)
    form = None
    if request.user.has_perm(DECIDE) and group.status == ParcelGroup.Status.PENDING:
        form = GroupDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                if d["action"] == "detain":
                    detention = services.group_detain(
                        actor=request.user, group=group, reason=d["reason"], notice_to=d.get("notice_to") or ""
                    )
                    messages.success(request, _("The parcels are detained and the notices issued."))
                    return redirect("parcels:detention_detail", pk=detention.pk)
                services.group_release(actor=request.user, group=group, reason=d["reason"])
                messages.success(request, _("The parcels are released."))
                return redirect("parcels:group_detail", pk=group.pk)
            except ServiceError as exc:
                service_error_to_form(form, exc)
    elif request.method == "POST":
        raise Http404
    parcels = Paginator(group.parcels.order_by("consignee", "tracking_number"), 50).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "group": group,
        "form": form,
        "parcels": parcels,
        "by_consignee": selectors.group_breakdown(group, "consignee", 20),
        "by_seller": selectors.group_breakdown(group, "seller", 20),
        "decision_due": services.decision_due(group.manifest.presented_on),
        "detention": ParcelDetention.objects.filter(group=group).first(),
        "rescreen_findings": selectors.group_rescreen_findings(group),
    }
    return render(
        request, "parcels/group_detail.html", context, status=400 if form is not None and form.errors else 200
    )


def _detention_context(detention: ParcelDetention, user: Actor | None = None, **forms: Any) -> dict[str, Any]:
    allowed = services.allowed_outcomes(detention)
    reviewer = user is not None and user.has_perm(REVIEW)
    return {
        "proofs": detention.proofs.prefetch_related("documents"),
        "protests": detention.protests.all(),
        "reviews": detention.reviews.select_related("proposed_by", "concurred_by"),
        "review_form": forms.get("review_form") or (ReviewForm() if reviewer else None),
        "concur_form": ConcurForm() if reviewer else None,
        "detention": detention,
        "group": detention.group,
        "clocks": detention.clocks.all(),
        "notices": detention.notices.all(),
        "decisions": detention.decisions.all(),
        "allowed": [(o, label, allowed[o]) for o, label in DetentionDecisionForm.base_fields["outcome"].choices],  # type: ignore[attr-defined]
        "decision_form": forms.get("decision_form") or DetentionDecisionForm(),
        "proof_form": forms.get("proof_form") or ProofForm(),
        "forfeiture_steps": detention.forfeiture_steps.all(),
        "forfeiture_form": forms.get("forfeiture_form") or ForfeitureForm(initial={"on": timezone.localdate()}),
    }


def _detention_or_404(pk: int) -> ParcelDetention:
    return get_object_or_404(
        ParcelDetention.objects.select_related("group__manifest", "order").prefetch_related("clocks"), pk=pk
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def detention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "parcels/detention_detail.html", _detention_context(_detention_or_404(pk), request.user))


@login_required
@permission_required(DECIDE, raise_exception=True)
@require_POST
def detention_decide(request: HttpRequest, pk: int) -> HttpResponse:
    detention = _detention_or_404(pk)
    form = DetentionDecisionForm(request.POST)
    if form.is_valid():
        try:
            decision = services.detention_decide(
                actor=request.user,
                detention=detention,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, str(decision))
            return redirect("parcels:detention_detail", pk=pk)
    return render(
        request,
        "parcels/detention_detail.html",
        _detention_context(detention, request.user, decision_form=form),
        status=400,
    )


@login_required
@permission_required(DECIDE, raise_exception=True)
@require_POST
def detention_proof(request: HttpRequest, pk: int) -> HttpResponse:
    detention = _detention_or_404(pk)
    form = ProofForm(request.POST)
    if form.is_valid():
        try:
            services.detention_record_proof(
                actor=request.user,
                detention=detention,
                received_on=form.cleaned_data["received_on"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            service_error_message(request, exc)
        else:
            messages.success(request, _("Proof recorded."))
        return redirect("parcels:detention_detail", pk=pk)
    return render(
        request,
        "parcels/detention_detail.html",
        _detention_context(detention, request.user, proof_form=form),
        status=400,
    )


@login_required
@permission_required(DECIDE, raise_exception=True)
@require_POST
def detention_forfeiture(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer records a step of the forfeiture after the parcels' seizure (Part 162 subpart E)."""
    detention = _detention_or_404(pk)
    form = ForfeitureForm(request.POST)
    if form.is_valid():
        try:
            step = services.forfeiture_record(actor=request.user, detention=detention, **form.cleaned_data)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, str(step))
            return redirect("parcels:detention_detail", pk=pk)
    return render(
        request,
        "parcels/detention_detail.html",
        _detention_context(detention, request.user, forfeiture_form=form),
        status=400,
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@permission_required(REVIEW, raise_exception=True)
@require_POST
def detention_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Headquarters proposes a determination on the proof or the protest (a second reviewer concurs)."""
    detention = _detention_or_404(pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_propose(actor=request.user, detention=detention, **form.cleaned_data)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("The determination awaits a second reviewer's concurrence."))
            return redirect("parcels:detention_detail", pk=pk)
    return render(
        request,
        "parcels/detention_detail.html",
        _detention_context(detention, request.user, review_form=form),
        status=400,
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@permission_required(REVIEW, raise_exception=True)
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(ParcelReview, pk=pk)
    form = ConcurForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["action"] == "concur":
                services.review_concur(actor=request.user, review=review, note=d["note"])
                messages.success(request, _("The determination is effective; the port carries it out."))
            else:
                services.review_return(actor=request.user, review=review, note=d["note"])
                messages.success(request, _("The determination is returned."))
        except ServiceError as exc:
            service_error_message(request, exc)
    else:
        messages.error(request, _("Choose to concur or to return."))
    return redirect("parcels:detention_detail", pk=review.detention_id)


@login_required
@permission_required(VIEW, raise_exception=True)
def parcel_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    parcel = selectors.parcel_get(user=request.user, tracking_number=tracking_number)
    if parcel is None:
        raise Http404
    return render(
        request,
        "parcels/parcel_detail.html",
        {
            "parcel": parcel,
            "timeline": selectors.parcel_timeline(parcel),
            "detention": selectors.parcel_detention(parcel),
        },
    )
