"""Entries API.

``POST /api/v1/entries`` takes one entry (an object) or several (a list), each with one or many
lines; ``GET /api/v1/entries/{entry_number}`` returns an entry with its screening and timeline.

Authentication (deny by default): a filer's bearer token (``Authorization: Bearer s307_...``) or
a signed-in session (with the CSRF token on writes). Filing needs ``ports.file_entry``; reading
follows the same object-level rules as the screens (staff see all, a trade user its organization's).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer, SessionAuth

from section307.core.api import UnsupportedMediaType, choices, error_body, error_responses, inline_schema
from section307.core.errors import NotFound, NotPermitted, ServiceError
from section307.core.types import Actor
from section307.ports import selectors, services
from section307.ports.intake import MAX_LINES, FieldError, IntakeError, parse_entry
from section307.ports.models import ApiToken, Decision, Detention, Entry, Regime
from section307.ports.permissions import is_port_staff

MAX_ENTRIES_PER_REQUEST = 500


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        digest = hashlib.sha256(token.encode()).hexdigest()
        found = ApiToken.objects.select_related("user").filter(digest=digest, revoked_at__isnull=True).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


router = Router(tags=["entries"], auth=[TokenAuth(), SessionAuth()])


STAFF_ONLY = "Staff only; empty for trade users"


class LineIn(Schema):
    """One entry line (19 CFR 141.61 entry data). Numbers may also be sent as strings."""

    line: int | None = Field(None, ge=1, le=MAX_LINES, description="Line number; defaults to the position")
    manufacturer: str = Field(min_length=1, max_length=300)
    manufacturer_address: str = Field("", max_length=500)
    manufacturer_id: str = Field("", max_length=40, description="Manufacturer ID (MID)")
    shipper: str = Field("", max_length=300)
    shipper_address: str = Field("", max_length=500)
    consignee: str = Field("", max_length=300)
    suppliers: str = Field("", max_length=2000, description="Upstream suppliers, separated by ';'")
    identifiers: str = Field("", max_length=500)
    country_of_origin: str = Field(min_length=1, max_length=60)
    hts: str = Field("", max_length=14, pattern=r"^[0-9.\s]*$", description="HTSUS, 4 to 10 digits (dots allowed)")
    description: str = Field(min_length=1, max_length=2000)
    value_usd: float | None = Field(None, ge=0, lt=1e11)
    quantity: float | None = Field(None, ge=0, lt=1e11)
    quantity_unit: str = Field("", max_length=10)


class EntryIn(Schema):
    """One entry as filed; every bad field is reported at once (400) and nothing is saved."""

    entry_number: str = Field(
        pattern=r"^[A-Za-z0-9]{3}-?[0-9]{7}-?[0-9]$", description="Filer code and 8 digits, e.g. ABC-1234567-8"
    )
    port: str = Field(pattern=r"^[0-9]{4}$", description="Four-digit port code, e.g. 2704")
    mode: Literal["ocean", "vessel", "sea", "air", "truck", "road", "rail", "mail", "express"]
    filer: str = Field("", max_length=100)
    importer: str = Field(min_length=1, max_length=200)
    importer_number: str = Field("", max_length=30)
    date_of_import: dt.date = Field(description="YYYY-MM-DD, not in the future")
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)


_ENTRIES_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        inline_schema(EntryIn),
                        {"type": "array", "items": inline_schema(EntryIn), "minItems": 1, "maxItems": 500},
                    ]
                }
            }
        },
    }
}


class LineOut(Schema):
    line: int
    manufacturer: str
    country_of_origin: str
    hts: str
    description: str
    decision: str = Field(description=STAFF_ONLY, json_schema_extra=choices(Decision, blank=True))
    score: float
    order_reference: str
    reasons: str


class EventOut(Schema):
    kind: str
    occurred_at: str
    actor: str
    summary: str


class ClockOut(Schema):
    clock: str
    due: str
    running: bool


class DetentionOut(Schema):
    order: str
    regime: str = Field(json_schema_extra=choices(Regime))
    status: str = Field(json_schema_extra=choices(Detention.Status))
    notice_date: str
    due: list[ClockOut]


class EntryOut(Schema):
    entry_number: str
    port: str
    mode: str = Field(json_schema_extra=choices(Entry.Mode))
    importer: str
    date_of_import: str
    status: str = Field(json_schema_extra=choices(Entry.Status))
    decision: str = Field(description=STAFF_ONLY, json_schema_extra=choices(Decision, blank=True))
    lines: list[LineOut]
    timeline: list[EventOut]
    detention: DetentionOut | None = Field(None, description="For staff and the importer of record")


def _invalid(detail: str, errors: list[FieldError]) -> dict[str, Any]:
    # Entries keep answering 400 with every bad field (as they always have), in the common error body.
    return error_body(400, detail, code="invalid_entries", field=errors[0].field, errors=[e.as_dict() for e in errors])


def _entry_out(user: Actor, entry: Entry) -> dict[str, Any]:
    staff = is_port_staff(user)
    detention = getattr(entry, "detention", None) if hasattr(entry, "detention") else None
    own = staff or entry.organization_id == getattr(user, "organization_id", None)
    return {
        "entry_number": entry.entry_number,
        "port": entry.port,
        "mode": entry.mode,
        "importer": entry.importer_name,
        "date_of_import": entry.date_of_import.isoformat(),
        "status": entry.status,
        # Screening internals (scores, reasons) are for staff; trade users see the outcome.
        "decision": entry.decision if staff else "",
        "lines": [
            {
                "line": ln.line,
                "manufacturer": ln.manufacturer,
                "country_of_origin": ln.country_of_origin,
                "hts": ln.hts,
                "description": ln.description,
                "decision": ln.decision if staff else "",
                "score": ln.score if staff else 0.0,
                "order_reference": ln.order_reference if staff else "",
                "reasons": ln.reasons if staff else "",
            }
            for ln in entry.lines.all()
        ],
        "timeline": [
            {
                "kind": ev.kind,
                "occurred_at": ev.occurred_at.isoformat(),
                "actor": ev.actor_label,
                "summary": ev.summary,
            }
            for ev in selectors.entry_timeline(user=user, entry=entry)
        ],
        "detention": (
            {
                "order": detention.order_reference,
                "regime": detention.regime,
                "status": detention.status,
                "notice_date": detention.notice_date.isoformat(),
                "due": [
                    {"clock": c.kind, "due": c.due_date.isoformat(), "running": c.running}
                    for c in detention.clocks.all()
                ],
            }
            if detention is not None and own
            else None
        ),
    }


@router.post(
    "/entries",
    response={201: list[EntryOut], **error_responses(400, 401, 403, 413, 415, 422)},
    summary="File one or more entries; each is screened on arrival",
    openapi_extra=_ENTRIES_BODY,
)
def entries_create(request: HttpRequest) -> Any:
    # The body (documented as EntryIn) is read as plain JSON and checked by ports.intake, which
    # names every bad field of every entry at once, as an upload's rows are.
    user = request.user
    if not user.has_perm("ports.file_entry"):
        raise NotPermitted("this account may not file entries")
    if (request.content_type or "application/json") != "application/json":
        raise UnsupportedMediaType("Send the entries as application/json.")
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, RecursionError) as exc:
        raise ServiceError("The body is not valid JSON.", code="malformed_request", field="body") from exc
    items = payload if isinstance(payload, list) else [payload]
    if not items or not isinstance(payload, dict | list):
        return Status(400, _invalid("no entries", [FieldError("body", "send an entry or a list")]))
    if len(items) > MAX_ENTRIES_PER_REQUEST:
        limit = FieldError("body", f"at most {MAX_ENTRIES_PER_REQUEST} entries per request")
        return Status(400, _invalid("too many entries", [limit]))
    errors: list[FieldError] = []
    parsed = []
    today = timezone.localdate()
    for i, item in enumerate(items):
        prefix = f"[{i}]." if isinstance(payload, list) else ""
        if not isinstance(item, dict):
            errors.append(FieldError(prefix.rstrip(".") or "body", "must be an object"))
            continue
        try:
            parsed.append(parse_entry(item, today=today))
        except IntakeError as exc:
            errors += [FieldError(prefix + e.field, e.reason) for e in exc.errors]
    if errors:
        return Status(400, _invalid("invalid entries; nothing was saved", errors))
    try:
        entries = services.entries_receive(actor=user, entries=parsed, source=Entry.Source.API)
    except IntakeError as exc:
        return Status(400, _invalid("nothing was saved", exc.errors))
    out = []
    for entry in entries:
        fresh = selectors.entry_get(user=user, entry_number=entry.entry_number)
        out.append(_entry_out(user, fresh or entry))
    return Status(201, out)


@router.get(
    "/entries/{entry_number}",
    response={200: EntryOut, **error_responses(400, 401, 403, 404)},
    summary="An entry with its screening, detention and timeline",
)
def entry_read(request: HttpRequest, entry_number: str) -> Any:
    from section307.ports.intake import normalise_entry_number

    number = normalise_entry_number(entry_number) or entry_number
    entry = selectors.entry_get(user=request.user, entry_number=number)
    if entry is None:
        raise NotFound("no such entry")
    return Status(200, _entry_out(request.user, entry))


# The detention endpoints share this router (and its authentication).
from section307.ports import api_detentions  # noqa: E402, F401
