"""Country names and codes to ISO 3166-1 alpha-2."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pycountry

__all__ = ["country_code", "country_mentions", "country_name"]

# Common spellings pycountry's exact lookup does not know.
_ALIASES: dict[str, str] = {
    "china": "CN",
    "prc": "CN",
    "peoples republic of china": "CN",
    "p r china": "CN",
    "pr china": "CN",
    "mainland china": "CN",
    "中国": "CN",
    "中华人民共和国": "CN",
    "north korea": "KP",
    "dprk": "KP",
    "korea north": "KP",
    "korea dpr": "KP",
    "democratic peoples republic of korea": "KP",
    "korea democratic peoples republic of": "KP",
    "조선": "KP",
    "south korea": "KR",
    "korea": "KR",
    "korea south": "KR",
    "republic of korea": "KR",
    "korea republic of": "KR",
    "vietnam": "VN",
    "viet nam": "VN",
    "russia": "RU",
    "turkey": "TR",
    "turkiye": "TR",
    "burma": "MM",
    "laos": "LA",
    "iran": "IR",
    "syria": "SY",
    "taiwan": "TW",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "congo democratic republic of the": "CD",
    "drc": "CD",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "congo republic of the": "CG",
    "ivory coast": "CI",
    "cote divoire": "CI",
    "uk": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "usa": "US",
    "united states": "US",
    "u s a": "US",
    "uae": "AE",
    "hong kong": "HK",
    "macau": "MO",
    "czech republic": "CZ",
    "the gambia": "GM",
    "gambia the": "GM",
    "brunei": "BN",
    "cape verde": "CV",
    "swaziland": "SZ",
    "eswatini": "SZ",
    "east timor": "TL",
    "timor leste": "TL",
    "micronesia": "FM",
}

# Places that name a country on their own in an address.
_CAPITALS: dict[str, list[str]] = {"KP": ["pyongyang", "sinuiju", "rason", "nampo"]}


def _clean(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.casefold().replace("'", "").replace("\u2019", "")).strip()


@lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """ISO alpha-2 for a code (``CN``, ``CHN``) or a name (``China``, ``Korea, Democratic People's Rep.``)."""
    if not value:
        return None
    raw = value.strip()
    if not raw:
        return None
    key = _clean(raw)
    if key in _ALIASES:
        return _ALIASES[key]
    if raw in _ALIASES:
        return _ALIASES[raw]
    found = _lookup_table().get(raw.lower())
    return None if found is None else str(found.alpha_2)


@lru_cache(maxsize=1)
def _lookup_table() -> dict[str, Any]:
    """``pycountry.countries.lookup`` as one dictionary: the same answer for every value.

    ``lookup`` lower-cases the value and tries each index in turn, then walks every country's
    fields that have no index, first match winning; a miss walks them all (about 40 µs, and most
    words of a company name are misses). Built once in the same order with ``setdefault``, the
    first match still wins."""
    db = pycountry.countries
    countries = list(db)  # loads the database (its indices are built on first use)
    table: dict[str, Any] = {}
    for index in db.indices.values():
        for value, obj in index.items():
            table.setdefault(value, obj)
    for obj in countries:
        for field in db.no_index:
            v = obj._fields.get(field)
            if v is not None:
                table.setdefault(v.lower(), obj)
    return table


@lru_cache(maxsize=64)
def _mention_pattern(codes: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    names: dict[str, str] = {}
    for alias, code in _ALIASES.items():
        if code in codes and len(alias) > 3:
            names[alias] = code
    for code in codes:
        c = pycountry.countries.get(alpha_2=code)
        if c is None:
            continue
        for attr in ("name", "official_name", "common_name"):
            n = getattr(c, attr, None)
            if n:
                names[_clean(n)] = code
    for code, extra in _CAPITALS.items():
        if code in codes:
            names.update(dict.fromkeys(extra, code))
    if not names:
        return None
    alts = [rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(names, key=len, reverse=True)]
    return re.compile("|".join(alts)), names


def country_mentions(text: str | None, codes: tuple[str, ...]) -> list[str]:
    """Which of ``codes`` an address names (``"Pyongyang, DPRK"`` -> ``["KP"]``)."""
    if not text or not codes:
        return []
    compiled = _mention_pattern(codes)
    if compiled is None:
        return []
    pattern, names = compiled
    return list(dict.fromkeys(names[m.group(0)] for m in pattern.finditer(_clean(text))))


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """English short name of an ISO alpha-2 code (the code itself if unknown)."""
    c = pycountry.countries.get(alpha_2=code)
    return str(getattr(c, "common_name", None) or c.name) if c is not None else code
