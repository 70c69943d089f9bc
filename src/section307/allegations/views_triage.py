"""The analysts' triage inbox and the actions on one allegation. Every action is a POST to a service."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from section307.accounts.roles import role_grants
from section307.allegations import services
from section307.allegations.crypto import DecryptionFailed
from section307.allegations.forms import AskForm, CaseLinkForm, CloseForm, DuplicateForm, ExtractionForm
from section307.allegations.inputs import AllegationInvalid
from section307.allegations.lifecycle import ALLEGATION_LIFECYCLE
from section307.allegations.models import (
    Allegation,
    AllegationStatus,
    Attachment,
    IloIndicator,
    Industry,
    PublicStatus,
    SourceType,
)
from section307.allegations.selectors import (
    InboxFilters,
    allegation_detail,
    allegation_inbox,
    allegation_public_status,
    allegation_similar_items,
)
from section307.core.audit import audit_trail
from section307.core.errors import Conflict
from section307.core.forms import service_error_to_form
from section307.core.languages import language_name
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.queue import queue_for_page
from section307.core.storedfiles import stored_file_response
from section307.geo.models import Country, Region
from section307.goods.models import Good

TRIAGE = "allegations.triage_allegation"


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@permission_required(TRIAGE, raise_exception=True)
def inbox(request: HttpRequest) -> HttpResponse:
    g = request.GET
    filters = InboxFilters(
        status=g.get("status", "open"),
        country=g.get("country", "")[:2],
        good=_int(g.get("good", "")),
        industry=g.get("industry", ""),
        indicator=g.get("indicator", ""),
        source_type=g.get("source", ""),
        date_from=_date(g.get("from", "")),
        date_to=_date(g.get("to", "")),
        query=g.get("q", "").strip()[:200],
        assigned=g.get("assigned", ""),
    )
    page = Paginator(allegation_inbox(user=request.user, filters=filters), 25).get_page(g.get("page"))
    template = "allegations/_inbox_rows.html" if getattr(request, "htmx", False) else "allegations/inbox.html"
    return render(
        request,
        template,
        {
            "page": page,
            "filters": filters,
            "raw": g,
            "statuses": [
                ("open", _("Open (new, in triage, information requested)")),
                ("all", _("All")),
                *AllegationStatus.choices,
            ],
            "countries": Country.objects.filter(code__in=Allegation.objects.values("country")),
            "goods": Good.objects.filter(allegations__isnull=False).distinct(),
            "industries": Industry.choices,
            "indicators": IloIndicator.choices,
            "sources": SourceType.choices,
        },
    )


def _case_actions(allegation: Allegation) -> dict[str, str]:
    # The cases app provides these views; until it is installed only the "record a link" form shows.
    urls: dict[str, str] = {}
    for key, name in (("open", "cases:case_open_from_allegation"), ("attach", "cases:case_attach_allegation")):
        with contextlib.suppress(NoReverseMatch):
            urls[key] = reverse(name, kwargs={"allegation_pk": allegation.pk})
    return urls


def _detail_context(request: HttpRequest, allegation: Allegation, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "a": allegation,
        "public_status": PublicStatus(allegation_public_status(allegation=allegation)).label,
        "similar": allegation_similar_items(allegation=allegation, user=request.user),
        "transitions": [t.name for t in ALLEGATION_LIFECYCLE.available(allegation.status, request.user)],
        "audit": audit_trail(allegation)[:50],
        "case_urls": _case_actions(allegation),
        "ask_form": AskForm(),
        "duplicate_form": DuplicateForm(),
        "case_form": CaseLinkForm(),
        "close_form": CloseForm(),
        "extraction_form": ExtractionForm(
            initial={
                "goods": list(allegation.goods.all()),
                "country": allegation.country_id or "",
                "region": str(allegation.region_id or ""),
                "industry": allegation.industry,
                "hts_code": allegation.hts_code,
                "labor_type": allegation.labor_type,
            }
        ),
        "may_reveal": role_grants(request.user, "allegations.view_reporter_identity"),
        "may_original": role_grants(request.user, "allegations.view_original_evidence"),
        "may_extract": request.user.has_perm("parties.add_party"),
        "next_items": queue_for_page(request.user, reverse("allegations:detail", args=[allegation.pk])),
        "language_name": language_name(allegation.language),
    }
    context.update(extra)
    return context


def _get(request: HttpRequest, pk: int) -> Allegation:
    allegation = allegation_detail(user=request.user, pk=pk)
    if allegation is None:
        raise Http404
    return allegation


@login_required
@permission_required(TRIAGE, raise_exception=True)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    allegation = _get(request, pk)
    context = _detail_context(request, allegation, unread=allegation.reporter_unread)
    services.allegation_mark_read(actor=request.user, allegation=allegation)
    return render(request, "allegations/detail.html", context)


def _invalid(request: HttpRequest, allegation: Allegation, form_name: str, form: Any) -> HttpResponse:
    response = render(
        request,
        "allegations/detail.html",
        _detail_context(request, allegation, **{form_name: form, "focus": form_name}),
    )
    response.status_code = 400
    return response


@login_required
@permission_required(TRIAGE, raise_exception=True)
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    allegation = _get(request, pk)
    user = request.user
    form: Any
    try:
        if name == "start":
            services.allegation_start_triage(actor=user, allegation=allegation)
            messages.success(request, _("You are now handling this allegation."))
        elif name == "ask":
            form = AskForm(request.POST)
            if not form.is_valid():
                return _invalid(request, allegation, "ask_form", form)
            services.allegation_ask(actor=user, allegation=allegation, question=form.cleaned_data["question"])
            messages.success(request, _("The question was sent through the receipt channel."))
        elif name == "duplicate":
            form = DuplicateForm(request.POST)
            if not form.is_valid():
                return _invalid(request, allegation, "duplicate_form", form)
            original = Allegation.objects.filter(reference__iexact=form.cleaned_data["original"].strip()).first()
            if original is None:
                form.add_error("original", _("No allegation has this reference."))
                return _invalid(request, allegation, "duplicate_form", form)
            try:
                services.allegation_mark_duplicate(
                    actor=user, allegation=allegation, original=original, note=form.cleaned_data["note"]
                )
            except AllegationInvalid as exc:
                service_error_to_form(form, exc)
                return _invalid(request, allegation, "duplicate_form", form)
            messages.success(request, _("Merged into %(ref)s.") % {"ref": original.reference})
        elif name == "case":
            form = CaseLinkForm(request.POST)
            if not form.is_valid():
                return _invalid(request, allegation, "case_form", form)
            services.allegation_mark_escalated(
                actor=user, allegation=allegation, case_reference=form.cleaned_data["case_reference"]
            )
            messages.success(request, _("The link to the case was recorded."))
        elif name == "close":
            form = CloseForm(request.POST)
            if not form.is_valid():
                return _invalid(request, allegation, "close_form", form)
            services.allegation_close(
                actor=user, allegation=allegation, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
            )
            messages.success(request, _("The allegation was closed."))
        elif name == "reopen":
            services.allegation_reopen(actor=user, allegation=allegation)
            messages.success(request, _("The allegation was reopened."))
        elif name == "extraction":
            form = ExtractionForm(request.POST)
            if not form.is_valid():
                return _invalid(request, allegation, "extraction_form", form)
            d = form.cleaned_data
            services.allegation_update_extraction(
                actor=user,
                allegation=allegation,
                goods=list(d["goods"]),
                country=Country.objects.filter(code=d["country"]).first() if d["country"] else None,
                region=Region.objects.filter(pk=_int(d["region"]) or 0).first() if d["region"] else None,
                industry=d["industry"],
                hts_code=d["hts_code"],
                labor_type=d["labor_type"],
            )
            messages.success(request, _("Goods, place and industry were updated."))
        elif name == "extract_parties":
            linked = services.allegation_extract_parties(actor=user, allegation=allegation)
            messages.success(request, _("%(n)d companies linked to party records.") % {"n": len(linked)})
        elif name == "reveal":
            try:
                identity = services.allegation_reveal_identity(actor=user, allegation=allegation)
            except DecryptionFailed:
                messages.error(request, _("The identity cannot be decrypted with the configured keys."))
                return redirect("allegations:detail", pk=allegation.pk)
            return render(request, "allegations/detail.html", _detail_context(request, allegation, identity=identity))
        else:
            raise Http404
    except AllegationInvalid as exc:
        for messages_ in exc.errors.values():
            for m in messages_:
                messages.error(request, m)
    except TransitionNotAllowed:
        messages.error(request, _("That action is not possible in the allegation's current state."))
    except Conflict as exc:
        messages.error(request, str(exc))
    return redirect("allegations:detail", pk=allegation.pk)


@login_required
@permission_required(TRIAGE, raise_exception=True)
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int, version: str) -> HttpResponse:
    allegation = _get(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, allegation=allegation)
    if version not in {"sanitized", "original"}:
        raise Http404
    try:
        data, name = services.attachment_read(actor=request.user, attachment=attachment, original=version == "original")
    except FileNotFoundError as exc:
        raise Http404(str(exc)) from exc
    except PermissionDenied:
        raise
    # Always a download: evidence is never rendered inline in the staff site.
    return stored_file_response(data, content_type=attachment.mime_type, filename=name or attachment.display_name)
