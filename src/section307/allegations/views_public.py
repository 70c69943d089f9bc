"""The public portal: a guided report in steps (saved in the session as you go), the receipt, and follow-up.

No view here reads or stores the client's address or user agent; rate limits use a keyed digest
of the address in the cache only (see ratelimits.py).
"""

from __future__ import annotations

import contextlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from section307.allegations import crypto, ratelimits
from section307.allegations.forms import (
    ContactForm,
    EvidenceForm,
    IndicatorsForm,
    MerchandiseForm,
    PartyFormSet,
    ProductionForm,
    ReasonsForm,
    ReceiptForm,
    ReporterMessageForm,
    ReviewForm,
)
from section307.allegations.inputs import (
    AllegationInput,
    AllegationInvalid,
    IdentityInput,
    IndicatorInput,
    NamedPartyInput,
)
from section307.allegations.models import Allegation, Attachment, PublicStatus
from section307.allegations.receipts import receipt_display, receipt_generate
from section307.allegations.selectors import (
    allegation_by_receipt,
    allegation_public_messages,
    allegation_public_status,
)
from section307.allegations.services import (
    PUBLIC,
    FileInput,
    allegation_reporter_message,
    allegation_submit,
    draft_attachment_add,
    draft_attachment_remove,
    limits,
)
from section307.core.audit import audit_record

DRAFT = "allegation_draft"
RECEIPT = "allegation_receipt"
FOLLOWUP = "allegation_followup"
FOLLOWUP_SECONDS = 60 * 60


@dataclass(frozen=True)
class Step:
    slug: str
    label: Any
    form: type[forms.Form]


STEPS: list[Step] = [
    Step("reasons", gettext_lazy("Reasons"), ReasonsForm),
    Step("merchandise", gettext_lazy("Merchandise"), MerchandiseForm),
    Step("production", gettext_lazy("Production"), ProductionForm),
    Step("indicators", gettext_lazy("Indicators"), IndicatorsForm),
    Step("evidence", gettext_lazy("Evidence"), EvidenceForm),
    Step("contact", gettext_lazy("Contact"), ContactForm),
    Step("review", gettext_lazy("Review and send"), ReviewForm),
]
SLUGS = [s.slug for s in STEPS]
# Which step holds each field of AllegationInput, to send validation errors back to the right page.
FIELD_STEP = {
    "reasons": "reasons",
    "source_type": "reasons",
    "source_details": "reasons",
    "merchandise": "merchandise",
    "hts_code": "merchandise",
    "industry": "merchandise",
    "sample_details": "merchandise",
    "country": "production",
    "region_text": "production",
    "supply_chain_stage": "production",
    "importers_brands": "production",
    "shipment_refs": "production",
    "parties": "production",
    "indicators": "indicators",
    "files": "evidence",
    "identity": "contact",
    "contact_method": "contact",
}


# --- session draft -----------------------------------------------------------------------------------


def _draft(request: HttpRequest) -> dict[str, Any]:
    draft = request.session.get(DRAFT)
    if not isinstance(draft, dict) or "key" not in draft:
        draft = {"key": secrets.token_urlsafe(32), "steps": "", "done": []}
        request.session[DRAFT] = draft
        _purge_now_and_then()
    return draft


def _steps(request: HttpRequest) -> dict[str, dict[str, list[str]]]:
    # The answers (possibly including the reporter's identity) sit in the session table only encrypted.
    token = _draft(request).get("steps") or ""
    if not isinstance(token, str) or not token:
        return {}
    try:
        return crypto.decrypt_json(token)
    except (crypto.DecryptionFailed, ValueError):
        return {}


def _set_steps(request: HttpRequest, steps: dict[str, dict[str, list[str]]]) -> None:
    _draft(request)["steps"] = crypto.encrypt_json(steps)
    request.session.modified = True


def _purge_now_and_then() -> None:
    # No scheduler: each new draft may queue the purge of abandoned draft files, at most hourly.
    if cache.add("allegations.purge_drafts", 1, timeout=60 * 60):
        from section307.allegations.tasks import purge_expired_drafts

        purge_expired_drafts.enqueue()


def _save_raw(request: HttpRequest, slug: str) -> None:
    steps = _steps(request)
    steps[slug] = {k: v for k, v in request.POST.lists() if k not in {"csrfmiddlewaretoken", "action", "website"}}
    _set_steps(request, steps)


def _raw(request: HttpRequest, slug: str) -> QueryDict | None:
    stored = _steps(request).get(slug)
    if stored is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in stored.items():
        data.setlist(key, [str(v) for v in values])
    return data


def _mark_done(request: HttpRequest, slug: str, done: bool) -> None:
    draft = _draft(request)
    steps = set(draft.get("done", []))
    steps.add(slug) if done else steps.discard(slug)
    draft["done"] = sorted(steps)
    request.session.modified = True


def _forms_for(slug: str, data: QueryDict | None, *, quiet: bool = False) -> dict[str, Any]:
    step = STEPS[SLUGS.index(slug)]
    form_class: Any = step.form
    context: dict[str, Any] = {"form": form_class(data, quiet=quiet) if slug != "review" else ReviewForm(data)}
    if slug == "production":
        context["parties"] = PartyFormSet(data, prefix="party", form_kwargs={"quiet": quiet})
    return context


def _valid(context: dict[str, Any]) -> bool:
    return all(f.is_valid() for f in (context["form"], context.get("parties")) if f is not None)


def _drafts(request: HttpRequest) -> list[Attachment]:
    return list(Attachment.objects.filter(draft_key=_draft(request)["key"], allegation__isnull=True))


def _step_context(request: HttpRequest, slug: str, context: dict[str, Any]) -> dict[str, Any]:
    index = SLUGS.index(slug)
    done = set(_draft(request).get("done", []))
    context.update(
        {
            "step": STEPS[index],
            "steps": [
                {"slug": s.slug, "label": s.label, "current": s.slug == slug, "done": s.slug in done} for s in STEPS
            ],
            "step_number": index + 1,
            "step_count": len(STEPS),
            "previous": SLUGS[index - 1] if index else None,
            "limits": limits(),
            "max_file_mb": limits()["max_file_bytes"] // (1024 * 1024),
        }
    )
    if slug == "evidence":
        context["drafts"] = _drafts(request)
    return context


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "allegations/report_start.html", {"first": SLUGS[0], "has_draft": DRAFT in request.session})


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in SLUGS:
        raise Http404
    if slug == "review":
        return review(request)
    action = request.POST.get("action", "next")
    if request.method == "POST":
        if slug == "evidence" and action in {"upload", "remove"}:
            return _evidence_action(request, action)
        _save_raw(request, slug)
        if slug == "production" and action == "more":
            _more_parties(request)
            return redirect(reverse("allegations:report_step", kwargs={"slug": slug}) + "#companies")
        context = _forms_for(slug, request.POST)
        valid = _valid(context)
        _mark_done(request, slug, valid)
        index = SLUGS.index(slug)
        if action == "back" and index:
            return redirect("allegations:report_step", slug=SLUGS[index - 1])
        if valid:
            target = "review" if action == "review" else SLUGS[index + 1]
            return redirect("allegations:report_step", slug=target)
        context["show_errors"] = True
        return render(request, "allegations/report_step.html", _step_context(request, slug, context))
    context = _forms_for(slug, _raw(request, slug), quiet=True)
    return render(request, "allegations/report_step.html", _step_context(request, slug, context))


def _more_parties(request: HttpRequest) -> None:
    """Without JavaScript, more company rows come from the server: four more, up to the limit."""
    steps = _steps(request)
    stored = steps.setdefault("production", {})
    try:
        current = int(stored.get("party-TOTAL_FORMS", ["4"])[0])
    except (TypeError, ValueError):
        current = 4
    stored["party-TOTAL_FORMS"] = [str(min(max(current, 4) + 4, 20))]
    stored.setdefault("party-INITIAL_FORMS", ["0"])
    _set_steps(request, steps)


def _read_uploads(request: HttpRequest, description: str = "") -> tuple[list[FileInput], dict[str, list[str]]]:
    """Read uploaded files, refusing oversize ones before their bytes are read into memory."""
    max_bytes = limits()["max_file_bytes"]
    files: list[FileInput] = []
    errors: dict[str, list[str]] = {}
    for i, upload in enumerate(request.FILES.getlist("files")):
        if upload.size is not None and upload.size > max_bytes:
            errors.setdefault(f"files.{i}", []).append(
                _("%(name)s is larger than %(mb)d MB.") % {"name": upload.name, "mb": max_bytes // (1024 * 1024)}
            )
            continue
        files.append(FileInput(name=upload.name or "", data=upload.read(), description=description))
    return files, errors


def _evidence_action(request: HttpRequest, action: str) -> HttpResponse:
    draft = _draft(request)
    errors: dict[str, list[str]] = {}
    if action == "remove":
        with contextlib.suppress(ValueError):
            draft_attachment_remove(
                actor=PUBLIC, draft_key=draft["key"], attachment_id=int(request.POST.get("file", ""))
            )
        return redirect("allegations:report_step", slug="evidence")
    description = request.POST.get("description", "")[:500]
    files, errors = _read_uploads(request, description)
    if not files and not errors:
        errors["files"] = [_("Choose at least one file to upload.")]
    added = []
    for i, f in enumerate(files):
        try:
            added.append(draft_attachment_add(actor=PUBLIC, draft_key=draft["key"], file=f))
        except AllegationInvalid as exc:
            for messages in exc.errors.values():
                errors.setdefault(f"files.{i}", []).extend(f"{f.name}: {m}" for m in messages)
    if errors:
        context = _forms_for("evidence", _raw(request, "evidence"), quiet=True)
        context.update({"upload_errors": [m for ms in errors.values() for m in ms], "show_errors": True})
        response = render(request, "allegations/report_step.html", _step_context(request, "evidence", context))
        response.status_code = 400
        return response
    return redirect("allegations:report_step", slug="evidence")


def _collect(request: HttpRequest) -> tuple[AllegationInput | None, list[tuple[str, str]]]:
    """Build the submission from every saved step; returns (input, [(step, message)]) for incomplete steps."""
    problems: list[tuple[str, str]] = []
    forms_by_step: dict[str, dict[str, Any]] = {}
    for s in STEPS[:-1]:
        context = _forms_for(s.slug, _raw(request, s.slug) or QueryDict(), quiet=True)
        if not _valid(context):
            problems.append((s.slug, str(s.label)))
        forms_by_step[s.slug] = context
    if problems:
        return None, problems
    reasons = forms_by_step["reasons"]["form"].cleaned_data
    goods = forms_by_step["merchandise"]["form"].cleaned_data
    production = forms_by_step["production"]["form"]
    indicators = forms_by_step["indicators"]["form"]
    contact = forms_by_step["contact"]["form"].cleaned_data
    evidence = forms_by_step["evidence"]["form"].cleaned_data
    parties = [
        NamedPartyInput(
            role=p.get("role") or "manufacturer",
            name=p.get("name", ""),
            address=p.get("address", ""),
            country=p.get("country", ""),
        )
        for p in forms_by_step["production"]["parties"].cleaned_data
        if p and p.get("name")
    ]
    identified = contact.get("identify") == "identified"
    data = AllegationInput(
        reasons=reasons["reasons"],
        source_type=reasons["source_type"],
        source_details=reasons.get("source_details", ""),
        merchandise=goods["merchandise"],
        hts_code=goods.get("hts_code", ""),
        industry=goods.get("industry", ""),
        sample_available=bool(goods.get("sample_available")),
        sample_details=goods.get("sample_details", ""),
        country=production.cleaned_data.get("country", ""),
        region_text=production.cleaned_data.get("region_text", ""),
        supply_chain_stage=production.cleaned_data.get("supply_chain_stage", ""),
        importers_brands=production.cleaned_data.get("importers_brands", ""),
        shipment_refs=production.shipment_refs(),
        parties=parties,
        indicators=[IndicatorInput(k, v) for k, v in indicators.indicators()],
        identity=IdentityInput(
            name=contact.get("name", ""),
            organization=contact.get("organization", ""),
            email=contact.get("email", ""),
            phone=contact.get("phone", ""),
            contact_details=contact.get("contact_details", ""),
        )
        if identified
        else None,
        contact_allowed=contact.get("contact_allowed") == "yes",
        contact_method=contact.get("contact_method", "") if contact.get("contact_allowed") == "yes" else "",
        discard_originals=bool(evidence.get("discard_originals")),
        language=get_language() or "",
    )
    return data, []


@never_cache
def review(request: HttpRequest) -> HttpResponse:
    data, problems = _collect(request)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form, "data": data, "problems": problems, "drafts": _drafts(request)}
    if request.method == "POST":
        if request.POST.get("website"):
            # Honeypot filled: answer like a success so the bot learns nothing, and keep nothing.
            # Bots count against the same limit, so a flood cannot fill the audit trail either.
            if ratelimits.submission_limited(request):
                return render(request, "allegations/rate_limited.html", status=429)
            audit_record(actor=PUBLIC, action="allegation.honeypot")
            request.session.pop(DRAFT, None)
            request.session[RECEIPT] = {"code": receipt_generate(), "files": []}
            return redirect("allegations:report_receipt")
        if data is not None and form.is_valid():
            if ratelimits.submission_limited(request):
                return render(request, "allegations/rate_limited.html", status=429)
            try:
                allegation, code = allegation_submit(actor=PUBLIC, data=data, draft_key=_draft(request)["key"])
            except AllegationInvalid as exc:
                context["service_errors"] = [
                    (FIELD_STEP.get(field.split(".")[0], "review"), message)
                    for field, messages in exc.errors.items()
                    for message in messages
                ]
            else:
                request.session.pop(DRAFT, None)
                request.session[RECEIPT] = {
                    "code": code,
                    "files": [(a.get_kind_display(), a.sha256) for a in allegation.attachments.all()],
                }
                return redirect("allegations:report_receipt")
        context["show_errors"] = True
    response = render(request, "allegations/report_step.html", _step_context(request, "review", context))
    if request.method == "POST" and (problems or not form.is_valid() or context.get("service_errors")):
        response.status_code = 400
    return response


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    # Shown once: the code leaves the session as it is displayed.
    shown = request.session.pop(RECEIPT, None)
    if not shown:
        return redirect("allegations:followup_login")
    return render(
        request,
        "allegations/report_receipt.html",
        {"code": receipt_display(shown["code"]), "files": shown.get("files", [])},
    )


# --- follow-up with the receipt code -----------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def followup_login(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None)
    if request.method == "POST":
        if ratelimits.receipt_blocked(request):
            return render(request, "allegations/rate_limited.html", status=429)
        if form.is_valid():
            allegation = allegation_by_receipt(code=form.cleaned_data["code"])
            if allegation is not None:
                request.session.cycle_key()
                request.session[FOLLOWUP] = {"pk": allegation.pk, "until": time.time() + FOLLOWUP_SECONDS}
                return redirect("allegations:followup")
            ratelimits.receipt_failed(request)
            # One message for every failure: never reveal whether a code exists or is merely mistyped.
            form.add_error("code", _("This receipt code does not open a report. Check it and try again."))
        response = render(request, "allegations/followup_login.html", {"form": form, "show_errors": True})
        response.status_code = 400
        return response
    return render(request, "allegations/followup_login.html", {"form": form})


def _followup_allegation(request: HttpRequest) -> Allegation | None:
    session = request.session.get(FOLLOWUP)
    if not isinstance(session, dict) or session.get("until", 0) < time.time():
        request.session.pop(FOLLOWUP, None)
        return None
    pk = session.get("pk")
    return Allegation.objects.filter(pk=pk).first() if isinstance(pk, int) else None


@never_cache
@require_http_methods(["GET", "POST"])
def followup(request: HttpRequest) -> HttpResponse:
    allegation = _followup_allegation(request)
    if allegation is None:
        return redirect("allegations:followup_login")
    form = ReporterMessageForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST":
        if ratelimits.submission_limited(request):
            return render(request, "allegations/rate_limited.html", status=429)
        files, upload_errors = _read_uploads(request)
        errors.extend(m for ms in upload_errors.values() for m in ms)
        if form.is_valid() and not errors:
            try:
                message = allegation_reporter_message(
                    actor=PUBLIC, allegation=allegation, body=form.cleaned_data["body"], files=files
                )
            except AllegationInvalid as exc:
                errors.extend(m for ms in exc.errors.values() for m in ms)
            else:
                request.session["allegation_sent"] = [
                    (a.get_kind_display(), a.sha256) for a in message.attachments.all()
                ]
                return redirect(reverse("allegations:followup") + "#messages")
    status = allegation_public_status(allegation=allegation)
    response = render(
        request,
        "allegations/followup.html",
        {
            "allegation": allegation,
            "status": status,
            "status_label": PublicStatus(status).label,
            "messages_": allegation_public_messages(allegation=allegation),
            "form": form,
            "errors": errors,
            "show_errors": bool(errors) or (request.method == "POST" and not form.is_valid()),
            "sent": request.session.pop("allegation_sent", None),
            "max_file_mb": limits()["max_file_bytes"] // (1024 * 1024),
        },
    )
    if request.method == "POST":
        response.status_code = 400
    return response


@require_POST
def followup_logout(request: HttpRequest) -> HttpResponse:
    request.session.pop(FOLLOWUP, None)
    return redirect("allegations:report_start")


@require_POST
def draft_discard(request: HttpRequest) -> HttpResponse:
    """Start over: the saved steps and any uploaded draft files are deleted now."""
    draft = request.session.pop(DRAFT, None)
    if isinstance(draft, dict) and draft.get("key"):
        for attachment in Attachment.objects.filter(draft_key=draft["key"], allegation__isnull=True):
            draft_attachment_remove(actor=PUBLIC, draft_key=draft["key"], attachment_id=attachment.pk)
    return redirect("allegations:report_start")
