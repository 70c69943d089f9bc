"""Supply-chain API: create a map (JSON or a CSV/XLSX upload), read it, its upstream risk and exports.

Authentication as the rest of the API: an API token (``section307 tokens create USERNAME``) or a
signed-in session. Importers see their organization's maps only; analysts, supervisors, port officers
and headquarters reviewers read all; everyone else is refused.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.security import SessionAuth

from section307.core.api import UnsupportedMediaType, choices, error_responses, inline_schema
from section307.core.errors import InvalidInput, NotPermitted, ServiceError
from section307.core.types import Actor
from section307.core.uploads import read_limited
from section307.ports.api import TokenAuth
from section307.supplychain import exports, selectors, services
from section307.supplychain.models import CustodyModel, MatchStatus, RiskLevel, SupplyChainMap
from section307.supplychain.permissions import can_create_map, own_organization
from section307.supplychain.risk import risk_paths

router = Router(tags=["supply chains"], auth=[TokenAuth(), SessionAuth()])
MAX_JSON_LINKS = 20_000


class NodeIn(Schema):
    id: str = Field(min_length=1, max_length=100, description="Your id for the node; links name it")
    name: str = Field(min_length=1, max_length=300)
    country: str = Field("", max_length=60, description="ISO code or name; required for suppliers")
    address: str = Field("", max_length=500)
    identifier: str = Field("", max_length=100, description="e.g. MID:..., USCC:..., LEI:...")
    tier: int = Field(ge=0, le=30, description="0 = your organization, 1 = direct supplier, ...")


class LinkIn(Schema):
    supplier: str = Field(min_length=1, max_length=100, description="Node id of the supplier")
    buyer: str = Field(min_length=1, max_length=100, description="Node id of the buyer")
    good: str = Field("", max_length=200)
    hts: str = Field("", max_length=14, pattern=r"^[0-9.\s]*$")
    share: float | None = Field(None, description="Share of the buyer's input of this good, 0 to 1")
    custody_model: Literal["identity_preserved", "segregated", "mass_balance", "book_and_claim"] = "mass_balance"
    period_start: dt.date | None = None
    period_end: dt.date | None = None


class MapIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    nodes: list[NodeIn] = Field(min_length=1, max_length=MAX_JSON_LINKS)
    links: list[LinkIn] = Field(min_length=1, max_length=MAX_JSON_LINKS)


_UPLOAD_SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "maxLength": 200, "minLength": 1},
        "file": {"type": "string", "format": "binary", "description": "CSV or XLSX in the template's columns"},
    },
    "required": ["title", "file"],
    "additionalProperties": False,
}
_CREATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": inline_schema(MapIn)},
            "multipart/form-data": {"schema": _UPLOAD_SCHEMA},
        },
    }
}


class NodeOut(Schema):
    id: int
    name: str
    tier: int
    country: str
    address: str
    identifier: str
    registry_party: int | None
    match_status: str = Field(json_schema_extra=choices(MatchStatus))
    match_score: float | None
    risk_level: str = Field(json_schema_extra=choices(RiskLevel))


class LinkOut(Schema):
    id: int
    supplier: int
    buyer: int
    tier: int
    good: str
    hts: str
    share: float | None
    custody_model: str = Field(json_schema_extra=choices(CustodyModel))
    period_start: dt.date | None
    period_end: dt.date | None


class MapOut(Schema):
    id: int
    title: str
    organization: str
    case: str
    good: str
    hts: str
    source: str = Field(json_schema_extra=choices(SupplyChainMap.Source))
    risk_level: str = Field(json_schema_extra=choices(RiskLevel))
    screened_at: dt.datetime | None
    nodes: list[NodeOut]
    links: list[LinkOut]


class ReasonOut(Schema):
    signal: str = Field(description="party, identifier, region or dol")
    level: str = Field(json_schema_extra=choices(["hit", "review"]))
    detail: str
    list: str
    order: str


class PathOut(Schema):
    level: str = Field(json_schema_extra=choices(RiskLevel))
    source: int = Field(description="The risky node")
    nodes: list[int] = Field(description="From the risky node to the importer, in order")
    names: list[str]
    links: list[int]
    custody_models: list[str]
    rule: str
    note: str
    reasons: list[ReasonOut]


class RiskOut(Schema):
    map: int
    risk_level: str = Field(json_schema_extra=choices(RiskLevel))
    screened_at: dt.datetime | None
    paths: list[PathOut]


def map_out(chain_map: SupplyChainMap) -> dict[str, Any]:
    nodes = chain_map.nodes.select_related("country").order_by("tier", "id")
    return {
        "id": chain_map.pk,
        "title": chain_map.title,
        "organization": chain_map.organization.name if chain_map.organization else "",
        "case": chain_map.case.reference if chain_map.case else "",
        "good": chain_map.good.name if chain_map.good else "",
        "hts": chain_map.hts,
        "source": chain_map.source,
        "risk_level": chain_map.risk_level,
        "screened_at": chain_map.screened_at,
        "nodes": [
            {
                "id": n.pk,
                "name": n.name,
                "tier": n.tier,
                "country": n.country_id or "",
                "address": n.address,
                "identifier": n.identifier,
                "registry_party": n.party_id,
                "match_status": n.match_status,
                "match_score": n.match_score,
                "risk_level": n.risk_level,
            }
            for n in nodes
        ],
        "links": [
            {
                "id": lk.pk,
                "supplier": lk.supplier_id,
                "buyer": lk.buyer_id,
                "tier": lk.tier,
                "good": lk.good_key,
                "hts": lk.hts,
                "share": float(lk.share) if lk.share is not None else None,
                "custody_model": lk.custody_model,
                "period_start": lk.period_start,
                "period_end": lk.period_end,
            }
            for lk in chain_map.links.order_by("tier", "id")
        ],
    }


def risk_out(chain_map: SupplyChainMap) -> dict[str, Any]:
    level, paths = risk_paths(chain_map)
    return {
        "map": chain_map.pk,
        "risk_level": level,
        "screened_at": chain_map.screened_at,
        "paths": [
            {
                "level": p.level,
                "source": p.source.pk,
                "nodes": [n.pk for n in p.nodes],
                "names": [n.name for n in p.nodes],
                "links": [lk.pk for lk in p.links],
                "custody_models": [lk.custody_model for lk in p.links],
                "rule": p.rule,
                "note": p.note,
                "reasons": [
                    {
                        "signal": str(s.get("kind", "")),
                        "level": str(s.get("level", "")),
                        "detail": str(s.get("detail", "")),
                        "list": str(s.get("list") or ""),
                        "order": str(s.get("order_id") or ""),
                    }
                    for s in p.reasons
                ],
            }
            for p in paths
        ],
    }


@router.post(
    "/supply-chains",
    response={201: MapOut, **error_responses(400, 401, 403, 413, 415, 422)},
    summary="Create a supplier map from JSON (nodes and links) or a CSV/XLSX upload; it is matched and screened",
    openapi_extra=_CREATE_BODY,
)
def supply_chain_create(request: HttpRequest) -> Any:
    user: Actor = request.user
    if not can_create_map(user):
        raise NotPermitted("Only trade users of an organization create supplier maps.")
    content_type = request.content_type or "application/json"
    if content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        title = (request.POST.get("title") or "").strip()
        if upload is None:
            raise InvalidInput("Attach the supplier list as file.", field="file")
        data = read_limited(upload, limit=services.MAX_TABLE_BYTES)
        chain_map = services.map_import_file(
            actor=user,
            organization=own_organization(user),
            title=title[:200],
            data=data,
            filename=upload.name or "upload.csv",
        )
        return Status(201, map_out(chain_map))
    if content_type != "application/json":
        raise UnsupportedMediaType("Send application/json or multipart/form-data.")
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, RecursionError) as exc:
        raise ServiceError("The body is not valid JSON.", code="malformed_request", field="body") from exc
    try:
        body = MapIn.model_validate(payload)
    except Exception as exc:  # pydantic's ValidationError: answered as the API's 422 body
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", ())) or "body", "message": str(e.get("msg", ""))}
            for e in getattr(exc, "errors", lambda: [])()
        ] or [{"field": "body", "message": "The body does not match MapIn."}]
        raise InvalidInput("The request is invalid.", field=errors[0]["field"], extra={"errors": errors}) from None
    chain_map = services.map_import_json(
        actor=user,
        organization=own_organization(user),
        title=body.title,
        nodes=[n.model_dump() for n in body.nodes],
        links=[lk.model_dump() for lk in body.links],
    )
    return Status(201, map_out(chain_map))


@router.get(
    "/supply-chains/{map_id}",
    response={200: MapOut, **error_responses(400, 401, 403, 404)},
    summary="A supplier map: its nodes (with registry match and risk) and links",
)
def supply_chain_read(request: HttpRequest, map_id: int) -> Any:
    return Status(200, map_out(selectors.map_get(user=request.user, pk=map_id)))


@router.get(
    "/supply-chains/{map_id}/risk",
    response={200: RiskOut, **error_responses(400, 401, 403, 404)},
    summary="Upstream risk: each risky path to the imported good, with its nodes, links, rule and reasons",
)
def supply_chain_risk(request: HttpRequest, map_id: int) -> Any:
    return Status(200, risk_out(selectors.map_get(user=request.user, pk=map_id)))


@router.get(
    "/supply-chains/{map_id}/export",
    response={200: None, **error_responses(400, 401, 403, 404, 422)},
    summary="Export as FollowTheMoney entities (JSON lines) or GraphML",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The export file",
                "content": {
                    "application/x-ndjson": {"schema": {"type": "string"}},
                    "application/graphml+xml": {"schema": {"type": "string"}},
                },
            }
        }
    },
)
def supply_chain_export(request: HttpRequest, map_id: int, format: Literal["ftm", "graphml"] = "ftm") -> HttpResponse:  # noqa: A002
    chain_map = selectors.map_get(user=request.user, pk=map_id)
    if format == "graphml":
        response = HttpResponse(exports.graphml(chain_map), content_type="application/graphml+xml")
        response["Content-Disposition"] = f'attachment; filename="supply-chain-{chain_map.pk}.graphml"'
    else:
        response = HttpResponse(exports.ftm_json_lines(chain_map), content_type="application/x-ndjson")
        response["Content-Disposition"] = f'attachment; filename="supply-chain-{chain_map.pk}.ftm.json"'
    response["Cache-Control"] = "no-store"
    return response
