"""Watchlist inputs and their compiled, matchable form.

Build a :class:`Watchlist` from Python objects or files, then call
:meth:`Watchlist.compile` once; the :class:`CompiledWatchlist` is immutable,
picklable (Spark broadcasts it) and shared by forked worker processes.

From Python (what the web apps do from their database)::

    from section307.screening import (
        Watchlist, Party, RegionRule, DolGood, Screener, statutory_rules,
    )

    wl = Watchlist()
    wl.add_party(Party(
        id="42", name="Xinjiang Huafu Textile Co., Ltd.",
        aliases=("新疆华孚纺织有限公司",), country="CN",
        address="Aksu, Xinjiang", identifiers=("USCC:91652900MA775X1234",),
        list="uflpa", order_id="UFLPA-EL-2023-07",
    ))
    wl.add_region_rules(statutory_rules())      # UFLPA XUAR, XUAR cotton/tomato WROs, CAATSA...
    wl.add_region_rule(RegionRule(id="wro-9", area="CN-XJ-XPCC", list="wro",
                                  order_id="WRO-2020-XPCC", goods=("cotton",)))
    wl.add_dol_good(DolGood(good="Cotton", country="CN", forced_labor=True, child_labor=True))
    wl.set_tip_tier("CN", "3")
    compiled = wl.compile()
    screener = Screener(compiled)

From files (what the CLI does)::

    wl = Watchlist.from_file("watchlist.csv")      # parties; statutory rules added by default
    wl.load_dol_table("dol.csv")                   # optional
    wl.load_tip_table("tip.csv")                   # optional

Watchlist file columns: ``id, name, aliases, country, address, identifiers,
list, order_id[, subsidiaries]``. ``list`` is one of ``wro``, ``finding``,
``uflpa``, ``caatsa`` or ``risk`` (empty means ``risk``; anything else refuses
the file). ``subsidiaries`` (yes/no) says the order names the party's
subsidiaries. ``aliases`` and ``identifiers`` are joined by `` | ``;
each identifier is ``SCHEME:VALUE`` with SCHEME one of ``MID`` (CBP
manufacturer ID), ``USCC`` (Chinese unified social credit code), ``LEI``,
``IMO`` (vessel), ``DUNS``, ``VAT`` or any other word; a value without a
scheme matches any scheme. Values compare on letters and digits only,
uppercased.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from section307.gazetteer.goods import GOODS, downstream_of
from section307.gazetteer.regions import get_region
from section307.screening.countries import country_code
from section307.screening.normalize import GENERIC_WORDS, NormName, normalize_name, normalize_text_tokens
from section307.screening.records import pickled_by_position

__all__ = [
    "ORDER_LISTS",
    "PARTY_LISTS",
    "CompiledWatchlist",
    "DolGood",
    "Party",
    "RegionRule",
    "Watchlist",
    "WatchlistError",
    "normalize_identifier",
    "parse_identifiers",
]

#: Lists whose match means an active order or statutory presumption (decision ``hit``).
ORDER_LISTS: frozenset[str] = frozenset({"wro", "finding", "uflpa", "caatsa"})

_SCHEMES = {"MID", "USCC", "LEI", "IMO", "DUNS", "VAT", "EORI", "OGRN", "INN", "CIN", "GLN", "ANY"}


class WatchlistError(ValueError):
    """A watchlist input cannot be used (missing column, bad value)."""


def normalize_identifier(value: str) -> str:
    """Letters and digits only, uppercased (``91650100-MA77 xxxx1x`` -> ``91650100MA77XXXX1X``)."""
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


def parse_identifiers(value: str | Iterable[str] | None) -> list[tuple[str, str]]:
    """``"MID:CN123 | USCC:9165..."`` -> ``[("MID", "CN123"), ("USCC", "9165...")]``.

    A value without ``SCHEME:`` gets scheme ``ANY``; ``IMO 9123456`` is read as
    ``IMO:9123456``.
    """
    if value is None:
        return []
    items = value.split("|") if isinstance(value, str) else list(value)
    out: list[tuple[str, str]] = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        m = re.match(r"^([A-Za-z]{2,6})\s*[:=]\s*(.+)$", item) or re.match(
            r"^(IMO|LEI|MID|USCC)\s+(.+)$", item, re.I
        )
        scheme, raw = (m.group(1).upper(), m.group(2)) if m else ("ANY", item)
        norm = normalize_identifier(raw)
        if norm:
            out.append((scheme, norm))
    return out


@pickled_by_position
@dataclass(frozen=True, slots=True)
class Party:
    """A watchlisted company or person with its names, identifiers and the order behind it."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    address: str | None = None
    identifiers: tuple[str, ...] = ()
    list: str = "risk"
    order_id: str | None = None
    #: The order names the party's subsidiaries ("X and its subsidiaries"); its branches are always covered.
    subsidiaries: bool = False


#: Every ``list`` value a party may carry: the order lists and ``risk``.
PARTY_LISTS: frozenset[str] = ORDER_LISTS | {"risk"}


@dataclass(frozen=True, slots=True)
class RegionRule:
    """An order or presumption on an area, optionally limited to goods.

    ``area`` is a gazetteer region code (``CN-XJ``, ``CN-XJ-XPCC``; descendants
    included) or an ISO alpha-2 country (``KP``, ``TM``). ``goods`` holds
    :data:`section307.gazetteer.goods.GOODS` keys; downstream goods are
    included (``cotton`` reaches yarn, fabric, apparel). ``None`` means all goods.
    """

    id: str
    area: str
    list: str
    order_id: str | None = None
    goods: tuple[str, ...] | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class DolGood:
    """A line of the DOL List of Goods Produced by Child Labor or Forced Labor."""

    good: str
    country: str
    child_labor: bool = False
    forced_labor: bool = False
    derived_from: str | None = None


@dataclass(slots=True)
class Watchlist:
    """Mutable builder for a :class:`CompiledWatchlist`."""

    parties: list[Party] = field(default_factory=list)
    region_rules: list[RegionRule] = field(default_factory=list)
    dol_goods: list[DolGood] = field(default_factory=list)
    tip_tiers: dict[str, str] = field(default_factory=dict)

    def add_party(self, party: Party) -> None:
        self.parties.append(party)

    def add_parties(self, parties: Iterable[Party]) -> None:
        self.parties.extend(parties)

    def add_region_rule(self, rule: RegionRule) -> None:
        self.region_rules.append(rule)

    def add_region_rules(self, rules: Iterable[RegionRule]) -> None:
        self.region_rules.extend(rules)

    def add_dol_good(self, good: DolGood) -> None:
        self.dol_goods.append(good)

    def set_tip_tier(self, country: str, tier: str) -> None:
        """Record the State Department TIP tier (``1``, ``2``, ``2WL``, ``3``) of a country."""
        code = country_code(country)
        if code is None:
            raise WatchlistError(f"unknown country {country!r} in TIP tier table")
        self.tip_tiers[code] = _norm_tier(tier)

    @classmethod
    def from_file(cls, path: str | Path, *, statutory: bool = True) -> Watchlist:
        """Read parties from a CSV, Parquet or XLSX watchlist, plus the statutory rules unless told not to."""
        from section307.screening.io import read_table

        wl = cls()
        rows = read_table(path, required=("id", "name"))
        for n, row in enumerate(rows, start=2):
            name = (row.get("name") or "").strip()
            if not name:
                raise WatchlistError(f"{path}: row {n}: column 'name' is empty")
            listed = (row.get("list") or "").strip().lower() or "risk"
            if listed not in PARTY_LISTS:
                # A typo of "wro" must not quietly turn an order into a risk indicator.
                raise WatchlistError(
                    f"{path}: row {n}: column 'list' has unknown value {row.get('list')!r}"
                    f" (expected one of {', '.join(sorted(PARTY_LISTS))})"
                )
            wl.add_party(
                Party(
                    id=str(row.get("id") or "").strip() or f"row{n}",
                    name=name,
                    aliases=tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()),
                    country=(row.get("country") or "").strip() or None,
                    address=(row.get("address") or "").strip() or None,
                    identifiers=tuple(i.strip() for i in (row.get("identifiers") or "").split("|") if i.strip()),
                    list=listed,
                    order_id=(row.get("order_id") or "").strip() or None,
                    subsidiaries=_yes(row.get("subsidiaries")),
                )
            )
        if statutory:
            from section307.screening.statutory import statutory_rules

            wl.add_region_rules(statutory_rules())
        return wl

    def load_dol_table(self, path: str | Path) -> None:
        """Add a DOL goods table: ``good, country, child_labor, forced_labor[, derived_from]``.

        The DOL's own export (with ``forced_child_labor``, ``derived_country``) is accepted too.
        """
        from section307.screening.io import read_table

        for n, row in enumerate(read_table(path, required=("good", "country")), start=2):
            code = country_code(row.get("country"))
            if code is None:
                raise WatchlistError(f"{path}: row {n}: unknown country {row.get('country')!r}")
            self.add_dol_good(
                DolGood(
                    good=str(row["good"]).strip(),
                    country=code,
                    child_labor=_yes(row.get("child_labor")) or _yes(row.get("forced_child_labor")),
                    forced_labor=_yes(row.get("forced_labor")) or _yes(row.get("forced_child_labor")),
                    derived_from=(row.get("derived_from") or row.get("derived_country") or "").strip()
                    or None,
                )
            )

    def load_tip_table(self, path: str | Path) -> None:
        """Add TIP tiers from a ``country, tier`` table."""
        from section307.screening.io import read_table

        for n, row in enumerate(read_table(path, required=("country", "tier")), start=2):
            try:
                self.set_tip_tier(str(row["country"]), str(row["tier"]))
            except WatchlistError as exc:
                raise WatchlistError(f"{path}: row {n}: {exc}") from None

    def compile(self, workers: int = 1) -> CompiledWatchlist:
        """The matchable form. ``workers`` > 1 normalises large lists on that many forked processes."""
        return CompiledWatchlist(self, workers=workers)


def _normalize_chunk(texts: list[str]) -> list[NormName]:
    return [normalize_name(t) for t in texts]


def _normalize_all(texts: list[str], workers: int) -> list[NormName]:
    """Normalise watchlist names, on forked processes when the list is large."""
    import multiprocessing as mp

    if workers <= 1 or len(texts) < 20_000 or "fork" not in mp.get_all_start_methods():
        return _normalize_chunk(texts)
    size = max(2_000, len(texts) // (workers * 4) + 1)
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    with mp.get_context("fork").Pool(workers) as pool:
        return [n for part in pool.map(_normalize_chunk, chunks) for n in part]


def _compile(wl: Watchlist) -> CompiledWatchlist:
    return CompiledWatchlist(wl)


def _yes(value: Any) -> bool:
    return str(value or "").strip().lower() in {"yes", "y", "true", "1", "x"}


def _norm_tier(tier: str) -> str:
    t = re.sub(r"[^0-9a-z]", "", str(tier).lower().replace("tier", ""))
    return {"2watchlist": "2WL", "2wl": "2WL", "2w": "2WL", "specialcase": "special"}.get(t, t.upper())


def _grams(norm: NormName) -> set[str]:
    """Character trigrams of each (required) word, padded: word order does not change them."""
    out: set[str] = set()
    opts = norm.optional or (False,) * len(norm.tokens)
    for t, o in zip(norm.tokens, opts, strict=True):
        if o:
            continue
        s = f"^{t}$"
        out.update(s[i : i + 3] for i in range(len(s) - 2))
    return out


@pickled_by_position
@dataclass(frozen=True, slots=True)
class IndexedName:
    """One watchlist name (primary or alias) ready for scoring."""

    party: int
    text: str
    norm: NormName
    weights: tuple[float, ...]
    total: float
    is_alias: bool
    joined: str  # tokens joined by spaces, for the vectorised pre-filter


class CompiledWatchlist:
    """The matchable form of a :class:`Watchlist`: name index, identifiers, rules, DOL goods, TIP tiers."""

    # Trade words (textile, trading...) count, but far less than a brand: a different trade is a
    # discrepancy, a shared one is no evidence.
    GENERIC_CAP = 2.0

    def __init__(self, wl: Watchlist, workers: int = 1) -> None:
        # Kept to pickle by inputs: a Spark broadcast ships parties and rules, each executor
        # compiles once, instead of shipping hundreds of thousands of small index objects.
        self._source = Watchlist(
            list(wl.parties), list(wl.region_rules), list(wl.dol_goods), dict(wl.tip_tiers)
        )
        self.parties: list[Party] = list(wl.parties)
        self.party_country: list[str | None] = [country_code(p.country) for p in self.parties]
        self.party_address_tokens: list[frozenset[str]] = [
            _address_tokens(p.address) if p.address else frozenset() for p in self.parties
        ]
        for p in self.parties:
            if not p.name:
                raise WatchlistError(f"party {p.id!r} has no name")
            if p.list not in PARTY_LISTS:
                raise WatchlistError(
                    f"party {p.id!r}: unknown list {p.list!r} (expected one of {', '.join(sorted(PARTY_LISTS))})"
                )
        self._build_names(workers)
        self._build_identifiers()
        self.region_rules: list[RegionRule] = list(wl.region_rules)
        for rule in self.region_rules:
            if get_region(rule.area) is None and country_code(rule.area) != rule.area:
                raise WatchlistError(
                    f"rule {rule.id!r}: unknown area {rule.area!r} (region code or ISO country)"
                )
            for g in rule.goods or ():
                if g not in {gd.key for gd in GOODS}:
                    raise WatchlistError(f"rule {rule.id!r}: unknown good {g!r}")
        # Goods covered by each rule, downstream included, computed once.
        self.rule_goods: list[frozenset[str] | None] = [
            None if r.goods is None else frozenset().union(*(downstream_of(g) for g in r.goods))
            for r in self.region_rules
        ]
        self.country_rule_areas: tuple[str, ...] = tuple(
            sorted({r.area for r in self.region_rules if get_region(r.area) is None})
        )
        # DOL: (country, GoodDef key) -> strongest DOL line.
        self.dol: dict[tuple[str, str], DolGood] = {}
        by_dol_name: dict[str, list[str]] = defaultdict(list)
        for gd in GOODS:
            for n in gd.dol_names:
                by_dol_name[n.casefold()].append(gd.key)
        for line in wl.dol_goods:
            code = country_code(line.country)
            if code is None:
                continue
            keys = by_dol_name.get(line.good.casefold(), [])
            for key in keys:
                prev = self.dol.get((code, key))
                if prev is None or (line.forced_labor and not prev.forced_labor):
                    self.dol[(code, key)] = line
        self.tip_tiers: dict[str, str] = dict(wl.tip_tiers)

    # -- names ---------------------------------------------------------------------------------------------
    def _build_names(self, workers: int) -> None:
        texts = [text for p in self.parties for text in (p.name, *p.aliases)]
        norms = iter(_normalize_all(texts, workers))
        raw: list[tuple[int, str, NormName, bool]] = []
        for i, p in enumerate(self.parties):
            seen: set[str] = set()
            for j, text in enumerate((p.name, *p.aliases)):
                norm = next(norms)
                if not norm or norm.compact in seen:
                    continue
                seen.add(norm.compact)
                raw.append((i, text, norm, j > 0))
        df: dict[str, int] = defaultdict(int)
        for _, _, norm, _ in raw:
            for t in set(norm.tokens):
                df[t] += 1
        # Small watchlists are weighed as if they were part of a 1,000-name list, so a brand still
        # outweighs a generic word when the list holds only a handful of parties.
        n_docs = max(len(raw), 1000)
        # Smoothed IDF; unseen tokens in a query get the maximum (they are as rare as it gets).
        self.idf: dict[str, float] = {t: math.log((n_docs + 1) / (c + 0.5)) + 1.0 for t, c in df.items()}
        self.max_idf = math.log((n_docs + 1) / 0.5) + 1.0
        self.names: list[IndexedName] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for i, text, norm, alias in raw:
            weights = tuple(self.token_weight(t) for t in norm.tokens)
            nid = len(self.names)
            self.names.append(IndexedName(i, text, norm, weights, sum(weights), alias, " ".join(norm.tokens)))
            for g in _grams(norm):
                postings[g].append(nid)
        self.gram_postings: dict[str, np.ndarray] = {
            g: np.asarray(ids, dtype=np.int32) for g, ids in postings.items()
        }
        self.compact_index: dict[str, list[int]] = defaultdict(list)
        tokens: dict[str, list[int]] = defaultdict(list)
        for nid, n in enumerate(self.names):
            self.compact_index[n.norm.compact].append(nid)
            for t in set(n.norm.tokens):
                if t not in GENERIC_WORDS:
                    tokens[t].append(nid)
        # Initials of names of two to six words ("islamic revolutionary guard corps" -> "irgc"),
        # with and without their legal forms ("smi", "smic").
        self.acronym_index: dict[str, list[int]] = defaultdict(list)
        for nid, n in enumerate(self.names):
            keys = {n.norm.initials} if n.norm.initials else set()
            if 2 <= len(n.norm.tokens) <= 6:
                keys.add("".join(t[0] for t in n.norm.tokens))
            for key in keys:
                self.acronym_index[key].append(nid)
        # Whole-token postings: names sharing two rare words are candidates whatever their word order.
        self.token_postings: dict[str, np.ndarray] = {
            t: np.asarray(ids, dtype=np.int32) for t, ids in tokens.items()
        }

    def __reduce__(self) -> tuple[Any, tuple[Watchlist]]:
        return (_compile, (self._source,))

    def token_weight(self, token: str) -> float:
        w = self.idf.get(token, self.max_idf)
        if token in GENERIC_WORDS or len(token) == 1 or token.isdigit():
            return min(w, self.GENERIC_CAP)
        return w

    # -- identifiers ---------------------------------------------------------------------------------------
    def _build_identifiers(self) -> None:
        self.identifiers: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for i, p in enumerate(self.parties):
            for scheme, value in parse_identifiers(list(p.identifiers)):
                self.identifiers[value].append((scheme, i))

    def find_identifier(self, scheme: str, value: str) -> list[tuple[str, int]]:
        """Parties holding this identifier; schemes must agree unless one side is ``ANY``."""
        return [
            (s, i)
            for s, i in self.identifiers.get(value, [])
            if s == scheme or "ANY" in (s, scheme) or s not in _SCHEMES or scheme not in _SCHEMES
        ]

    def __len__(self) -> int:
        return len(self.parties)


# Address words that say nothing about which place it is.
_ADDRESS_STOP = frozenset(
    [
        "no",
        "road",
        "rd",
        "street",
        "st",
        "avenue",
        "ave",
        "lu",
        "jie",
        "dao",
        "hao",
        "building",
        "bldg",
        "floor",
        "fl",
        "room",
        "rm",
        "unit",
        "block",
        "blk",
        "district",
        "qu",
        "xian",
        "county",
        "city",
        "shi",
        "province",
        "sheng",
        "town",
        "zhen",
        "village",
        "cun",
        "industrial",
        "zone",
        "park",
        "area",
        "development",
        "economic",
        "new",
        "high",
        "tech",
        "technology",
        "east",
        "west",
        "north",
        "south",
        "middle",
        "central",
        "china",
        "prc",
        "the",
        "of",
        "and",
    ]
)


def _address_tokens(address: str | None) -> frozenset[str]:
    if not address:
        return frozenset()
    # House and lot numbers stay: they tell two addresses in the same city apart.
    return frozenset(t for t in normalize_text_tokens(address) if t not in _ADDRESS_STOP)
