"""section307.cases.views: evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from section307.allegations.crypto import DecryptionFailed
from section307.cases import permissions as perms
from section307.cases import selectors, services
from section307.cases.evidence_files import evidence_content
from section307.cases.forms import (
    CommentForm,
    EvidenceForm,
    TagForm,
)
from section307.cases.models import (
    Case,
    CustodyEvent,
    Evidence,
    IndicatorTag,
)
from section307.cases.views._base import _case, _errors, _form_errors, _nav, _pk
from section307.core.errors import ServiceError
from section307.core.forms import service_error_message
from section307.core.storedfiles import stored_file_response

# ----------------------------------------------------------------------------------------- evidence


@login_required
def evidence_list(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not perms.can_view_evidence(request.user, case):
        raise PermissionDenied(gettext("Evidence of this case is not shared with you."))
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not perms.can_work(request.user, case):
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            upload = d["file"]
            try:
                evidence = services.evidence_add(
                    actor=request.user,
                    case=case,
                    file=upload,
                    filename=upload.name,
                    kind=d["kind"],
                    title=d["title"],
                    source=d["source"],
                    reliability=d["reliability"],
                    date_obtained=d["date_obtained"],
                    description=d["description"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            except ServiceError as exc:
                service_error_message(request, exc)
                return redirect("cases:evidence_list", reference=case.reference)
            else:
                messages.success(
                    request, gettext("Evidence stored (SHA-256 %(value)s…).") % {"value": evidence.sha256[:16]}
                )
                return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)
    services.case_view_record(actor=request.user, case=case, view="evidence")
    importable = []
    if perms.can_work(request.user, case) and request.user.has_perm("allegations.triage_allegation"):
        from section307.allegations.models import Attachment

        imported = set(case.evidence.filter(origin=Evidence.Origin.ALLEGATION).values_list("origin_ref", flat=True))
        importable = [
            a
            for a in Attachment.objects.filter(allegation__case_links__case=case)
            .exclude(sanitized_path="")
            .select_related("allegation")
            if f"{a.allegation}/{a.pk}" not in imported
        ]
    return render(
        request,
        "cases/evidence_list.html",
        {
            **_nav(case, request.user),
            "evidence": selectors.case_evidence(case=case),
            "form": form,
            "importable": importable,
        },
        status=400 if form.errors else 200,
    )


def _evidence(request: HttpRequest, reference: str, pk: int) -> tuple[Case, Evidence]:
    case = _case(request, reference)
    evidence = selectors.case_evidence(case=case).filter(pk=pk).first()
    if evidence is None:
        raise Http404("No such evidence in this case")
    if not perms.can_view_evidence(request.user, case):
        raise PermissionDenied(gettext("Evidence of this case is not shared with you."))
    return case, evidence


@login_required
def evidence_detail(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, evidence = _evidence(request, reference, pk)
    tag_form = TagForm()
    note_form = CommentForm()
    status = 200
    if request.method == "POST":
        if not perms.can_work(request.user, case):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "tag":
                tag_form = TagForm(request.POST)
                if tag_form.is_valid():
                    services.evidence_tag(actor=request.user, evidence=evidence, **tag_form.cleaned_data)
                    messages.success(request, gettext("Indicator tagged."))
                    return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)
            elif action == "annotate":
                note_form = CommentForm(request.POST)
                if note_form.is_valid():
                    services.evidence_annotate(
                        actor=request.user, evidence=evidence, body=note_form.cleaned_data["body"]
                    )
                    messages.success(request, gettext("Annotation added."))
                    return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)
            elif action == "withdraw":
                tag = get_object_or_404(IndicatorTag, pk=_pk(request.POST.get("tag")), evidence=evidence)
                services.evidence_tag_withdraw(actor=request.user, tag=tag)
                messages.success(request, gettext("Tag withdrawn."))
                return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)
            elif action == "verify":
                ok = services.evidence_verify(actor=request.user, evidence=evidence)
                (messages.success if ok else messages.error)(
                    request,
                    gettext("The stored file matches its SHA-256.")
                    if ok
                    else gettext("The stored file does NOT match its hash."),
                )
                return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)
        except ValidationError as exc:
            for e in _errors(exc):
                messages.error(request, e)
        except ServiceError as exc:
            service_error_message(request, exc)
            return redirect("cases:evidence_detail", reference=case.reference, pk=evidence.pk)
        status = 400
    services.evidence_access_record(actor=request.user, evidence=evidence, action=CustodyEvent.Action.VIEWED)
    return render(
        request,
        "cases/evidence_detail.html",
        {
            **_nav(case, request.user),
            "evidence": evidence,
            "tags": evidence.tags.select_related("tagged_by", "withdrawn_by"),
            "annotations": evidence.annotations.select_related("author"),
            "custody": evidence.custody.all(),
            "tag_form": tag_form,
            "note_form": note_form,
        },
        status=status,
    )


@login_required
def evidence_download(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    _case_obj, evidence = _evidence(request, reference, pk)
    services.evidence_access_record(
        actor=request.user, evidence=evidence, action=CustodyEvent.Action.DOWNLOADED, detail={"sha256": evidence.sha256}
    )
    try:
        data = evidence_content(evidence)
    except DecryptionFailed:
        # Altered on disk (or its key is gone): never hand out bytes that may not be the evidence.
        messages.error(
            request, gettext("The stored file no longer decrypts: it was altered. Verify its hash to record this.")
        )
        return redirect("cases:evidence_detail", reference=reference, pk=pk)
    return stored_file_response(data, content_type=evidence.content_type, filename=evidence.original_filename)
