"""Name matching against a compiled watchlist.

Candidate generation: character trigrams of each word of each watchlist name
(padded, so word order does not change them) are indexed; a query keeps its
rarest trigrams (document frequency over the watchlist) and the names sharing
the most of them are candidates, so a word shared by thousands of names
("trading") never pulls in candidates on its own, while typos, missing spaces
and word-order changes still do. A word index adds the names holding a rare
query word, and a vectorised rapidfuzz pass drops hopeless candidates before
the word-by-word scoring.

Scoring is an IDF-weighted Dice coefficient over tokens: each token weighs its
inverse document frequency in the watchlist, generic business words are capped
low, a token matches exactly, with one or two edits (typos), as the
concatenation of two tokens (``huafu`` = ``hua fu``) or as an acronym. A match
must cover at least one distinctive (non-generic) token, so names sharing only
common words never match. The compact keys are also compared with an edit
distance budget, which catches spacing differences across the whole name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from section307.gazetteer.places_cn import CHINA_PLACES
from section307.screening.normalize import (
    GENERIC_WORDS,
    SYNONYMS,
    NormName,
    normalize_name,
)
from section307.screening.watchlist import CompiledWatchlist, _grams

__all__ = ["NameMatch", "NameMatcher", "score_names"]

# Normalised word -> the spellings that normalise to it, for typos in abbreviated or foreign words.
_SPELLINGS: dict[str, tuple[str, ...]] = {}
for _k, _v in SYNONYMS.items():
    if " " not in _v and len(_k) >= 5:
        _SPELLINGS[_v] = (*_SPELLINGS.get(_v, ()), _k)

_MAX_GRAMS = 12
_MAX_CANDIDATES = 10
_MAX_POSTINGS = 12_000
# token_sort_ratio below which a candidate is not worth scoring (variants score 60 and up).
_PREFILTER = 50.0
# Candidates scored word by word after the pre-filter.
_SCORED = 6


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A watchlist name that matches a query, with its name score and how it matched."""

    name_id: int
    party: int
    score: float
    method: str


def _edit_budget(n: int) -> int:
    if n < 5:
        return 0
    return 1 if n < 9 else 2


def score_names(
    q: NormName, qw: tuple[float, ...], c: NormName, cw: tuple[float, ...], generic_cap: float
) -> tuple[float, str]:
    """Weighted token Dice of two normalised names, with the method that matched."""
    qt, ct = q.tokens, c.tokens
    if not qt or not ct:
        return 0.0, "none"
    if q.compact == c.compact:
        return 1.0, "exact"
    qw_eff = list(qw)
    q_sim = [0.0] * len(qt)
    c_sim = [0.0] * len(ct)
    fuzzy = False
    # 1. exact tokens, 2. typo-tolerant tokens
    for i, t in enumerate(qt):
        for j, u in enumerate(ct):
            if c_sim[j] == 0.0 and t == u:
                q_sim[i] = c_sim[j] = 1.0
                break
    for i, t in enumerate(qt):
        if q_sim[i]:
            continue
        budget = _edit_budget(len(t))
        if not budget:
            continue
        for j, u in enumerate(ct):
            if c_sim[j] or _edit_budget(len(u)) == 0:
                continue
            if abs(len(u) - len(t)) > budget and u not in _SPELLINGS:
                continue
            d = OSA.distance(t, u, score_cutoff=budget)
            if d > budget and u in _SPELLINGS:
                # "induatri" is a misspelt "industri", which normalised to "industrial".
                d = min(OSA.distance(t, k, score_cutoff=budget) for k in _SPELLINGS[u])
            if d <= budget and _distinct_pinyin(t, u):
                continue
            if d <= budget:
                # Short words one letter apart are often different words (pinyin: longjia/yongjia).
                q_sim[i] = c_sim[j] = (0.8 if len(t) < 8 else 0.9) - 0.1 * (d - 1)
                # A misspelt query word weighs what the word it stands for weighs, not as an unseen word.
                qw_eff[i] = cw[j]
                fuzzy = True
                break
    joined = acro = False
    if 0.0 in q_sim and 0.0 in c_sim:
        # 3. one token spelling two adjacent tokens of the other name (pinyin with/without spaces)
        joined = _match_joined(qt, q_sim, ct, c_sim) | _match_joined(ct, c_sim, qt, q_sim)
        # 4. acronyms ("xpcc", "xj")
        acro = _match_acronym(qt, q_sim, ct, c_sim) | _match_acronym(ct, c_sim, qt, q_sim)
    qw = tuple(qw_eff)
    num = sum(w * s for w, s in zip(qw, q_sim, strict=True))
    num += sum(w * s for w, s in zip(cw, c_sim, strict=True))
    den = _weight(qw, q_sim, q.optional) + _weight(cw, c_sim, c.optional)
    score = num / den if den else 0.0
    q_left, c_left = _unmatched(q_sim, q.optional), _unmatched(c_sim, c.optional)
    if fuzzy and (q_left or c_left):
        # A misspelt word is believable when the rest agrees; a misspelt word plus a different or
        # missing word is more often another company with a similar name.
        score *= 0.9
    if q_left and c_left:
        # A word replaced by another (Trading -> Plantation) is a different business, not an omission.
        score *= 0.85
    elif _distinctive_left(qt, q_sim, q.optional) or _distinctive_left(ct, c_sim, c.optional):
        # A name word missing on one side: the shorter name may be another company of the same family.
        score *= 0.95
    distinctive = any(s > 0 and _is_distinctive(t) for t, s in zip(qt, q_sim, strict=True)) or any(
        s > 0 and _is_distinctive(t) for t, s in zip(ct, c_sim, strict=True)
    )
    if not distinctive:
        # Overlap on common words only: never a match.
        score = min(score, 0.4)
    method = "tokens"
    if fuzzy:
        method = "fuzzy"
    if joined:
        method = "spacing"
    if acro:
        method = "acronym"
    # Whole-name comparison without spaces, only when the two names split into words differently
    # (XINJIANGHUAFY FANGZHI): it catches mixed spacing plus at most one typo.
    if len(q.tokens) != len(c.tokens) and min(len(q.compact), len(c.compact)) >= 10:
        d = Levenshtein.distance(q.compact, c.compact, score_cutoff=1)
        if d <= 1:
            cscore = 1.0 - 0.04 * d
            if cscore > score:
                score, method = cscore, "spacing" if d == 0 else "fuzzy"
    return score, method


def _distinct_pinyin(a: str, b: str) -> bool:
    """Two different Chinese place names are different places, not a typo.

    Pinyin is built from ~400 syllables, so one edit often lands on another real place
    (Guangzhou/Quanzhou, Changzhou/Guangzhou, Suzhou/Xuzhou).
    """
    return a in CHINA_PLACES and b in CHINA_PLACES


def _is_distinctive(token: str) -> bool:
    return token not in GENERIC_WORDS and len(token) > 1 and not token.isdigit()


def _distinctive_left(tokens: tuple[str, ...], sims: list[float], optional: tuple[bool, ...]) -> bool:
    """Whether a brand-like word of this name found no partner."""
    opts = optional or (False,) * len(tokens)
    return any(not s and not o and _is_distinctive(t) for t, s, o in zip(tokens, sims, opts, strict=True))


def _weight(weights: tuple[float, ...], sims: list[float], optional: tuple[bool, ...]) -> float:
    """Total weight of a name, leaving out optional tokens that found no partner."""
    if not optional:
        return sum(weights)
    return sum(w for w, s, o in zip(weights, sims, optional, strict=True) if s or not o)


def _unmatched(sims: list[float], optional: tuple[bool, ...]) -> bool:
    if not optional:
        return 0.0 in sims
    return any(not s and not o for s, o in zip(sims, optional, strict=True))


def _match_joined(a: tuple[str, ...], a_sim: list[float], b: tuple[str, ...], b_sim: list[float]) -> bool:
    hit = False
    for i, t in enumerate(a):
        if a_sim[i] or len(t) < 4:
            continue
        for j in range(len(b) - 1):
            if b_sim[j] or b_sim[j + 1]:
                continue
            pair = b[j] + b[j + 1]
            if pair == t or (
                len(t) >= 8
                and abs(len(pair) - len(t)) <= 1
                and Levenshtein.distance(pair, t, score_cutoff=1) <= 1
            ):
                a_sim[i] = b_sim[j] = b_sim[j + 1] = 0.95
                hit = True
                break
    return hit


def _match_acronym(a: tuple[str, ...], a_sim: list[float], b: tuple[str, ...], b_sim: list[float]) -> bool:
    hit = False
    for i, t in enumerate(a):
        if a_sim[i] or not (2 <= len(t) <= 6) or not t.isalpha():
            continue
        n = len(t)
        for j in range(len(b) - n + 1):
            if any(b_sim[j : j + n]):
                continue
            if "".join(x[0] for x in b[j : j + n]) == t:
                a_sim[i] = 0.9
                for k in range(j, j + n):
                    b_sim[k] = 0.9
                hit = True
                break
    return hit


class NameMatcher:
    """Finds and scores watchlist names for a query name; results cached per distinct query."""

    def __init__(self, wl: CompiledWatchlist, floor: float = 0.5, cache_size: int = 300_000) -> None:
        self.wl = wl
        self.floor = floor
        self._cache: dict[str, tuple[NameMatch, ...]] = {}
        self._norm_cache: dict[NormName, tuple[NameMatch, ...]] = {}
        self._cache_size = cache_size

    def match(self, name: str) -> tuple[NameMatch, ...]:
        """Best matches (one per party, best first) scoring at least ``floor``."""
        hit = self._cache.get(name)
        if hit is not None:
            return hit
        result = self._match(name)
        if len(self._cache) >= self._cache_size:
            self._cache.clear()
        self._cache[name] = result
        return result

    def reserve(self, n: int) -> None:
        """Make room for ``n`` cached names (prefetching a whole file's distinct names)."""
        self._cache_size = max(self._cache_size, n + 100_000)

    def seed(self, results: Iterable[tuple[str, tuple[NameMatch, ...]]]) -> None:
        """Add results computed elsewhere (another process) to the cache."""
        self._cache.update(results)

    def cached(self, names: Iterable[str]) -> dict[str, tuple[NameMatch, ...]]:
        """The cached results of those ``names`` that have one."""
        cache = self._cache
        return {n: hit for n in names if (hit := cache.get(n)) is not None}

    def _candidates(self, q: NormName) -> list[int]:
        wl = self.wl
        exact = wl.compact_index.get(q.compact)
        # Sorted by rarity, then by the trigram: set order changes with each process's string hashing, and
        # which of two equally rare trigrams is kept must not (runs, workers and Spark executors agree).
        grams = sorted((len(p), g) for g in _grams(q) if (p := wl.gram_postings.get(g)) is not None)
        postings = [wl.gram_postings[g] for _, g in grams]
        if not postings:
            return list(exact or [])
        # The rarest trigrams, stopping early once enough ids are in hand (keeps large watchlists fast).
        chosen: list[np.ndarray] = []
        total = 0
        for p in postings[:_MAX_GRAMS]:
            if len(chosen) >= 6 and total + len(p) > _MAX_POSTINGS:
                break
            chosen.append(p)
            total += len(p)
        # The true name shares most of the query's rarest trigrams (a typo spoils at most three):
        # keep the names sharing the most, at least two unless the query is tiny.
        need = 1 if len(chosen) <= 2 else 2
        # Counting by bins, not by sorting: the same ids (ascending) and counts, about three times faster.
        per_id = np.bincount(np.concatenate(chosen))
        uniq = np.flatnonzero(per_id >= need)
        counts = per_id[uniq]
        if len(uniq) > _MAX_CANDIDATES:
            top = np.argpartition(-counts, _MAX_CANDIDATES)[:_MAX_CANDIDATES]
            uniq = uniq[top]
        out = [int(x) for x in uniq]
        for e in exact or []:
            if e not in out:
                out.append(e)
        for e in self._token_candidates(q):
            if e not in out:
                out.append(e)
        return out

    def _token_candidates(self, q: NormName) -> list[int]:
        """Names holding the query's two rarest distinctive words (catches reordered short words)."""
        ranked = sorted((len(p), t) for t in set(q.tokens) if (p := self.wl.token_postings.get(t)) is not None)
        lists = [self.wl.token_postings[t] for _, t in ranked]
        if not lists:
            return []
        if len(lists[0]) <= _MAX_CANDIDATES * 2:
            # A rare word: every name holding it (catches a typo or reordering elsewhere in the name).
            return [int(x) for x in lists[0]]
        if len(lists) < 2:
            return []
        both = np.intersect1d(lists[0], lists[1], assume_unique=True)
        for more in lists[2:]:
            if len(both) <= _MAX_CANDIDATES:
                break
            both = np.intersect1d(both, more, assume_unique=True)
        return [int(x) for x in both[: _MAX_CANDIDATES * 2]]

    def _match(self, name: str) -> tuple[NameMatch, ...]:
        q = normalize_name(name)
        if not q:
            return ()
        # Spellings that normalise alike (case, punctuation, legal form) share one result.
        by_norm = self._norm_cache.get(q)
        if by_norm is not None:
            return by_norm
        result = self._match_norm(q)
        if len(self._norm_cache) >= self._cache_size:
            self._norm_cache.clear()
        self._norm_cache[q] = result
        return result

    def _match_norm(self, q: NormName) -> tuple[NameMatch, ...]:
        wl = self.wl
        qw = tuple(wl.token_weight(t) for t in q.tokens)
        best: dict[int, NameMatch] = {}
        cands = self._candidates(q)
        if len(cands) > 2:
            # One vectorised pass keeps the candidates sharing the most text in any word order
            # for the word-by-word scoring; names equal but for spacing always stay.
            exact = set(wl.compact_index.get(q.compact, ()))
            sims = process.cdist(
                [" ".join(q.tokens)],
                [wl.names[nid].joined for nid in cands],
                scorer=fuzz.token_sort_ratio,
                score_cutoff=_PREFILTER,
            )[0]
            ranked = sorted(
                ((s, nid) for nid, s in zip(cands, sims, strict=True) if s > 0 and nid not in exact),
                reverse=True,
            )
            cands = [*exact, *(nid for _, nid in ranked[:_SCORED])]
        for nid in cands:
            cand = wl.names[nid]
            score, method = score_names(q, qw, cand.norm, cand.weights, wl.GENERIC_CAP)
            if score < self.floor:
                continue
            prev = best.get(cand.party)
            if prev is None or score > prev.score:
                best[cand.party] = NameMatch(nid, cand.party, score, method)
        return tuple(sorted(best.values(), key=lambda m: -m.score)[:5])


def name_score(a: str, b: str, wl: CompiledWatchlist) -> float:
    """Score two raw names with the watchlist's token weights (for tests and explanations)."""
    qa, qb = normalize_name(a), normalize_name(b)
    wa = tuple(wl.token_weight(t) for t in qa.tokens)
    wb = tuple(wl.token_weight(t) for t in qb.tokens)
    return score_names(qa, wa, qb, wb, wl.GENERIC_CAP)[0]
