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

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import mul

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from section307.gazetteer.places_cn import CHINA_PLACES
from section307.gazetteer.words import word_zipf
from section307.screening.config import DEFAULT_SCORING, ScoringConfig
from section307.screening.countries import country_code
from section307.screening.normalize import (
    GENERIC_WORDS,
    SYNONYMS,
    NormName,
    normalize_name,
    pinyin_syllables,
)
from section307.screening.records import pickled_by_position
from section307.screening.watchlist import CompiledWatchlist, _grams

__all__ = ["NameMatch", "NameMatcher", "score_names"]

# Normalised word -> the spellings that normalise to it, for typos in abbreviated or foreign words.
_SPELLINGS: dict[str, tuple[str, ...]] = {}
for _k, _v in SYNONYMS.items():
    if " " not in _v and len(_k) >= 5:
        _SPELLINGS[_v] = (*_SPELLINGS.get(_v, ()), _k)

# Two normalised words -> the one-word spellings that normalise to them, for typos in those
# ("biotch" for "biotech", which normalised to "bio technology").
_SPLIT_SPELLINGS: dict[tuple[str, str], tuple[str, ...]] = {}
for _k, _v in SYNONYMS.items():
    _parts = tuple(_v.split())
    if len(_parts) == 2 and len(_k) >= 5:
        _SPLIT_SPELLINGS[(_parts[0], _parts[1])] = (*_SPLIT_SPELLINGS.get((_parts[0], _parts[1]), ()), _k)

_MAX_GRAMS = 12
_MAX_CANDIDATES = 10
_MAX_POSTINGS = 12_000
# token_sort_ratio below which a candidate is not worth scoring (variants score 60 and up).
_PREFILTER = 50.0
# Candidates scored word by word after the pre-filter.
_SCORED = 6


@pickled_by_position  # name results cross from the workers and go to the on-disk name store
@dataclass(frozen=True, slots=True)
class NameMatch:
    """A watchlist name that matches a query, with its name score and how it matched."""

    name_id: int
    party: int
    score: float
    method: str
    #: What the query is to the listed name when it is not the same company: ``"subsidiary"`` (the
    #: listed name plus another business, or a member of a listed group) or ``"parent"`` (the group
    #: or holding above the listed company); ``""`` otherwise.
    relation: str = ""


def _edit_budget(n: int) -> int:
    if n < 3:
        return 0
    return 1 if n < 9 else 2


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_POS = {ch: (r, c) for r, row in enumerate(_KEYBOARD) for c, ch in enumerate(row)}


def _neighbour_keys(a: str, b: str) -> bool:
    pa, pb = _KEY_POS.get(a), _KEY_POS.get(b)
    if pa is None or pb is None:
        return False
    return abs(pa[0] - pb[0]) <= 1 and abs(pa[1] - pb[1]) <= 1


def _typing_error(a: str, b: str) -> bool:
    """One edit a typist makes when writing ``a`` for ``b``: a dropped or doubled letter, a plural
    *s*, two letters swapped, a neighbouring key, or a letter misread from a scanned or handwritten
    invoice (*Daqo* keyed *Dago*).

    A different letter far from the intended key is more often a different word (Glvoe is Glove
    mistyped, Axon is not Avon), and so is a letter added that doubles nothing (Biopro / Bioprop).
    """
    if len(a) < len(b):
        # A dropped letter.
        return True
    if len(a) > len(b):
        i = next((k for k in range(len(b)) if a[k] != b[k]), len(b))
        # The added letter doubles its neighbour (Supermaxx), or is a plural s (Lagloves).
        return (i > 0 and a[i] == a[i - 1]) or (i + 1 < len(a) and a[i] == a[i + 1]) or a == b + "s"
    if _swapped(a, b):
        return True
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 1 and (_neighbour_keys(a[diff[0]], b[diff[0]]) or (a[diff[0]], b[diff[0]]) in _MISREAD)


# Letters read for one another in scanned or handwritten documents.
_MISREAD = frozenset(
    pair for a, b in (("q", "g"), ("u", "v"), ("i", "l"), ("c", "e"), ("a", "o")) for pair in ((a, b), (b, a))
)


def _other_word(query_word: str, listed_word: str, cfg: ScoringConfig) -> bool:
    """A one-letter difference that is not a typing error: the entry wrote another real word
    (*Carmel* for *Camel*, *Mint* for *Mink*, *Master* for *Maxter*: a typing error almost always
    makes a non-word), or both are initialisms (*LYSD* / *LYSZD*: each letter is a word's initial).
    A plural or possessive *s* (*Lloyd* / *Lloyds*) is a spelling of one word."""
    if query_word + "s" == listed_word or listed_word + "s" == query_word:
        return False
    if word_zipf(query_word) >= cfg.common_word_zipf:
        return True
    return not _VOWELS.intersection(query_word) and not _VOWELS.intersection(listed_word)


_VOWELS = frozenset("aeiou")


def _other_syllable(a: str, b: str, read_from_han: bool) -> bool:
    """Two pinyin words one syllable apart name different companies, not one misspelt.

    A reading of Chinese characters is exact, so any different syllable counts; between two Latin
    spellings so does any syllable (Mingda/Xingda, Taian/Haian, Huafu/Huafo) unless the two words
    are one typist's slip apart.
    """
    sa, sb = pinyin_syllables(a), pinyin_syllables(b)
    if not sa or not sb or sa == sb:
        return False
    if read_from_han:
        return True
    # Only two swapped letters are still the same name: a neighbouring key in pinyin lands on
    # another syllable as easily as on a typo (Taian/Haian).
    return not _swapped(a, b)


def _swapped(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


_QUALIFIER_WORDS = frozenset(
    [
        "europe",
        "asia",
        "america",
        "americas",
        "africa",
        "international",
        "global",
        "overseas",
        "usa",
        "uk",
        "hk",
        "worldwide",
        "east",
        "west",
        "north",
        "south",
        "middle",
        "central",
        "pacific",
    ]
)


@lru_cache(maxsize=200_000)
def _is_qualifier(token: str) -> bool:
    """A word that only says where (Europe, Vietnam, Shanghai) or how widely a company trades."""
    # A single letter is a bracketed country code left by normalisation ("Laglove (M)" = Malaysia).
    return (
        len(token) == 1
        or token in _QUALIFIER_WORDS
        or token in CHINA_PLACES
        or (len(token) > 3 and country_code(token) is not None)
    )


@dataclass(frozen=True, slots=True)
class NameWords:
    """What the scoring reads of each word of a name, worked out once per name rather than once
    per pair of names compared (a listed name meets thousands of queries)."""

    #: The spelling key of each word (:func:`_translit_key`).
    keys: tuple[str, ...]
    distinctive: tuple[bool, ...]
    qualifier: tuple[bool, ...]
    #: Brand words: distinctive and not qualifiers.
    brand: tuple[bool, ...]
    numbers: frozenset[str]
    #: How many brand words the name has.
    brands: int = 0
    #: The edit budget of each word (:func:`_edit_budget` of its length).
    budgets: tuple[int, ...] = ()


def name_words(norm: NormName) -> NameWords:
    tokens = norm.tokens
    if not tokens:
        return NameWords((), (), (), (), frozenset())
    keys, distinctive, qualifier, brand, budgets = zip(*map(_word_facts, tokens), strict=True)
    return NameWords(
        keys=keys,
        distinctive=distinctive,
        qualifier=qualifier,
        brand=brand,
        numbers=frozenset(t for t in tokens if t.isdigit()),
        brands=brand.count(True),
        budgets=budgets,
    )


@lru_cache(maxsize=200_000)
def _word_facts(token: str) -> tuple[str, bool, bool, bool, int]:
    """One word's part of :class:`NameWords` (key, distinctive, qualifier, brand, edit budget),
    looked up once per distinct word: the same words recur across thousands of names."""
    distinctive = _is_distinctive(token)
    qualifier = _is_qualifier(token)
    return _translit_key(token), distinctive, qualifier, distinctive and not qualifier, _edit_budget(len(token))


def score_names(
    q: NormName,
    qw: tuple[float, ...],
    c: NormName,
    cw: tuple[float, ...],
    generic_cap: float,
    cfg: ScoringConfig = DEFAULT_SCORING,
    relation_from: float = 0.0,
    q_words: NameWords | None = None,
    c_words: NameWords | None = None,
) -> tuple[float, str, str]:
    """Weighted token Dice of two normalised names, with the method that matched and the relation
    of the query ``q`` to the listed name ``c`` (see :attr:`NameMatch.relation`), worked out for
    scores from ``relation_from`` (below, the pair is never reported). ``q_words`` and ``c_words``
    are the names' :func:`name_words`, when the caller keeps them."""
    qt, ct = q.tokens, c.tokens
    if not qt or not ct:
        return 0.0, "none", ""
    qf = q_words or name_words(q)
    cf = c_words or name_words(c)
    if _han_differs(q, c):
        # Both written in characters: compare the characters (homophones are other companies).
        score, method, relation = _score_tokens(q, qw, c, cw, cfg, relation_from, qf, cf)
        return min(score, cfg.brand_differs_cap), method, relation
    if q.compact == c.compact:
        return 1.0, "exact", ""
    score, method, relation = _score_tokens(q, qw, c, cw, cfg, relation_from, qf, cf)
    if score < cfg.acronym and (
        (len(qt) == 1 and qt[0] == c.initials) or (len(ct) == 1 and ct[0] == q.initials)
    ):
        # "SMIC" for Semiconductor Manufacturing International Corporation: the legal form's
        # initial is part of the acronym.
        return cfg.acronym, "acronym", ""
    return score, method, relation


def _han_differs(q: NormName, c: NormName) -> bool:
    """Both names are written in characters and neither's characters hold the other's."""
    return bool(q.han and c.han and q.han not in c.han and c.han not in q.han)


def _score_tokens(
    q: NormName,
    qw: tuple[float, ...],
    c: NormName,
    cw: tuple[float, ...],
    cfg: ScoringConfig,
    relation_from: float,
    qf: NameWords,
    cf: NameWords,
) -> tuple[float, str, str]:
    qt, ct = q.tokens, c.tokens
    single_brand = qf.brands == 1 and cf.brands == 1
    qw_eff = list(qw)
    brand_sub = False
    q_sim = [0.0] * len(qt)
    c_sim = [0.0] * len(ct)
    fuzzy = False
    # 1. exact tokens, 2. typo-tolerant tokens
    for i, t in enumerate(qt):
        for j, u in enumerate(ct):
            if c_sim[j] == 0.0 and t == u:
                q_sim[i] = c_sim[j] = 1.0
                break
    translit = False
    q_left_keys = {k for k, s_ in zip(qf.keys, q_sim, strict=True) if not s_}
    c_left_keys = {k for k, s_ in zip(cf.keys, c_sim, strict=True) if not s_}
    # Only names with a left-over word that could pair this way go word by word (most do not).
    second_look = bool(q_left_keys & c_left_keys) or bool(q.abjad) != bool(c.abjad)
    for i, t in enumerate(qt):
        if q_sim[i] or not second_look:
            continue
        for j, u in enumerate(ct):
            if c_sim[j]:
                continue
            if t in _FAMILY_WORDS and u in _FAMILY_WORDS:
                # "Brightway Group" / "Brightway Holdings": both name the same corporate family.
                q_sim[i] = c_sim[j] = 1.0
                break
            if _same_transliteration(t, u, t in q.abjad, u in c.abjad):
                # Sergey / Sergei, Meem / Mim, Soleimani / سليماني: one name in two spellings.
                q_sim[i] = c_sim[j] = cfg.transliteration
                translit = True
                break
    c_budgets = cf.budgets
    for i, t in enumerate(qt):
        if q_sim[i]:
            continue
        budget = qf.budgets[i]
        if not budget:
            continue
        for j, u in enumerate(ct):
            if c_sim[j] or not c_budgets[j]:
                continue
            if abs(len(u) - len(t)) > budget and u not in _SPELLINGS:
                continue
            d = OSA.distance(t, u, score_cutoff=budget)
            if d > budget and u in _SPELLINGS:
                # "induatri" is a misspelt "industri", which normalised to "industrial".
                d = min(OSA.distance(t, k, score_cutoff=budget) for k in _SPELLINGS[u])
            if d > budget or _distinct_pinyin(t, u):
                continue
            pinyin = bool(pinyin_syllables(t)) and bool(pinyin_syllables(u))
            if pinyin and _other_syllable(t, u, t in q.romanised or u in c.romanised):
                continue
            short = len(t) < cfg.typo_long_from
            slip = not pinyin and d == 1 and _typing_error(t, u)
            if not pinyin and d == 1 and short and _other_word(t, u, cfg):
                # Another real word or another initialism one letter away names another company.
                continue
            if not slip and d == 1 and short and not pinyin and (len(t) < 5 or single_brand):
                if not (cf.brand[j] and (single_brand or len(t) != len(u))):
                    # A short word one unlikely letter apart is another word (Avon/Axon), not a slip.
                    continue
                # A brand word one unlikely letter apart (Biopro / Bioprop): as often another company
                # as a typo; a person should look unless the rest (origin, address) agrees.
                brand_sub = True
            if d <= budget:
                # Short words one letter apart are often different words (pinyin: longjia/yongjia),
                # unless the difference is a typist's slip (swapped letters, a neighbouring key).
                base = cfg.typo_long if len(t) >= cfg.typo_long_from or slip else cfg.typo_short
                q_sim[i] = c_sim[j] = base - cfg.typo_extra_edit * (d - 1)
                # A misspelt query word weighs what the word it stands for weighs, not as an unseen word.
                qw_eff[i] = cw[j]
                fuzzy = True
                break
    joined = acro = False
    if 0.0 in q_sim and 0.0 in c_sim:
        # 3. one token spelling two adjacent tokens of the other name (pinyin with/without spaces)
        joined = _match_joined(qt, q_sim, ct, c_sim, cfg.joined, cfg.typo_long) | _match_joined(
            ct, c_sim, qt, q_sim, cfg.joined, cfg.typo_long
        )
        # 4. acronyms ("xpcc", "xj")
        acro = _match_acronym(qt, q_sim, ct, c_sim, cfg.acronym) | _match_acronym(ct, c_sim, qt, q_sim, cfg.acronym)
    qw = tuple(qw_eff)
    # A qualifier on one side only ("Faberlic" / "Faberlic Europe") when everything else agrees:
    # the words say where the company trades, not which company it is.
    q_extra = _qualifier_extra(qt, q_sim, q.optional, q.places, qf)
    c_extra = _qualifier_extra(ct, c_sim, c.optional, c.places, cf)
    qualified = (q_extra is not None or not _unmatched(q_sim, q.optional)) and (
        c_extra is not None or not _unmatched(c_sim, c.optional)
    )
    qualified = qualified and (q_extra is not None or c_extra is not None)
    if qualified and q_extra is not None and c_extra is not None:
        # Qualifiers on both sides are two places (Dalian / Qingdao), unless one is the other's
        # abbreviation ("(M)" / "Malaysia").
        q_left_words = [t for t, s_ in zip(qt, q_sim, strict=True) if not s_]
        c_left_words = [t for t, s_ in zip(ct, c_sim, strict=True) if not s_]
        qualified = _abbreviates(q_left_words, c_left_words) or _abbreviates(c_left_words, q_left_words)
    q_opt = q_extra if qualified and q_extra is not None else q.optional
    c_opt = c_extra if qualified and c_extra is not None else c.optional
    # Products summed left to right, as a generator over zip would (same rounding).
    num = sum(map(mul, qw, q_sim))
    num += sum(map(mul, cw, c_sim))
    den = _weight(qw, q_sim, q_opt) + _weight(cw, c_sim, c_opt)
    score = num / den if den else 0.0
    if qualified:
        score *= cfg.qualifier_extra
    q_left, c_left = _unmatched(q_sim, q_opt), _unmatched(c_sim, c_opt)
    if fuzzy and (q_left or c_left):
        # A misspelt word is believable when the rest agrees; a misspelt word plus a different or
        # missing word is more often another company with a similar name.
        score *= cfg.fuzzy_with_leftover
    if q_left and c_left:
        # A word replaced by another (Trading -> Plantation) is a different business, not an omission.
        score *= cfg.replaced_word
    elif _distinctive_left(q_sim, q_opt, qf) or _distinctive_left(c_sim, c_opt, cf):
        # A name word missing on one side: the shorter name may be another company of the same family.
        score *= cfg.missing_word
    distinctive = any(s > 0 and d for d, s in zip(qf.distinctive, q_sim, strict=True)) or any(
        s > 0 and d for d, s in zip(cf.distinctive, c_sim, strict=True)
    )
    if not distinctive:
        # Overlap on common words only: never a match.
        score = min(score, cfg.generic_only_cap)
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
            cscore = 1.0 - cfg.compact_edit * d
            if cscore > score:
                score, method = cscore, "spacing" if d == 0 else "fuzzy"
    if qf.numbers != cf.numbers:
        # "Management Company 23" is not "Management Company": a number tells companies (and
        # vessels of one fleet) apart.
        score = min(score, cfg.number_differs_cap)
    if brand_sub:
        score = min(score, cfg.brand_substitution_cap)
    if translit and method == "tokens":
        method = "transliteration"
    if score < relation_from:
        return score, method, ""
    return score, method, _relation(qt, q_sim, q_opt, ct, c_sim, c_opt)


# Words naming a corporate family rather than one company ("Group", "Holdings", 集团 read "jituan").
_FAMILY_WORDS = frozenset({"group", "holding"})


def _relation(
    qt: tuple[str, ...],
    q_sim: list[float],
    q_opt: tuple[bool, ...],
    ct: tuple[str, ...],
    c_sim: list[float],
    c_opt: tuple[bool, ...],
) -> str:
    """What the query is to the listed name when every brand word of both matched but words differ.

    * the query adds "Group" / "Holdings" to the listed name: the group above the listed company
      (``"parent"``): Xinjiang Tianye Co. / Xinjiang Tianye Group;
    * the query adds a line of business to the listed name: another company of the family, often
      a subsidiary (``"subsidiary"``): Siemens AG / Siemens Energy AG.

    Words the query leaves out of the listed name are not read as a relation (Chenguang Biotech
    Group Co. written Chenguang Biotech Co.): entry documents shorten names far more often than
    they name another company.
    """
    q_opts = q_opt or (False,) * len(qt)
    c_opts = c_opt or (False,) * len(ct)
    q_extra = [t for t, s_, o in zip(qt, q_sim, q_opts, strict=True) if not s_ and not o]
    c_extra = [t for t, s_, o in zip(ct, c_sim, c_opts, strict=True) if not s_ and not o]
    if not any(s_ and _is_distinctive(t) and not _is_qualifier(t) for t, s_ in zip(ct, c_sim, strict=True)):
        return ""
    if any(_is_distinctive(t) and t not in GENERIC_WORDS for t in (*q_extra, *c_extra)):
        # A brand word on one side only: another name, scored as such.
        return ""
    q_business = [t for t in q_extra if not _is_qualifier(t) and not t.isdigit()]
    if q_business and not c_extra:
        return "parent" if any(t in _FAMILY_WORDS for t in q_business) else "subsidiary"
    return ""


@lru_cache(maxsize=200_000)
def _pinyin_word(word: str) -> bool:
    """Spelt as pinyin syllables of two letters or more on average (not ``m-e-e-m``)."""
    n = len(pinyin_syllables(word))
    return bool(n) and 2 * n <= len(word)


@lru_cache(maxsize=200_000)
def _translit_key(word: str) -> str:
    """A spelling key that English, French and German renderings of one foreign name share
    (``group`` and ``holding`` share one: they name the same corporate family)."""
    if word in _FAMILY_WORDS:
        return "group"
    # Russian Е starting a word is written "ye" or "e" (Yevgeniy / Evgeny).
    w = "e" + word[2:] if word.startswith("ye") else word
    for a, b in (("kh", "h"), ("ck", "k"), ("ee", "i"), ("oo", "u"), ("ou", "u"), ("ie", "i")):
        w = w.replace(a, b)
    w = re.sub(r"c(?=[^eiy]|$)", "k", w)
    w = re.sub(r"(?<=[a-z])y\b|y(?=[^aeiou]|$)", "i", w)
    w = w.replace("iy", "i").replace("ii", "i")
    return re.sub(r"(.)\1+", r"\1", w)


@lru_cache(maxsize=200_000)
def _skeleton(word: str) -> str:
    """The consonants of a word, doubled ones once: what Arabic script writes of a name.

    ``w``/``v`` and ``y`` are letters that also write long vowels (و, ی), and ``h`` a final
    vowel (ه in خامنه‌ای, Khamenei), so they are left out with the vowels.
    """
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouywvh]", "", word))


def _same_transliteration(a: str, b: str, a_abjad: bool, b_abjad: bool) -> bool:
    """Two spellings of one name from another script (not two names a letter apart)."""
    if a_abjad != b_abjad:
        # Arabic script against a Latin spelling: the Latin vowels were never written.
        sa = _skeleton(a)
        return len(sa) >= 2 and sa == _skeleton(b) and len(a) >= 3 and len(b) >= 3
    if _translit_key(a) != _translit_key(b) or len(a) < 3 or len(b) < 3 or a.isdigit():
        return False
    # Pinyin has one spelling per syllable: a different letter is a different syllable (hou / hu).
    return not (_pinyin_word(a) and _pinyin_word(b))


def _abbreviates(short: list[str], long: list[str]) -> bool:
    return len(short) == len(long) and all(len(a) == 1 and b.startswith(a) for a, b in zip(short, long, strict=True))


def _qualifier_extra(
    tokens: tuple[str, ...],
    sims: list[float],
    optional: tuple[bool, ...],
    places: frozenset[str],
    words: NameWords,
) -> tuple[bool, ...] | None:
    """The name's optional flags with its unmatched qualifier words made optional, when every
    unmatched word is a qualifier (or a place the name puts in brackets) and at least one brand word
    matched; else ``None``."""
    opts = list(optional or (False,) * len(tokens))
    extra = False
    brand_matched = False
    for i, (t, s) in enumerate(zip(tokens, sims, strict=True)):
        if s:
            brand_matched = brand_matched or words.brand[i]
            continue
        if opts[i]:
            continue
        if not (words.qualifier[i] or t in places):
            return None
        opts[i] = True
        extra = True
    return tuple(opts) if extra and brand_matched else None


def _distinct_pinyin(a: str, b: str) -> bool:
    """Two different Chinese place names are different places, not a typo.

    Pinyin is built from ~400 syllables, so one edit often lands on another real place
    (Guangzhou/Quanzhou, Changzhou/Guangzhou, Suzhou/Xuzhou).
    """
    return a in CHINA_PLACES and b in CHINA_PLACES


@lru_cache(maxsize=200_000)
def _is_distinctive(token: str) -> bool:
    return token not in GENERIC_WORDS and len(token) > 1 and not token.isdigit()


def _distinctive_left(sims: list[float], optional: tuple[bool, ...], words: NameWords) -> bool:
    """Whether a brand-like word of this name found no partner."""
    opts = optional or (False,) * len(sims)
    return any(not s and not o and d for s, o, d in zip(sims, opts, words.distinctive, strict=True))


def _weight(weights: tuple[float, ...], sims: list[float], optional: tuple[bool, ...]) -> float:
    """Total weight of a name, leaving out optional tokens that found no partner."""
    if not optional:
        return sum(weights)
    return sum(w for w, s, o in zip(weights, sims, optional, strict=True) if s or not o)


def _unmatched(sims: list[float], optional: tuple[bool, ...]) -> bool:
    if not optional:
        return 0.0 in sims
    return any(not s and not o for s, o in zip(sims, optional, strict=True))


def _match_joined(
    a: tuple[str, ...], a_sim: list[float], b: tuple[str, ...], b_sim: list[float], sim: float, misspelt: float = 0.0
) -> bool:
    """One word of ``a`` spelling two adjacent words of ``b`` (``huafu`` / ``hua fu``), or, with
    similarity ``misspelt``, misspelling the one word they were normalised from (``biotch`` /
    ``bio technology`` from ``biotech``)."""
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
                a_sim[i] = b_sim[j] = b_sim[j + 1] = sim
                hit = True
                break
            spellings = _SPLIT_SPELLINGS.get((b[j], b[j + 1]), ()) if misspelt and len(t) >= 5 else ()
            if any(OSA.distance(t, k, score_cutoff=1) <= 1 for k in spellings):
                a_sim[i] = b_sim[j] = b_sim[j + 1] = misspelt
                hit = True
                break
    return hit


def _match_acronym(a: tuple[str, ...], a_sim: list[float], b: tuple[str, ...], b_sim: list[float], sim: float) -> bool:
    hit = False
    for i, t in enumerate(a):
        if a_sim[i] or not (2 <= len(t) <= 6) or not t.isalpha():
            continue
        n = len(t)
        for j in range(len(b) - n + 1):
            if any(b_sim[j : j + n]):
                continue
            if "".join(x[0] for x in b[j : j + n]) == t:
                a_sim[i] = sim
                for k in range(j, j + n):
                    b_sim[k] = sim
                hit = True
                break
    return hit


class NameMatcher:
    """Finds and scores watchlist names for a query name; results cached per distinct query."""

    def __init__(
        self,
        wl: CompiledWatchlist,
        floor: float = 0.5,
        cache_size: int = 300_000,
        config: ScoringConfig | None = None,
    ) -> None:
        self.wl = wl
        self.floor = floor
        self.config = config or DEFAULT_SCORING
        self._cache: dict[str, tuple[NameMatch, ...]] = {}
        self._norm_cache: dict[NormName, tuple[NameMatch, ...]] = {}
        self._relations: dict[str, str] = {}
        self._cache_size = cache_size
        # name_words of each listed name, filled as names become candidates.
        self._words: list[NameWords | None] = [None] * len(wl.names)

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

    def relation(self, name: str) -> str:
        """What ``name`` says of itself (:attr:`NormName.relation`: branch, subsidiary or nothing)."""
        hit = self._relations.get(name)
        if hit is None:
            hit = normalize_name(name).relation
            if len(self._relations) >= self._cache_size:
                self._relations.clear()
            self._relations[name] = hit
        return hit

    def seed_relations(self, relations: Iterable[tuple[str, str]]) -> None:
        """Add relations read elsewhere (another process) to the cache."""
        self._relations.update(relations)

    def cached_relations(self, names: Iterable[str]) -> dict[str, str]:
        """The relations read so far of those ``names`` that have one cached."""
        relations = self._relations
        return {n: r for n in names if (r := relations.get(n)) is not None}

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
            return [*(exact or []), *self._acronym_candidates(q)]
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
        out = _top_shared(chosen, need, _MAX_CANDIDATES)
        for e in exact or []:
            if e not in out:
                out.append(e)
        for e in self._token_candidates(q):
            if e not in out:
                out.append(e)
        for e in self._acronym_candidates(q):
            if e not in out:
                out.append(e)
        return out

    def _acronym_candidates(self, q: NormName) -> list[int]:
        """"IRGC": names whose words' initials spell the query share none of its trigrams."""
        if len(q.tokens) != 1:
            return []
        return list(getattr(self.wl, "acronym_index", {}).get(q.tokens[0], ()))

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
        both = _intersect_sorted(lists[0], lists[1])
        for more in lists[2:]:
            if len(both) <= _MAX_CANDIDATES:
                break
            both = _intersect_sorted(both, more)
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
            exact = set(wl.compact_index.get(q.compact, ())) | set(self._acronym_candidates(q))
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
        skip_han = self.floor > self.config.brand_differs_cap
        q_words = name_words(q)
        words = self._words
        for nid in cands:
            cand = wl.names[nid]
            if skip_han and _han_differs(q, cand.norm):
                # Capped below the floor by score_names whatever the words: not worth scoring.
                continue
            c_words = words[nid]
            if c_words is None:
                c_words = words[nid] = name_words(cand.norm)
            score, method, relation = score_names(
                q, qw, cand.norm, cand.weights, wl.GENERIC_CAP, self.config, self.floor, q_words, c_words
            )
            if score < self.floor:
                continue
            prev = best.get(cand.party)
            if prev is None or score > prev.score:
                best[cand.party] = NameMatch(nid, cand.party, score, method, relation)
        _mark_parents(q, best, wl)
        return tuple(sorted(best.values(), key=lambda m: -m.score)[:5])


def _top_shared_numpy(postings: list[np.ndarray], need: int, k: int) -> list[int]:
    """The ids found in at least ``need`` of ``postings`` (each ascending and duplicate-free), keeping
    the ``k`` found in the most lists, ascending.

    Among ids found in equally many lists the lower id is kept: a rule of its own rather than
    whatever a selection algorithm leaves, so every process, library version and the compiled
    counter (``_counting.top_shared``, which a test holds to this function) keep the same names.
    """
    if not postings:
        return []
    uniq, counts = _shared_counts(postings, need)
    if len(uniq) > k:
        # The k-th highest count; ids above it are kept, and the lowest ids at it fill the rest.
        kth = np.partition(counts, len(counts) - k)[len(counts) - k]
        keep = counts > kth
        at_kth = counts == kth
        keep |= at_kth & (np.cumsum(at_kth) <= k - np.count_nonzero(keep))
        uniq = uniq[keep]
    return uniq.tolist()  # type: ignore[no-any-return]


def _compiled_counter() -> Callable[[list[np.ndarray], int, int], list[int]] | None:
    """The C counter built with the package (docs/adr/0030), unless absent or turned off."""
    if os.environ.get("SECTION307_PURE_PYTHON"):
        return None
    try:
        from section307.screening._counting import top_shared
    except ImportError:  # built without a C compiler: numpy gives the same results, slower
        return None
    return top_shared


_top_shared = _compiled_counter() or _top_shared_numpy


# Counting by a dense array pays for an array as long as the largest id: worth it while the ids
# counted are at least a sixteenth of that length (a query against 100,000 names counts about
# 11,000). In one process the two ways cost the same at a twentieth to a twenty-fifth; the margin
# is for the cache the two workers share.
_DENSE_FROM = 1 / 16


def _shared_counts(postings: list[np.ndarray], need: int) -> tuple[np.ndarray, np.ndarray]:
    """The ids found in at least ``need`` of ``postings`` (each ascending and duplicate-free),
    ascending, and in how many.

    Usually one ``np.bincount`` over the concatenated postings: a pass in C into a fresh count
    array as long as the largest id. It measured 7 % less CPU time for the whole name phase than
    sorting the ids and reading the runs, with both workers running (docs/performance.md, seventh
    pass). When the ids are few for that length (a rare query against a watchlist of millions of
    names), they are sorted instead: a merge of the sorted lists (timsort, ``"stable"``), five
    times faster here than numpy's default sort, which does not look for runs.
    """
    ids = np.concatenate(postings)
    if not len(ids):
        return ids, np.empty(0, dtype=np.intp)
    largest = max(int(p[-1]) for p in postings if len(p))
    if len(ids) >= largest * _DENSE_FROM:
        counts = np.bincount(ids)
        found = np.flatnonzero(counts >= need)
        return found, counts[found]
    ids.sort(kind="stable")
    if need >= 2:
        # A run of k equal ids holds k - 1 repeats: only those are read further (about one id in twenty).
        ids = ids[:-1][ids[1:] == ids[:-1]]
        if not len(ids):
            return ids, np.empty(0, dtype=np.intp)
    first = np.empty(len(ids), dtype=bool)
    first[0] = True
    np.not_equal(ids[1:], ids[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.empty(len(starts), dtype=np.intp)
    np.subtract(starts[1:], starts[:-1], out=counts[:-1])
    counts[-1] = len(ids) - starts[-1]
    if need >= 2:
        counts += 1
    if need > 2:
        enough = counts >= need
        return ids[starts][enough], counts[enough]
    return ids[starts], counts


def _intersect_sorted(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The ids in both ascending, duplicate-free arrays, ascending (``np.intersect1d`` of such arrays).

    Each id of the shorter array is looked up in the longer by bisection rather than sorting both
    together: the token postings of common words are long, the other list often short.
    """
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    pos = np.searchsorted(b, a)
    pos[pos == len(b)] = 0
    return a[b[pos] == a]


def _mark_parents(q: NormName, best: dict[int, NameMatch], wl: CompiledWatchlist) -> None:
    """A name that is exactly another listed party's is that party, and the group above the listed
    names that add words to it: *Sime Darby Berhad* (listed) is not *Sime Darby Plantation Berhad*
    (listed too) shortened. Those matches get the relation ``"parent"`` (an order on a company does
    not reach its parent)."""
    exact = wl.compact_index.get(q.compact)
    if not exact:
        return
    own = {wl.names[nid].party for nid in exact}
    words = set(q.tokens)
    for party, m in best.items():
        if party in own or m.relation or m.method == "exact":
            continue
        if words < set(wl.names[m.name_id].norm.tokens):
            best[party] = replace(m, relation="parent")


def name_score(a: str, b: str, wl: CompiledWatchlist, config: ScoringConfig = DEFAULT_SCORING) -> float:
    """Score two raw names with the watchlist's token weights (for tests and explanations)."""
    qa, qb = normalize_name(a), normalize_name(b)
    wa = tuple(wl.token_weight(t) for t in qa.tokens)
    wb = tuple(wl.token_weight(t) for t in qb.tokens)
    return score_names(qa, wa, qb, wb, wl.GENERIC_CAP, config)[0]
