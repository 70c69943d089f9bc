"""Writes to supply-chain maps: imports, registry matching, screening, evidence, EPCIS events, monitoring.

Each write is one transaction and leaves an audit row; the permission checks are here, not in views.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from section307.accounts.models import Organization
from section307.core.audit import audit_record
from section307.core.errors import InvalidInput, NotPermitted
from section307.core.types import Actor, account, signed_in
from section307.goods.models import Good
from section307.parties.names import name_key
from section307.supplychain import permissions as perms
from section307.supplychain.imports import ImportFailed, Plan, plan_from_rows, read_table, rows_from_json
from section307.supplychain.models import (
    Evidence,
    ImportJob,
    Link,
    MapAlert,
    MatchStatus,
    Node,
    RiskLevel,
    SupplyChainMap,
    TraceEvent,
)
from section307.supplychain.risk import counted_signals, node_level, screening_row

# Upload size for supplier lists and entry files (rows are checked one by one, so the cap is generous).
MAX_TABLE_BYTES = 20 * 1024 * 1024
# Files with more rows than this are imported by a background task, with progress shown.
BACKGROUND_ROWS = 2000


class MapImportError(InvalidInput):
    """Bad rows: ``errors`` lists each with its row and column; nothing was saved."""

    default_code = "map_invalid"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        first = errors[0] if errors else {}
        super().__init__(
            _("The supplier map has %(n)s problem(s); nothing was imported. First: row %(row)s, %(column)s: %(reason)s")
            % {
                "n": len(errors),
                "row": first.get("row", "?"),
                "column": first.get("column", "?"),
                "reason": first.get("reason", ""),
            },
            field=first.get("field"),
            extra={"errors": errors},
        )
        self.errors = errors


def _require(allowed: bool, message: str = "") -> None:
    if not allowed:
        raise NotPermitted(message or _("You may not change this supply-chain map."))


# ---------------------------------------------------------------------------------------------- import


def _good_by_name(name: str, hts: str) -> Good | None:
    if name:
        found = Good.objects.filter(name__iexact=name).first()
        if found is not None:
            return found
    if hts:
        for length in (10, 8, 6, 4, 2):
            found = Good.objects.filter(hts_codes__code=hts[:length]).first()
            if found is not None:
                return found
    return None


@transaction.atomic
def map_import(
    *,
    actor: Actor | None,
    organization: Organization | None,
    title: str,
    rows: Sequence[Mapping[str, str]],
    root_name: str = "",
    source: str = SupplyChainMap.Source.UPLOAD,
    case: Any = None,
    first_row: int = 2,
    plan: Plan | None = None,
    screened: dict[str, list[dict[str, Any]]] | None = None,
) -> SupplyChainMap:
    """Check every row, then create the map, its nodes and links, match them to the registry and screen them.

    Any bad row raises ``MapImportError`` with all problems and saves nothing. A background import passes
    the ``plan`` it checked and the nodes it ``screened`` (``plan_screen``) outside this transaction, so
    its progress is visible while it runs."""
    if case is None:
        _require(
            perms.can_create_map(actor)
            and organization is not None
            and perms.own_organization(actor).pk == organization.pk,
            _("Only your organization's trade users create its supply-chain maps."),
        )
    title = (title or "").strip()[:200]
    if not title:
        raise InvalidInput(_("Give the map a title."), field="title")
    root = (root_name or (organization.name if organization else "")).strip()
    if plan is None:
        try:
            plan = plan_from_rows(rows, root_name=root, first_row=first_row)
        except ImportFailed as exc:
            raise MapImportError(exc.errors) from None
    chain_map = SupplyChainMap.objects.create(
        organization=organization,
        case=case,
        title=title,
        source=source,
        created_by=account(actor) if getattr(actor, "pk", None) else None,
    )
    _apply_plan(chain_map, plan)
    tier1 = next((lk for lk in chain_map.links.filter(tier=1).select_related("good")), None)
    if tier1 is not None:
        chain_map.good, chain_map.hts = tier1.good, tier1.hts
        chain_map.save(update_fields=["good", "hts", "updated_at"])
    counts = nodes_match(chain_map=chain_map)
    if screened is None:
        map_screen(chain_map=chain_map)
    else:
        nodes = list(chain_map.nodes.all())
        for node in nodes:
            node.risk_signals = screened.get(node.key, [])
            node.risk_level = node_level(node.risk_signals)
        Node.objects.bulk_update(nodes, ["risk_level", "risk_signals"], batch_size=2000)
        _map_level_save(chain_map)
    audit_record(
        actor=actor,
        action="supplychain.map_import",
        target=chain_map,
        data={"nodes": len(plan.nodes), "links": len(plan.links), "source": source, "matches": counts},
    )
    return chain_map


def _apply_plan(chain_map: SupplyChainMap, plan: Plan) -> None:
    nodes = [
        Node(
            map=chain_map,
            name=p.name,
            key=p.key,
            country_id=p.country,
            address=p.address,
            identifier=p.identifier,
            tier=p.tier or 0,
            row=p.row,
        )
        for p in plan.nodes.values()
    ]
    Node.objects.bulk_create(nodes, batch_size=2000)
    ids = dict(Node.objects.filter(map=chain_map).values_list("key", "pk"))
    goods: dict[tuple[str, str], Good | None] = {}
    links = []
    for p in plan.links:
        good = goods.get((p.good, p.hts))
        if (p.good, p.hts) not in goods:
            good = goods[(p.good, p.hts)] = _good_by_name(p.good, p.hts)
        links.append(
            Link(
                map=chain_map,
                supplier_id=ids[p.supplier],
                buyer_id=ids[p.buyer],
                tier=p.tier,
                good_key=p.good,
                good=good,
                hts=p.hts,
                share=p.share,
                custody_model=p.custody_model,
                period_start=p.period_start,
                period_end=p.period_end,
                row=p.row,
            )
        )
    Link.objects.bulk_create(links, batch_size=2000)


def map_import_file(
    *, actor: Actor | None, organization: Organization, title: str, data: bytes, filename: str, progress: Any = None
) -> SupplyChainMap:
    """A CSV or XLSX supplier list (see ``imports.TEMPLATE_COLUMNS``) as a new map.

    With ``progress(done, total)`` (background imports) the rows are checked and the nodes screened
    before the import's transaction, reporting as they go; the import itself is still one transaction."""
    _check_table(data, filename)
    try:
        rows = read_table(data, filename)
    except ImportFailed as exc:
        raise MapImportError(exc.errors) from None
    if progress is None:
        return map_import(actor=actor, organization=organization, title=title, rows=rows)
    try:
        plan = plan_from_rows(rows, root_name=organization.name)
    except ImportFailed as exc:
        raise MapImportError(exc.errors) from None
    screened = plan_screen(plan, progress=progress)
    return map_import(actor=actor, organization=organization, title=title, rows=rows, plan=plan, screened=screened)


def plan_screen(plan: Plan, *, progress: Any = None) -> dict[str, list[dict[str, Any]]]:
    """The counted signals of every node of a checked plan, by node key (the port's screener)."""
    from section307.ports.services import current_screener

    screener = current_screener()
    supplied: dict[str, list[tuple[str, str]]] = {}
    for link in plan.links:
        supplied.setdefault(link.supplier, []).append((link.hts, link.good))
    out: dict[str, list[dict[str, Any]]] = {}
    total = len(plan.nodes)
    for i, (key, node) in enumerate(plan.nodes.items()):
        if node.tier:
            result = screener.screen_one(screening_row(node, supplied.get(key, [])))
            out[key] = counted_signals([s.to_dict() for s in result.signals])
        else:
            out[key] = []
        if progress is not None and i % 200 == 0:
            progress(i, total)
    return out


def map_import_json(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    nodes: list[Mapping[str, Any]],
    links: list[Mapping[str, Any]],
) -> SupplyChainMap:
    """API input: nodes with ids (tier 0 is the importer) and links naming them."""
    root = next((n for n in nodes if n.get("tier") == 0), None)
    rows = rows_from_json([n for n in nodes if n.get("tier") != 0], links)
    root_name = str(root.get("name")) if root else organization.name
    for row, link in zip(rows, links, strict=True):
        if root is not None and str(link.get("buyer")) == str(root.get("id")):
            row["buyer_name"] = root_name
    return map_import(
        actor=actor,
        organization=organization,
        title=title,
        rows=rows,
        root_name=root_name,
        source=SupplyChainMap.Source.API,
        first_row=0,
    )


def _check_table(data: bytes, filename: str) -> None:
    from section307.core.uploads import UploadRejected, check_archive

    if not data:
        raise UploadRejected(_("The file is empty."), reason="empty")
    if len(data) > MAX_TABLE_BYTES:
        raise UploadRejected(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_TABLE_BYTES // 2**20}, reason="too_large"
        )
    name = filename.lower()
    if not name.endswith((".csv", ".xlsx", ".txt")):
        raise UploadRejected(_("Send a .csv or .xlsx file."), reason="type_not_accepted")
    if data[:2] == b"PK":
        # Zip directory checked before anything is unpacked (decompression bombs).
        check_archive(data)
    elif b"\x00" in data[:4096]:
        raise UploadRejected(_("This is not a CSV text file."), reason="type_not_accepted")


def map_from_entry(*, actor: Actor, entry: Any) -> SupplyChainMap:
    """A map drafted from an entry's lines: each manufacturer (tier 1) and named upstream supplier (tier 2)."""
    from section307.ports.permissions import can_act_for_entry

    _require(can_act_for_entry(actor, entry), _("Only the importer of record drafts a map from its entry."))
    org = entry.organization
    rows: list[dict[str, str]] = []
    for line in entry.lines.order_by("line"):
        rows.append(
            {
                "supplier_name": line.manufacturer,
                "supplier_country": line.country_of_origin,
                "supplier_address": line.manufacturer_address,
                "supplier_id": line.manufacturer_id,
                "tier": "1",
                "buyer_name": org.name,
                "good": line.description[:200],
                "hts": line.hts,
                "share": "",
                "custody_model": "",
            }
        )
        for sup in (s.strip() for s in line.suppliers.replace(";", "|").split("|")):
            if sup and name_key(sup) != name_key(line.manufacturer):
                rows.append(
                    {
                        "supplier_name": sup,
                        "supplier_country": line.country_of_origin,
                        "supplier_address": "",
                        "supplier_id": "",
                        "tier": "2",
                        "buyer_name": line.manufacturer,
                        "good": "",
                        "hts": line.hts,
                        "share": "",
                        "custody_model": "",
                    }
                )
    return map_import(
        actor=actor,
        organization=org,
        title=_("Entry %(number)s") % {"number": entry.entry_number},
        rows=rows,
        source=SupplyChainMap.Source.ENTRY,
        first_row=1,
    )


def map_from_case(*, actor: Actor, case: Any) -> SupplyChainMap:
    """A map of a case's draft supply chain (case parties with tiers and buyers), for its analysts."""
    from section307.cases.permissions import can_work

    _require(can_work(actor, case), _("Only those who work the case draw its map."))
    links = list(case.case_parties.select_related("party__country", "supplies_to__party").order_by("tier", "id"))
    root = next((cp for cp in links if cp.tier == 0), None)
    root_name = root.party.name if root else _("Imported goods (%(case)s)") % {"case": case.reference}
    rows = []
    for cp in links:
        if cp.tier in (None, 0):
            continue
        buyer = cp.supplies_to.party.name if cp.supplies_to else root_name
        rows.append(
            {
                "supplier_name": cp.party.name,
                "supplier_country": cp.party.country_id or "",
                "supplier_address": next((a.text for a in cp.party.addresses.all()), ""),
                "supplier_id": "",
                "tier": str(cp.tier),
                "buyer_name": buyer,
                "good": "",
                "hts": "",
                "share": "",
                "custody_model": "",
            }
        )
    goods = [g.name for g in getattr(case, "goods", Good.objects.none()).all()] if hasattr(case, "goods") else []
    for row in rows:
        row["good"] = goods[0] if goods else case.title[:200]
    return map_import(
        actor=actor,
        organization=None,
        title=_("Case %(ref)s map") % {"ref": case.reference},
        rows=rows,
        root_name=root_name,
        source=SupplyChainMap.Source.CASE,
        case=case,
        first_row=1,
    )


@transaction.atomic
def map_attach_case(*, actor: Actor, chain_map: SupplyChainMap, case: Any) -> SupplyChainMap:
    """An analyst working a case files an importer's map in it: the case's team then finds the same map
    (not a copy) from the case. The importer keeps owning and editing it."""
    from section307.cases.permissions import can_work

    _require(
        perms.can_view_map(actor, chain_map) and can_work(actor, case),
        _("Only those who work the case file maps in it."),
    )
    before = chain_map.case.reference if chain_map.case else ""
    chain_map.case = case
    chain_map.save(update_fields=["case", "updated_at"])
    audit_record(
        actor=actor,
        action="supplychain.map_attach_case",
        target=chain_map,
        data={"case": case.reference, "before": before},
    )
    return chain_map


# ---------------------------------------------------------------------------------------------- matching


def nodes_match(*, chain_map: SupplyChainMap) -> dict[str, int]:
    """Match each node to a registry party: exact (identifier, or folded name in the same country) is
    automatic; a fuzzy name match through the engine's matcher waits for a person to confirm."""
    from section307.parties.selectors import party_name_matches
    from section307.parties.services import party_find

    counts = {s.value: 0 for s in MatchStatus}
    nodes = list(chain_map.nodes.filter(tier__gt=0).select_related("country"))
    fuzzy = party_name_matches(names=[n.name for n in nodes]) if nodes else {}
    by_name: dict[str, tuple[int, float]] = {}
    for pk, (asked, score) in fuzzy.items():
        if asked not in by_name or by_name[asked][1] < score:
            by_name[asked] = (pk, score)
    for node in nodes:
        if node.match_status in (MatchStatus.CONFIRMED, MatchStatus.REJECTED):
            counts[node.match_status] += 1
            continue
        exact = None
        if node.identifier and ":" in node.identifier:
            scheme, value = node.identifier.split(":", 1)
            try:
                exact = party_find(
                    names=[], kind="organization", country=None, identifiers=[(scheme.strip().upper(), value.strip())]
                )
            except ValueError:
                exact = None
        if exact is None:
            exact = party_find(names=[node.name], kind="organization", country=node.country)
        if exact is not None:
            node.party, node.match_status, node.match_score = exact, MatchStatus.AUTOMATIC, 1.0
        elif node.name in by_name:
            node.party_id, node.match_score = by_name[node.name]
            node.match_status = MatchStatus.PENDING
        else:
            node.party, node.match_status, node.match_score = None, MatchStatus.UNMATCHED, None
        counts[node.match_status] += 1
    Node.objects.bulk_update(nodes, ["party", "match_status", "match_score"], batch_size=2000)
    return counts


@transaction.atomic
def node_match_decide(*, actor: Actor, node: Node, confirm: bool) -> Node:
    """Confirm or reject a node's registry match; the node is never merged into the party."""
    _require(perms.can_edit_map(actor, node.map))
    if node.party_id is None:
        raise InvalidInput(_("This node has no registry party to confirm or reject."), field="party")
    before = node.match_status
    node.match_status = MatchStatus.CONFIRMED if confirm else MatchStatus.REJECTED
    node.save(update_fields=["match_status"])
    audit_record(
        actor=actor,
        action="supplychain.match_confirm" if confirm else "supplychain.match_reject",
        target=node.map,
        data={"node": node.pk, "name": node.name, "party": node.party_id, "before": before},
    )
    return node


# ---------------------------------------------------------------------------------------------- screening


def map_screen(*, chain_map: SupplyChainMap) -> str:
    """Screen every node with the port's screener and store each node's level and signals; returns the
    map's level (from ``risk.map_risk``: upstream of the imported good, custody rules applied)."""
    from section307.ports.services import current_screener

    screener = current_screener()
    supplied: dict[int, list[tuple[str, str]]] = {}
    for supplier_id, hts, good_key, good_name in chain_map.links.values_list(
        "supplier_id", "hts", "good_key", "good__name"
    ):
        supplied.setdefault(supplier_id, []).append((hts, good_name or good_key))
    nodes = list(chain_map.nodes.all())
    changed = []
    for node in nodes:
        if node.tier == 0:
            signals: list[dict[str, Any]] = []
        else:
            result = screener.screen_one(screening_row(node, supplied.get(node.pk, [])))
            signals = counted_signals([s.to_dict() for s in result.signals])
            if node.match_status == MatchStatus.REJECTED and node.party is not None:
                # A person ruled this party out: its name match is not this node's.
                rejected = node.party.name
                signals = [s for s in signals if not (s["kind"] == "party" and s.get("matched_name") == rejected)]
        level = node_level(signals)
        if level != node.risk_level or signals != node.risk_signals:
            node.risk_level, node.risk_signals = level, signals
            changed.append(node)
    Node.objects.bulk_update(changed, ["risk_level", "risk_signals"], batch_size=2000)
    return _map_level_save(chain_map)


def _map_level_save(chain_map: SupplyChainMap) -> str:
    from section307.orders.watchlist import registry_version
    from section307.supplychain.risk import risk_paths

    level, _paths = risk_paths(chain_map)
    chain_map.risk_level = level
    chain_map.screened_at = timezone.now()
    chain_map.screened_version = json.dumps([str(v) for v in registry_version()])[:200]
    chain_map.save(update_fields=["risk_level", "screened_at", "screened_version", "updated_at"])
    return level


@dataclass
class RescreenOutcome:
    screened: int
    changed: list[SupplyChainMap]


def maps_rescreen(*, trigger: str, actor: Actor | None = None) -> RescreenOutcome:
    """Monitoring: re-screen every importer's map; a map whose level changed notifies its owner
    (an alert in the portal and in the owners' work queue)."""
    from section307.orders.watchlist import registry_version

    changed: list[SupplyChainMap] = []
    count = 0
    # A list load records many order events, each queueing a re-screen: the first one screens every map
    # against the newest registry, and the others find nothing changed since.
    current = json.dumps([str(v) for v in registry_version()])[:200]
    for chain_map in SupplyChainMap.objects.filter(organization__isnull=False).order_by("pk").iterator():
        if chain_map.screened_version == current:
            continue
        with transaction.atomic():
            before = chain_map.risk_level
            after = map_screen(chain_map=chain_map)
            count += 1
            if after != before:
                changed.append(chain_map)
                _alert(chain_map, before=before, after=after, trigger=trigger)
    audit_record(
        actor=actor,
        action="supplychain.rescreen",
        data={"trigger": trigger[:200], "maps": count, "changed": len(changed)},
    )
    return RescreenOutcome(count, changed)


def _alert(chain_map: SupplyChainMap, *, before: str, after: str, trigger: str) -> MapAlert:
    assert chain_map.organization is not None
    label = dict(RiskLevel.choices)
    subject = _("Supply chain %(title)s: %(before)s → %(after)s") % {
        "title": chain_map.title,
        "before": label[before],
        "after": label[after],
    }
    body = _(
        "After %(trigger)s the map was screened again. Its level went from %(before)s to %(after)s. "
        "Open the map to see each risky path and why."
    ) % {"trigger": trigger, "before": label[before], "after": label[after]}
    alert = MapAlert.objects.create(
        map=chain_map,
        organization=chain_map.organization,
        subject=subject[:300],
        body=body,
        trigger=trigger[:300],
        risk_before=before,
        risk_after=after,
    )
    audit_record(
        actor=None,
        action="supplychain.alert",
        target=chain_map,
        data={"before": before, "after": after, "trigger": trigger[:200]},
    )
    return alert


@transaction.atomic
def alert_mark_read(*, actor: Actor, alert: MapAlert) -> None:
    _require(perms.can_edit_map(actor, alert.map))
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])


# ---------------------------------------------------------------------------------------------- evidence


@transaction.atomic
def evidence_add(
    *,
    actor: Actor,
    chain_map: SupplyChainMap,
    data: bytes,
    name: str,
    kind: str,
    node: Node | None = None,
    link: Link | None = None,
    description: str = "",
) -> Evidence:
    """A traceability document for a node or link: type-checked, hashed, stored encrypted."""
    from django.core.files.base import ContentFile

    from section307.allegations.crypto import encrypt_bytes
    from section307.core.uploads import check_upload

    _require(perms.can_edit_map(actor, chain_map))
    if (node is None) == (link is None):
        raise InvalidInput(_("Attach the document to one node or one link."), field="node")
    if (node is not None and node.map_id != chain_map.pk) or (link is not None and link.map_id != chain_map.pk):
        raise InvalidInput(_("That node or link is not in this map."), field="node")
    if kind not in Evidence.Kind.values:
        raise InvalidInput(_("Choose the kind of document."), field="kind")
    checked = check_upload(data, context="trade_document")
    evidence = Evidence(
        map=chain_map,
        node=node,
        link=link,
        kind=kind,
        description=description[:300],
        original_name=name[:255],
        content_type=checked.mime_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=signed_in(actor),
    )
    evidence.file.save(f"{checked.sha256[:16]}.{checked.extension}", ContentFile(encrypt_bytes(data)), save=False)
    evidence.save()
    audit_record(
        actor=actor,
        action="supplychain.evidence_add",
        target=chain_map,
        data={
            "evidence": evidence.pk,
            "kind": kind,
            "sha256": checked.sha256,
            "node": node.pk if node else None,
            "link": link.pk if link else None,
        },
    )
    return evidence


class EvidenceTampered(InvalidInput):
    default_code = "hash_mismatch"


def evidence_content(*, actor: Actor, evidence: Evidence) -> bytes:
    """The document as uploaded, after checking its SHA-256 against the one recorded at upload."""
    from section307.allegations.crypto import decrypt_bytes

    _require(perms.can_view_map(actor, evidence.map), _("You may not read this document."))
    with evidence.file.open("rb") as fh:
        data = decrypt_bytes(fh.read())
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise EvidenceTampered(_("The stored file does not match the hash recorded at upload."), field="file")
    return data


EPCIS_TYPES = {t.value for t in TraceEvent.Type}


@transaction.atomic
def events_import(*, actor: Actor, chain_map: SupplyChainMap, document: Any) -> list[TraceEvent]:
    """EPCIS 2.0 events (an EPCISDocument, its eventList, or a list of events) tied to nodes by
    ``bizLocation`` or ``readPoint`` id equal to a node's identifier or name. Errors name the event index."""
    import datetime as dt

    _require(perms.can_edit_map(actor, chain_map))
    if isinstance(document, Mapping):
        body = document.get("epcisBody", document)
        events = body.get("eventList", body.get("events")) if isinstance(body, Mapping) else None
    else:
        events = document
    if not isinstance(events, list) or not events:
        raise InvalidInput(
            _("Send an EPCIS document with epcisBody.eventList, or a list of events."), field="eventList"
        )
    nodes = list(chain_map.nodes.all())
    by_ref = {n.identifier.casefold(): n for n in nodes if n.identifier} | {n.name.casefold(): n for n in nodes}
    errors: list[dict[str, str]] = []
    made: list[TraceEvent] = []
    for i, event in enumerate(events):
        where = f"eventList.{i}"
        if not isinstance(event, Mapping):
            errors.append(
                {
                    "field": where,
                    "row": str(i),
                    "column": "",
                    "reason": _("An event is a JSON object."),
                    "message": _("An event is a JSON object."),
                }
            )
            continue
        etype = str(event.get("type", ""))
        if etype not in EPCIS_TYPES:
            reason = _("Unknown event type %(type)s.") % {"type": etype or "—"}
            errors.append(
                {"field": f"{where}.type", "row": str(i), "column": "type", "reason": reason, "message": reason}
            )
            continue
        try:
            when = dt.datetime.fromisoformat(str(event.get("eventTime", "")).replace("Z", "+00:00"))
            if timezone.is_naive(when):
                when = timezone.make_aware(when, dt.UTC)
        except ValueError:
            reason = _("eventTime must be an ISO 8601 date and time.")
            errors.append(
                {
                    "field": f"{where}.eventTime",
                    "row": str(i),
                    "column": "eventTime",
                    "reason": reason,
                    "message": reason,
                }
            )
            continue
        loc = event.get("bizLocation") or event.get("readPoint") or {}
        loc_id = str(loc.get("id", "") if isinstance(loc, Mapping) else loc)
        made.append(
            TraceEvent(
                map=chain_map,
                node=by_ref.get(loc_id.casefold()),
                event_type=etype,
                event_time=when,
                biz_step=str(event.get("bizStep", ""))[:200],
                biz_location=loc_id[:300],
                event_id=str(event.get("eventID", ""))[:300],
                data=dict(event),
            )
        )
    if errors:
        raise MapImportError(errors)
    TraceEvent.objects.bulk_create(made)
    audit_record(actor=actor, action="supplychain.events_import", target=chain_map, data={"events": len(made)})
    return made


# ---------------------------------------------------------------------------------------------- background


def job_create(*, actor: Actor, kind: str, title: str, data: bytes, filename: str) -> ImportJob:
    """A large file kept encrypted for the background task; the task parses, imports and reports progress."""
    from section307.allegations.crypto import encrypt_bytes
    from section307.supplychain.tasks import job_run

    _require(perms.can_create_map(actor), _("Only trade users of an organization upload supplier lists."))
    _check_table(data, filename)
    job = ImportJob.objects.create(
        organization=perms.own_organization(actor),
        user=signed_in(actor),
        kind=kind,
        title=title[:200] or filename[:200],
        filename=filename[:255],
        payload=encrypt_bytes(data),
    )
    audit_record(actor=actor, action="supplychain.job_create", target=job, data={"kind": kind, "bytes": len(data)})
    transaction.on_commit(lambda: job_run.enqueue(job.pk))
    return job
