from __future__ import annotations

from section307.geo.models import Country, TipRanking


def country_get(code: str) -> Country | None:
    return Country.objects.filter(code=code.upper()).first() if code else None


def tip_latest_tiers() -> dict[str, str]:
    """Country code -> most recent TIP tier."""
    latest: dict[str, str] = {}
    for code, tier in TipRanking.objects.order_by("country_id", "-year").values_list("country_id", "tier"):
        latest.setdefault(code, tier)
    return latest
