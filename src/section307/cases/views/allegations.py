"""section307.cases.views: allegations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from section307.allegations.inputs import AllegationInvalid
from section307.cases import permissions as perms
from section307.cases import selectors, services
from section307.cases.forms import (
    CaseCreateForm,
)
from section307.cases.models import (
    Case,
    CaseTemplate,
    CustodyEvent,
)
from section307.cases.views._base import _case, _errors, _pk, _work
from section307.core.errors import Conflict, ServiceError
from section307.core.forms import service_error_message
from section307.core.lifecycle import TransitionNotAllowed

# ------------------------------------------------------------------------------------ allegations


def _plain(exc: Exception) -> str:
    if isinstance(exc, AllegationInvalid):
        return "; ".join(str(m) for msgs in exc.errors.values() for m in msgs)
    if isinstance(exc, TransitionNotAllowed):
        return "This allegation can no longer be linked to a case (it is closed or merged)."
    return str(exc)


def _allegation(request: HttpRequest, allegation_pk: int) -> Any:
    from section307.allegations.selectors import allegation_detail

    if not request.user.has_perm("cases.add_case"):
        raise PermissionDenied
    allegation = allegation_detail(user=request.user, pk=allegation_pk)
    if allegation is None:
        raise Http404("No such allegation")
    return allegation


@login_required
def case_open_from_allegation(request: HttpRequest, allegation_pk: int) -> HttpResponse:
    """Open a new case from a template, pre-filled with the allegation's parties, goods and country."""
    allegation = _allegation(request, allegation_pk)
    scope = services.allegation_scope(allegation)
    initial = {
        "title": f"{allegation.merchandise[:200]}" + (f" — {scope['countries'][0].name}" if scope["countries"] else ""),
        "summary": f"Opened from allegation {allegation.reference}.",
        "template": CaseTemplate.objects.filter(is_active=True).first(),
        "origin": Case.Origin.TIP,
        "parties": scope["parties"],
        "goods": scope["goods"],
        "countries": scope["countries"],
        "regions": scope["regions"],
        "hts": ", ".join(scope["hts_prefixes"]),
    }
    form = CaseCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_open_from_allegation(
                actor=request.user,
                allegation=allegation,
                title=d["title"],
                template=d["template"],
                origin=d["origin"],
                summary=d["summary"],
                priority=d["priority"],
                risk_rating=d["risk_rating"],
                parties=d["parties"],
                goods=d["goods"],
                countries=d["countries"],
                regions=d["regions"],
                hts_prefixes=d["hts"],
            )
        except (ValidationError, TransitionNotAllowed, AllegationInvalid) as exc:
            form.add_error(None, _errors(exc) if isinstance(exc, ValidationError) else _plain(exc))
        else:
            messages.success(
                request,
                gettext("Case %(reference)s opened from %(reference2)s.")
                % {"reference": case.reference, "reference2": allegation.reference},
            )
            return redirect("cases:case_detail", reference=case.reference)
    return render(
        request, "cases/case_form.html", {"form": form, "allegation": allegation}, status=400 if form.errors else 200
    )


@login_required
def case_attach_allegation(request: HttpRequest, allegation_pk: int) -> HttpResponse:
    """Choose an existing case (similar ones first) and attach the allegation to it."""
    allegation = _allegation(request, allegation_pk)
    scope = services.allegation_scope(allegation)
    similar = selectors.cases_similar_to(
        party_ids=[p.pk for p in scope["parties"]],
        good_ids=[g.pk for g in scope["goods"]],
        region_ids=[r.pk for r in scope["regions"]],
        user=request.user,
    )
    workable = [c for c in selectors.case_list(user=request.user, phase="open") if perms.can_work(request.user, c)]
    error = ""
    if request.method == "POST":
        case = selectors.case_for(user=request.user, reference=request.POST.get("case", "").strip())
        if case is None or not perms.can_work(request.user, case):
            error = "Choose a case you work on."
        else:
            try:
                services.case_link_allegation(
                    actor=request.user, case=case, allegation=allegation, note=request.POST.get("note", "")
                )
            except (ValidationError, TransitionNotAllowed, PermissionDenied, AllegationInvalid, Conflict) as exc:
                error = "; ".join(_errors(exc)) if isinstance(exc, ValidationError) else _plain(exc)
            else:
                messages.success(
                    request,
                    gettext("%(reference)s attached to %(reference2)s.")
                    % {"reference": allegation.reference, "reference2": case.reference},
                )
                return redirect("cases:case_detail", reference=case.reference)
    return render(
        request,
        "cases/attach_allegation.html",
        {
            "allegation": allegation,
            "similar": [s for s in similar if s[0].is_open and perms.can_work(request.user, s[0])],
            "workable": workable,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def evidence_import(request: HttpRequest, reference: str) -> HttpResponse:
    """Import a linked allegation's sanitized file as evidence."""
    from section307.allegations.models import Attachment

    case = _work(request, reference)
    raw = request.POST.get("attachment", "")
    attachment_pk = _pk(raw)
    attachment = (
        Attachment.objects.filter(pk=attachment_pk).select_related("allegation").first()
        if attachment_pk is not None
        else None
    )
    if attachment is None:
        raise Http404("No such file")
    try:
        evidence = services.evidence_import_from_allegation(actor=request.user, case=case, attachment=attachment)
    except (ValidationError, FileNotFoundError) as exc:
        messages.error(request, "; ".join(_errors(exc)) if isinstance(exc, ValidationError) else str(exc))
        return redirect("cases:evidence_list", reference=case.reference)
    except ServiceError as exc:
        service_error_message(request, exc)
        return redirect("cases:evidence_list", reference=case.reference)
    messages.success(request, gettext("Imported as evidence (SHA-256 %(value)s…).") % {"value": evidence.sha256[:16]})
    return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)


@login_required
def evidence_manifest(request: HttpRequest, reference: str) -> HttpResponse:
    """A CSV manifest of the case's evidence (title, source, dates, SHA-256); each row is an export in custody."""
    import csv

    case = _case(request, reference)
    if not perms.can_view_evidence(request.user, case):
        raise PermissionDenied(gettext("Evidence of this case is not shared with you."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-evidence.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "case",
            "title",
            "kind",
            "source",
            "reliability",
            "date_obtained",
            "added_by",
            "added_at",
            "original_filename",
            "content_type",
            "size",
            "sha256",
            "indicators",
        ]
    )
    for ev in selectors.case_evidence(case=case):
        services.evidence_access_record(
            actor=request.user, evidence=ev, action=CustodyEvent.Action.EXPORTED, detail={"manifest": case.reference}
        )
        tags = "; ".join(f"{t.indicator}:{t.strength}" for t in ev.tags.all() if t.withdrawn_at is None)
        writer.writerow(
            [
                ev.pk,
                ev.case.reference,
                ev.title,
                ev.kind,
                ev.source,
                ev.reliability,
                ev.date_obtained.isoformat(),
                ev.added_by.username,
                ev.added_at.isoformat(),
                ev.original_filename,
                ev.content_type,
                ev.size,
                ev.sha256,
                tags,
            ]
        )
    return response
