"""Supply-chain pages: maps list and upload, a map with its graph, table and risky paths, self-screening,
evidence and EPCIS events. Permission checks are in services and selectors; views only call them."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from section307.core.errors import NotFound, ServiceError
from section307.core.forms import service_error_message, service_error_to_form
from section307.core.storedfiles import stored_file_response
from section307.core.types import Actor
from section307.core.uploads import read_limited
from section307.supplychain import exports, selfscreen, services
from section307.supplychain.forms import EntryFileForm, EventsForm, EvidenceForm, MapUploadForm
from section307.supplychain.imports import ImportFailed, template_csv, template_xlsx
from section307.supplychain.models import Evidence, ImportJob, Link, MapAlert, Node, SupplyChainMap
from section307.supplychain.permissions import can_create_map, can_edit_map, own_organization, reads_all
from section307.supplychain.risk import map_risk
from section307.supplychain.selectors import map_get, maps_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _map_or_404(request: HttpRequest, pk: int) -> SupplyChainMap:
    try:
        return map_get(user=request.user, pk=pk)
    except NotFound:
        raise Http404("No such map") from None


def _reader(request: HttpRequest) -> None:
    if not (can_create_map(request.user) or reads_all(request.user)):
        raise PermissionDenied(_("Supply-chain maps are for importers and enforcement staff."))


def _importer(request: HttpRequest) -> None:
    if not can_create_map(request.user):
        raise PermissionDenied(_("Only trade users of an organization upload supplier lists."))


def _org(request: HttpRequest) -> Any:
    """The signed-in trade user's organization (callers have checked ``can_create_map``)."""
    return own_organization(request.user)


def _user(request: HttpRequest) -> Any:
    return request.user


def _org_id(request: HttpRequest) -> Any:
    user: Actor = request.user
    return getattr(user, "organization_id", None)


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def map_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    maps = maps_for(request.user)
    case_ref = (request.GET.get("case") or "").strip()[:40]
    if case_ref:
        maps = maps.filter(case__reference=case_ref)
    alerts = (
        MapAlert.objects.filter(organization_id=_org_id(request), read_at__isnull=True).select_related("map")  # type: ignore[union-attr]
        if can_create_map(request.user)
        else MapAlert.objects.none()
    )
    return render(
        request,
        "supplychain/map_list.html",
        {"maps": maps[:500], "case_ref": case_ref, "can_create": can_create_map(request.user), "alerts": alerts},
    )


@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    _reader(request)
    if request.GET.get("format") == "xlsx":
        return _download(template_xlsx(), XLSX, "supplier-map-template.xlsx")
    return _download(template_csv(), "text/csv; charset=utf-8", "supplier-map-template.csv")


@login_required
def map_upload(request: HttpRequest) -> HttpResponse:
    _importer(request)
    form = MapUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = read_limited(upload, limit=services.MAX_TABLE_BYTES)
            if _row_count_guess(data) > services.BACKGROUND_ROWS:
                job = services.job_create(
                    actor=request.user,
                    kind=ImportJob.Kind.MAP,
                    title=form.cleaned_data["title"],
                    data=data,
                    filename=upload.name,
                )
                return redirect("supplychain:job", pk=job.pk)
            chain_map = services.map_import_file(
                actor=request.user,
                organization=_org(request),
                title=form.cleaned_data["title"],
                data=data,
                filename=upload.name,
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
            errors = exc.extra.get("errors") or []
            return render(request, "supplychain/upload.html", {"form": form, "row_errors": errors}, status=400)
        messages.success(request, _("Map imported and screened."))
        return redirect("supplychain:detail", pk=chain_map.pk)
    return render(
        request,
        "supplychain/upload.html",
        {"form": form, "row_errors": []},
        status=400 if request.method == "POST" else 200,
    )


def _row_count_guess(data: bytes) -> int:
    if data[:2] == b"PK":
        # XLSX: compressed; size is a fair proxy (about 30 bytes per compressed row).
        return len(data) // 30
    return data.count(b"\n")


@login_required
def map_detail(request: HttpRequest, pk: int) -> HttpResponse:
    chain_map = _map_or_404(request, pk)
    risk = map_risk(chain_map)
    on_path = {n.pk for p in risk.paths for n in p.nodes}
    editable = can_edit_map(request.user, chain_map)
    evidence_form = EvidenceForm()
    evidence_form.fields["target"].choices = _targets(chain_map)  # type: ignore[attr-defined]
    nodes = sorted(risk.nodes.values(), key=lambda n: (n.tier, n.name))
    evidence = list(chain_map.evidence.select_related("node", "link"))
    covered_nodes = {e.node_id for e in evidence if e.node_id} | {
        ev.node_id for ev in chain_map.events.all() if ev.node_id
    }
    covered_links = {e.link_id for e in evidence if e.link_id}
    return render(
        request,
        "supplychain/map_detail.html",
        {
            "map": chain_map,
            "risk": risk,
            "nodes": nodes,
            "node_names": {n.pk: n.name for n in nodes},
            "links": risk.links,
            "on_path": on_path,
            "editable": editable,
            "evidence": evidence,
            "events": chain_map.events.select_related("node")[:500],
            "gaps_nodes": [n for n in nodes if n.tier > 0 and n.pk not in covered_nodes],
            "gaps_links": [lk for lk in risk.links if lk.pk not in covered_links],
            "evidence_form": evidence_form,
            "events_form": EventsForm(),
            "alerts": chain_map.alerts.filter(read_at__isnull=True) if editable else [],
            "can_file_in_case": reads_all(request.user) and request.user.has_perm("cases.work_case"),
        },
    )


def _targets(chain_map: SupplyChainMap) -> list[tuple[str, str]]:
    names = dict(chain_map.nodes.values_list("pk", "name"))
    out = [("", _("- Select -"))]
    out += [(f"node:{pk}", name) for pk, name in sorted(names.items(), key=lambda x: x[1]) if pk]
    out += [
        (f"link:{lk.pk}", f"{names.get(lk.supplier_id)} → {names.get(lk.buyer_id)}") for lk in chain_map.links.all()
    ]
    return out


@login_required
def graph_data(request: HttpRequest, pk: int) -> JsonResponse:
    """The map as Cytoscape elements; nodes and edges on a risky path carry the class ``risky``."""
    chain_map = _map_or_404(request, pk)
    risk = map_risk(chain_map)
    on_path = {n.pk for p in risk.paths for n in p.nodes}
    risky_links = {lk.pk for p in risk.paths for lk in p.links}
    elements: list[dict[str, Any]] = [
        {
            "data": {
                "id": f"n{n.pk}",
                "label": f"{n.name} ({n.country_id or '—'}, tier {n.tier})",
                "level": n.risk_level,
            },
            "classes": " ".join(c for c in ("risky" if n.pk in on_path else "", f"level-{n.risk_level}") if c),
        }
        for n in risk.nodes.values()
    ]
    elements += [
        {
            "data": {
                "id": f"l{lk.pk}",
                "source": f"n{lk.supplier_id}",
                "target": f"n{lk.buyer_id}",
                "label": f"{lk.good_key or lk.hts} · {lk.get_custody_model_display()}",
            },
            "classes": "risky" if lk.pk in risky_links else "",
        }
        for lk in risk.links
    ]
    return JsonResponse({"elements": elements, "level": risk.level})


@login_required
def results_download(request: HttpRequest, pk: int) -> HttpResponse:
    chain_map = _map_or_404(request, pk)
    rows = selfscreen.map_result_rows(chain_map)
    if request.GET.get("format") == "xlsx":
        return _download(
            selfscreen.as_xlsx(rows, selfscreen.MAP_RESULT_COLUMNS), XLSX, f"supply-chain-{pk}-screening.xlsx"
        )
    return _download(
        selfscreen.as_csv(rows, selfscreen.MAP_RESULT_COLUMNS),
        "text/csv; charset=utf-8",
        f"supply-chain-{pk}-screening.csv",
    )


@login_required
def map_export(request: HttpRequest, pk: int) -> HttpResponse:
    chain_map = _map_or_404(request, pk)
    if request.GET.get("format") == "graphml":
        return _download(exports.graphml(chain_map), "application/graphml+xml", f"supply-chain-{pk}.graphml")
    return _download(exports.ftm_json_lines(chain_map), "application/x-ndjson", f"supply-chain-{pk}.ftm.json")


@login_required
@require_POST
def match_decide(request: HttpRequest, pk: int, node_pk: int) -> HttpResponse:
    chain_map = _map_or_404(request, pk)
    node = get_object_or_404(Node, pk=node_pk, map=chain_map)
    try:
        services.node_match_decide(actor=request.user, node=node, confirm=request.POST.get("decision") == "confirm")
        services.map_screen(chain_map=chain_map)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        service_error_message(request, exc)
    else:
        messages.success(request, _("Registry match recorded; the map was screened again."))
    return redirect(f"{chain_map.get_absolute_url()}#nodes")


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    chain_map = _map_or_404(request, pk)
    if not can_edit_map(request.user, chain_map):
        raise PermissionDenied(_("Only the map's owner adds evidence."))
    form = EvidenceForm(request.POST, request.FILES)
    form.fields["target"].choices = _targets(chain_map)  # type: ignore[attr-defined]
    if form.is_valid():
        kind, _sep, target_pk = form.cleaned_data["target"].partition(":")
        node = Node.objects.filter(pk=target_pk, map=chain_map).first() if kind == "node" else None
        link = Link.objects.filter(pk=target_pk, map=chain_map).first() if kind == "link" else None
        upload = form.cleaned_data["file"]
        try:
            services.evidence_add(
                actor=request.user,
                chain_map=chain_map,
                data=read_limited(upload, limit=25 * 2**20),
                name=upload.name,
                kind=form.cleaned_data["kind"],
                node=node,
                link=link,
                description=form.cleaned_data["description"],
            )
        except ServiceError as exc:
            service_error_message(request, exc, _("Document not added: "))
        else:
            messages.success(request, _("Document added."))
    else:
        messages.error(request, _("Document not added: choose the node or link, the kind and the file."))
    return redirect(f"{chain_map.get_absolute_url()}#evidence")


@login_required
def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    chain_map = _map_or_404(request, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, map=chain_map)
    try:
        data = services.evidence_content(actor=request.user, evidence=evidence)
    except services.EvidenceTampered as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    return stored_file_response(data, content_type=evidence.content_type, filename=evidence.original_name)


@login_required
@require_POST
def events_import(request: HttpRequest, pk: int) -> HttpResponse:
    chain_map = _map_or_404(request, pk)
    if not can_edit_map(request.user, chain_map):
        raise PermissionDenied(_("Only the map's owner imports events."))
    form = EventsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            raw = read_limited(form.cleaned_data["file"], limit=10 * 2**20)
            try:
                document = json.loads(raw)
            except (ValueError, RecursionError):
                raise services.MapImportError(
                    [
                        {
                            "row": "",
                            "column": "",
                            "field": "file",
                            "reason": _("The file is not JSON."),
                            "message": _("The file is not JSON."),
                        }
                    ]
                ) from None
            made = services.events_import(actor=request.user, chain_map=chain_map, document=document)
        except ServiceError as exc:
            service_error_message(request, exc, _("Events not imported: "))
        else:
            messages.success(request, _("%(n)s events imported.") % {"n": len(made)})
    return redirect(f"{chain_map.get_absolute_url()}#evidence")


@login_required
def self_screen(request: HttpRequest) -> HttpResponse:
    """An entry file screened as the port would screen it; small files at once, large ones in the background."""
    _importer(request)
    form = EntryFileForm(request.POST or None, request.FILES or None)
    results: list[dict[str, Any]] = []
    row_errors: list[dict[str, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = read_limited(upload, limit=services.MAX_TABLE_BYTES)
            if _row_count_guess(data) > services.BACKGROUND_ROWS:
                job = services.job_create(
                    actor=request.user, kind=ImportJob.Kind.ENTRIES, title=upload.name, data=data, filename=upload.name
                )
                return redirect("supplychain:job", pk=job.pk)
            services._check_table(data, upload.name)
            results = selfscreen.screen_entry_rows(selfscreen.entry_rows(data, upload.name))
        except ImportFailed as exc:
            row_errors = exc.errors
        except ServiceError as exc:
            service_error_to_form(form, exc)
        if results:
            job = ImportJob.objects.create(
                organization=_org(request),
                user=_user(request),
                kind=ImportJob.Kind.ENTRIES,
                title=upload.name[:200],
                filename=upload.name[:255],
                status=ImportJob.Status.DONE,
                total=len(results),
                done=len(results),
                results=results,
            )
            return redirect("supplychain:job", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "supplychain/self_screen.html", {"form": form, "row_errors": row_errors}, status=status)


def _own_job(request: HttpRequest, pk: int) -> ImportJob:
    _importer(request)
    job = ImportJob.objects.filter(pk=pk, organization_id=_org_id(request)).select_related("map").first()
    if job is None:
        raise Http404("No such upload")
    return job


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    template = "supplychain/_job_status.html" if request.headers.get("HX-Request") else "supplychain/job.html"
    return render(request, template, {"job": job, "rows": job.results[:1000]})


@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    if job.status != ImportJob.Status.DONE or job.kind != ImportJob.Kind.ENTRIES:
        raise Http404("No results to download")
    if request.GET.get("format") == "xlsx":
        return _download(
            selfscreen.as_xlsx(job.results, selfscreen.ENTRY_RESULT_COLUMNS), XLSX, f"self-screening-{pk}.xlsx"
        )
    return _download(
        selfscreen.as_csv(job.results, selfscreen.ENTRY_RESULT_COLUMNS),
        "text/csv; charset=utf-8",
        f"self-screening-{pk}.csv",
    )


@login_required
@require_POST
def from_entry(request: HttpRequest) -> HttpResponse:
    from section307.ports.models import Entry

    _importer(request)
    entry = Entry.objects.filter(entry_number=(request.POST.get("entry_number") or "")[:20]).first()
    if entry is None:
        raise Http404("No such entry")
    try:
        chain_map = services.map_from_entry(actor=request.user, entry=entry)
    except ServiceError as exc:
        if exc.status == 403:
            raise Http404("No such entry") from exc
        service_error_message(request, exc, _("Map not drafted: "))
        return redirect("supplychain:list")
    return redirect("supplychain:detail", pk=chain_map.pk)


@login_required
@require_POST
def from_case(request: HttpRequest) -> HttpResponse:
    from section307.cases.models import Case

    case = Case.objects.filter(reference=(request.POST.get("case") or "")[:40]).first()
    if case is None:
        raise Http404("No such case")
    try:
        chain_map = services.map_from_case(actor=request.user, case=case)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        service_error_message(request, exc, _("Map not drawn: "))
        return redirect(f"{_list_url()}?case={case.reference}")
    return redirect("supplychain:detail", pk=chain_map.pk)


@login_required
@require_POST
def attach_case(request: HttpRequest, pk: int) -> HttpResponse:
    from section307.cases.models import Case

    chain_map = _map_or_404(request, pk)
    case = Case.objects.filter(reference=(request.POST.get("case") or "").strip()[:40]).first()
    if case is None:
        messages.error(request, _("No case with that reference."))
        return redirect("supplychain:detail", pk=pk)
    try:
        services.map_attach_case(actor=request.user, chain_map=chain_map, case=case)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        service_error_message(request, exc)
    else:
        messages.success(request, _("The map is filed in case %(ref)s.") % {"ref": case.reference})
    return redirect("supplychain:detail", pk=pk)


def _list_url() -> str:
    from django.urls import reverse

    return reverse("supplychain:list")


@login_required
@require_POST
def alert_read(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(MapAlert, pk=pk)
    try:
        services.alert_mark_read(actor=request.user, alert=alert)
    except ServiceError as exc:
        raise Http404("No such alert") from exc
    return redirect("supplychain:detail", pk=alert.map_id)
