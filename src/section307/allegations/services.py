"""Writes to allegations. Each function is one transaction, takes the acting user and audits what it did.

The public reporter has no account: their actor is ``None``/anonymous and the audit row says "public".
No function here ever receives or stores request metadata (IP address, user agent).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from section307.accounts.roles import role_grants
from section307.allegations import crypto, evidence
from section307.allegations.inputs import AllegationInput, AllegationInvalid, validate_input
from section307.allegations.lifecycle import ALLEGATION_LIFECYCLE, OPEN, require_not_terminal
from section307.allegations.models import (
    Allegation,
    AllegationIndicator,
    AllegationMessage,
    AllegationParty,
    AllegationStatus,
    Attachment,
    CloseReason,
)
from section307.allegations.receipts import receipt_digest, receipt_generate
from section307.core.audit import audit_record
from section307.core.errors import InvalidInput
from section307.core.types import Actor, signed_in
from section307.geo.models import Country, Region
from section307.goods.models import Good, GoodHtsCode
from section307.orders.models import LaborType
from section307.parties.services import party_find, party_resolve

# The actor for everything a reporter does. Always this, even if the browser happens to be signed in,
# so no report is ever tied to an account (the audit row says "public").
PUBLIC = AnonymousUser()


# --- evidence files ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileInput:
    """An uploaded file's bytes and the name it came with (kept only encrypted)."""

    name: str
    data: bytes
    description: str = ""


def limits() -> dict[str, Any]:
    return settings.SECTION307_ALLEGATION_LIMITS


def _inspect_all(files: Sequence[FileInput], *, already: int = 0, already_bytes: int = 0) -> list[evidence.Inspected]:
    """Check every file before anything is written, so one bad file changes nothing."""
    lim = limits()
    errors: dict[str, list[str]] = {}
    if already + len(files) > lim["max_files"]:
        errors["files"] = [_("Send at most %(n)d files.") % {"n": lim["max_files"]}]
    total = already_bytes + sum(len(f.data) for f in files)
    if total > lim["max_total_bytes"]:
        errors.setdefault("files", []).append(
            _("All files together may be at most %(mb)d MB.") % {"mb": lim["max_total_bytes"] // (1024 * 1024)}
        )
    inspected: list[evidence.Inspected] = []
    for i, f in enumerate(files):
        try:
            inspected.append(evidence.inspect_file(f.data, max_bytes=lim["max_file_bytes"]))
        except evidence.RejectedFile as exc:
            errors.setdefault(f"files.{i}", []).append(str(exc))
        if len(f.description) > 500:
            errors.setdefault(f"files.{i}", []).append(_("Describe the file in at most 500 characters."))
    if errors:
        raise AllegationInvalid(errors)
    return inspected


def _store_file(
    f: FileInput,
    inspected: evidence.Inspected,
    *,
    allegation: Allegation | None,
    draft_key: str = "",
    message: AllegationMessage | None = None,
    written: list[str],
) -> Attachment:
    """Store the encrypted original and queue its sanitizing: the heavy work never holds up the receipt."""
    from section307.allegations.tasks import sanitize_attachment

    original_path = evidence.store_encrypted(f.data)
    written.append(original_path)
    name = f.name.replace("\\", "/").rsplit("/", 1)[-1][:255]
    attachment = Attachment.objects.create(
        allegation=allegation,
        message=message,
        draft_key=draft_key,
        kind=inspected.kind,
        mime_type=inspected.mime_type,
        extension=inspected.extension,
        size=inspected.size,
        sha256=inspected.sha256,
        original_name_encrypted=crypto.encrypt_text(name) if name else "",
        original_path=original_path,
        sanitization=Attachment.Sanitization.PENDING,
        description=f.description.strip()[:500],
    )
    # Queued in the same transaction: the task exists exactly when the file's row does.
    sanitize_attachment.enqueue(attachment.pk)
    return attachment


def attachment_sanitize(*, actor: Actor | None = None, attachment_id: int) -> Attachment | None:
    """Derive the sanitized copy of a stored original (the background task's work).

    Deliberately not one transaction: decoding and rewriting a file takes seconds, so it runs with no
    lock held; only the final update of the row is atomic. Returns None when there was nothing to do.
    """
    pending = Attachment.objects.filter(pk=attachment_id, sanitization=Attachment.Sanitization.PENDING).first()
    if pending is None or not pending.original_path:
        return None
    data = evidence.read_encrypted(pending.original_path)
    facts = evidence.Inspected(pending.kind, pending.mime_type, pending.extension, pending.size, pending.sha256)
    clean = evidence.sanitize(data, facts)
    path = evidence.store_encrypted(clean.data) if clean.data is not None else ""
    with transaction.atomic():
        attachment = (
            Attachment.objects.select_for_update(of=("self",))
            .select_related("allegation")
            .filter(pk=attachment_id, sanitization=Attachment.Sanitization.PENDING)
            .first()
        )
        if attachment is None:  # removed (draft purged) or done by another worker meanwhile
            transaction.on_commit(lambda: evidence.delete_stored(path))
            return None
        attachment.sanitized_path = path
        attachment.sanitized_sha256 = hashlib.sha256(clean.data).hexdigest() if clean.data is not None else ""
        attachment.sanitized_size = len(clean.data) if clean.data is not None else None
        attachment.sanitization = clean.status
        attachment.removed_metadata = clean.removed
        attachment.save(
            update_fields=["sanitized_path", "sanitized_sha256", "sanitized_size", "sanitization", "removed_metadata"]
        )
        if attachment.allegation is not None and attachment.allegation.discard_originals:
            _discard_originals([attachment])
        audit_record(
            actor=actor,
            action="allegation.file_sanitized",
            target=attachment.allegation,
            data={"attachment": attachment.pk, "status": clean.status},
        )
    return attachment


def _cleanup_on_failure(written: list[str]) -> None:
    for path in written:
        evidence.delete_stored(path)


def _discard_originals(attachments: Sequence[Attachment]) -> None:
    """Honour the reporter's request: drop originals that have a sanitized copy (after commit)."""
    paths: list[str] = []
    now = timezone.now()
    for a in attachments:
        if a.sanitized_path and a.original_path:
            paths.append(a.original_path)
            a.original_path = ""
            a.original_discarded_at = now
            a.save(update_fields=["original_path", "original_discarded_at"])
    transaction.on_commit(lambda: evidence.delete_all(paths))


@transaction.atomic
def draft_attachment_add(*, actor: Actor, draft_key: str, file: FileInput) -> Attachment:
    """Store a file uploaded while the form is still a draft (save-as-you-go)."""
    if not draft_key or len(draft_key) < 32:
        raise ValueError("draft_key must be a random token")
    drafts = Attachment.objects.filter(draft_key=draft_key, allegation__isnull=True)
    [inspected] = _inspect_all([file], already=drafts.count(), already_bytes=sum(drafts.values_list("size", flat=True)))
    written: list[str] = []
    try:
        attachment = _store_file(file, inspected, allegation=None, draft_key=draft_key, written=written)
    except Exception:
        _cleanup_on_failure(written)
        raise
    return attachment


@transaction.atomic
def draft_attachment_remove(*, actor: Actor, draft_key: str, attachment_id: int) -> bool:
    attachment = Attachment.objects.filter(pk=attachment_id, draft_key=draft_key, allegation__isnull=True).first()
    if attachment is None or not draft_key:
        return False
    paths = [attachment.original_path, attachment.sanitized_path]
    attachment.delete()
    transaction.on_commit(lambda: evidence.delete_all(paths))
    return True


@transaction.atomic
def drafts_purge_expired(*, actor: Actor | None = None, older_than: timedelta | None = None) -> int:
    """Delete draft files never submitted (the reporter left). Returns how many were removed."""
    cutoff = timezone.now() - (older_than or timedelta(days=limits()["draft_days"]))
    stale = list(Attachment.objects.filter(allegation__isnull=True, message__isnull=True, created_at__lt=cutoff))
    paths = [p for a in stale for p in (a.original_path, a.sanitized_path) if p]
    Attachment.objects.filter(pk__in=[a.pk for a in stale]).delete()
    transaction.on_commit(lambda: evidence.delete_all(paths))
    if stale:
        audit_record(actor=actor, action="allegation.drafts_purged", data={"files": len(stale)})
    return len(stale)


# --- submission -------------------------------------------------------------------------------------


def _new_receipt() -> tuple[str, str]:
    for _attempt in range(5):
        code = receipt_generate()
        digest = receipt_digest(code)
        if not Allegation.objects.filter(receipt_digest=digest).exists():
            return code, digest
    raise RuntimeError("could not draw an unused receipt code")  # 100 bits: practically unreachable


def _match_goods(hts_code: str) -> list[Good]:
    if not hts_code:
        return []
    # A good matches when one of its HTS prefixes covers the code, or the code is a prefix of it.
    prefixes = [hts_code[:n] for n in (2, 4, 6, 8, 10) if len(hts_code) >= n]
    codes = GoodHtsCode.objects.filter(Q(code__in=prefixes) | Q(code__startswith=hts_code))
    return list(Good.objects.filter(hts_codes__in=codes).distinct())


def match_region(text: str, country: Country | None) -> Region | None:
    """The most specific known region (deepest, then longest name) named in what the reporter wrote."""
    folded = text.casefold()
    if not folded.strip():
        return None
    regions = Region.objects.all() if country is None else Region.objects.filter(country=country)
    parents = dict(Region.objects.values_list("pk", "parent_id"))

    def depth(pk: int | None) -> int:
        n = 0
        while pk is not None and n < 20:
            pk, n = parents.get(pk), n + 1
        return n

    best: tuple[int, int, Region] | None = None
    for region in regions:
        for name in [region.name, *region.names]:
            n = str(name).casefold().strip()
            # Whole words for alphabetic names ("He" must not match "the"); substrings for Han script.
            found = re.search(rf"\b{re.escape(n)}\b", folded) if n.isascii() else n in folded
            if len(n) >= 2 and found:
                score = (depth(region.pk), len(n))
                if best is None or score > best[:2]:
                    best = (*score, region)
    return best[2] if best else None


@transaction.atomic
def allegation_submit(
    *, actor: Actor | None, data: AllegationInput, files: Sequence[FileInput] = (), draft_key: str = ""
) -> tuple[Allegation, str]:
    """Validate and save a new allegation with its files. Returns (allegation, receipt code).

    The receipt code is returned once and never stored: only its keyed digest is.
    """
    clean = validate_input(data)
    drafts = list(Attachment.objects.filter(draft_key=draft_key, allegation__isnull=True)) if draft_key else []
    inspected = _inspect_all(files, already=len(drafts), already_bytes=sum(a.size for a in drafts))
    code, digest = _new_receipt()
    country = Country.objects.filter(code=clean.country).first() if clean.country else None
    written: list[str] = []
    try:
        allegation = Allegation.objects.create(
            reference=f"tmp-{secrets.token_hex(6)}",
            receipt_digest=digest,
            submitted_at=timezone.now(),
            language=clean.language,
            reasons=clean.reasons,
            source_type=clean.source_type,
            source_details=clean.source_details,
            merchandise=clean.merchandise,
            hts_code=clean.hts_code,
            industry=clean.industry,
            sample_available=clean.sample_available,
            sample_details=clean.sample_details,
            country=country,
            region=match_region(clean.region_text, country),
            region_text=clean.region_text,
            supply_chain_stage=clean.supply_chain_stage,
            importers_brands=clean.importers_brands,
            shipment_refs=[{"kind": k, "value": v} for k, v in clean.shipment_refs],
            contact_allowed=clean.contact_allowed,
            contact_method=clean.contact_method,
            identity_encrypted=crypto.encrypt_json(clean.identity.as_dict()) if clean.identity else "",
            discard_originals=clean.discard_originals,
        )
        allegation.reference = f"ALG-{allegation.submitted_at:%Y}-{allegation.pk:05d}"
        allegation.save(update_fields=["reference"])
        for position, p in enumerate(clean.parties):
            p_country = Country.objects.filter(code=p.country).first() if p.country else country
            # Link to a known party when the name matches exactly; creating records is an analyst's decision.
            known = party_find(names=[p.name], kind="organization", country=p_country)
            AllegationParty.objects.create(
                allegation=allegation,
                role=p.role,
                name=p.name,
                address=p.address,
                country=p_country,
                party=known,
                position=position,
            )
        AllegationIndicator.objects.bulk_create(
            AllegationIndicator(allegation=allegation, indicator=i.indicator, observation=i.observation)
            for i in clean.indicators
        )
        allegation.goods.set(_match_goods(clean.hts_code))
        attachments = [
            _store_file(f, ins, allegation=allegation, written=written) for f, ins in zip(files, inspected, strict=True)
        ]
        if drafts:
            Attachment.objects.filter(pk__in=[a.pk for a in drafts]).update(allegation=allegation, draft_key="")
            attachments.extend(Attachment.objects.filter(pk__in=[a.pk for a in drafts]))
        if clean.discard_originals:
            _discard_originals(attachments)
        audit_record(
            actor=actor,
            action="allegation.submit",
            target=allegation,
            data={"anonymous": allegation.is_anonymous, "files": len(attachments), "language": clean.language},
        )
    except Exception:
        _cleanup_on_failure(written)
        raise
    return allegation, code


# --- the receipt channel (reporter side) ------------------------------------------------------------


@transaction.atomic
def allegation_reporter_message(
    *, actor: Actor, allegation: Allegation, body: str, files: Sequence[FileInput] = ()
) -> AllegationMessage:
    """The reporter answers questions or adds information and files. Any open question counts as answered."""
    body = (body or "").strip()
    errors: dict[str, list[str]] = {}
    if not body and not files:
        errors["body"] = [_("Write a message or add a file.")]
    if len(body) > 20_000:
        errors["body"] = [_("Use at most %(n)d characters.") % {"n": 20_000}]
    if errors:
        raise AllegationInvalid(errors)
    existing = allegation.attachments.all()
    inspected = _inspect_all(files, already=existing.count(), already_bytes=sum(a.size for a in existing))
    allegation = Allegation.objects.select_for_update().get(pk=allegation.pk)
    now = timezone.now()
    message = AllegationMessage.objects.create(
        allegation=allegation,
        direction=AllegationMessage.Direction.FROM_REPORTER,
        body=body or _("(files added)"),
    )
    written: list[str] = []
    try:
        stored = [
            _store_file(f, ins, allegation=allegation, message=message, written=written)
            for f, ins in zip(files, inspected, strict=True)
        ]
    except Exception:
        _cleanup_on_failure(written)
        raise
    if allegation.discard_originals:
        _discard_originals(stored)
    allegation.messages.filter(direction=AllegationMessage.Direction.TO_REPORTER, answered_at__isnull=True).update(
        answered_at=now
    )
    fields = ["reporter_activity_at", "reporter_unread", "updated_at"]
    if allegation.status == AllegationStatus.INFO_REQUESTED:
        ALLEGATION_LIFECYCLE.check("reporter_replied", state=allegation.status, actor=actor)
        allegation.status = AllegationStatus.IN_TRIAGE
        fields.append("status")
    allegation.reporter_activity_at = now
    allegation.reporter_unread = True
    allegation.save(update_fields=fields)
    if allegation.duplicate_of_id:
        # Whoever works on the surviving allegation should see the new material too.
        Allegation.objects.filter(pk=allegation.duplicate_of_id).update(reporter_activity_at=now, reporter_unread=True)
    audit_record(actor=actor, action="allegation.reporter_message", target=allegation, data={"files": len(stored)})
    return message


# --- triage (analysts) ------------------------------------------------------------------------------


# Reserved to the roles docs/allegations.md names: a superuser flag alone does not open them.
ROLE_ONLY = frozenset({"allegations.view_reporter_identity", "allegations.view_original_evidence"})


def _require(actor: Actor, perm: str) -> None:
    if perm in ROLE_ONLY:
        allowed = role_grants(actor, perm)
    else:
        allowed = bool(getattr(actor, "is_authenticated", False) and actor.has_perm(perm))
    if not allowed:
        raise PermissionDenied(perm)


def _transition(actor: Actor, allegation: Allegation, name: str, **data: Any) -> None:
    t = ALLEGATION_LIFECYCLE.check(name, state=allegation.status, actor=actor)
    previous = allegation.status
    allegation.status = t.target
    audit_record(
        actor=actor,
        action=f"allegation.{name}",
        target=allegation,
        data={"from": previous, "to": t.target, **data},
    )


def _locked(allegation: Allegation) -> Allegation:
    return Allegation.objects.select_for_update().get(pk=allegation.pk)


@transaction.atomic
def allegation_start_triage(*, actor: Actor, allegation: Allegation) -> Allegation:
    """Take an allegation: it leaves the "new" pile and is assigned to the actor."""
    _require(actor, "allegations.triage_allegation")
    allegation = _locked(allegation)
    require_not_terminal(allegation)
    if allegation.status == AllegationStatus.NEW:
        _transition(actor, allegation, "start_triage")
    elif allegation.assigned_to_id == actor.pk:
        return allegation
    else:
        audit_record(actor=actor, action="allegation.assign", target=allegation, data={"to": actor.get_username()})
    allegation.assigned_to = signed_in(actor)
    allegation.save(update_fields=["status", "assigned_to", "updated_at"])
    return allegation


@transaction.atomic
def allegation_ask(*, actor: Actor, allegation: Allegation, question: str) -> AllegationMessage:
    """Send the reporter a question through the receipt channel."""
    _require(actor, "allegations.triage_allegation")
    question = (question or "").strip()
    if not question:
        raise AllegationInvalid({"question": [_("Write the question.")]})
    if len(question) > 5000:
        raise AllegationInvalid({"question": [_("Use at most %(n)d characters.") % {"n": 5000}]})
    allegation = _locked(allegation)
    if allegation.status in OPEN:
        if allegation.status != AllegationStatus.INFO_REQUESTED:
            _transition(actor, allegation, "request_info")
        allegation.save(update_fields=["status", "updated_at"])
    elif allegation.status != AllegationStatus.ESCALATED:
        raise AllegationInvalid({"question": [_("Reopen the allegation before asking the reporter.")]})
    message = AllegationMessage.objects.create(
        allegation=allegation, direction=AllegationMessage.Direction.TO_REPORTER, body=question, author=signed_in(actor)
    )
    audit_record(actor=actor, action="allegation.ask", target=allegation, data={"message": message.pk})
    return message


@transaction.atomic
def allegation_mark_duplicate(
    *, actor: Actor, allegation: Allegation, original: Allegation, note: str = ""
) -> Allegation:
    """Merge ``allegation`` into ``original``: it stays readable, its goods and parties count for the original."""
    _require(actor, "allegations.triage_allegation")
    allegation = _locked(allegation)
    # Merge into the surviving root, never into another duplicate (no chains, no cycles).
    root = Allegation.objects.get(pk=original.pk)
    seen = {allegation.pk}
    while root.duplicate_of_id is not None:
        if root.pk in seen:
            break
        seen.add(root.pk)
        root = Allegation.objects.get(pk=root.duplicate_of_id)
    if root.pk == allegation.pk or root.duplicate_of_id == allegation.pk:
        raise AllegationInvalid({"original": [_("An allegation cannot be a duplicate of itself.")]})
    _transition(actor, allegation, "mark_duplicate", original=root.reference, note=note[:1000])
    allegation.duplicate_of = root
    allegation.save(update_fields=["status", "duplicate_of", "updated_at"])
    root.goods.add(*allegation.goods.all())
    # Allegations already merged into this one follow it to the new root.
    for child in Allegation.objects.filter(duplicate_of=allegation):
        child.duplicate_of = root
        child.save(update_fields=["duplicate_of", "updated_at"])
        audit_record(actor=actor, action="allegation.remerge", target=child, data={"original": root.reference})
    if allegation.reporter_activity_at and (
        root.reporter_activity_at is None or root.reporter_activity_at < allegation.reporter_activity_at
    ):
        root.reporter_activity_at = allegation.reporter_activity_at
        root.save(update_fields=["reporter_activity_at", "updated_at"])
    return allegation


@transaction.atomic
def allegation_mark_escalated(*, actor: Actor, allegation: Allegation, case_reference: str) -> Allegation:
    """Record that a case was opened from, or attached to, this allegation (called by the cases app)."""
    _require(actor, "allegations.triage_allegation")
    case_reference = (case_reference or "").strip()
    if not case_reference or len(case_reference) > 40:
        raise AllegationInvalid({"case_reference": [_("Give the case reference (at most 40 characters).")]})
    allegation = _locked(allegation)
    _transition(actor, allegation, "escalate", case_reference=case_reference, previous_case=allegation.case_reference)
    allegation.case_reference = case_reference
    allegation.save(update_fields=["status", "case_reference", "updated_at"])
    return allegation


@transaction.atomic
def allegation_close(*, actor: Actor, allegation: Allegation, reason: str, note: str = "") -> Allegation:
    _require(actor, "allegations.triage_allegation")
    if reason not in CloseReason.values:
        raise AllegationInvalid({"reason": [_("Choose a reason for closing.")]})
    if len(note) > 5000:
        raise AllegationInvalid({"note": [_("Use at most %(n)d characters.") % {"n": 5000}]})
    allegation = _locked(allegation)
    _transition(actor, allegation, "close", reason=reason)
    allegation.close_reason = reason
    allegation.close_note = note.strip()
    allegation.closed_at = timezone.now()
    allegation.save(update_fields=["status", "close_reason", "close_note", "closed_at", "updated_at"])
    return allegation


@transaction.atomic
def allegation_reopen(*, actor: Actor, allegation: Allegation) -> Allegation:
    _require(actor, "allegations.triage_allegation")
    allegation = _locked(allegation)
    _transition(actor, allegation, "reopen")
    allegation.duplicate_of = None
    allegation.closed_at = None
    allegation.save(update_fields=["status", "duplicate_of", "closed_at", "updated_at"])
    return allegation


@transaction.atomic
def allegation_update_extraction(
    *,
    actor: Actor,
    allegation: Allegation,
    goods: Sequence[Good],
    country: Country | None,
    region: Region | None,
    industry: str,
    hts_code: str,
    labor_type: str | None = None,
) -> Allegation:
    """Analysts correct what the reporter's text was read as: goods, country, region, industry, HTS, and
    classify the labor alleged (None leaves it as it is)."""
    _require(actor, "allegations.triage_allegation")
    allegation = _locked(allegation)
    require_not_terminal(allegation)
    before = {
        "goods": sorted(allegation.goods.values_list("pk", flat=True)),
        "country": allegation.country_id,
        "region": allegation.region_id,
        "industry": allegation.industry,
        "hts_code": allegation.hts_code,
        "labor_type": allegation.labor_type,
    }
    allegation.country, allegation.region, allegation.industry, allegation.hts_code = (
        country,
        region,
        industry,
        hts_code,
    )
    if labor_type is not None:
        if labor_type and labor_type not in LaborType.values:
            raise InvalidInput(gettext("choose a labor type from the list"), field="labor_type")
        allegation.labor_type = labor_type
    allegation.save(update_fields=["country", "region", "industry", "hts_code", "labor_type", "updated_at"])
    allegation.goods.set(goods)
    after = {
        "goods": sorted(g.pk for g in goods),
        "country": allegation.country_id,
        "region": allegation.region_id,
        "industry": industry,
        "hts_code": hts_code,
        "labor_type": allegation.labor_type,
    }
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    audit_record(actor=actor, action="allegation.extraction", target=allegation, data=changed)
    return allegation


@transaction.atomic
def allegation_extract_parties(*, actor: Actor, allegation: Allegation) -> list[AllegationParty]:
    """Turn each named company into a party record (found or created by the parties service)."""
    _require(actor, "allegations.triage_allegation")
    _require(actor, "parties.add_party")
    require_not_terminal(_locked(allegation))
    linked: list[AllegationParty] = []
    for named in allegation.named_parties.select_related("country").filter(party__isnull=True):
        party, _created = party_resolve(
            actor=actor,
            name=named.name,
            country=named.country,
            addresses=[named.address] if named.address else [],
        )
        named.party = party
        named.save(update_fields=["party"])
        linked.append(named)
    if linked:
        audit_record(
            actor=actor,
            action="allegation.extract_parties",
            target=allegation,
            data={"parties": [n.party_id for n in linked]},
        )
    return linked


@transaction.atomic
def allegation_link_party(*, actor: Actor, named: AllegationParty, party: Any) -> AllegationParty:
    _require(actor, "allegations.triage_allegation")
    require_not_terminal(_locked(named.allegation))
    named.party = party
    named.save(update_fields=["party"])
    audit_record(
        actor=actor,
        action="allegation.link_party",
        target=named.allegation,
        data={"named": named.name, "party": getattr(party, "pk", None)},
    )
    return named


def allegation_mark_read(*, actor: Actor, allegation: Allegation) -> None:
    """A triage user opened the allegation: the reporter's new material has been seen (not audited: a read)."""
    if (
        allegation.reporter_unread
        and getattr(actor, "has_perm", None)
        and actor.has_perm("allegations.triage_allegation")
    ):
        Allegation.objects.filter(pk=allegation.pk).update(reporter_unread=False)


# --- sensitive reads (audited) ----------------------------------------------------------------------


@transaction.atomic
def allegation_reveal_identity(*, actor: Actor, allegation: Allegation) -> dict[str, str] | None:
    """Decrypt the reporter's identity for a user allowed to read it; every read is audited."""
    _require(actor, "allegations.view_reporter_identity")
    if not allegation.identity_encrypted:
        return None
    identity = crypto.decrypt_json(allegation.identity_encrypted)
    audit_record(actor=actor, action="allegation.identity_read", target=allegation)
    return {k: str(v) for k, v in identity.items()}


@transaction.atomic
def attachment_read(*, actor: Actor, attachment: Attachment, original: bool) -> tuple[bytes, str]:
    """The decrypted bytes of the sanitized copy (triage) or the original (dedicated permission), audited.

    Returns (data, download file name). The original keeps its original name; the copy gets a neutral one.
    """
    _require(actor, "allegations.triage_allegation")
    if attachment.allegation_id is None:
        raise PermissionDenied(gettext("draft files are not readable by staff"))
    if original:
        _require(actor, "allegations.view_original_evidence")
        if not attachment.original_path:
            raise FileNotFoundError("the original was discarded at the reporter's request")
        data = evidence.read_encrypted(attachment.original_path)
        name = (
            crypto.decrypt_text(attachment.original_name_encrypted)
            if attachment.original_name_encrypted
            else attachment.display_name
        )
    else:
        if not attachment.sanitized_path:
            raise FileNotFoundError("no sanitized copy exists for this file")
        data = evidence.read_encrypted(attachment.sanitized_path)
        name = attachment.display_name
    audit_record(
        actor=actor,
        action="allegation.original_read" if original else "allegation.file_read",
        target=attachment.allegation,
        data={"attachment": attachment.pk, "sha256": attachment.sha256},
    )
    return data, name


def allegation_rotate_keys(*, actor: Actor | None = None) -> dict[str, int]:
    """Re-encrypt identities, file names and stored files under the newest key.

    Run after prepending a new key to SECTION307_ENCRYPTION_KEYS; once it reports nothing left to
    rotate, the old key can be removed. Each row is its own transaction, so a rerun resumes.
    """
    counts = {"identities": 0, "files": 0}
    for allegation in Allegation.objects.exclude(identity_encrypted="").only("pk", "identity_encrypted"):
        rotated = crypto.rotate_token(allegation.identity_encrypted)
        if rotated != allegation.identity_encrypted:
            Allegation.objects.filter(pk=allegation.pk).update(identity_encrypted=rotated)
            counts["identities"] += 1
    for attachment in Attachment.objects.all():
        with transaction.atomic():
            changes: dict[str, str] = {}
            old_paths: list[str] = []
            for field in ("original_path", "sanitized_path"):
                path = getattr(attachment, field)
                if path:
                    changes[field] = evidence.rotate_stored(path)
                    old_paths.append(path)
            if attachment.original_name_encrypted:
                changes["original_name_encrypted"] = crypto.rotate_token(attachment.original_name_encrypted)
            if changes:
                Attachment.objects.filter(pk=attachment.pk).update(**changes)
                transaction.on_commit(partial(evidence.delete_all, old_paths))
                counts["files"] += 1
    if any(counts.values()):
        audit_record(actor=actor, action="allegation.keys_rotated", data=counts)
    return counts


__all__ = [
    "PUBLIC",
    "FileInput",
    "allegation_ask",
    "allegation_close",
    "allegation_extract_parties",
    "allegation_link_party",
    "allegation_mark_duplicate",
    "allegation_mark_escalated",
    "allegation_reopen",
    "allegation_reporter_message",
    "allegation_reveal_identity",
    "allegation_rotate_keys",
    "allegation_start_triage",
    "allegation_submit",
    "allegation_update_extraction",
    "attachment_read",
    "draft_attachment_add",
    "draft_attachment_remove",
    "drafts_purge_expired",
]
