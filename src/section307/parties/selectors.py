"""Reads of parties, including fuzzy name search through the screening engine's matcher."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.db.models import Max

from section307.parties.models import Party, PartyName
from section307.screening import CompiledWatchlist, Watchlist
from section307.screening import Party as WatchParty
from section307.screening.matcher import NameMatcher

# Below this the matcher's scores mean "similar words", not "the same company".
FUZZY_THRESHOLD = 0.88

_lock = threading.Lock()
_cache: dict[str, tuple[tuple[object, ...], CompiledWatchlist, NameMatcher, list[int]]] = {}


def _parties_version() -> tuple[object, ...]:
    return (
        Party.objects.aggregate(m=Max("updated_at"))["m"],
        Party.objects.count(),
        PartyName.objects.aggregate(m=Max("id"))["m"],
        PartyName.objects.count(),
    )


def _matcher() -> tuple[NameMatcher, list[int]]:
    version = _parties_version()
    with _lock:
        cached = _cache.get("parties")
        if cached is not None and cached[0] == version:
            return cached[2], cached[3]
        wl = Watchlist()
        pks: list[int] = []
        for party in Party.objects.prefetch_related("names").order_by("pk"):
            wl.add_party(
                WatchParty(id=str(party.pk), name=party.name, aliases=tuple(party.aliases()), country=party.country_id)
            )
            pks.append(party.pk)
        compiled = wl.compile()
        matcher = NameMatcher(compiled)
        _cache["parties"] = (version, compiled, matcher, pks)
        return matcher, pks


def party_name_matches(*, names: Iterable[str], threshold: float = FUZZY_THRESHOLD) -> dict[int, tuple[str, float]]:
    """Registry parties whose names match any of ``names``: {party pk: (the name asked, score)}.

    Uses the screening engine's matcher, so transliteration (天山 ↔ Tianshan), legal forms
    (Co., Ltd. = Company Limited), word order and typos are handled, while a shared common word
    ("Trading", "Garment") is not enough.
    """
    wanted = [n for n in names if n and n.strip()]
    if not wanted or not Party.objects.exists():
        return {}
    matcher, pks = _matcher()
    found: dict[int, tuple[str, float]] = {}
    for name in wanted:
        for match in matcher.match(name):
            if match.score < threshold:
                continue
            pk = pks[match.party]
            if pk not in found or found[pk][1] < match.score:
                found[pk] = (name, match.score)
    return found
