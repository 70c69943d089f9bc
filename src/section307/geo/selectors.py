from __future__ import annotations

from section307.geo.models import TipRanking


def tip_latest_tiers() -> dict[str, str]:
    """Country code -> most recent TIP tier."""
    latest: dict[str, str] = {}
    for code, tier in TipRanking.objects.order_by("country_id", "-year").values_list("country_id", "tier"):
        latest.setdefault(code, tier)
    return latest
