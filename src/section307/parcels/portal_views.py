"""The importer portal's parcel pages: the importer of record (and its broker) sees its parcel
detentions, the notices, the deadlines, sends proof of admissibility and protests an exclusion."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from section307.allegations.crypto import decrypt_bytes
from section307.core.errors import ServiceError
from section307.core.forms import service_error_to_form
from section307.core.storedfiles import stored_file_response
from section307.parcels import services
from section307.parcels.forms import PortalProofForm, PortalProtestForm
from section307.parcels.models import ParcelDetention, ParcelProofDocument
from section307.parcels.permissions import detentions_for_trade
from section307.parcels.selectors import is_parcel_staff
from section307.ports import law
from section307.trade.views import portal_user


@portal_user
def detention_list(request: HttpRequest) -> HttpResponse:
    detentions = (
        detentions_for_trade(request.user)
        .select_related("group__manifest", "organization")
        .prefetch_related("clocks")
        .order_by("-detained_on", "-id")
    )
    return render(request, "parcels/portal_list.html", {"detentions": detentions})


def _detention(request: HttpRequest, pk: int) -> ParcelDetention:
    return get_object_or_404(
        detentions_for_trade(request.user).select_related("group__manifest", "order", "organization"), pk=pk
    )


def _context(request: HttpRequest, detention: ParcelDetention, **forms: Any) -> dict[str, Any]:
    group = detention.group
    tracking = set(group.parcels.values_list("tracking_number", flat=True))
    excluded = detention.status == ParcelDetention.Status.EXCLUDED
    protests = list(detention.protests.all())
    return {
        "detention": detention,
        "group": group,
        "parcels": group.parcels.order_by("tracking_number")[:500],
        "parcel_count": len(tracking),
        "clocks": [c for c in detention.clocks.all() if c.kind in law.IMPORTER_KINDS or c.running],
        "notices": detention.notices.all(),
        "decisions": detention.decisions.all(),
        "proofs": detention.proofs.prefetch_related("documents"),
        "protests": protests,
        "reviews": detention.reviews.filter(status="effective"),
        "proof_form": forms.get("proof_form") or (PortalProofForm() if detention.is_open else None),
        "protest_form": forms.get("protest_form") or (PortalProtestForm() if excluded and not protests else None),
    }


@portal_user
def detention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detention = _detention(request, pk)
    return render(request, "parcels/portal_detail.html", _context(request, detention))


@portal_user
@require_POST
def proof_submit(request: HttpRequest, pk: int) -> HttpResponse:
    detention = _detention(request, pk)
    form = PortalProofForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            services.proof_submit(
                actor=request.user,
                detention=detention,
                statement=form.cleaned_data["statement"],
                files=[(upload.name or "document", upload.read())],
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(
                request, _("Your proof is sent. Headquarters determines whether it establishes admissibility.")
            )
            return redirect("parcels_portal:detention_detail", pk=pk)
    return render(request, "parcels/portal_detail.html", _context(request, detention, proof_form=form), status=400)


@portal_user
@require_POST
def protest_file(request: HttpRequest, pk: int) -> HttpResponse:
    detention = _detention(request, pk)
    form = PortalProtestForm(request.POST)
    if form.is_valid():
        try:
            services.protest_file(actor=request.user, detention=detention, grounds=form.cleaned_data["grounds"])
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("Your protest is filed. The parcels are not abandoned while it is pending."))
            return redirect("parcels_portal:detention_detail", pk=pk)
    return render(request, "parcels/portal_detail.html", _context(request, detention, protest_form=form), status=400)


@login_required
def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A proof document: the importer (or its broker) that sent it, and parcel staff."""
    doc = get_object_or_404(ParcelProofDocument.objects.select_related("proof__detention"), pk=pk)
    if not (
        is_parcel_staff(request.user) or detentions_for_trade(request.user).filter(pk=doc.proof.detention_id).exists()
    ):
        raise Http404
    with doc.file.open("rb") as fh:
        data = decrypt_bytes(fh.read())
    return stored_file_response(data, content_type=doc.content_type, filename=doc.original_name)
