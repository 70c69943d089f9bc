"""Apply a parsed public list to the database: all of it in one transaction, or none of it.

Parsing collects every bad row first; a file with any error is refused whole and the
database stays as it was. A good file is applied idempotently (natural keys per source),
and every difference from what was loaded before is recorded in the order history and in
the load's change list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from section307.core.audit import audit_record
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.types import Actor, account
from section307.geo.models import Country, Region, TipRanking
from section307.goods.models import DolGoodListing, Good
from section307.orders.lifecycle import ORDER_LIFECYCLE, TRANSITION_TO_STATUS
from section307.orders.models import EnforcementOrder, OrderSource, OrderStatus, OrderType
from section307.orders.services import ScopedParty, order_create, order_transition, order_update
from section307.parties.identifiers import InvalidIdentifier, normalize_identifier
from section307.parties.names import name_key
from section307.parties.services import party_resolve
from section307.refdata.errors import ParseFailed, RowError
from section307.refdata.models import RefdataLoad
from section307.refdata.parsers import PARSERS
from section307.refdata.records import OrderRecord
from section307.refdata.sources import fetch

CBP_ORDER_TYPES = {"wro": OrderType.WRO, "finding": OrderType.FINDING}


@dataclass
class LoadReport:
    source: str
    location: str
    sha256: str = ""
    records: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    changes: list[str] = field(default_factory=list)
    dry_run: bool = False
    load: RefdataLoad | None = None

    def note(self, what: str, line: str) -> None:
        self.counts[what] += 1
        self.changes.append(line)

    def summary(self) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items())) or "no changes"
        prefix = "Dry run, nothing saved: " if self.dry_run else ""
        return f"{prefix}{self.source}: {self.records} records read from {self.location}; {parts}."


class _Rollback(Exception):
    pass


def refdata_load(*, source: str, location: str, actor: Actor | None = None, dry_run: bool = False) -> LoadReport:
    """Load one public list. Raises ``ParseFailed`` (listing every bad row) and writes nothing on bad input."""
    if source not in APPLIERS:
        raise ParseFailed([RowError(file=location, row=None, column=None, reason=f"unknown source {source!r}")])
    fetched = fetch(location, dest_dir=Path(settings.VAR_DIR) / "refdata")
    result = PARSERS[source](fetched.path)
    if result.errors:
        raise ParseFailed(result.errors)
    report = LoadReport(source=source, location=location, sha256=fetched.sha256, records=len(result.records))
    report.dry_run = dry_run
    try:
        with transaction.atomic():
            errors = APPLIERS[source](result.records, report, actor, fetched.path.name)
            if errors:
                raise ParseFailed(errors)
            if dry_run:
                raise _Rollback
            report.load = RefdataLoad.objects.create(
                source=source,
                location=location,
                sha256=report.sha256,
                actor=account(actor),
                counts=dict(report.counts),
                changes=report.changes,
            )
            audit_record(actor=actor, action="refdata.load", target=report.load, data=dict(report.counts))
    except _Rollback:
        pass
    return report


# ---- countries and regions ------------------------------------------------------------------


def _country(code: str | None, file: str, row: int, column: str, errors: list[RowError]) -> Country | None:
    if not code:
        return None
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        errors.append(RowError(file=file, row=row, column=column, reason=f"unknown country code {code!r}"))
    return country


def _region(code: str, file: str, row: int, errors: list[RowError]) -> Region | None:
    region = Region.objects.filter(code=code).first()
    if region is None:
        errors.append(
            RowError(
                file=file,
                row=row,
                column="Entity",
                reason=f"region {code!r} is not in the region table; run `section307 refdata load regions builtin`",
            )
        )
    return region


# ---- CBP Withhold Release Orders and Findings ---------------------------------------------


def _move_status(*, order: EnforcementOrder, wanted: str, effective_date: Any, note: str, source: str) -> bool:
    """Bring an order to the published status through lifecycle steps; False if it is there already.

    Raises ``TransitionNotAllowed`` when the lifecycle has no path to that status.
    """
    if order.status == wanted:
        return False
    step = TRANSITION_TO_STATUS[wanted]
    path = [step]
    if step != "reinstate" and order.status not in ORDER_LIFECYCLE.transition(step).sources:
        # A revoked or inactive order comes back into force before it can be changed again.
        path = ["reinstate", step]
    for step in path:
        order_transition(
            actor=None, order=order, transition=step, effective_date=effective_date, note=note, source=source
        )
        order.refresh_from_db()
    return True


def _valid_identifiers(party: Any, report: LoadReport, file: str, row: int) -> list[tuple[str, str]]:
    """Identifiers quoted in free text; one that fails its check digit is reported and left out, not loaded."""
    valid = []
    for scheme, value in party.identifiers:
        try:
            normalize_identifier(scheme, value)
        except InvalidIdentifier as exc:
            report.note("identifiers ignored", f"{file}, row {row}: {party.name}: {exc}")
            continue
        valid.append((scheme, value))
    return valid


def _apply_cbp(records: list[Any], report: LoadReport, actor: Actor | None, file: str) -> list[RowError]:
    errors: list[RowError] = []
    source = OrderSource.CBP_LIST
    for rec in records:
        country = _country(rec.country_code, file, rec.row, "Country Code", errors)
        scoped: list[ScopedParty] = []
        regions: list[Region] = []
        country_wide = False
        for p in rec.parties:
            if p.kind == "region":
                if p.region_code:
                    region = _region(p.region_code, file, rec.row, errors)
                    if region is not None:
                        regions.append(region)
                else:  # a whole country named as the entity ("Turkmenistan")
                    country_wide = True
                continue
            party_country = _country(p.country, file, rec.row, "Entity", errors) if p.country else country
            party, created = party_resolve(
                actor=actor,
                name=p.name,
                kind=p.kind,
                aliases=list(p.aliases),
                country=party_country,
                identifiers=_valid_identifiers(p, report, file, rec.row),
            )
            if created:
                report.counts["parties created"] += 1
            scoped.append(ScopedParty(party=party, qualifiers=tuple(p.qualifiers)))
        if errors:
            continue
        order_type = CBP_ORDER_TYPES[rec.order_type]
        order = EnforcementOrder.objects.filter(source=source, source_key=rec.key).first()
        fields = {
            "merchandise": rec.merchandise,
            "industry": rec.industry,
            "country_id": country.pk if country else None,
            "effective_date": rec.effective_date,
            "press_release_url": rec.press_release,
            "remarks": rec.remarks,
            "country_wide": country_wide,
            **_publication(rec),
        }
        if order is None:
            order = order_create(
                actor=actor,
                order_type=order_type,
                merchandise=rec.merchandise,
                industry=rec.industry,
                country=country,
                effective_date=rec.effective_date,
                press_release_url=rec.press_release,
                remarks=rec.remarks,
                status=rec.status,
                parties=scoped,
                regions=regions,
                country_wide=country_wide,
                source=source,
                source_key=rec.key,
                note=f"Loaded from {file}, row {rec.row}",
                publication=_publication(rec),
            )
            report.note(
                "orders created", f"{order.reference}: new {order.get_order_type_display()} ({rec.merchandise})"
            )
            continue
        changed = order_update(
            actor=actor,
            order=order,
            data=fields,
            parties=scoped,
            regions=regions,
            note=f"Changed in {file}, row {rec.row}",
            source=source,
        )
        try:
            moved = _move_status(
                order=order,
                wanted=rec.status,
                effective_date=None,
                note=f"Status {rec.status} in {file}, row {rec.row}",
                source=source,
            )
        except TransitionNotAllowed as exc:
            errors.append(RowError(file=file, row=rec.row, column="Status", reason=str(exc)))
            continue
        if moved:
            report.note("orders status changed", f"{order.reference}: status now {rec.status}")
        if changed:
            report.note("orders amended", f"{order.reference}: {', '.join(sorted(changed))} changed")
        if not moved and not changed:
            report.counts["orders unchanged"] += 1
    seen = {rec.key for rec in records}
    for missing in EnforcementOrder.objects.filter(source=source).exclude(source_key__in=seen):
        # CBP's list keeps revoked orders, so absence is unusual: report it, change nothing.
        report.note("orders absent from this list", f"{missing.reference}: not in this file (left as it was)")
    return errors


# ---- UFLPA Entity List ----------------------------------------------------------------------


def _apply_uflpa(records: list[Any], report: LoadReport, actor: Actor | None, file: str) -> list[RowError]:
    errors: list[RowError] = []
    source = OrderSource.UFLPA_LIST
    seen: set[str] = set()
    for rec in records:
        country = _country(rec.country or "CN", file, rec.row, "Entity", errors)
        if errors:
            continue
        key = name_key(rec.name)
        seen.add(key)
        party, created = party_resolve(actor=actor, name=rec.name, aliases=list(rec.aliases), country=country)
        if created:
            report.counts["parties created"] += 1
        order = EnforcementOrder.objects.filter(source=source, source_key=key).first()
        if order is None:
            order = order_create(
                actor=actor,
                order_type=OrderType.UFLPA_ENTITY,
                merchandise="All goods mined, produced or manufactured wholly or in part by the listed entity",
                country=country,
                effective_date=rec.date_added,
                legal_basis=rec.section,
                parties=[ScopedParty(party=party, qualifiers=tuple(rec.qualifiers))],
                source=source,
                source_key=key,
                note=f"Listed in {file}, row {rec.row}",
            )
            report.note("entities added", f"{order.reference}: {rec.name} ({rec.section})")
            continue
        changed = order_update(
            actor=actor,
            order=order,
            data={"legal_basis": rec.section, "effective_date": rec.date_added},
            parties=[ScopedParty(party=party, qualifiers=tuple(rec.qualifiers))],
            note=f"Changed in {file}, row {rec.row}",
            source=source,
        )
        moved = _move_status(
            order=order,
            wanted=OrderStatus.ACTIVE,
            effective_date=None,
            note=f"Listed again in {file}",
            source=source,
        )
        if moved:
            report.note("entities relisted", f"{order.reference}: {rec.name} is listed again")
        elif changed:
            report.note("entities amended", f"{order.reference}: {', '.join(sorted(changed))} changed")
        else:
            report.counts["entities unchanged"] += 1
    # The Entity List is published whole: an entity no longer on it has been removed.
    for gone in EnforcementOrder.objects.filter(source=source, status=OrderStatus.ACTIVE).exclude(source_key__in=seen):
        order_transition(
            actor=None,
            order=gone,
            transition="revoke",
            note=f"Removed from the UFLPA Entity List ({file})",
            source=source,
        )
        report.note("entities removed", f"{gone.reference}: removed from the list")
    return errors


# ---- DOL List of Goods ----------------------------------------------------------------------


def _good(name: str) -> tuple[Good, bool]:
    existing = Good.objects.filter(name__iexact=name.strip()).first()
    if existing is not None:
        return existing, False
    return Good.objects.create(name=name.strip()), True


def _apply_dol(records: list[Any], report: LoadReport, actor: Actor | None, file: str) -> list[RowError]:
    errors: list[RowError] = []
    seen: set[tuple[int, str]] = set()
    for rec in records:
        country = _country(rec.country_code, file, rec.row, "Country", errors)
        if country is None:
            continue
        good, created = _good(rec.good)
        if created:
            report.counts["goods created"] += 1
        inputs = [_good(name)[0] for name in rec.derived_from]
        if inputs:
            good.inputs.add(*inputs)
        flags = {
            "child_labor": rec.child_labor,
            "forced_labor": rec.forced_labor,
            "forced_child_labor": rec.forced_child_labor,
            "year": rec.year,
        }
        listing = DolGoodListing.objects.filter(good=good, country=country).first()
        seen.add((good.pk, country.pk))
        label = f"{good.name} ({country.name})"
        if listing is None:
            listing = DolGoodListing.objects.create(good=good, country=country, **flags)
            listing.derived_from.set(inputs)
            report.note("listings added", f"{label}: listed")
            continue
        diff = {k: [getattr(listing, k), v] for k, v in flags.items() if getattr(listing, k) != v}
        if diff:
            for k, (_, v) in diff.items():
                setattr(listing, k, v)
            listing.save()
            report.note("listings changed", f"{label}: " + ", ".join(f"{k} {o}→{n}" for k, (o, n) in diff.items()))
        else:
            report.counts["listings unchanged"] += 1
        listing.derived_from.set(inputs)
    if errors:
        return errors
    for gone in DolGoodListing.objects.select_related("good", "country"):
        if (gone.good_id, gone.country_id) not in seen:
            report.note("listings removed", f"{gone.good.name} ({gone.country.name}): no longer on the list")
            gone.delete()
    return errors


# ---- TIP report tiers -----------------------------------------------------------------------


def _apply_tip(records: list[Any], report: LoadReport, actor: Actor | None, file: str) -> list[RowError]:
    errors: list[RowError] = []
    for rec in records:
        country = _country(rec.country_code, file, rec.row, "Country", errors)
        if country is None:
            continue
        ranking = TipRanking.objects.filter(country=country, year=rec.year).first()
        if ranking is None:
            TipRanking.objects.create(country=country, year=rec.year, tier=rec.tier)
            report.counts["tiers added"] += 1
        elif ranking.tier != rec.tier:
            report.note("tiers changed", f"{country.name} {rec.year}: tier {ranking.tier} → {rec.tier}")
            ranking.tier = rec.tier
            ranking.save()
        else:
            report.counts["tiers unchanged"] += 1
    return errors


APPLIERS = {
    "cbp-wro": _apply_cbp,
    "uflpa": _apply_uflpa,
    "dol-goods": _apply_dol,
    "tip": _apply_tip,
}

__all__ = ["APPLIERS", "LoadReport", "ParseFailed", "refdata_load"]


def _publication(rec: OrderRecord) -> dict[str, Any]:
    """The Finding's publication fields the list carries (none when its columns are absent or empty)."""
    values = {
        "fr_citation": rec.fr_citation,
        "fr_published_on": rec.fr_published_on,
        "cb_citation": rec.cb_citation,
        "cb_published_on": rec.cb_published_on,
    }
    return {k: v for k, v in values.items() if v}
