"""Build the screening engine's watchlist from the registry.

Enforced orders become watchlist parties (one per party and order, with subsidiaries when
the order reaches them) and region rules (orders on a region or a whole country); DOL
listings and TIP tiers become the weaker signals. Statutory presumptions the database does
not carry yet (UFLPA, CAATSA, region-wide WROs) come from the engine's built-in rules.

The compiled watchlist is cached per process and rebuilt when the registry changes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import connection

from section307.core.words import shorten
from section307.gazetteer.goods import GOODS, classify_goods
from section307.geo.models import TipRanking
from section307.geo.selectors import tip_latest_tiers
from section307.goods.models import DolGoodListing, Good
from section307.orders.models import EnforcementOrder, OrderEvent, OrderParty, OrderType
from section307.orders.selectors import orders_enforced
from section307.parties.models import Party, PartyName, PartyRelation
from section307.screening import CompiledWatchlist, DolGood, RegionRule, Watchlist, statutory_rules
from section307.screening import Party as WatchParty
from section307.screening.cache import compile_cached

ORDER_LIST = {
    OrderType.WRO: "wro",
    OrderType.FINDING: "finding",
    OrderType.UFLPA_ENTITY: "uflpa",
    OrderType.UFLPA_REGION: "uflpa",
    OrderType.CAATSA: "caatsa",
}
_SUBSIDIARY_WORDS = ("subsidiar", "affiliat", "joint venture")
_GOOD_KEYS = {gd.key for gd in GOODS}
_BY_NAME = {n.casefold(): gd.key for gd in GOODS for n in (gd.name, *gd.dol_names)}
_DOL_NAME = {gd.key: gd.dol_names[0] for gd in GOODS if gd.dol_names}


def good_keys(good: Good) -> set[str]:
    """The engine's knowledge keys for a registry good: by name, else by its HTS codes."""
    key = _BY_NAME.get(good.name.casefold())
    if key is not None:
        return {key}
    keys = {m.key for code in good.hts_prefixes() for m in classify_goods(code, None)}
    return keys or {m.key for m in classify_goods(None, good.name)}


def _party_entry(party: Party, order: EnforcementOrder, suffix: str = "", *, subsidiaries: bool = False) -> WatchParty:
    address = next((a.text for a in party.addresses.all()), None)
    return WatchParty(
        id=f"{order.reference}:{party.pk}{suffix}",
        name=party.name,
        aliases=tuple(party.aliases()),
        country=party.country_id,
        address=address,
        identifiers=tuple(f"{i.scheme}:{i.value}" for i in party.identifiers.all()),
        list=ORDER_LIST[OrderType(order.order_type)],
        order_id=order.reference,
        subsidiaries=subsidiaries,
    )


def _subsidiaries(party: Party) -> Iterable[Party]:
    links = PartyRelation.objects.filter(parent=party).select_related("child")
    return [link.child for link in links.prefetch_related("child__names", "child__addresses", "child__identifiers")]


def _region_rules(order: EnforcementOrder) -> list[RegionRule]:
    goods: set[str] = set()
    for good in order.goods.all():
        goods |= good_keys(good)
    for prefix in order.hts_prefixes:
        goods |= {m.key for m in classify_goods(prefix, None)}
    scoped_goods = tuple(sorted(goods & _GOOD_KEYS)) or None
    areas = [r.code for r in order.regions.all()]
    if order.country_wide and order.country_id:
        areas.append(order.country_id)
    return [
        RegionRule(
            id=f"{order.reference}:{area}",
            area=area,
            list=ORDER_LIST[OrderType(order.order_type)],
            order_id=order.reference,
            goods=scoped_goods,
            # Shortened at a word with parentheses closed: this text reaches officers as the screening reason.
            description=f"{order.get_order_type_display()} {order.reference}: {shorten(order.merchandise, 120)}",
        )
        for area in areas
    ]


def watchlist_from_registry(*, statutory: bool = True) -> Watchlist:
    wl = Watchlist()
    orders = orders_enforced().prefetch_related(
        "goods__hts_codes",
        "order_parties__party__names",
        "order_parties__party__addresses",
        "order_parties__party__identifiers",
    )
    covered: set[tuple[str, str]] = set()
    for order in orders:
        for link in order.order_parties.all():
            names_subsidiaries = any(w in q.casefold() for q in link.qualifiers for w in _SUBSIDIARY_WORDS)
            wl.add_party(_party_entry(link.party, order, subsidiaries=names_subsidiaries))
            if names_subsidiaries:
                for child in _subsidiaries(link.party):
                    wl.add_party(_party_entry(child, order, suffix=f":sub{child.pk}"))
        for rule in _region_rules(order):
            wl.add_region_rule(rule)
            covered.add((rule.area, rule.list))
    if statutory:
        wl.add_region_rules(r for r in statutory_rules() if (r.area, r.list) not in covered)
    for listing in DolGoodListing.objects.select_related("good", "country").prefetch_related("good__hts_codes"):
        for key in good_keys(listing.good):
            wl.add_dol_good(
                DolGood(
                    good=_DOL_NAME.get(key, listing.good.name),
                    country=listing.country_id,
                    child_labor=listing.child_labor or listing.forced_child_labor,
                    forced_labor=listing.forced_labor or listing.forced_child_labor,
                )
            )
    for country, tier in tip_latest_tiers().items():
        wl.set_tip_tier(country, tier)
    return wl


def registry_version() -> tuple[object, ...]:
    """Changes whenever anything the watchlist is built from changes.

    One round trip (scalar subqueries): every screening asks this before using the cached watchlist.
    """
    probes = [
        (OrderEvent, "MAX", "id"),
        (EnforcementOrder, "MAX", "updated_at"),
        (OrderParty, "MAX", "id"),
        (Party, "MAX", "updated_at"),
        (PartyName, "MAX", "id"),
        (PartyRelation, "MAX", "id"),
        (DolGoodListing, "MAX", "updated_at"),
        (DolGoodListing, "COUNT", "id"),
        (TipRanking, "MAX", "updated_at"),
    ]
    qn = connection.ops.quote_name
    # Identifiers come from model metadata, quoted; there is no user input in this statement.
    parts = [
        f"{func}({qn(col)}) FROM {qn(model._meta.db_table)}"
        for model, func, col in probes
    ]
    sql = "SELECT " + ", ".join(f"(SELECT {part})" for part in parts)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return tuple(row)


_lock = threading.Lock()
_cache: dict[str, tuple[tuple[object, ...], CompiledWatchlist]] = {}


def compiled_watchlist() -> CompiledWatchlist:
    """The registry's compiled watchlist, rebuilt only when the registry has changed."""
    version = registry_version()
    with _lock:
        cached = _cache.get("registry")
        if cached is not None and cached[0] == version:
            return cached[1]
        wl = watchlist_from_registry()
        cache_dir = getattr(settings, "SECTION307_SCREENING_CACHE_DIR", None)
        # With a cache directory, a restarted process loads the compiled registry instead of compiling it.
        compiled = compile_cached(wl, directory=Path(cache_dir)) if cache_dir else wl.compile()
        _cache["registry"] = (version, compiled)
        return compiled
