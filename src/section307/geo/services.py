"""Writes to countries and regions."""

from __future__ import annotations

from django.db import transaction

from section307.geo.models import Country, Region


@transaction.atomic
def countries_sync() -> int:
    """Make sure every ISO country exists (the migration loads them; a flushed test database needs them again)."""
    from section307.geo.countries import iso_countries

    existing = set(Country.objects.values_list("code", flat=True))
    missing = [
        Country(code=code, alpha3=alpha3, name=name, official_name=official)
        for code, alpha3, name, official in iso_countries()
        if code not in existing
    ]
    Country.objects.bulk_create(missing)
    return len(missing)


@transaction.atomic
def regions_sync() -> dict[str, int]:
    """Bring the region table in line with the built-in gazetteer (idempotent)."""
    from section307.gazetteer.regions import REGIONS

    created = updated = 0
    by_code: dict[str, Region] = {}
    for spec in REGIONS:  # parents come before children in the gazetteer
        defaults = {
            "name": spec.name,
            "kind": spec.kind,
            "country": Country.objects.get(code=spec.country),
            "parent": by_code.get(spec.parent) if spec.parent else None,
            "names": list(spec.names),
        }
        region, was_created = Region.objects.get_or_create(code=spec.code, defaults=defaults)
        if was_created:
            created += 1
        elif any(getattr(region, k) != v for k, v in defaults.items()):
            for k, v in defaults.items():
                setattr(region, k, v)
            region.save()
            updated += 1
        by_code[spec.code] = region
    return {"created": created, "updated": updated, "total": len(by_code)}
