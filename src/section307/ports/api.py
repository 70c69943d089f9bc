"""Entries API.

``POST /api/v1/entries`` takes one entry (an object) or several (a list), each with one or many
lines; ``GET /api/v1/entries/{entry_number}`` returns an entry with its screening and timeline.

Authentication (deny by default): a filer's bearer token (``Authorization: Bearer s307_...``) or
a signed-in session (with the CSRF token on writes). Filing needs ``ports.file_entry``; reading
follows the same object-level rules as the screens (staff see all, a trade user its organization's).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import HttpBearer, SessionAuth

from section307.ports import selectors, services
from section307.ports.intake import FieldError, IntakeError, parse_entry
from section307.ports.models import ApiToken, Entry
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


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = []


class LineOut(Schema):
    line: int
    manufacturer: str
    country_of_origin: str
    hts: str
    description: str
    decision: str
    score: float
    order_reference: str
    reasons: str


class EventOut(Schema):
    kind: str
    occurred_at: str
    actor: str
    summary: str


class EntryOut(Schema):
    entry_number: str
    port: str
    mode: str
    importer: str
    date_of_import: str
    status: str
    decision: str
    lines: list[LineOut]
    timeline: list[EventOut]
    detention: dict[str, Any] | None = None


def _entry_out(user: Any, entry: Entry) -> dict[str, Any]:
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
    response={201: list[EntryOut], 400: ErrorOut, 403: ErrorOut},
    summary="File one or more entries; each is screened on arrival",
)
def entries_create(request: HttpRequest, payload: dict[str, Any] | list[dict[str, Any]]) -> Any:
    user = request.user
    if not user.has_perm("ports.file_entry"):
        return Status(403, {"detail": "this account may not file entries"})
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        return Status(400, {"detail": "no entries", "errors": [{"field": "body", "reason": "send an entry or a list"}]})
    if len(items) > MAX_ENTRIES_PER_REQUEST:
        return Status(
            400,
            {
                "detail": "too many entries",
                "errors": [{"field": "body", "reason": f"at most {MAX_ENTRIES_PER_REQUEST} entries per request"}],
            },
        )
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
        return Status(400, {"detail": "invalid entries; nothing was saved", "errors": [e.as_dict() for e in errors]})
    try:
        entries = services.entries_receive(actor=user, entries=parsed, source=Entry.Source.API)
    except IntakeError as exc:
        return Status(400, {"detail": "nothing was saved", "errors": [e.as_dict() for e in exc.errors]})
    out = []
    for entry in entries:
        fresh = selectors.entry_get(user=user, entry_number=entry.entry_number)
        out.append(_entry_out(user, fresh or entry))
    return Status(201, out)


@router.get(
    "/entries/{entry_number}",
    response={200: EntryOut, 404: ErrorOut},
    summary="An entry with its screening, detention and timeline",
)
def entry_read(request: HttpRequest, entry_number: str) -> Any:
    from section307.ports.intake import normalise_entry_number

    number = normalise_entry_number(entry_number) or entry_number
    entry = selectors.entry_get(user=request.user, entry_number=number)
    if entry is None:
        return Status(404, {"detail": "no such entry"})
    return Status(200, _entry_out(request.user, entry))


# The detention endpoints share this router (and its authentication).
from section307.ports import api_detentions  # noqa: E402, F401
