"""Parcels API.

``POST /api/v1/manifests`` takes a manifest file (multipart: ``file`` with ``source``, ``carrier``,
``presented_on``, ``port``) or JSON rows, and answers with the counts and the refused rows;
``GET /api/v1/manifests/{manifest_id}`` shows a manifest read in the background;
``GET /api/v1/parcels/{tracking_number}`` gives a parcel's screening, detention and timeline.
Authentication as for entries (a filer's bearer token or a session). Sending needs
``parcels.upload_manifest``; staff see screening details, senders see their own parcels' status.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import SessionAuth

from section307.core.api import UnsupportedMediaType, choices, error_responses, inline_schema
from section307.core.errors import InvalidInput, NotFound, NotPermitted, ServiceError
from section307.parcels import selectors, services
from section307.parcels.models import Manifest, Parcel, ParcelDetention
from section307.ports.api import TokenAuth
from section307.ports.models import Decision, ForfeitureStep, Regime

MAX_JSON_ROWS = 10_000

router = Router(tags=["parcels"], auth=[TokenAuth(), SessionAuth()])


class ParcelRowIn(Schema):
    """One parcel of a manifest. Bad rows are refused one by one (row, column, reason)."""

    tracking_number: str = Field(max_length=40, description="House bill or tracking number (unique)")
    master_bill: str = Field("", max_length=40)
    carrier: str = Field("", max_length=120)
    seller: str = Field("", max_length=300, description="Seller or marketplace; a seller or a shipper is required")
    seller_address: str = Field("", max_length=500)
    shipper: str = Field("", max_length=300)
    shipper_address: str = Field("", max_length=500)
    consignee: str = Field(max_length=300)
    consignee_address: str = Field("", max_length=500)
    description: str = Field(max_length=2000, description="Any language")
    value_usd: float = Field(ge=0, lt=1e10)
    quantity: int = Field(1, ge=1, le=1_000_000)
    hts: str = Field("", max_length=14, pattern=r"^[0-9.\s]*$")
    origin_country: str = Field(max_length=60)


class ManifestIn(Schema):
    source: Literal["express", "postal"]
    carrier: str = Field(min_length=1, max_length=120)
    presented_on: dt.date = Field(description="Presented for examination (YYYY-MM-DD), not in the future")
    port: str = Field("", pattern=r"^([0-9]{4})?$")
    rows: list[ParcelRowIn] = Field(min_length=1, max_length=MAX_JSON_ROWS)


class ManifestFileIn(Schema):
    source: Literal["express", "postal"]
    carrier: str = Field(min_length=1, max_length=120)
    presented_on: dt.date
    port: str = Field("", pattern=r"^([0-9]{4})?$")
    file: str = Field(json_schema_extra={"format": "binary"}, description="CSV, JSON or Parquet")


_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": inline_schema(ManifestIn)},
            "multipart/form-data": {"schema": inline_schema(ManifestFileIn)},
        },
    }
}


class RowErrorOut(Schema):
    row: int = Field(description="Row of the file (1 = first parcel); 0 for the whole file")
    column: str
    reason: str


class ManifestOut(Schema):
    id: int
    status: str = Field(json_schema_extra=choices(Manifest.Status))
    source: str = Field(json_schema_extra=choices(Manifest.Source))
    carrier: str
    format: str = Field(json_schema_extra=choices(Manifest.Format))
    rows_read: int
    rows_stored: int
    rows_rejected: int
    hits: int
    reviews: int
    groups: int
    row_errors: list[RowErrorOut]


class ClockOut(Schema):
    clock: str
    citation: str
    due: str
    running: bool


class ForfeitureStepOut(Schema):
    step: str = Field(json_schema_extra=choices(ForfeitureStep.Step))
    label: str
    on: str


class ParcelDetentionOut(Schema):
    id: int
    order: str
    regime: str = Field(json_schema_extra=choices(Regime))
    status: str = Field(json_schema_extra=choices(ParcelDetention.Status))
    detained_on: str
    parcels: int
    due: list[ClockOut]
    forfeiture: list[ForfeitureStepOut] = Field(
        description="Steps after a seizure under a Finding (Part 162 subpart E, Part 171)"
    )


class StepOut(Schema):
    kind: str
    occurred_at: str
    actor: str
    summary: str


class ParcelOut(Schema):
    tracking_number: str
    manifest: int
    master_bill: str
    carrier: str
    seller: str
    shipper: str
    consignee: str
    description: str
    value_usd: str
    origin_country: str
    status: str = Field(json_schema_extra=choices(Parcel.Status))
    decision: str = Field(description="Staff only; empty for senders", json_schema_extra=choices(Decision, blank=True))
    score: float
    order_reference: str
    reasons: str
    detention: ParcelDetentionOut | None
    timeline: list[StepOut]


def _manifest_out(m: Manifest) -> dict[str, Any]:
    return {
        "id": m.pk,
        "status": m.status,
        "source": m.source,
        "carrier": m.carrier,
        "format": m.file_format,
        "rows_read": m.rows_read,
        "rows_stored": m.rows_stored,
        "rows_rejected": m.rows_rejected,
        "hits": m.hits,
        "reviews": m.reviews,
        "groups": m.groups.count(),
        "row_errors": m.row_errors,
    }


def _date(value: Any, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise InvalidInput("a date YYYY-MM-DD", field=field) from None


def _text(value: Any, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidInput(f"text of at most {limit} characters", field=field)
    return value


@router.post(
    "/manifests",
    response={201: ManifestOut, 202: ManifestOut, **error_responses(400, 401, 403, 413, 415, 422)},
    summary="Send a parcel manifest (a file or JSON rows); every parcel is screened",
    openapi_extra=_BODY,
)
def manifest_create(request: HttpRequest) -> Any:
    user = request.user
    if not user.has_perm("parcels.upload_manifest"):
        raise NotPermitted("this account may not send parcel manifests")
    ctype = request.content_type or "application/json"
    rows = upload = None
    if ctype == "application/json":
        try:
            payload = json.loads(request.body or b"null")
        except (ValueError, RecursionError) as exc:
            raise ServiceError("The body is not valid JSON.", code="malformed_request", field="body") from exc
        if not isinstance(payload, dict):
            raise InvalidInput("send an object with source, carrier, presented_on and rows", field="body")
        rows = payload.get("rows")
        if not isinstance(rows, list) or not rows:
            raise InvalidInput("a non-empty list of parcels", field="rows")
        if len(rows) > MAX_JSON_ROWS:
            raise InvalidInput(
                f"at most {MAX_JSON_ROWS} rows per request; send larger manifests as a file", field="rows"
            )
        fields = payload
    elif ctype == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("attach the manifest file", field="file")
        fields = request.POST
    else:
        raise UnsupportedMediaType("Send application/json rows or a multipart/form-data file.")
    source = _text(fields.get("source"), "source", 10)
    carrier = _text(fields.get("carrier"), "carrier", 120)
    port = _text(fields.get("port"), "port", 4)
    presented_on = _date(fields.get("presented_on"), "presented_on")
    manifest = services.manifest_receive(
        actor=user, source=source, carrier=carrier, presented_on=presented_on, port=port, upload=upload, rows=rows
    )
    if upload is not None and (upload.size or 0) > services.sync_bytes():
        from section307.parcels.tasks import manifest_process_task

        manifest_process_task.enqueue(manifest.pk)
        manifest.refresh_from_db()
        return Status(202, _manifest_out(manifest))
    manifest = services.manifest_process(manifest=manifest, rows=rows)
    if manifest.status == Manifest.Status.FAILED:
        raise InvalidInput(
            manifest.failure,
            code="manifest_unreadable",
            field=(manifest.row_errors[0].get("column") if manifest.row_errors else "") or "file",
            extra={"manifest": manifest.pk},
        )
    return Status(201, _manifest_out(manifest))


@router.get(
    "/manifests/{manifest_id}",
    response={200: ManifestOut, **error_responses(400, 401, 403, 404)},
    summary="A manifest's counts and refused rows (while it is read: its progress)",
)
def manifest_read(request: HttpRequest, manifest_id: int) -> Any:
    m = selectors.manifests_visible_to(request.user).filter(pk=manifest_id).first()
    if m is None:
        raise NotFound("no such manifest")
    return Status(200, _manifest_out(m))


@router.get(
    "/parcels/{tracking_number}",
    response={200: ParcelOut, **error_responses(400, 401, 403, 404)},
    summary="A parcel with its screening, detention and timeline",
)
def parcel_read(request: HttpRequest, tracking_number: str) -> Any:
    user = request.user
    parcel = selectors.parcel_get(user=user, tracking_number=tracking_number)
    if parcel is None:
        raise NotFound("no such parcel")
    staff = selectors.is_parcel_staff(user)
    detention = selectors.parcel_detention(parcel)
    return Status(
        200,
        {
            "tracking_number": parcel.tracking_number,
            "manifest": parcel.manifest_id,
            "master_bill": parcel.master_bill,
            "carrier": parcel.carrier,
            "seller": parcel.seller,
            "shipper": parcel.shipper,
            "consignee": parcel.consignee,
            "description": parcel.description,
            "value_usd": str(parcel.value_usd),
            "origin_country": parcel.origin_country,
            "status": parcel.status,
            "decision": parcel.decision if staff else "",
            "score": parcel.score if staff else 0.0,
            "order_reference": parcel.order_reference if staff or detention else "",
            "reasons": parcel.reasons if staff else "",
            "detention": (
                {
                    "id": detention.pk,
                    "order": detention.order_reference,
                    "regime": detention.regime,
                    "status": detention.status,
                    "detained_on": detention.detained_on.isoformat(),
                    "parcels": detention.group.parcel_count,
                    "due": [
                        {"clock": c.kind, "citation": c.citation, "due": c.due_date.isoformat(), "running": c.running}
                        for c in detention.clocks.all()
                    ],
                    "forfeiture": [
                        {"step": f.step, "label": str(f.get_step_display()), "on": f.on.isoformat()}
                        for f in detention.forfeiture_steps.all()
                    ],
                }
                if detention is not None
                else None
            ),
            "timeline": [
                {"kind": s.kind, "occurred_at": s.occurred_at.isoformat(), "actor": s.actor, "summary": s.summary}
                for s in selectors.parcel_timeline(parcel)
            ],
        },
    )
