"""Public API for reporters: submit an allegation, then follow it with the receipt code.

``POST /allegations`` takes a JSON body, or ``multipart/form-data`` with a ``data`` part holding the
same JSON and any number of ``files`` parts. The follow-up endpoints authenticate with the receipt
code in the ``X-Receipt-Code`` header. Errors are JSON (``core.api.ErrorOut``):
``{"detail", "code", "field"?, "errors"?: [{"field", "message"}]}``.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status
from pydantic import ValidationError

from section307.allegations import ratelimits
from section307.allegations.inputs import (
    AllegationInput,
    IdentityInput,
    IndicatorInput,
    NamedPartyInput,
)
from section307.allegations.models import (
    AllegationMessage,
    AllegationParty,
    Attachment,
    ContactMethod,
    IloIndicator,
    Industry,
    PublicStatus,
    SourceType,
    SupplyChainStage,
)
from section307.allegations.receipts import receipt_display
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
    limits,
)
from section307.core.api import STATUS_CODES, choices, error_body, error_responses, inline_schema
from section307.core.errors import ServiceError
from section307.core.inputs import nul_paths

router = Router(tags=["allegations"])


ShipmentKind = Literal["bill_of_lading", "container", "entry", "other"]
COUNTRY = r"^([A-Za-z]{2})?$"


class ShipmentRefIn(Schema):
    kind: ShipmentKind
    value: str = Field(min_length=1, max_length=100)


class PartyIn(Schema):
    role: AllegationParty.Role = AllegationParty.Role.MANUFACTURER
    name: str = Field(min_length=1, max_length=500)
    address: str = Field("", max_length=2000)
    country: str = Field("", description="ISO 3166-1 alpha-2", max_length=2, pattern=COUNTRY)


class IndicatorIn(Schema):
    indicator: IloIndicator = Field(description="One of the 11 ILO indicators")
    observation: str = Field(description="What was seen or heard", min_length=1, max_length=20000)


class IdentityIn(Schema):
    name: str = Field("", max_length=200)
    organization: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    contact_details: str = Field("", max_length=1000)


class AllegationIn(Schema):
    """19 CFR 12.42(b): reasons, merchandise, production abroad; plus ILO indicators, source and contact."""

    reasons: str = Field(description="A full statement of the reasons for the belief", min_length=1, max_length=20000)
    source_type: SourceType
    source_details: str = Field("", max_length=20000)
    merchandise: str = Field(description="A detailed description of the merchandise", min_length=1, max_length=20000)
    hts_code: str = Field("", description="HTSUS code if known (2-10 digits)", max_length=20, pattern=r"^[0-9.\s]*$")
    industry: Industry | Literal[""] = ""
    sample_available: bool = False
    sample_details: str = Field("", max_length=20000)
    country: str = Field("", description="Country of production, ISO 3166-1 alpha-2", max_length=2, pattern=COUNTRY)
    region_text: str = Field("", max_length=300)
    supply_chain_stage: SupplyChainStage | Literal[""] = ""
    importers_brands: str = Field("", max_length=20000)
    shipment_refs: list[ShipmentRefIn] = Field(default_factory=list, max_length=100)
    parties: list[PartyIn] = Field(default_factory=list, max_length=20)
    indicators: list[IndicatorIn] = Field(default_factory=list, max_length=11)
    identity: IdentityIn | None = Field(None, description="Omit to stay anonymous")
    contact_allowed: bool = False
    contact_method: ContactMethod | Literal[""] = ""
    discard_originals: bool = Field(False, description="Discard originals once a sanitized copy exists")
    language: str = Field("", max_length=10)


class FileOut(Schema):
    kind: str = Field(json_schema_extra=choices(Attachment.Kind))
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class SubmittedOut(Schema):
    receipt_code: str = Field(
        description="Grouped as XXXX-XXXX-XXXX-XXXX-XXXX (dashes optional when sent back). Shown once; keep it."
    )
    status: str = Field(description="Always 'received' for a new allegation", json_schema_extra=choices(PublicStatus))
    files: list[FileOut] = Field(description="Each accepted file's kind and SHA-256")


class MessageOut(Schema):
    id: int
    direction: str = Field(
        description="question (from the agency) or reporter", json_schema_extra=choices(["question", "reporter"])
    )
    body: str
    created_at: str
    answered: bool


class StatusOut(Schema):
    status: str = Field(json_schema_extra=choices(PublicStatus))
    status_label: str
    submitted_on: str
    messages: list[MessageOut]
    files: list[FileOut]


class MessageIn(Schema):
    body: str = Field("", max_length=20000)


class MessageCreatedOut(Schema):
    id: int
    status: str = Field(json_schema_extra=choices(PublicStatus))
    files: list[FileOut]


def _body_doc(model: type[Schema], description: str) -> dict[str, Any]:
    schema = inline_schema(model)
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                "application/json": {"schema": schema},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["data"],
                        "properties": {
                            "data": {"type": "string", "description": f"The {model.__name__} object as JSON"},
                            "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        },
                    }
                },
            },
        },
        "parameters": [],
    }


class BadRequest(ServiceError):
    """The request cannot be read or validated (400, 415 or 422); rendered by the API's error handler."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: list[dict[str, str]] | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
    ) -> None:
        extra = {"errors": errors} if errors else None
        field = field or (errors[0]["field"] if errors else None)
        super().__init__(detail, code=code or STATUS_CODES.get(status), field=field, extra=extra)
        self.status = status


def _payload(request: HttpRequest) -> tuple[Any, list[FileInput]]:
    """The JSON object and files of a JSON or multipart request; BadRequest for anything else."""
    content_type = request.content_type or ""
    files: list[FileInput] = []
    if content_type.startswith("multipart/form-data"):
        raw = request.POST.get("data", "")
        max_bytes = limits()["max_file_bytes"]
        errors = []
        for i, upload in enumerate(request.FILES.getlist("files")):
            if upload.size is not None and upload.size > max_bytes:
                errors.append({"field": f"files.{i}", "message": f"larger than {max_bytes // (1024 * 1024)} MB"})
                continue
            files.append(FileInput(name=upload.name or "", data=upload.read()))
        if errors:
            raise BadRequest(422, "Some files were refused.", errors)
    elif content_type in {"application/json", ""}:
        raw = request.body.decode("utf-8", errors="replace")
    else:
        raise BadRequest(415, "Send application/json or multipart/form-data.")
    try:
        decoded = json.loads(raw or "null")
    except RecursionError as exc:
        raise BadRequest(400, "The JSON is nested too deeply.") from exc
    except json.JSONDecodeError as exc:
        raise BadRequest(
            400, f"The body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from exc
    # A JSON body is checked before any view runs; the `data` part of a multipart form is checked here.
    nul_field = next(nul_paths(decoded), None)
    if nul_field is not None:
        raise BadRequest(
            400, f"The field “{nul_field}” contains a NUL character.", code="nul_character", field=nul_field
        )
    return decoded, files


def _pydantic_errors(exc: ValidationError) -> list[dict[str, str]]:
    return [{"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]} for e in exc.errors()]


def _to_input(payload: AllegationIn) -> AllegationInput:
    return AllegationInput(
        reasons=payload.reasons,
        source_type=str(payload.source_type),
        source_details=payload.source_details,
        merchandise=payload.merchandise,
        hts_code=payload.hts_code,
        industry=str(payload.industry),
        sample_available=payload.sample_available,
        sample_details=payload.sample_details,
        country=payload.country,
        region_text=payload.region_text,
        supply_chain_stage=str(payload.supply_chain_stage),
        importers_brands=payload.importers_brands,
        shipment_refs=[(r.kind, r.value) for r in payload.shipment_refs],
        parties=[NamedPartyInput(str(p.role), p.name, p.address, p.country) for p in payload.parties],
        indicators=[IndicatorInput(str(i.indicator), i.observation) for i in payload.indicators],
        identity=IdentityInput(**payload.identity.model_dump()) if payload.identity else None,
        contact_allowed=payload.contact_allowed,
        contact_method=str(payload.contact_method),
        discard_originals=payload.discard_originals,
        language=payload.language or get_language() or "",
    )


def _error(status: int, detail: str) -> Status[dict[str, Any]]:
    return Status(status, error_body(status, detail))


@router.post(
    "/allegations",
    response={201: SubmittedOut, **error_responses(400, 413, 415, 422, 429)},
    summary="Submit an allegation (anonymous unless identity is given)",
    openapi_extra=_body_doc(AllegationIn, "JSON, or multipart with a `data` JSON part and `files` parts."),
    auth=None,
)
def submit(request: HttpRequest) -> Status[dict[str, Any]]:
    raw, files = _payload(request)
    try:
        payload = AllegationIn.model_validate(raw)
    except ValidationError as exc:
        raise BadRequest(422, "The allegation is incomplete or invalid.", _pydantic_errors(exc)) from exc
    if ratelimits.submission_limited(request):
        return _error(429, "Too many submissions from this client. Try again later.")
    allegation, code = allegation_submit(actor=PUBLIC, data=_to_input(payload), files=files)
    return Status(
        201,
        {
            "receipt_code": receipt_display(code),
            "status": PublicStatus.RECEIVED.value,
            "files": [{"kind": a.kind, "sha256": a.sha256} for a in allegation.attachments.all()],
        },
    )


def _by_header(request: HttpRequest) -> Any:
    """The allegation for the X-Receipt-Code header, or an error tuple (401 or 429) to return."""
    if ratelimits.receipt_blocked(request):
        return _error(429, "Too many wrong receipt codes from this client. Try again later.")
    allegation = allegation_by_receipt(code=request.headers.get("X-Receipt-Code", ""))
    if allegation is None:
        ratelimits.receipt_failed(request)
        return _error(401, "The receipt code is missing or does not open a report.")
    return allegation


_RECEIPT_HEADER = {
    "parameters": [
        {
            "in": "header",
            "name": "X-Receipt-Code",
            "required": True,
            "schema": {"type": "string"},
            "description": "The receipt code given when the allegation was submitted (dashes optional)",
        }
    ]
}


def _public_messages(allegation: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "direction": "question" if m.direction == AllegationMessage.Direction.TO_REPORTER else "reporter",
            "body": m.body,
            "created_at": m.created_at.isoformat(),
            "answered": m.answered_at is not None,
        }
        for m in allegation_public_messages(allegation=allegation)
    ]


@router.get(
    "/allegations/status",
    response={200: StatusOut, **error_responses(401, 429)},
    summary="Status, questions and answers of an allegation (receipt code in X-Receipt-Code)",
    openapi_extra=_RECEIPT_HEADER,
    auth=None,
)
def status(request: HttpRequest) -> Any:
    found = _by_header(request)
    if isinstance(found, Status):
        return found
    code = allegation_public_status(allegation=found)
    return Status(
        200,
        {
            "status": code,
            "status_label": str(PublicStatus(code).label),
            "submitted_on": found.submitted_at.date().isoformat(),
            "messages": _public_messages(found),
            "files": [{"kind": a.kind, "sha256": a.sha256} for a in found.attachments.all()],
        },
    )


@router.post(
    "/allegations/messages",
    response={201: MessageCreatedOut, **error_responses(400, 401, 413, 415, 422, 429)},
    summary="Answer questions or add information and files (receipt code in X-Receipt-Code)",
    openapi_extra={
        **_body_doc(MessageIn, "JSON, or multipart with a `data` JSON part and `files` parts."),
        **_RECEIPT_HEADER,
    },
    auth=None,
)
def add_message(request: HttpRequest) -> Any:
    found = _by_header(request)
    if isinstance(found, Status):
        return found
    raw, files = _payload(request)
    try:
        payload = MessageIn.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        raise BadRequest(422, "The message is invalid.", _pydantic_errors(exc)) from exc
    if ratelimits.submission_limited(request):
        return _error(429, "Too many messages from this client. Try again later.")
    message = allegation_reporter_message(actor=PUBLIC, allegation=found, body=payload.body, files=files)
    found.refresh_from_db()
    return Status(
        201,
        {
            "id": message.pk,
            "status": allegation_public_status(allegation=found),
            "files": [{"kind": a.kind, "sha256": a.sha256} for a in message.attachments.all()],
        },
    )
