"""Writes for parcels: receive a manifest, read and screen it, group the parcels, detain, decide.

Each state change is transactional and audited. The legal periods come from ``ports.law`` and
the decisions a detention allows from ``ports.disposition``: a parcel detention runs on the
same rules as an entry's, one decision holding every parcel of the group.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from section307.accounts.models import Organization, User
from section307.core.audit import actor_label, audit_record
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.storedfiles import media_root
from section307.core.streamcrypt import open_decrypted, write_encrypted
from section307.core.types import Actor
from section307.core.uploads import MB, UploadRejected, sniff
from section307.orders.models import EnforcementOrder, OrderType
from section307.parcels import ingest
from section307.parcels.lifecycle import (
    DETENTION_LIFECYCLE,
    GROUP_LIFECYCLE,
    PARCEL_STATUS_FOR_OUTCOME,
    REVIEW_LIFECYCLE,
)
from section307.parcels.models import (
    GroupEvent,
    Manifest,
    Parcel,
    ParcelClock,
    ParcelDecision,
    ParcelDetention,
    ParcelForfeitureStep,
    ParcelGroup,
    ParcelNotice,
    ParcelProof,
    ParcelProofDocument,
    ParcelProtest,
    ParcelRescreenFinding,
    ParcelRescreenRun,
    ParcelReview,
)
from section307.parcels.screen import field_name, group_key, reasons_text, screen_batch, signals_list
from section307.ports import disposition, law
from section307.ports.calendars import business_calendar, deemed_exclusion_regimes
from section307.ports.models import REGIME_FOR_ORDER_TYPE
from section307.ports.permissions import is_trade_user

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 500 * MB
DEFAULT_SYNC_BYTES = 2 * MB
DEFAULT_MAX_ROW_ERRORS = 1000


def max_bytes() -> int:
    return int(getattr(settings, "SECTION307_PARCELS_MAX_BYTES", DEFAULT_MAX_BYTES))


def sync_bytes() -> int:
    """Files up to this size are read while the sender waits; larger ones in a background task."""
    return int(getattr(settings, "SECTION307_PARCELS_SYNC_BYTES", DEFAULT_SYNC_BYTES))


def max_row_errors() -> int:
    return int(getattr(settings, "SECTION307_PARCELS_MAX_ROW_ERRORS", DEFAULT_MAX_ROW_ERRORS))


def _require(actor: Actor, perm: str, what: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise NotPermitted(_("This account may not %(what)s.") % {"what": what})


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# -- receiving ---------------------------------------------------------------------------------------------


def check_manifest_file(*, head: bytes, tail: bytes, size: int, name: str, field: str = "file") -> str:
    """Type and size of a manifest file, from its content; returns its format (csv, json, parquet)."""
    if size == 0:
        raise UploadRejected(_("The file is empty."), field=field, reason="empty")
    if size > max_bytes():
        raise UploadRejected(
            _("The file is larger than %(mb)s MB.") % {"mb": max_bytes() // MB}, field=field, reason="too_large"
        )
    fmt = ingest.detect_format(head, tail, name)
    if fmt != "parquet" and sniff(head) != "text/plain":
        raise UploadRejected(
            _("This type of file is not accepted here. Send CSV, JSON or Parquet."),
            field=field,
            reason="type_not_accepted",
        )
    return fmt


@transaction.atomic
def manifest_receive(
    *,
    actor: Actor,
    source: str,
    carrier: str,
    presented_on: dt.date,
    port: str = "",
    upload: Any = None,
    rows: list[Any] | None = None,
) -> Manifest:
    """Record a manifest (a file or JSON rows) before it is read; ``manifest_process`` reads it."""
    _require(actor, "parcels.upload_manifest", _("send parcel manifests"))
    if source not in Manifest.Source.values:
        raise InvalidInput(_("Choose express consignment or postal."), field="source")
    carrier = (carrier or "").strip()
    if not carrier or len(carrier) > 120:
        raise InvalidInput(_("Name the carrier (at most 120 characters)."), field="carrier")
    if presented_on > timezone.localdate():
        raise InvalidInput(_("The date of presentation cannot be in the future."), field="presented_on")
    if port and (len(port) != 4 or not port.isdigit()):
        raise InvalidInput(_("The port code has four digits."), field="port")
    if (upload is None) == (rows is None):
        raise InvalidInput(_("Send a manifest file or rows, not both."), field="file")
    manifest = Manifest(
        source=source,
        carrier=carrier,
        port=port,
        presented_on=presented_on,
        uploaded_by=_user(actor),
        file_format=Manifest.Format.ROWS,
    )
    if upload is not None:
        upload.seek(0)
        head = upload.read(65536)
        size = upload.size
        upload.seek(max(0, size - 4))
        tail = upload.read(4)
        upload.seek(0)
        manifest.file_format = check_manifest_file(head=head, tail=tail, size=size, name=upload.name or "")
        manifest.original_name = (upload.name or "")[:255]
        # Encrypted at rest in segments (core.streamcrypt): read back as a stream, never whole in memory.
        manifest.file.name = write_encrypted(upload, folder="parcels/manifests", root=media_root())
    manifest.save()
    audit_record(
        actor=actor,
        action="parcels.manifest_received",
        target=manifest,
        data={"source": source, "carrier": carrier, "format": manifest.file_format},
    )
    return manifest


def _screener() -> Any:
    from section307.ports.services import current_screener

    return current_screener()


def _screen_rows(screener: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The screening fields of each parcel row (as stored on ``Parcel``), the engine's batch path."""
    table = pa.Table.from_pylist([{**r, "value_usd": str(r["value_usd"])} for r in rows])
    results = screen_batch(screener, table).to_pylist()
    out = []
    for r, res in zip(rows, results, strict=True):
        decision = res["decision"] or "clear"
        out.append(
            {
                "decision": decision,
                "score": float(res["score"] or 0.0),
                "matched_name": (res["matched_name"] or "")[:300],
                "matched_field": field_name(res["matched_field"])[:40],
                "watch_list": (res["list"] or "")[:20],
                "order_reference": (res["order_id"] or "")[:40],
                "reasons": reasons_text(res["reasons"]),
                "signals": signals_list(res["signals"]) if decision != "clear" else [],
                "group_key": group_key(
                    decision=decision,
                    matched_id=res["matched_id"],
                    order_id=res["order_id"],
                    seller=r["seller"],
                    shipper=r["shipper"],
                ),
            }
        )
    return out


def _parcels_from_chunk(manifest: Manifest, clean: list[tuple[int, dict[str, Any]]], screener: Any) -> list[Parcel]:
    results = _screen_rows(screener, [r for _row, r in clean])
    return [
        Parcel(
            manifest=manifest,
            row=row,
            **{k: r[k] for k in ingest.COLUMNS},
            **res,
            status=Parcel.Status.HELD if res["group_key"] else Parcel.Status.CLEARED,
        )
        for (row, r), res in zip(clean, results, strict=True)
    ]


def manifest_process(*, manifest: Manifest, rows: list[Any] | None = None) -> Manifest:
    """Read, check, screen and store every row, then group the parcels to decide.

    Rows are stored chunk by chunk, each chunk in its own transaction, so progress shows while a
    large file is read. A bad row is reported (row, column, reason) and the good rows are stored.
    If the file turns out unreadable, or reading stops on an error, the parcels this manifest
    stored so far are removed and the manifest is marked refused: parcels of other manifests are
    never touched.
    """
    Manifest.objects.filter(pk=manifest.pk).update(status=Manifest.Status.PROCESSING)
    manifest.status = Manifest.Status.PROCESSING
    screener = _screener()
    errors: list[dict[str, Any]] = []
    cap = max_row_errors()
    counts = {"read": 0, "stored": 0, "rejected": 0}
    seen: set[str] = set()

    def reject(*errs: ingest.RowError) -> None:
        counts["rejected"] += 1  # rows, not problems: one row may have several
        for err in errs:
            if len(errors) < cap:
                errors.append(err.as_dict())

    stream: io.BufferedReader | None = None
    try:
        source: io.BufferedReader | list[Any]
        if manifest.file_format == Manifest.Format.ROWS:
            source = rows or []
        else:
            source = stream = open_decrypted(media_root() / str(manifest.file.name))
        for chunk in ingest.read_chunks(source, manifest.file_format):
            clean: list[tuple[int, dict[str, Any]]] = []
            for row, raw in chunk:
                counts["read"] += 1
                if isinstance(raw, ingest.RowError):
                    reject(raw)
                    continue
                parcel, problems = ingest.check_row(row, raw, default_carrier=manifest.carrier)
                if parcel is None:
                    reject(*problems)
                    continue
                tn = parcel["tracking_number"]
                if tn in seen:
                    reject(ingest.RowError(row, "tracking_number", f"{tn} appears earlier in this file"))
                    continue
                seen.add(tn)
                clean.append((row, parcel))
            stored = dict(
                Parcel.objects.filter(tracking_number__in=[p["tracking_number"] for _r, p in clean]).values_list(
                    "tracking_number", "manifest_id"
                )
            )
            if stored:
                keep = []
                for row, p in clean:
                    other = stored.get(p["tracking_number"])
                    if other is None:
                        keep.append((row, p))
                    else:
                        reject(
                            ingest.RowError(
                                row,
                                "tracking_number",
                                f"{p['tracking_number']} was already received (manifest {other})",
                            )
                        )
                clean = keep
            if clean:
                parcels = _parcels_from_chunk(manifest, clean, screener)
                with transaction.atomic():
                    Parcel.objects.bulk_create(parcels, batch_size=1000)
                counts["stored"] += len(parcels)
            Manifest.objects.filter(pk=manifest.pk).update(
                rows_read=counts["read"], rows_stored=counts["stored"], rows_rejected=counts["rejected"]
            )
    except ingest.ManifestUnreadable as exc:
        return _manifest_fail(manifest, str(exc), column=exc.column)
    except Exception:
        logger.exception("manifest %s could not be read", manifest.pk)
        return _manifest_fail(manifest, _("The manifest could not be read to the end; nothing of it was kept."))
    finally:
        if stream is not None:
            stream.close()
    with transaction.atomic():
        _groups_build(manifest)
        m = Manifest.objects.select_for_update().get(pk=manifest.pk)
        m.rows_read, m.rows_stored, m.rows_rejected = counts["read"], counts["stored"], counts["rejected"]
        m.row_errors = errors
        m.hits = m.parcels.filter(decision="hit").count()
        m.reviews = m.parcels.filter(decision="review").count()
        m.status = Manifest.Status.SCREENED
        m.finished_at = timezone.now()
        m.save()
        audit_record(
            actor=None,
            action="parcels.manifest_screened",
            target=m,
            data={**counts, "hits": m.hits, "reviews": m.reviews, "groups": m.groups.count()},
        )
    return m


def _manifest_fail(manifest: Manifest, reason: str, *, column: str = "") -> Manifest:
    with transaction.atomic():
        Parcel.objects.filter(manifest=manifest).delete()
        m = Manifest.objects.select_for_update().get(pk=manifest.pk)
        m.status = Manifest.Status.FAILED
        m.failure = reason
        m.rows_stored = 0
        m.row_errors = [{"row": 0, "column": column, "reason": reason}]
        m.finished_at = timezone.now()
        m.save()
        audit_record(actor=None, action="parcels.manifest_refused", target=m, data={"reason": reason})
    return m


def _groups_build(manifest: Manifest, *, note: str = "") -> list[ParcelGroup]:
    """One group per listed party (or seller and shipper) among the manifest's hits and reviews that
    are in no group yet (all of them after reading; the newly flagged ones after a re-screen)."""
    built = []
    keys = (
        Parcel.objects.filter(manifest=manifest, group__isnull=True)
        .exclude(group_key="")
        .values("group_key")
        .annotate(n=Count("id"), consignees=Count("consignee", distinct=True), value=Sum("value_usd"))
        .order_by("group_key")
    )
    for k in keys:
        first = (
            Parcel.objects.filter(manifest=manifest, group__isnull=True, group_key=k["group_key"])
            .order_by("-decision", "-score", "row")
            .first()
        )
        assert first is not None
        order = (
            EnforcementOrder.objects.filter(reference=first.order_reference).first() if first.order_reference else None
        )
        decision = (
            "hit"
            if Parcel.objects.filter(
                manifest=manifest, group__isnull=True, group_key=k["group_key"], decision="hit"
            ).exists()
            else "review"
        )
        group = ParcelGroup.objects.create(
            manifest=manifest,
            key=k["group_key"],
            seller=first.seller,
            shipper=first.shipper,
            matched_name=first.matched_name,
            matched_field=first.matched_field,
            order_reference=first.order_reference,
            order=order,
            decision=decision,
            reasons=first.reasons,
            parcel_count=k["n"],
            consignee_count=k["consignees"],
            total_value=k["value"] or Decimal("0"),
        )
        Parcel.objects.filter(manifest=manifest, group__isnull=True, group_key=k["group_key"]).update(group=group)
        GroupEvent.objects.create(
            group=group,
            kind="grouped",
            actor_label=actor_label(None),
            summary=_("%(n)d parcels screened as %(decision)s and held for one decision")
            % {"n": k["n"], "decision": decision}
            + (f" ({note})" if note else ""),
        )
        built.append(group)
    return built


# -- deciding groups ---------------------------------------------------------------------------------------


def decision_due(presented_on: dt.date) -> dt.date:
    """The 1499(c)(1) period: release or detain within 5 business days of presentation."""
    return law.due_date(law.DECISION, presented_on, business=business_calendar())


def _lock_group(group: ParcelGroup) -> ParcelGroup:
    return ParcelGroup.objects.select_for_update(of=("self",)).select_related("manifest", "order").get(pk=group.pk)


@transaction.atomic
def group_release(*, actor: Actor, group: ParcelGroup, reason: str) -> ParcelGroup:
    """Release every parcel of a group the officer found not covered (a false match, goods outside the order)."""
    _require(actor, "parcels.decide_parcels", _("decide parcel groups"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why the parcels are released."), field="reason")
    group = _lock_group(group)
    t = GROUP_LIFECYCLE.check("release", state=group.status, actor=actor)
    group.status, group.release_reason = t.target, reason
    group.decided_by, group.decided_at = _user(actor), timezone.now()
    group.save(update_fields=["status", "release_reason", "decided_by", "decided_at", "updated_at"])
    n = group.parcels.update(status=Parcel.Status.RELEASED)
    GroupEvent.objects.create(
        group=group,
        kind="released",
        actor_label=actor_label(actor),
        summary=_("%(n)d parcels released: %(reason)s") % {"n": n, "reason": reason},
    )
    audit_record(actor=actor, action="parcels.group_release", target=group, data={"parcels": n, "reason": reason})
    return group


def _clock(detention: ParcelDetention, kind: str, start: dt.date, business: law.BusinessCalendar) -> ParcelClock:
    r = law.rule(kind)
    return ParcelClock(
        detention=detention,
        kind=kind,
        citation=r.citation,
        start_event=r.start_event,
        start_date=start,
        due_date=law.due_date(kind, start, business=business),
    )


def _notice_body(detention: ParcelDetention, addressee: str, tracking: Sequence[str], due: dict[str, dt.date]) -> str:
    group = detention.group
    lines = [
        _("Notice of detention (19 U.S.C. 1499(c)(2); 19 CFR 151.16(c))"),
        "",
        _("To: %(who)s") % {"who": addressee},
        _("Carrier: %(carrier)s. Presented for examination on %(date)s.")
        % {"carrier": group.manifest.carrier, "date": detention.presented_on.isoformat()},
        _("Order: %(order)s. Reason: %(reason)s") % {"order": detention.order_reference, "reason": detention.reasons},
        "",
        _("Parcels detained (%(n)d):") % {"n": len(tracking)},
        *[f"  {t}" for t in tracking],
        "",
    ]
    for kind, day in due.items():
        r = law.rule(kind)
        lines.append(f"{r.label} ({r.citation}): {day.isoformat()}")
    return "\n".join(lines)


def importer_of(group: ParcelGroup) -> Organization | None:
    """The importer of record of a group's parcels, when the application knows it: the organization
    that sent the manifest if it is an importer (a business or marketplace filing its own parcels),
    else the importer organization named as the one consignee of every parcel of the group. Otherwise
    None: consignees and carriers answer outside the application and the officer records their proof."""
    sender = getattr(group.manifest.uploaded_by, "organization", None)
    if sender is not None and sender.kind == Organization.Kind.IMPORTER:
        return sender
    consignees = list(group.parcels.order_by("consignee").values_list("consignee", flat=True).distinct()[:2])
    if len(consignees) == 1:
        return Organization.objects.filter(kind=Organization.Kind.IMPORTER, name__iexact=consignees[0].strip()).first()
    return None


@transaction.atomic
def group_detain(
    *, actor: Actor, group: ParcelGroup, reason: str, notice_to: str = "", today: dt.date | None = None
) -> ParcelDetention:
    """Detain every parcel of a group under the order it matched: one detention, one notice per
    consignee (or per carrier), and the clocks of an entry's detention."""
    _require(actor, "parcels.decide_parcels", _("detain parcels"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why the parcels are detained."), field="reason")
    today = today or timezone.localdate()
    group = _lock_group(group)
    t = GROUP_LIFECYCLE.check("detain", state=group.status, actor=actor)
    order = group.order
    if order is None or not order.is_enforced:
        raise Conflict(
            _("The group matched no order in force; detention under 19 U.S.C. 1307 needs one."),
            rule="19 U.S.C. 1307",
            code="no_order",
        )
    notice_to = notice_to or (
        ParcelDetention.NoticeTo.CARRIER
        if group.manifest.source == Manifest.Source.EXPRESS
        else ParcelDetention.NoticeTo.CONSIGNEE
    )
    if notice_to not in ParcelDetention.NoticeTo.values:
        raise InvalidInput(_("Send the notice to each consignee or to each carrier."), field="notice_to")
    business = business_calendar()
    presented = group.manifest.presented_on
    regime = REGIME_FOR_ORDER_TYPE[OrderType(order.order_type)]
    detention = ParcelDetention.objects.create(
        group=group,
        organization=importer_of(group),
        regime=regime,
        order=order,
        order_reference=order.reference,
        reasons=reason,
        notice_to=notice_to,
        presented_on=presented,
        detained_on=today,
        notice_date=today,
        detained_by=_user(actor),
    )
    # The decision (1499(c)(1)) and notice (1499(c)(2)) periods are met now; they are kept as the record.
    met = [_clock(detention, law.DECISION, presented, business), _clock(detention, law.NOTICE, today, business)]
    for c in met:
        c.running, c.stopped_at, c.stop_reason = False, timezone.now(), "met"
    running = [
        _clock(detention, law.ADMISSIBILITY, presented, business)
        if regime in (disposition.WRO, disposition.FINDING)
        else _clock(detention, law.RESPONSE, today, business)
    ]
    if regime in deemed_exclusion_regimes():
        running.append(_clock(detention, law.DEEMED_EXCLUSION, presented, business))
    ParcelClock.objects.bulk_create([*met, *running])
    due = {c.kind: c.due_date for c in running}
    field = "consignee" if notice_to == ParcelDetention.NoticeTo.CONSIGNEE else "carrier"
    by_addressee: dict[str, list[str]] = {}
    for addressee, tn in group.parcels.order_by(field, "tracking_number").values_list(field, "tracking_number"):
        by_addressee.setdefault(addressee, []).append(tn)
    ParcelNotice.objects.bulk_create(
        [
            ParcelNotice(
                detention=detention,
                addressee_kind=notice_to,
                addressee=addressee,
                tracking_numbers=tns,
                subject=_("Detention of %(n)d parcel(s) under %(order)s") % {"n": len(tns), "order": order.reference},
                body=_notice_body(detention, addressee, tns, due),
                issued_on=today,
            )
            for addressee, tns in by_addressee.items()
        ]
    )
    n = group.parcels.update(status=Parcel.Status.DETAINED)
    group.status, group.decided_by, group.decided_at = t.target, _user(actor), timezone.now()
    group.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    late = today > decision_due(presented)
    GroupEvent.objects.create(
        group=group,
        kind="detained",
        actor_label=actor_label(actor),
        summary=_("%(n)d parcels detained under %(order)s; %(k)d notice(s) issued")
        % {"n": n, "order": order.reference, "k": len(by_addressee)},
    )
    audit_record(
        actor=actor,
        action="parcels.group_detain",
        target=detention,
        data={"group": group.pk, "parcels": n, "notices": len(by_addressee), "order": order.reference, "late": late},
    )
    return detention


@transaction.atomic
def groups_detain(
    *, actor: Actor, groups: Iterable[ParcelGroup], reason: str, notice_to: str = "", today: dt.date | None = None
) -> list[ParcelDetention]:
    """Detain several groups at once; all or none."""
    return [group_detain(actor=actor, group=g, reason=reason, notice_to=notice_to, today=today) for g in groups]


# -- deciding detentions -----------------------------------------------------------------------------------


def _running_due(detention: ParcelDetention, kind: str) -> dt.date | None:
    c = next((c for c in detention.clocks.all() if c.kind == kind and c.running), None)
    return c.due_date if c is not None else None


def disposition_facts(detention: ParcelDetention, *, today: dt.date | None = None) -> disposition.Facts:
    """What ``ports.disposition`` looks at, read from the parcel detention's records."""
    order = detention.order
    effective = list(detention.reviews.filter(status=ParcelReview.Status.EFFECTIVE))
    admissibility = [r for r in effective if r.kind == ParcelReview.Kind.ADMISSIBILITY]
    protests = list(detention.protests.all())
    return disposition.Facts(
        regime=detention.regime,
        status=detention.status,
        today=today or timezone.localdate(),
        order_in_force=order is None or order.is_enforced,
        proof_due=_running_due(detention, law.ADMISSIBILITY),
        proof_received_on=detention.proof_received_on,
        proof_untimely=detention.proof_untimely,
        favourable=any(r.favourable for r in admissibility),
        unfavourable=any(not r.favourable for r in admissibility),
        protest_pending=any(p.is_pending for p in protests),
        protest_allowed=any(p.status == ParcelProtest.Status.ALLOWED for p in protests),
        response_due=_running_due(detention, law.RESPONSE),
        deemed_exclusion_due=_running_due(detention, law.DEEMED_EXCLUSION),
        abandonment_due=_running_due(detention, law.ABANDONMENT),
    )


def allowed_outcomes(
    detention: ParcelDetention, *, today: dt.date | None = None
) -> dict[str, disposition.Block | None]:
    facts = disposition_facts(detention, today=today)
    return {o: disposition.block(o, facts) for o in ParcelDecision.Outcome.values}


@transaction.atomic
def detention_record_proof(
    *, actor: Actor, detention: ParcelDetention, received_on: dt.date, note: str
) -> ParcelDetention:
    """Proof of admissibility arrived (from a consignee or the carrier): exclusion then needs headquarters."""
    _require(actor, "parcels.decide_parcels", _("record proof"))
    detention = ParcelDetention.objects.select_for_update().get(pk=detention.pk)
    if not detention.is_open:
        raise Conflict(_("The detention is decided."), code="decided")
    if received_on > timezone.localdate() or received_on < detention.detained_on:
        raise InvalidInput(_("The date is between the detention and today."), field="received_on")
    if not (note or "").strip():
        raise InvalidInput(_("Say what was received and from whom."), field="note")
    detention.proof_received_on, detention.proof_note = received_on, note.strip()
    detention.save(update_fields=["proof_received_on", "proof_note", "updated_at"])
    audit_record(actor=actor, action="parcels.proof_received", target=detention, data={"on": received_on.isoformat()})
    return detention


@transaction.atomic
def detention_decide(
    *, actor: Actor, detention: ParcelDetention, outcome: str, reason: str, today: dt.date | None = None
) -> ParcelDecision:
    """One decision for every parcel of the detention, when the law allows it (``ports.disposition``)."""
    _require(actor, "parcels.decide_parcels", _("decide parcel detentions"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the decision."), field="reason")
    if outcome not in ParcelDecision.Outcome.values:
        raise InvalidInput(_("Choose a decision."), field="outcome")
    today = today or timezone.localdate()
    detention = (
        ParcelDetention.objects.select_for_update(of=("self",))
        .select_related("group", "order")
        .prefetch_related("clocks")
        .get(pk=detention.pk)
    )
    t = DETENTION_LIFECYCLE.check(outcome, state=detention.status, actor=actor)
    block = disposition.block(outcome, disposition_facts(detention, today=today))
    if block is not None:
        raise Conflict(block.reason, rule=block.rule, code="not_allowed_yet")
    now = timezone.now()
    detention.clocks.filter(running=True).update(running=False, stopped_at=now, stop_reason=f"decided: {outcome}")
    detention.status, detention.decided_at = t.target, now
    if outcome == ParcelDecision.Outcome.EXCLUDE:
        detention.exclusion_date = today
        business = business_calendar()
        ParcelClock.objects.bulk_create(
            [
                _clock(detention, law.ABANDONMENT, today, business),
                _clock(detention, law.PROTEST_FILING, today, business),
            ]
        )
    detention.save(update_fields=["status", "decided_at", "exclusion_date", "updated_at"])
    n = Parcel.objects.filter(group=detention.group).update(status=PARCEL_STATUS_FOR_OUTCOME[outcome])
    decision = ParcelDecision.objects.create(
        detention=detention, outcome=outcome, reason=reason, parcel_count=n, decided_by=_user(actor)
    )
    GroupEvent.objects.create(
        group=detention.group,
        kind=f"decided_{outcome}",
        actor_label=actor_label(actor),
        summary=_("%(outcome)s of %(n)d parcels: %(reason)s")
        % {"outcome": decision.get_outcome_display(), "n": n, "reason": reason},
    )
    audit_record(
        actor=actor, action=f"parcels.detention_{outcome}", target=detention, data={"parcels": n, "reason": reason}
    )
    return decision


@transaction.atomic
def forfeiture_record(
    *,
    actor: Actor,
    detention: ParcelDetention,
    step: str,
    on: dt.date,
    note: str = "",
    amount: Decimal | None = None,
) -> ParcelForfeitureStep:
    """A step of the forfeiture after the seizure of a detention's parcels under a Finding (19 CFR 12.42(f),
    12.44(b); Part 162 subpart E, Part 171), on the rules entries follow (``ports.services.forfeiture_step_check``):
    notice of seizure (starts the 30-day petition, 19 CFR 171.2), publication (starts the 20-day claim and
    cost bond, 162.45), petition, claim and bond (at least the cost bond on the parcels' value), decision.
    A step after the period it stops is recorded and flagged."""
    from section307.ports.services import forfeiture_step_check

    _require(actor, "parcels.decide_parcels", _("record forfeiture steps"))
    detention = _lock_detention(detention)
    if detention.status != ParcelDetention.Status.SEIZED:
        raise Conflict(_("Forfeiture follows a seizure under a Finding."), rule="19 CFR 12.44(b)", code="not_seized")
    if on > timezone.localdate() or on < detention.detained_on:
        raise InvalidInput(_("The date is between the detention and today."), field="on")
    done = set(detention.forfeiture_steps.values_list("step", flat=True))
    stops, starts = forfeiture_step_check(step=step, done=done, value=detention.group.total_value, amount=amount)
    label = ParcelForfeitureStep.Step(step).label
    late = ""
    for clock in detention.clocks.filter(kind__in=stops, running=True):
        if on > clock.due_date:
            late = " (after the period)"
    detention.clocks.filter(kind__in=stops, running=True).update(
        running=False, stopped_at=timezone.now(), stop_reason=f"{label} on {on.isoformat()}{late}"
    )
    if starts is not None:
        ParcelClock.objects.bulk_create([_clock(detention, starts, on, business_calendar())])
    recorded = ParcelForfeitureStep.objects.create(
        detention=detention, step=step, on=on, note=(note or "").strip() + late, amount=amount, actor=_user(actor)
    )
    GroupEvent.objects.create(
        group=detention.group,
        kind=f"forfeiture_{step}",
        actor_label=actor_label(actor),
        summary=_("%(step)s: %(on)s%(late)s")
        % {"step": label, "on": on.isoformat(), "late": _(" (after the period)") if late else ""},
    )
    audit_record(
        actor=actor,
        action="parcels.forfeiture",
        target=detention,
        data={"step": step, "on": on.isoformat(), "late": bool(late)},
    )
    return recorded


# -- re-screening after an order change --------------------------------------------------------------------

DEFAULT_RESCREEN_DAYS = 30
RESCREEN_CHUNK = 5000
_RANK = {"clear": 0, "review": 1, "hit": 2}


def rescreen_days() -> int:
    """Cleared parcels presented within this many days are screened again (held and detained ones always)."""
    return int(getattr(settings, "SECTION307_PARCELS_RESCREEN_DAYS", DEFAULT_RESCREEN_DAYS))


def _finding_kind(before: tuple[str, str], after: tuple[str, str]) -> str:
    if _RANK[after[0]] > _RANK[before[0]]:
        return ParcelRescreenFinding.Kind.NEW_HIT
    if after[0] == "clear":
        return ParcelRescreenFinding.Kind.CLEARED
    return ParcelRescreenFinding.Kind.CHANGED


@transaction.atomic
def parcels_rescreen(
    *, actor: Actor | None, trigger: str, order_reference: str = "", today: dt.date | None = None
) -> ParcelRescreenRun | None:
    """Screen again every parcel not yet disposed (held or detained; cleared ones presented within
    ``rescreen_days``) against the current watchlist, and record each whose result changed.

    A cleared parcel that is now a hit or a review is held and grouped like a new manifest's hits: the
    new groups enter the officer's queue for the release-or-detain decision. A held or detained parcel
    keeps the screening it was grouped or detained under; a finding lists what the watchlist says now,
    and groups or detentions with parcels now clear enter the officer's queue. None when there is
    nothing to re-screen.
    """
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=rescreen_days())
    open_parcels = Parcel.objects.filter(
        Q(status__in=[Parcel.Status.HELD, Parcel.Status.DETAINED])
        | Q(status=Parcel.Status.CLEARED, manifest__presented_on__gte=since),
        manifest__status=Manifest.Status.SCREENED,
    ).order_by("pk")
    if not open_parcels.exists():
        return None
    run = ParcelRescreenRun.objects.create(trigger=trigger[:200], order_reference=order_reference[:40])
    screener = _screener()
    columns = ["pk", "group_id", "status", "decision", "order_reference", *ingest.COLUMNS]
    findings: list[ParcelRescreenFinding] = []
    flagged: dict[int, dict[str, Any]] = {}
    count = 0
    last = 0
    while True:
        chunk = list(open_parcels.filter(pk__gt=last).values(*columns)[:RESCREEN_CHUNK])
        if not chunk:
            break
        last = chunk[-1]["pk"]
        count += len(chunk)
        results = _screen_rows(screener, [{k: p[k] for k in ingest.COLUMNS} for p in chunk])
        # A held or detained parcel keeps its screening; an earlier run's finding says what was seen since.
        seen: dict[int, tuple[str, str]] = {}
        for pid, decision, ref in (
            ParcelRescreenFinding.objects.filter(parcel_id__in=[p["pk"] for p in chunk])
            .order_by("parcel_id", "id")
            .values_list("parcel_id", "decision", "order_reference")
        ):
            seen[pid] = (decision, ref)
        for p, res in zip(chunk, results, strict=True):
            before, after = (p["decision"], p["order_reference"]), (res["decision"], res["order_reference"])
            if seen.get(p["pk"], before) == after:
                continue
            kind = _finding_kind(before, after)
            findings.append(
                ParcelRescreenFinding(
                    run=run,
                    parcel_id=p["pk"],
                    group_id=p["group_id"],
                    kind=kind,
                    previous_decision=before[0],
                    previous_order=before[1],
                    decision=after[0],
                    order_reference=after[1],
                    reasons=res["reasons"],
                )
            )
            if p["status"] == Parcel.Status.CLEARED and res["group_key"]:
                res["group_key"] = f"rescreen {run.pk}: {res['group_key']}"[:400]
                flagged[p["pk"]] = res
    ParcelRescreenFinding.objects.bulk_create(findings, batch_size=1000)
    groups: list[ParcelGroup] = []
    if flagged:
        for pk, res in flagged.items():
            Parcel.objects.filter(pk=pk, status=Parcel.Status.CLEARED).update(**res, status=Parcel.Status.HELD)
        manifests = Manifest.objects.filter(parcels__pk__in=list(flagged)).distinct()
        for manifest in manifests:
            groups += _groups_build(manifest, note=_("re-screening after %(trigger)s") % {"trigger": trigger})
        for group in groups:
            ParcelRescreenFinding.objects.filter(run=run, parcel__group=group).update(group=group)
    kinds = [f.kind for f in findings]
    run.parcels_screened = count
    run.new_hits = sum(k != ParcelRescreenFinding.Kind.CLEARED for k in kinds)
    run.cleared = kinds.count(ParcelRescreenFinding.Kind.CLEARED)
    run.groups_created = len(groups)
    run.finished_at = timezone.now()
    run.save()
    audit_record(
        actor=actor,
        action="parcels.rescreen",
        target=run,
        data={
            "trigger": run.trigger,
            "screened": count,
            "new_hits": run.new_hits,
            "cleared": run.cleared,
            "groups": len(groups),
        },
    )
    return run


# -- the importer portal: proof and protests; headquarters determinations ----------------------------------


def _lock_detention(detention: ParcelDetention) -> ParcelDetention:
    return (
        ParcelDetention.objects.select_for_update(of=("self",))
        .select_related("group__manifest", "order", "organization")
        .get(pk=detention.pk)
    )


def _for_importer(actor: Actor, detention: ParcelDetention) -> User:
    from section307.parcels.permissions import can_act_for_detention

    if not is_trade_user(actor) or not can_act_for_detention(actor, detention):
        raise NotPermitted(_("Only the importer of record (or its broker) may answer this detention."))
    return actor


def _orgs(actor: User, detention: ParcelDetention) -> dict[str, str]:
    return {
        "acting_organization": getattr(actor.organization, "name", ""),
        "for_organization": getattr(detention.organization, "name", ""),
    }


@transaction.atomic
def proof_submit(
    *,
    actor: Actor,
    detention: ParcelDetention,
    statement: str,
    files: Sequence[tuple[str, bytes]],
    today: dt.date | None = None,
) -> ParcelProof:
    """The importer (or its broker) sends proof of admissibility for every parcel of the detention
    (19 CFR 12.43 for WRO and Finding parcels; the documentation period for UFLPA and CAATSA ones).

    Proof after the period is accepted and flagged, as for entries; the first proof means exclusion
    (or seizure) waits for headquarters' determination (``ports.disposition``)."""
    from section307.allegations.crypto import encrypt_bytes
    from section307.trade.uploads import check_document

    user = _for_importer(actor, detention)
    detention = _lock_detention(detention)
    if not detention.is_open:
        raise Conflict(_("The detention is decided."), code="decided")
    statement = (statement or "").strip()
    if not statement:
        raise InvalidInput(_("Write the statement that goes with the proof."), field="statement")
    if not files:
        raise InvalidInput(_("Attach at least one document."), field="files")
    checked = []
    for name, data in files:
        try:
            checked.append((name, data, check_document(data, name)))
        except UploadRejected as exc:
            raise InvalidInput(exc.message, field="files") from None
    today = today or timezone.localdate()
    period = law.ADMISSIBILITY if detention.regime in (disposition.WRO, disposition.FINDING) else law.RESPONSE
    due = _running_due(detention, period)
    untimely = due is not None and today > due
    assert user.organization is not None
    proof = ParcelProof.objects.create(
        detention=detention,
        organization=detention.organization or user.organization,
        acting_organization=user.organization,
        filed_by=user,
        statement=statement,
        received_on=today,
        untimely=untimely,
    )
    for name, data, c in checked:
        doc = ParcelProofDocument(
            proof=proof, original_name=name[:255], content_type=c.mime_type, size=c.size, sha256=c.sha256
        )
        doc.file.save("proof.bin", ContentFile(encrypt_bytes(data)), save=False)
        doc.save()
    if detention.proof_received_on is None:
        detention.proof_received_on, detention.proof_untimely = today, untimely
        detention.save(update_fields=["proof_received_on", "proof_untimely", "updated_at"])
    GroupEvent.objects.create(
        group=detention.group,
        kind="proof",
        actor_label=actor_label(actor),
        summary=_("Proof of admissibility sent through the importer portal (%(n)d document(s))%(late)s")
        % {"n": len(checked), "late": _(", after the period: accepted and flagged") if untimely else ""},
    )
    audit_record(
        actor=actor,
        action="parcels.proof_submit",
        target=proof,
        data={"documents": len(checked), "untimely": untimely, **_orgs(user, detention)},
    )
    return proof


@transaction.atomic
def protest_file(
    *, actor: Actor, detention: ParcelDetention, grounds: str, today: dt.date | None = None
) -> ParcelProtest:
    """The importer (or its broker) protests the exclusion of the detention's parcels (19 U.S.C.
    1514(a)(4)) within 180 days of it (1514(c)(3), ``ports.law``); one protest per decision. A pending
    protest keeps the parcels from abandonment (19 CFR 12.44(a)) and reaches headquarters' queue."""
    user = _for_importer(actor, detention)
    detention = _lock_detention(detention)
    grounds = (grounds or "").strip()
    if not grounds:
        raise InvalidInput(_("State the grounds of the protest."), field="grounds")
    decision = detention.decisions.filter(outcome=ParcelDecision.Outcome.EXCLUDE).order_by("-decided_at").first()
    if detention.status != ParcelDetention.Status.EXCLUDED or decision is None:
        raise Conflict(_("Only an exclusion can be protested."), rule="19 U.S.C. 1514(a)(4)", code="not_excluded")
    if ParcelProtest.objects.filter(decision=decision).exists():
        raise Conflict(
            _("A protest has already been filed against this decision."), rule="19 U.S.C. 1514(c)(1)", code="filed"
        )
    today = today or timezone.localdate()
    window = detention.clocks.filter(kind=law.PROTEST_FILING).first()
    if window is not None and today > window.due_date:
        raise Conflict(
            _("The 180 days to protest ended on %(date)s.") % {"date": window.due_date.isoformat()},
            rule=law.rule(law.PROTEST_FILING).citation,
            code="too_late",
        )
    assert user.organization is not None
    protest = ParcelProtest.objects.create(
        decision=decision,
        detention=detention,
        organization=detention.organization or user.organization,
        filed_by=user,
        filed_on=today,
        grounds=grounds,
    )
    now = timezone.now()
    detention.clocks.filter(kind=law.PROTEST_FILING, running=True).update(
        running=False, stopped_at=now, stop_reason=f"protest filed on {today.isoformat()}"
    )
    business = business_calendar()
    ParcelClock.objects.bulk_create(
        [
            _clock(detention, law.PROTEST_DECISION, today, business),
            _clock(detention, law.EXCLUSION_PROTEST, today, business),
        ]
    )
    GroupEvent.objects.create(
        group=detention.group,
        kind="protest",
        actor_label=actor_label(actor),
        summary=_("Protest of the exclusion filed: %(grounds)s") % {"grounds": grounds},
    )
    audit_record(actor=actor, action="parcels.protest_file", target=protest, data=_orgs(user, detention))
    return protest


def protest_deemed_denied_on(protest: ParcelProtest) -> tuple[dt.date, str] | None:
    """The day the pending ``protest`` stands denied by operation of law and the rule
    (``law.protest_deemed_denied_on``, as for entries); None when no such period runs."""
    periods = ParcelClock.objects.filter(
        detention_id=protest.detention_id, running=True, kind__in=law.DEEMED_DENIAL_KINDS
    ).values_list("kind", "due_date")
    return law.protest_deemed_denied_on(periods)


def _check_decidable(protest: ParcelProtest, today: dt.date) -> None:
    """No decision on a protest denied by operation of law (``ports.services.refuse_if_deemed_denied``)."""
    from section307.ports.services import refuse_if_deemed_denied

    refuse_if_deemed_denied(
        status=protest.status,
        decided_on=protest.decided_on,
        deemed=lambda: protest_deemed_denied_on(protest),
        today=today,
    )


def _civil_action_start(detention: ParcelDetention, start: dt.date) -> ParcelClock:
    """Start the 180 days to contest a protest's denial in the Court of International Trade (28 U.S.C.
    2636(a)) on the day of the denial, by headquarters or by operation of law, as for entries."""
    suit = _clock(detention, law.CIVIL_ACTION, start, business_calendar())
    clock, _created = ParcelClock.objects.update_or_create(
        detention=detention,
        kind=law.CIVIL_ACTION,
        defaults={
            "citation": suit.citation,
            "start_event": suit.start_event,
            "start_date": suit.start_date,
            "due_date": suit.due_date,
            "running": True,
            "stopped_at": None,
            "stop_reason": "",
        },
    )
    return clock


def _notify_importer(*, detention: ParcelDetention, protest: ParcelProtest, subject: str, body: str) -> None:
    """A notice in the importer's portal, e-mailed like the entries' notices (``ports.services.notice_create``)."""
    from section307.ports.models import Notice
    from section307.ports.services import notice_create

    notice_create(
        organization=detention.organization or protest.organization,
        entry=None,
        kind=Notice.Kind.DECISION,
        subject=subject,
        body=body,
    )


@transaction.atomic
def protest_deem_denied(*, actor: Actor | None, protest: ParcelProtest, today: dt.date | None = None) -> ParcelProtest:
    """Record that a protest not decided before the 30th day after its filing stands denied on that
    day (19 U.S.C. 1499(c)(5)(B)), as for entries: the decision periods stop, the 180 days to contest
    it in the Court of International Trade start on that day (28 U.S.C. 2636(a)(2)), a determination
    still awaiting concurrence is returned and the importer receives a notice (portal and e-mail).
    Recorded as the system when ``actor`` is None (the daily job)."""
    from section307.ports.lifecycle import PROTEST_LIFECYCLE

    today = today or timezone.localdate()
    protest = (
        ParcelProtest.objects.select_for_update(of=("self",))
        .select_related("detention__group", "organization")
        .get(pk=protest.pk)
    )
    step = PROTEST_LIFECYCLE.check("deem_denied", state=protest.status, actor=actor)
    deemed = protest_deemed_denied_on(protest)
    if deemed is None or not law.protest_is_deemed_denied(deemed[0], today):
        raise Conflict(
            _("The protest may still be decided: it is not denied by operation of law before %(date)s.")
            % {"date": deemed[0].isoformat() if deemed else "—"},
            rule=law.DEEMED_DENIAL_CITATION,
            code="not_yet",
        )
    deemed_on, rule = deemed
    detention = protest.detention
    protest.status, protest.decided_on = step.target, deemed_on
    protest.save(update_fields=["status", "decided_on", "updated_at"])
    detention.clocks.filter(kind__in=[law.PROTEST_DECISION, *law.DEEMED_DENIAL_KINDS], running=True).update(
        running=False,
        stopped_at=timezone.now(),
        stop_reason=f"protest denied by operation of law on {deemed_on.isoformat()}",
    )
    suit = _civil_action_start(detention, deemed_on)
    note = f"The protest was denied by operation of law on {deemed_on.isoformat()} ({rule})."
    ParcelReview.objects.filter(protest=protest, status=ParcelReview.Status.AWAITING).update(
        status=ParcelReview.Status.RETURNED, note=note, updated_at=timezone.now()
    )
    facts = {
        "filed": protest.filed_on.isoformat(),
        "deemed": deemed_on.isoformat(),
        "rule": rule,
        "due": suit.due_date.isoformat(),
        "suit": law.DEEMED_DENIAL_SUIT_CITATION,
    }
    GroupEvent.objects.create(
        group=detention.group,
        kind="protest_deemed_denied",
        actor_label=actor_label(actor),
        summary=_(
            "Protest of the exclusion not decided before %(deemed)s: denied by operation of law on that day "
            "(%(rule)s). The importer may contest it in the Court of International Trade by %(due)s (%(suit)s)."
        )
        % facts,
    )
    audit_record(
        actor=actor,
        action="parcels.protest_deem_denied",
        target=protest,
        data={"deemed_on": deemed_on.isoformat(), "rule": rule, "civil_action_due": suit.due_date.isoformat()},
    )
    _notify_importer(
        detention=detention,
        protest=protest,
        subject=_("Protest of parcel detention %(pk)d denied by operation of law") % {"pk": detention.pk},
        body=_(
            "Your protest of the exclusion of the parcels of detention %(pk)d, filed on %(filed)s, was not "
            "allowed or denied before %(deemed)s, the 30th day after its filing, and is treated as denied on "
            "that day (%(rule)s).\n\nYou may contest the denial in the Court of International Trade within "
            "180 days of it, by %(due)s (%(suit)s).\n\nUnless the parcels are exported they may be deemed "
            "abandoned (19 CFR 12.44(a))."
        )
        % {**facts, "pk": detention.pk},
    )
    return protest


def protests_deem_denied(*, actor: Actor | None = None, today: dt.date | None = None) -> list[ParcelProtest]:
    """Daily: every pending parcel protest whose 30th day has come is recorded as denied by operation
    of law, dated that day (not the run's)."""
    today = today or timezone.localdate()
    due = ParcelClock.objects.filter(running=True, kind__in=law.DEEMED_DENIAL_KINDS, due_date__lte=today)
    protests = ParcelProtest.objects.filter(
        status=ParcelProtest.Status.PENDING, detention_id__in=due.values("detention_id")
    )
    return [protest_deem_denied(actor=actor, protest=p, today=today) for p in protests.order_by("pk")]


def _require_reviewer(actor: Actor) -> None:
    _require(actor, "ports.review_detention", _("make headquarters determinations"))


@transaction.atomic
def review_propose(*, actor: Actor, detention: ParcelDetention, kind: str, outcome: str, reasons: str) -> ParcelReview:
    """A headquarters reviewer proposes a determination on the proof or on the pending protest; it
    takes effect when a second reviewer concurs (``review_concur``)."""
    _require_reviewer(actor)
    detention = _lock_detention(detention)
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput(_("Give the reasons for the determination."), field="reasons")
    if outcome not in ParcelReview.Outcome.values:
        raise InvalidInput(_("Choose the outcome."), field="outcome")
    live = detention.reviews.filter(kind=kind).exclude(status=ParcelReview.Status.RETURNED)
    protest = None
    if kind == ParcelReview.Kind.ADMISSIBILITY:
        if not detention.is_open or detention.proof_received_on is None:
            raise Conflict(_("There is no proof awaiting a determination."), code="no_proof")
        if live.exists():
            raise Conflict(_("The proof already has a determination."), code="reviewed")
    elif kind == ParcelReview.Kind.PROTEST:
        protest = detention.protests.filter(status=ParcelProtest.Status.PENDING).first()
        if protest is None:
            raise Conflict(_("There is no pending protest."), code="no_protest")
        _check_decidable(protest, timezone.localdate())
        if live.filter(protest=protest).exists():
            raise Conflict(_("The protest already has a determination."), code="reviewed")
    else:
        raise InvalidInput(_("Choose what is determined."), field="kind")
    review = ParcelReview.objects.create(
        detention=detention, kind=kind, outcome=outcome, reasons=reasons, protest=protest, proposed_by=_user(actor)
    )
    audit_record(actor=actor, action="parcels.review_propose", target=review, data={"kind": kind, "outcome": outcome})
    return review


def _lock_review(review: ParcelReview) -> ParcelReview:
    return (
        ParcelReview.objects.select_for_update(of=("self",))
        .select_related("detention__group", "protest")
        .get(pk=review.pk)
    )


def _protest_denied(*, actor: Actor, review: ParcelReview, protest: ParcelProtest, today: dt.date) -> ParcelClock:
    """Headquarters denied the protest (19 U.S.C. 1515(a)): the 180 days to contest the denial in the
    Court of International Trade start on the day of the denial (28 U.S.C. 2636(a)(1)), as they do after a
    denial by operation of law (``protest_deem_denied``) and for entries; the importer receives a notice."""
    detention = review.detention
    suit = _civil_action_start(detention, today)
    facts = {
        "pk": detention.pk,
        "filed": protest.filed_on.isoformat(),
        "denied": today.isoformat(),
        "due": suit.due_date.isoformat(),
        "suit": law.PROTEST_DENIAL_SUIT_CITATION,
        "reasons": review.reasons,
    }
    GroupEvent.objects.create(
        group=detention.group,
        kind="protest_denied",
        actor_label=actor_label(actor),
        summary=_(
            "Protest of the exclusion denied by headquarters on %(denied)s. The importer may contest it in the "
            "Court of International Trade by %(due)s (%(suit)s)."
        )
        % facts,
    )
    _notify_importer(
        detention=detention,
        protest=protest,
        subject=_("Protest of parcel detention %(pk)d denied") % {"pk": detention.pk},
        body=_(
            "Your protest of the exclusion of the parcels of detention %(pk)d, filed on %(filed)s, was denied "
            "by headquarters on %(denied)s. Reasons: %(reasons)s\n\nYou may contest the denial in the Court "
            "of International Trade within 180 days of it, by %(due)s (%(suit)s).\n\nUnless the parcels are "
            "exported they may be deemed abandoned (19 CFR 12.44(a))."
        )
        % facts,
    )
    return suit


@transaction.atomic
def review_concur(*, actor: Actor, review: ParcelReview, note: str = "") -> ParcelReview:
    """A second reviewer (never the proposer) concurs: the determination takes effect and the port
    carries it out (release after a favourable one; exclusion or seizure after an adverse one)."""
    _require_reviewer(actor)
    review = _lock_review(review)
    t = REVIEW_LIFECYCLE.check("concur", state=review.status, actor=actor, subject=review)
    today = timezone.localdate()
    review.status, review.concurred_by, review.concurred_at = t.target, _user(actor), timezone.now()
    review.note = (note or "").strip()
    review.save(update_fields=["status", "concurred_by", "concurred_at", "note", "updated_at"])
    protest = review.protest
    facts = {"kind": review.kind}
    if protest is not None:
        _check_decidable(protest, today)
        protest.status = ParcelProtest.Status.ALLOWED if review.favourable else ParcelProtest.Status.DENIED
        protest.decided_on = today
        protest.save(update_fields=["status", "decided_on", "updated_at"])
        review.detention.clocks.filter(kind__in=[law.PROTEST_DECISION, law.EXCLUSION_PROTEST], running=True).update(
            running=False, stopped_at=timezone.now(), stop_reason=f"protest {protest.status} on {today.isoformat()}"
        )
        if not review.favourable:
            suit = _protest_denied(actor=actor, review=review, protest=protest, today=today)
            facts["civil_action_due"] = suit.due_date.isoformat()
    GroupEvent.objects.create(
        group=review.detention.group,
        kind="hq_effective",
        actor_label=actor_label(actor),
        summary=_("Headquarters determination: %(kind)s: %(outcome)s. Reasons: %(reasons)s")
        % {"kind": review.get_kind_display(), "outcome": review.get_outcome_display(), "reasons": review.reasons},
    )
    audit_record(actor=actor, action="parcels.review_concur", target=review, data=facts)
    return review


@transaction.atomic
def review_return(*, actor: Actor, review: ParcelReview, note: str) -> ParcelReview:
    """The second reviewer does not concur: the determination goes back; a new one may be proposed."""
    _require_reviewer(actor)
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Say why the determination is returned."), field="note")
    review = _lock_review(review)
    t = REVIEW_LIFECYCLE.check("return", state=review.status, actor=actor, subject=review)
    review.status, review.note = t.target, note
    review.save(update_fields=["status", "note", "updated_at"])
    audit_record(actor=actor, action="parcels.review_return", target=review, data={"note": note})
    return review
