"""Reads of allegations: the triage inbox, similar items, and what a reporter may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet

from section307.allegations.lifecycle import PUBLIC_STATUS
from section307.allegations.models import (
    Allegation,
    AllegationMessage,
    AllegationParty,
    AllegationStatus,
    PublicStatus,
)
from section307.allegations.receipts import receipt_digest, receipt_normalize
from section307.core.types import Actor, account
from section307.geo.models import Region
from section307.orders.models import EnforcementOrder
from section307.orders.selectors import orders_enforced
from section307.parties.models import Party, PartyName
from section307.parties.names import name_key
from section307.parties.selectors import party_name_matches


def allegation_by_receipt(*, code: str) -> Allegation | None:
    """The allegation this receipt code opens, or None. Looks up the keyed digest, never the code."""
    normalized = receipt_normalize(code)
    if normalized is None:
        return None
    return Allegation.objects.filter(receipt_digest=receipt_digest(normalized)).first()


def allegation_public_status(*, allegation: Allegation) -> str:
    """What the reporter sees: received, under review, more information requested, closed."""
    target = allegation
    # A merged allegation follows the one it was merged into.
    for _hop in range(5):
        if target.duplicate_of_id is None:
            break
        target = Allegation.objects.get(pk=target.duplicate_of_id)
    if target.status == AllegationStatus.CLOSED:
        return PublicStatus.CLOSED
    if allegation.messages.filter(direction=AllegationMessage.Direction.TO_REPORTER, answered_at__isnull=True).exists():
        return PublicStatus.INFO_REQUESTED
    return str(PUBLIC_STATUS[target.status])


def allegation_public_messages(*, allegation: Allegation) -> QuerySet[AllegationMessage]:
    """The conversation as the reporter sees it: no staff names."""
    return allegation.messages.prefetch_related("attachments").only(
        "id", "direction", "body", "created_at", "answered_at", "allegation_id"
    )


# --- the inbox -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxFilters:
    status: str = "open"
    country: str = ""
    good: int | None = None
    industry: str = ""
    indicator: str = ""
    source_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    query: str = ""
    assigned: str = ""  # "me", "none" or ""


OPEN_STATUSES = [AllegationStatus.NEW, AllegationStatus.IN_TRIAGE, AllegationStatus.INFO_REQUESTED]


def allegation_inbox(*, user: Actor, filters: InboxFilters) -> QuerySet[Allegation]:
    """Allegations a triage user may see (all of them: intake is one national queue), filtered."""
    if not (getattr(user, "is_authenticated", False) and user.has_perm("allegations.triage_allegation")):
        return Allegation.objects.none()
    qs = Allegation.objects.select_related("country", "region", "assigned_to").annotate(
        n_files=Count("attachments", distinct=True),
        n_indicators=Count("indicators", distinct=True),
    )
    if filters.status == "open":
        # Closed or merged allegations come back into view when their reporter writes again.
        qs = qs.filter(Q(status__in=OPEN_STATUSES) | Q(reporter_unread=True))
    elif filters.status in AllegationStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.country:
        qs = qs.filter(Q(country_id=filters.country.upper()) | Q(named_parties__country_id=filters.country.upper()))
    if filters.good:
        qs = qs.filter(goods__pk=filters.good)
    if filters.industry:
        qs = qs.filter(industry=filters.industry)
    if filters.indicator:
        qs = qs.filter(indicators__indicator=filters.indicator)
    if filters.source_type:
        qs = qs.filter(source_type=filters.source_type)
    if filters.date_from:
        qs = qs.filter(submitted_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(submitted_at__date__lte=filters.date_to)
    if filters.assigned == "me":
        qs = qs.filter(assigned_to=account(user))
    elif filters.assigned == "none":
        qs = qs.filter(assigned_to__isnull=True)
    if filters.query:
        q = filters.query
        qs = qs.filter(
            Q(reference__iexact=q)
            | Q(merchandise__icontains=q)
            | Q(reasons__icontains=q)
            | Q(named_parties__name__icontains=q)
            | Q(importers_brands__icontains=q)
            | Q(case_reference__iexact=q)
        )
    return qs.distinct().order_by("-submitted_at", "-id")


def allegation_detail(*, user: Actor, pk: int) -> Allegation | None:
    if not (getattr(user, "is_authenticated", False) and user.has_perm("allegations.triage_allegation")):
        return None
    return (
        Allegation.objects.select_related("country", "region", "assigned_to", "duplicate_of")
        .prefetch_related(
            "indicators",
            "named_parties__party",
            "named_parties__country",
            "goods",
            "messages__author",
            "messages__attachments",
            "attachments",
            "duplicates",
        )
        .filter(pk=pk)
        .first()
    )


# --- similar items ---------------------------------------------------------------------------------


@dataclass
class SimilarAllegation:
    allegation: Allegation
    reasons: list[str] = field(default_factory=list)


@dataclass
class SimilarOrder:
    order: EnforcementOrder
    reasons: list[str] = field(default_factory=list)


@dataclass
class SimilarItems:
    allegations: list[SimilarAllegation] = field(default_factory=list)
    orders: list[SimilarOrder] = field(default_factory=list)
    # Case references of similar allegations.
    case_references: list[str] = field(default_factory=list)
    # (case, score, reasons) for cases the viewer may see.
    cases: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.allegations or self.orders or self.cases)


def party_matches(*, names: list[str]) -> dict[int, str]:
    """Party records whose names match these names: {party id: matched name}.

    The one place name matching lives: exact on folded keys, then the screening engine's fuzzy matcher
    (transliteration, legal forms, word order, typos).
    """
    keys = {name_key(n): n for n in names if name_key(n)}
    if not keys:
        return {}
    found: dict[int, str] = {}
    for party_id, key in PartyName.objects.filter(key__in=keys).values_list("party_id", "key"):
        found.setdefault(party_id, keys[key])
    for party_id, (name, _score) in party_name_matches(names=list(keys.values())).items():
        found.setdefault(party_id, name)
    return found


def _region_family(region: Region | None) -> set[int]:
    if region is None:
        return set()
    return {region.pk, *(r.pk for r in region.ancestors()), *(r.pk for r in region.descendants())}


def allegation_similar_items(*, allegation: Allegation, user: Actor | None = None, limit: int = 20) -> SimilarItems:
    """Other allegations, cases and active orders sharing parties, goods (HTS prefix) or region with this one.

    Cases are those ``user`` may see (none without a user).
    """
    named = list(allegation.named_parties.all())
    matched = party_matches(names=[n.name for n in named])
    party_ids = set(matched) | {n.party_id for n in named if n.party_id}
    party_label = {pid: Party.objects.filter(pk=pid).values_list("name", flat=True).first() or "" for pid in party_ids}
    name_keys = {n.key for n in named if n.key}
    good_ids = set(allegation.goods.values_list("pk", flat=True))
    hts4 = allegation.hts_code[:4] if len(allegation.hts_code) >= 4 else ""
    regions = _region_family(allegation.region)

    result = SimilarItems()
    others: dict[int, SimilarAllegation] = {}

    def note(a: Allegation, reason: str) -> None:
        entry = others.setdefault(a.pk, SimilarAllegation(a))
        if reason not in entry.reasons:
            entry.reasons.append(reason)

    base = Allegation.objects.exclude(pk=allegation.pk).select_related("country")
    if party_ids or name_keys:
        for link in (
            AllegationParty.objects.filter(Q(party_id__in=party_ids) | Q(name__in=[n.name for n in named]))
            .exclude(allegation=allegation)
            .select_related("allegation__country")
        ):
            note(link.allegation, f"party: {link.name}")
        # Names typed differently but folding to the same key.
        if name_keys:
            for link in AllegationParty.objects.exclude(allegation=allegation).select_related("allegation__country"):
                if name_key(link.name) in name_keys:
                    note(link.allegation, f"party: {link.name}")
    if good_ids:
        for a in base.filter(goods__in=good_ids).distinct():
            shared = sorted(
                set(a.goods.values_list("name", flat=True)) & set(allegation.goods.values_list("name", flat=True))
            )
            note(a, f"good: {', '.join(shared)}")
    if hts4:
        for a in base.filter(hts_code__startswith=hts4):
            note(a, f"HTS {hts4}")
    if regions:
        for a in base.filter(region_id__in=regions).select_related("region"):
            note(a, f"region: {a.region}")
    result.allegations = sorted(others.values(), key=lambda s: (-len(s.reasons), -s.allegation.pk))[:limit]
    result.case_references = sorted(
        {s.allegation.case_reference for s in result.allegations if s.allegation.case_reference}
    )

    orders: dict[int, SimilarOrder] = {}

    def note_order(o: EnforcementOrder, reason: str) -> None:
        entry = orders.setdefault(o.pk, SimilarOrder(o))
        if reason not in entry.reasons:
            entry.reasons.append(reason)

    enforced = orders_enforced()
    if party_ids:
        for o in enforced.filter(parties__in=party_ids).distinct():
            for op in o.order_parties.all():
                if op.party_id in party_ids:
                    note_order(o, f"party: {party_label.get(op.party_id) or op.party}")
    if good_ids:
        for o in enforced.filter(goods__in=good_ids).distinct():
            note_order(o, "good")
    if allegation.hts_code:
        for o in enforced.exclude(hts_prefixes=[]):
            if any(allegation.hts_code.startswith(p) or p.startswith(allegation.hts_code) for p in o.hts_prefixes):
                note_order(o, "HTS")
    if regions:
        for o in enforced.filter(regions__in=regions).distinct():
            note_order(o, "region")
    result.orders = sorted(orders.values(), key=lambda s: (-len(s.reasons), s.order.reference))[:limit]
    if user is not None and apps.is_installed("section307.cases"):
        from section307.cases.selectors import cases_similar_to

        result.cases = cases_similar_to(party_ids=party_ids, good_ids=good_ids, region_ids=regions, user=user)[:limit]
    return result
