"""Writes to parties. Resolution is exact (identifiers, then folded names); fuzzy matching is the engine's job."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction

from section307.core.audit import audit_record
from section307.core.types import Actor
from section307.geo.models import Country, Region
from section307.parties.identifiers import normalize_identifier
from section307.parties.models import Party, PartyAddress, PartyIdentifier, PartyName, PartyRelation
from section307.parties.names import name_key


def party_find(
    *,
    names: Sequence[str],
    kind: str,
    country: Country | None,
    identifiers: Iterable[tuple[str, str]] = (),
) -> Party | None:
    """An existing party with one of these identifiers, or of the same kind and country with one of these names."""
    for scheme, value in identifiers:
        found = (
            PartyIdentifier.objects.filter(scheme=scheme, value=normalize_identifier(scheme, value))
            .select_related("party")
            .first()
        )
        if found is not None:
            return found.party
    keys = {name_key(n) for n in names if n.strip()}
    if not keys:
        return None
    candidates = Party.objects.filter(kind=kind, names__key__in=keys).distinct()
    candidates = candidates.filter(country=country) if country is not None else candidates.filter(country__isnull=True)
    return candidates.order_by("pk").first()


@transaction.atomic
def party_add_names(*, party: Party, names: Iterable[tuple[str, str]]) -> list[str]:
    """Add (name, kind) pairs the party does not have yet; returns the names added."""
    existing = set(party.names.values_list("key", flat=True))
    added: list[str] = []
    for name, kind in names:
        name = name.strip()
        key = name_key(name)
        if not name or not key or key in existing:
            continue
        PartyName.objects.create(party=party, name=name, kind=kind)
        existing.add(key)
        added.append(name)
    return added


@transaction.atomic
def party_resolve(
    *,
    actor: Actor | None,
    name: str,
    kind: str = Party.Kind.ORGANIZATION,
    aliases: Sequence[str] = (),
    original_names: Sequence[str] = (),
    country: Country | None = None,
    region: Region | None = None,
    identifiers: Sequence[tuple[str, str]] = (),
    addresses: Sequence[str] = (),
) -> tuple[Party, bool]:
    """Find the party these facts describe or create it; add any new names, identifiers and addresses.

    Returns (party, created).
    """
    party = party_find(names=[name, *aliases, *original_names], kind=kind, country=country, identifiers=identifiers)
    created = party is None
    if party is None:
        party = Party.objects.create(kind=kind, name=name.strip(), country=country, region=region)
        audit_record(actor=actor, action="party.create", target=party)
    elif region is not None and party.region_id is None:
        party.region = region
        party.save(update_fields=["region", "updated_at"])
    party_add_names(
        party=party,
        names=[
            (name, PartyName.Kind.PRIMARY if created else PartyName.Kind.ALIAS),
            *((n, PartyName.Kind.ORIGINAL) for n in original_names),
            *((a, PartyName.Kind.ALIAS) for a in aliases),
        ],
    )
    for scheme, value in identifiers:
        normalized = normalize_identifier(scheme, value)
        PartyIdentifier.objects.get_or_create(scheme=scheme, value=normalized, defaults={"party": party})
    known = set(party.addresses.values_list("text", flat=True))
    for text in addresses:
        if text.strip() and text.strip() not in known:
            PartyAddress.objects.create(party=party, text=text.strip(), country=country, region=region)
            known.add(text.strip())
    return party, created


@transaction.atomic
def party_link(*, actor: Actor | None, parent: Party, child: Party, kind: str = PartyRelation.Kind.SUBSIDIARY) -> bool:
    _, created = PartyRelation.objects.get_or_create(parent=parent, child=child, kind=kind)
    if created:
        audit_record(actor=actor, action="party.link", target=child, data={"parent": parent.pk, "kind": kind})
    return created
