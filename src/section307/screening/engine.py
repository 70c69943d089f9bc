"""The screening engine: one entry line in, a decision with score and reasons out.

Decisions:

``hit``
    The line is tied to an active order or statutory presumption: a party
    matches a watchlisted party on an order list (``wro``, ``finding``,
    ``uflpa``, ``caatsa``) at or above the threshold, an identifier matches
    exactly, or the origin, a party address or the description places the
    goods in a region under a presumption or a region-wide order whose goods
    scope covers them (downstream goods included).
``review``
    Risk indicators without an order: a possible party match (score between
    the review threshold and the threshold), a match to a ``risk`` list party,
    or goods on the DOL list for the origin country.
``clear``
    Nothing above; a TIP tier may still be recorded as a weak signal.

Each check emits :class:`Signal` objects; the result keeps them all (the
``signals`` JSON column) and reports the strongest as the match.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl
import pyarrow as pa

from section307.gazetteer.goods import GoodMatch, classify_goods, get_good, upstream_of
from section307.gazetteer.regions import find_regions, get_region, region_ancestors
from section307.screening.batch import result_table, screen_table
from section307.screening.config import DEFAULT_SCORING, ScoringConfig
from section307.screening.countries import country_code, country_mentions, country_name
from section307.screening.matcher import NameMatcher
from section307.screening.watchlist import (
    ORDER_LISTS,
    CompiledWatchlist,
    Party,
    _address_tokens,
    parse_identifiers,
)

__all__ = [
    "ENTRY_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "RESULT_COLUMNS",
    "Screener",
    "ScreeningResult",
    "Signal",
]

#: Columns an entries file must have.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "entry_number",
    "line",
    "importer",
    "manufacturer",
    "manufacturer_address",
    "shipper",
    "shipper_address",
    "country_of_origin",
    "hts",
    "description",
    "value_usd",
    "date_of_import",
)
#: Recognised optional columns.
OPTIONAL_COLUMNS: tuple[str, ...] = ("consignee", "suppliers", "manufacturer_id", "identifiers")
ENTRY_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
#: The entry columns the checks read (the others identify the line or are only validated).
CHECKED_COLUMNS: tuple[str, ...] = tuple(
    c for c in ENTRY_COLUMNS if c not in ("entry_number", "line", "value_usd", "date_of_import")
)
#: Columns of a results table (extra entry columns follow them).
RESULT_COLUMNS: tuple[str, ...] = (
    "entry_number",
    "line",
    "decision",
    "score",
    "matched_id",
    "matched_name",
    "matched_field",
    "list",
    "order_id",
    "reasons",
    "signals",
)

_PARTY_FIELDS: tuple[tuple[str, str | None], ...] = (
    ("manufacturer", "manufacturer_address"),
    ("shipper", "shipper_address"),
    ("importer", None),
    ("consignee", None),
)
_ADDRESS_FIELDS = ("manufacturer_address", "shipper_address")
_LEVEL = {"hit": 2, "review": 1, "info": 0}
_FIELD_LABEL = {
    "manufacturer": "Manufacturer",
    "shipper": "Shipper",
    "importer": "Importer",
    "consignee": "Consignee",
    "suppliers": "Supplier",
    "manufacturer_id": "Manufacturer ID",
    "identifiers": "Identifier",
    "manufacturer_address": "Manufacturer address",
    "shipper_address": "Shipper address",
    "country_of_origin": "Country of origin",
    "description": "Description",
    "hts": "HTS code",
}


# ``json.dumps`` with these options builds an encoder on every call; a batch writes tens of thousands of signals.
_SIGNAL_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Signal:
    """One piece of evidence about an entry line."""

    kind: str  # party | identifier | region | goods | dol | tip
    level: str  # hit | review | info
    score: float
    field: str
    detail: str
    matched_id: str | None = None
    matched_name: str | None = None
    list: str | None = None
    order_id: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": self.kind,
            "level": self.level,
            "score": round(self.score, 4),
            "field": self.field,
            "detail": self.detail,
        }
        for key in ("matched_id", "matched_name", "list", "order_id"):
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        d.update(self.extra)
        return d

    @cached_property
    def json(self) -> str:
        return _SIGNAL_JSON.encode(self.to_dict())

    @property
    def rank(self) -> tuple[int, float, int]:
        # Party and identifier matches name the culprit; they win ties over area rules.
        # A goods-scoped order names the goods; it wins ties over a region-wide presumption.
        specific = (
            2 if self.kind in ("identifier", "party") else 1 if ("goods_scoped", True) in self.extra else 0
        )
        return (_LEVEL[self.level], round(self.score, 4), specific)


@dataclass(slots=True)
class ScreeningResult:
    """The decision for one entry line."""

    entry_number: str
    line: str
    decision: str
    score: float
    matched_id: str | None
    matched_name: str | None
    matched_field: str | None
    list: str | None
    order_id: str | None
    reasons: str
    signals: builtins.list[Signal] = field(default_factory=builtins.list)

    @property
    def signals_json(self) -> str:
        return "[" + ",".join(s.json for s in self.signals) + "]"

    def as_row(self) -> dict[str, Any]:
        return {
            "entry_number": self.entry_number,
            "line": self.line,
            "decision": self.decision,
            "score": self.score,
            "matched_id": self.matched_id,
            "matched_name": self.matched_name,
            "matched_field": self.matched_field,
            "list": self.list,
            "order_id": self.order_id,
            "reasons": self.reasons,
            "signals": self.signals_json,
        }


def _s(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        # Several suppliers or identifiers given as a sequence: the file format joins them by " | ".
        return " | ".join(str(v).strip() for v in value if v is not None and str(v).strip())
    return str(value).strip()


def name_floor(review_threshold: float, cfg: ScoringConfig) -> float:
    """The lowest name score that can still give a signal: a party signal needs ``review_threshold``
    after the origin and the address have added what they can (``_party_signals``), so names scoring
    less are never reported and the matcher need not keep them."""
    return max(0.0, review_threshold - cfg.country_agrees - cfg.address_agrees)


class Screener:
    """Screens entry lines against a :class:`CompiledWatchlist`.

    ``threshold`` is the party-match score for a ``hit`` (``review`` for
    ``risk`` list parties); scores from ``review_threshold`` (default
    ``threshold`` less the configuration's ``review_margin``) up to it give
    ``review``. ``scoring`` holds every other weight (default
    :data:`~section307.screening.config.DEFAULT_SCORING`).
    """

    def __init__(
        self,
        watchlist: CompiledWatchlist,
        threshold: float | None = None,
        review_threshold: float | None = None,
        scoring: ScoringConfig | None = None,
    ) -> None:
        self.wl = watchlist
        self.scoring = cfg = scoring or DEFAULT_SCORING
        self.threshold = cfg.threshold if threshold is None else threshold
        self.review_threshold = self.threshold - cfg.review_margin if review_threshold is None else review_threshold
        self.matcher = NameMatcher(watchlist, floor=name_floor(self.review_threshold, cfg), config=cfg)
        self._party_cache: dict[tuple[str, str, str, str | None, str], tuple[Signal, ...]] = {}
        self._area_cache: dict[tuple[str, str, str | None, frozenset[str], str], tuple[Signal, ...]] = {}
        self._goods_cache: dict[tuple[str, str], tuple[GoodMatch, ...]] = {}
        self._places_cache: dict[tuple[bool, str, str | None], tuple[tuple[str, str], ...]] = {}
        self._places_reserved = 0
        self._dol_cache: dict[tuple[str | None, tuple[str, ...]], tuple[Signal, ...]] = {}
        self._country_cache: dict[str, str | None] = {}

    # -- public API ----------------------------------------------------------------------------------------
    def screen_one(self, entry: Mapping[str, Any]) -> ScreeningResult:
        """Screen one entry line given as a mapping of entry columns (missing columns count as empty).

        ``suppliers`` and ``identifiers`` may be sequences instead of `` | ``-joined strings.
        """
        return self._screen_row({k: _s(v) for k, v in entry.items()})

    def screen_rows(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[ScreeningResult]:
        for row in rows:
            yield self.screen_one(row)

    def screen(self, entries: pl.DataFrame | pa.RecordBatch | pa.Table) -> pl.DataFrame:
        """Screen a batch; returns the result columns followed by the entries' extra columns."""
        table = entries.to_arrow() if isinstance(entries, pl.DataFrame) else entries
        df = pl.from_arrow(self.screen_arrow(table))
        assert isinstance(df, pl.DataFrame)
        return df

    def screen_arrow(self, batch: pa.RecordBatch | pa.Table) -> pa.Table:
        """Screen an Arrow batch with Arrow and Python only.

        Polars is kept out of this path on purpose: it runs in forked workers
        and Spark executors, where Polars' thread pool must not be touched.
        """
        # Each check runs once per distinct value of the batch (see screening.batch).
        return result_table(batch, screen_table(self, batch))

    # -- checks ----------------------------------------------------------------------------------------------
    def _country(self, value: str) -> str | None:
        if value in self._country_cache:
            return self._country_cache[value]
        code = country_code(value)
        self._country_cache[value] = code
        return code

    def _party_signals(
        self, fld: str, name: str, address: str, country: str | None, label: str
    ) -> tuple[Signal, ...]:
        key = (fld, name, address, country, label)
        hit = self._party_cache.get(key)
        if hit is not None:
            return hit
        out: list[Signal] = []
        wl = self.wl
        cfg = self.scoring
        addr_tokens: frozenset[str] | None = None
        relation: str | None = None  # what the name says of itself, read only for a reported match
        for m in self.matcher.match(name):
            party = wl.parties[m.party]
            score = m.score
            notes: list[str] = []
            pc = wl.party_country[m.party]
            if country and pc:
                if country == pc:
                    score += cfg.country_agrees
                    notes.append("country agrees")
                else:
                    score -= cfg.country_differs
                    notes.append(f"country differs ({country} vs {pc})")
            p_addr = wl.party_address_tokens[m.party]
            if address and p_addr:
                if addr_tokens is None:
                    addr_tokens = _address_tokens(address)
                if addr_tokens:
                    shared = len(addr_tokens & p_addr)
                    overlap = shared / len(addr_tokens | p_addr)
                    # Sharing a city is weak; a street with its number in that city is agreement.
                    if shared >= cfg.address_min_shared and overlap >= cfg.address_min_overlap:
                        score += cfg.address_agrees
                        notes.append("address agrees")
                    elif overlap == 0:
                        score -= cfg.address_differs
                        notes.append("address differs")
            score = max(0.0, min(1.0, score))
            if score < self.review_threshold:
                continue
            on_order = party.list in ORDER_LISTS
            level = "hit" if on_order and score >= self.threshold else "review"
            # What the entry's name says of itself ("Shanghai Branch", "a subsidiary of") comes first,
            # then what comparing it with the listed name shows (Siemens Energy for Siemens).
            if relation is None:
                relation = self.matcher.relation(name)
            rel = relation or m.relation
            scope_note = _scope_note(rel, party)
            if level == "hit" and (rel == "parent" or (rel == "subsidiary" and not party.subsidiaries)):
                # An order on a company reaches a subsidiary only when it names its subsidiaries,
                # and never the group above it.
                level = "review"
            if scope_note:
                notes.append(scope_note)
            matched = wl.names[m.name_id]
            how = "alias" if matched.is_alias else "name"
            method = _method_label(m.method, name, matched.text)
            detail = (
                f"{label} '{name}' matches {how} '{matched.text}' of watchlist party {party.id}"
                f" ({method}, score {score:.2f}{'; ' + ', '.join(notes) if notes else ''})"
            )
            out.append(
                Signal(
                    "party",
                    level,
                    score,
                    fld,
                    detail,
                    party.id,
                    party.name,
                    party.list,
                    party.order_id,
                    (
                        ("method", method),
                        ("name_score", round(m.score, 4)),
                        ("matched_alias", matched.text),
                    ),
                )
            )
        result = tuple(out)
        if len(self._party_cache) > 500_000:
            self._party_cache.clear()
        self._party_cache[key] = result
        return result

    def _identifier_signals(self, fld: str, value: str, default_scheme: str) -> list[Signal]:
        out: list[Signal] = []
        ids = parse_identifiers(value)
        for scheme, norm in ids:
            scheme = default_scheme if scheme == "ANY" else scheme
            for p_scheme, pi in self.wl.find_identifier(scheme, norm):
                party = self.wl.parties[pi]
                level = "hit" if party.list in ORDER_LISTS else "review"
                out.append(
                    Signal(
                        "identifier",
                        level,
                        1.0,
                        fld,
                        f"{_FIELD_LABEL.get(fld, fld)} {p_scheme}:{norm} is the identifier of "
                        "watchlist party "
                        f"{party.id} '{party.name}'",
                        party.id,
                        party.name,
                        party.list,
                        party.order_id,
                        (("identifier", f"{p_scheme}:{norm}"),),
                    )
                )
        return out

    def _goods(self, hts: str, description: str) -> tuple[GoodMatch, ...]:
        key = (hts, description)
        hit = self._goods_cache.get(key)
        if hit is None:
            hit = tuple(classify_goods(hts, description))
            if len(self._goods_cache) > 200_000:
                self._goods_cache.clear()
            self._goods_cache[key] = hit
        return hit

    def seed_places(self, places: Iterable[tuple[tuple[bool, str, str | None], tuple[tuple[str, str], ...]]]) -> None:
        """Add places read elsewhere (another process) to the cache (keys as :meth:`_places` takes them)."""
        self._places_cache.update(places)
        self._places_reserved = len(self._places_cache) + 100_000

    def _places(self, is_origin: bool, text: str, country: str | None) -> tuple[tuple[str, str], ...]:
        """Areas (region codes, countries with rules) a text puts the goods in, with how they were named."""
        key = (is_origin, text, country)
        hit = self._places_cache.get(key)
        if hit is not None:
            return hit
        places: list[tuple[str, str]] = []
        if is_origin:
            if country:
                places.append((country, country_name(country)))
        else:
            for reg in find_regions(text, country):
                for code in region_ancestors(reg.code):
                    places.append((code, reg.name))
            for code in country_mentions(text, self.wl.country_rule_areas):
                places.append((code, code))
        result = tuple(places)
        if len(self._places_cache) > max(300_000, self._places_reserved):
            self._places_cache.clear()
        self._places_cache[key] = result
        return result

    def _area_signals(
        self, fld: str, text: str, country: str | None, goods: frozenset[str], goods_note: str
    ) -> tuple[Signal, ...]:
        """Region and country-wide rules for one place (an address, the origin, the description)."""
        places = self._places(fld == "country_of_origin", text, country)
        if not places:
            return ()
        # The goods as named go into the reasons: two lines whose goods reach the same scope but were
        # named differently must not share an explanation.
        key = (fld, text, country, goods, goods_note)
        hit = self._area_cache.get(key)
        if hit is not None:
            return hit
        wl = self.wl
        out: list[Signal] = []
        seen: set[str] = set()
        for code, found_as in places:
            for ri, rule in enumerate(wl.region_rules):
                if rule.area != code or rule.id in seen:
                    continue
                scope = wl.rule_goods[ri]
                if scope is not None and not (goods & scope):
                    continue
                seen.add(rule.id)
                level = "hit" if rule.list in ORDER_LISTS else "review"
                score = self.scoring.region_from_description if fld == "description" else 1.0
                region = get_region(code)
                area_name = region.name if region else country_name(code)
                scope_txt = ""
                if scope is not None:
                    scope_txt = f"; goods {goods_note} fall under its scope ({', '.join(rule.goods or ())})"
                detail = (
                    f"{_FIELD_LABEL.get(fld, fld)} places the goods in {found_as}"
                    f"{'' if found_as == area_name else f' ({area_name})'}: "
                    f"{rule.description or rule.id}{scope_txt}"
                )
                out.append(
                    Signal(
                        "region",
                        level,
                        score,
                        fld,
                        detail,
                        rule.id,
                        area_name,
                        rule.list,
                        rule.order_id,
                        (("area", code), ("goods_scoped", scope is not None)),
                    )
                )
        result = tuple(out)
        if len(self._area_cache) > 200_000:
            self._area_cache.clear()
        self._area_cache[key] = result
        return result

    def _dol_signals(
        self, country: str | None, goods: tuple[str, ...], inputs: tuple[str, ...]
    ) -> tuple[Signal, ...]:
        """DOL List lines for the goods and for what they are made from (``inputs``: upstream goods)."""
        key = (country, (*goods, "|", *inputs))
        hit = self._dol_cache.get(key)
        if hit is not None:
            return hit
        out: list[Signal] = []
        if country:
            for g in goods + tuple(k for k in inputs if k not in goods):
                line = self.wl.dol.get((country, g))
                if line is None:
                    continue
                kinds = [
                    k
                    for k, on in (("forced labor", line.forced_labor), ("child labor", line.child_labor))
                    if on
                ]
                if not kinds:
                    continue
                derived = g not in goods
                cfg = self.scoring
                score = (cfg.dol_forced if line.forced_labor else cfg.dol_child) - (cfg.dol_derived if derived else 0.0)
                gd = get_good(g)
                what = gd.name if gd else g
                detail = (
                    f"goods made from {what.lower()}, and {what} from {country} is on the DOL List of Goods"
                    if derived
                    else f"{what} from {country} is on the DOL List of Goods"
                ) + f" ({', '.join(kinds)})"
                out.append(
                    Signal(
                        "dol",
                        "review",
                        score,
                        "hts",
                        detail[0].upper() + detail[1:],
                        f"dol:{country}:{line.good}",
                        line.good,
                        "dol",
                        None,
                        (
                            ("forced_labor", line.forced_labor),
                            ("child_labor", line.child_labor),
                            ("derived", derived),
                        ),
                    )
                )
        result = tuple(out)
        if len(self._dol_cache) > 100_000:
            self._dol_cache.clear()
        self._dol_cache[key] = result
        return result

    # -- one row ------------------------------------------------------------------------------------------
    def _screen_row(self, row: Mapping[str, str]) -> ScreeningResult:
        get = row.get
        origin_raw = get("country_of_origin", "") or ""
        origin = self._country(origin_raw) if origin_raw else None
        signals: list[Signal] = []
        # Parties.
        for fld, addr_fld in _PARTY_FIELDS:
            name = get(fld, "")
            if not name:
                continue
            address = get(addr_fld, "") if addr_fld else ""
            country = origin if fld == "manufacturer" else None
            signals.extend(self._party_signals(fld, name, address, country, _FIELD_LABEL[fld]))
        suppliers = get("suppliers", "")
        if suppliers:
            for sup in suppliers.split("|"):
                sup = sup.strip()
                if sup:
                    signals.extend(self._party_signals("suppliers", sup, "", None, "Supplier"))
        mid = get("manufacturer_id", "")
        if mid:
            signals.extend(self._identifier_signals("manufacturer_id", mid, "MID"))
        ids = get("identifiers", "")
        if ids:
            signals.extend(self._identifier_signals("identifiers", ids, "ANY"))
        # Goods, regions, country-wide rules.
        goods_matches = self._goods(get("hts", ""), get("description", ""))
        goods_keys = tuple(sorted({g.key for g in goods_matches}))
        goods = frozenset().union(*(upstream_of(k) for k in goods_keys)) if goods_keys else frozenset()
        goods_note = ", ".join(g.key for g in goods_matches) or "(none recognised)"
        if origin:
            signals.extend(self._area_signals("country_of_origin", origin, origin, goods, goods_note))
        for fld in _ADDRESS_FIELDS:
            text = get(fld, "")
            if text:
                signals.extend(
                    self._area_signals(
                        fld, text, origin if fld == "manufacturer_address" else None, goods, goods_note
                    )
                )
        desc = get("description", "")
        if desc:
            signals.extend(self._area_signals("description", desc, origin, goods, goods_note))
        if goods_keys:
            signals.extend(self._dol_signals(origin, goods_keys, tuple(sorted(goods))))
        # TIP tier: a weak signal on its own.
        tier = self.wl.tip_tiers.get(origin) if origin else None
        if tier is not None:
            signals.append(self._tip_signal(origin or "", tier))
        return self._decide(row, signals)

    def _tip_signal(self, country: str, tier: str) -> Signal:
        return _tip_signal(country, tier, self.scoring)

    def _decide(self, row: Mapping[str, str], signals: list[Signal]) -> ScreeningResult:
        entry_number = row.get("entry_number", "") or ""
        line = row.get("line", "") or ""
        if not signals:
            return ScreeningResult(
                entry_number,
                line,
                "clear",
                0.0,
                None,
                None,
                None,
                None,
                None,
                "No watchlist party, region, goods or country risk found.",
                [],
            )
        # The strongest signal decides; the others only count towards the reasons.
        signals.sort(key=lambda s: s.rank, reverse=True)
        best = signals[0]
        decision = "clear" if best.level == "info" else best.level
        score = best.score
        tip = next((s for s in signals if s.kind == "tip"), None)
        if decision == "review" and tip is not None and tip.score >= 0.2:
            score = min(score + self.scoring.tip_review_bonus, self.threshold - 0.01)
        if decision == "clear":
            reasons = f"Clear: {best.detail}."
        else:
            others = len(signals) - 1
            reasons = f"{decision.capitalize()}: {best.detail}" + (
                f"; {others} more signal{'s' if others > 1 else ''}." if others else "."
            )
        return ScreeningResult(
            entry_number,
            line,
            decision,
            round(score, 4),
            best.matched_id if decision != "clear" else None,
            best.matched_name if decision != "clear" else None,
            best.field if decision != "clear" else None,
            best.list if decision != "clear" else None,
            best.order_id if decision != "clear" else None,
            reasons,
            signals,
        )


def _method_label(method: str, query: str, matched: str) -> str:
    """How a name matched, in words: only identical text is called exact."""
    if method != "exact":
        return method
    if " ".join(query.split()).casefold() == " ".join(matched.split()).casefold():
        return "exact"
    return "same name once case, punctuation and legal form are set aside"


def _scope_note(relation: str, party: Party) -> str:
    """What the order's scope says about a branch or subsidiary of the listed party."""
    if relation == "branch":
        return "a branch of the listed company; an order on a company covers its branches"
    if relation == "subsidiary":
        if party.subsidiaries:
            return "a subsidiary; the order names the company's subsidiaries"
        return "a subsidiary; the order does not name subsidiaries, so it is not a hit"
    if relation == "parent":
        return "the group or parent of the listed company; an order on a company does not reach its parent"
    return ""


_TIP_CACHE: dict[tuple[str, str, ScoringConfig], Signal] = {}


def _tip_signal(country: str, tier: str, cfg: ScoringConfig = DEFAULT_SCORING) -> Signal:
    key = (country, tier, cfg)
    sig = _TIP_CACHE.get(key)
    if sig is None:
        sig = Signal(
            "tip",
            "info",
            dict(cfg.tip_scores).get(tier.upper(), 0.0),
            "country_of_origin",
            f"origin {country} is TIP Tier {tier}",
            f"tip:{country}",
            None,
            "tip",
            None,
            (("tier", tier),),
        )
        _TIP_CACHE[key] = sig
    return sig
