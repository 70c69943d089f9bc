"""Name normalisation: any script and spelling to comparable Latin tokens.

Steps, in order (each one so that two spellings of the same company converge):

1. Unicode NFKC and casefold; traditional Chinese characters to simplified (OpenCC), so
   大華 and 大华 are one name.
2. Chinese characters: known legal forms, branch words, generic business words
   (纺织 -> ``textile``) and Xinjiang place names (乌鲁木齐 -> ``urumqi``) are
   replaced from a dictionary; the rest is segmented with pypinyin's phrase
   dictionary and romanised, consecutive single characters joined into one
   token the way pinyin spellings write a brand (华孚 -> ``huafu``).
3. Any other non-Latin script goes through rigour's transliteration
   (Cyrillic, Arabic, Greek...), then rigour's legal-form database removes
   company types in every language it knows (GmbH, OOO (Cyrillic), Sdn Bhd, S.A. ...).
4. Punctuation splits tokens; abbreviations and pinyin generic words map to a
   single English form (``intl`` -> ``international``, ``fangzhi`` ->
   ``textile``); legal-form leftovers, branch/department words and stopwords
   are dropped; runs of tokens that spell a Xinjiang place in pinyin map to the
   English name (``wu lu mu qi`` -> ``urumqi``).

The result keeps the token sequence and a ``compact`` key (tokens joined with
no space) that makes ``Xin Jiang Hua Fu``, ``XINJIANGHUAFU`` and
``新疆华孚`` equal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from opencc import OpenCC
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT as _PHRASES
from pypinyin.seg.mmseg import seg as _mmseg
from rapidfuzz.distance import OSA
from rigour.names.org_types import extract_org_types
from rigour.text import ascii_text

from section307.gazetteer.places_cn import CHINA_PLACES, geonames_cn_places
from section307.gazetteer.regions import REGIONS
from section307.screening.records import pickled_by_position

__all__ = [
    "GENERIC_WORDS",
    "STOPWORDS",
    "NormName",
    "normalize_name",
    "normalize_text_tokens",
    "pinyin_syllable_count",
    "pinyin_syllables",
    "strip_legal_forms",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Legal forms and filler words that carry no identity (in the languages entries come in).
STOPWORDS: frozenset[str] = _words(
    """
    and of the des del et und for at on in by
    co company companies cos corp corporation inc incorporated llc plc pt tbk cv jsc ojsc cjsc pjsc
    ooo oao zao pao ao tov gmbh mbh ag kg sa sas sarl srl spa bv nv sdn bhd pvt pte kk kabushiki kaisha
    ltda lp llp sl sp zoo oy ab as aps limited ltd lte sociedad anonyme anonima dhmm private
    youxian gongsi zeren gufen fengongsi youxiangongsi youxianzerengongsi gufenyouxiangongsi
    congty tnhh cophan
    societatea comerciala raspundere limitata cu
    san sanayi tic ticaret ve sti sirketi anonim
    sendirian berhad perseroan terbatas joint stock jointstock
    branch branches dept department office subsidiary representative rep no
    shrkt sharikat sharika
    """
)

# Words shared by many unrelated companies: kept, but never worth more than a small weight.
GENERIC_WORDS: frozenset[str] = _words(
    """
    textile trading industrial garment apparel group international technology manufacturing import export
    development holding agriculture food product enterprise services service global chemical energy new
    material cotton silicon electronics knitting dyeing spinning weaving logistics investment
    science china general commercial commerce supply machinery metal mining power photovoltaic solar
    farm fishery seafood factory mill works plant hi high tech cooperative industry
    economic zone park city county province provincial national state corps production construction
    shoes footwear clothing fashion knitwear wool silk fabric yarn home bio biological resources
    tomato paste aluminum pvc brothers sons partners
    composite denim sweaters overseas syntex exports rubber latex plantation palm oil furniture
    konfeksiyon orme iplik dokuma giyim metallwerke maschinenbau lumber timber snab les
    """
)

# Abbreviations, plurals, other languages and pinyin generic words -> one English form.
SYNONYMS: dict[str, str] = {
    "intl": "international",
    "int": "international",
    "internat": "international",
    "mfg": "manufacturing",
    "mfr": "manufacturing",
    "mfrs": "manufacturing",
    "manufacturer": "manufacturing",
    "manufacture": "manufacturing",
    "ind": "industrial",
    "inds": "industrial",
    "indus": "industrial",
    "industries": "industrial",
    "industry": "industrial",
    "tech": "technology",
    "technologies": "technology",
    "techn": "technology",
    "technological": "technology",
    "grp": "group",
    "hldgs": "holding",
    "holdings": "holding",
    "imp": "import",
    "imports": "import",
    "exp": "export",
    "exports": "export",
    "dev": "development",
    "agri": "agriculture",
    # British spellings (two letters swapped or one more: not typing errors, one word).
    "centre": "center",
    "fibre": "fiber",
    "theatre": "theater",
    "metre": "meter",
    "colour": "color",
    "jewellery": "jewelry",
    "agricultural": "agriculture",
    "textiles": "textile",
    "tex": "textile",
    "garments": "garment",
    "apparels": "apparel",
    "products": "product",
    "prods": "product",
    "foods": "food",
    "chem": "chemical",
    "chemicals": "chemical",
    "enterprises": "enterprise",
    "ent": "enterprise",
    "svcs": "services",
    "svc": "services",
    "bros": "brothers",
    "natl": "national",
    "trade": "trading",
    "traders": "trading",
    "fabrics": "fabric",
    "materials": "material",
    "aluminium": "aluminum",
    "electronic": "electronics",
    "intertrade": "trading",
    "fashions": "fashion",
    "knits": "knitting",
    "knit": "knitting",
    "mills": "mill",
    "sweater": "sweaters",
    "biotech": "bio technology",
    "fishing": "fishery",
    "fisheries": "fishery",
    # other languages
    "tekstil": "textile",
    "textil": "textile",
    "industri": "industrial",
    "perdagangan": "trading",
    "handel": "trading",
    "treid": "trading",
    "treyd": "trading",
    "trejd": "trading",
    "logistik": "logistics",
    "chemie": "chemical",
    "metall": "metal",
    "import": "import",
    "rossii": "russia",
    "rossiya": "russia",
    # Russian "neftyanaya kompaniya" (NK Rosneft): oil company
    "nk": "oil",
    # pinyin generic words
    "fangzhi": "textile",
    "maoyi": "trading",
    "shangmao": "trading",
    "shiye": "industrial",
    "gongye": "industrial",
    "keji": "technology",
    "jishu": "technology",
    "jituan": "group",
    "konggu": "holding",
    "guoji": "international",
    "fuzhuang": "garment",
    "fushi": "garment",
    "zhiyi": "garment",
    "zhenzhi": "knitting",
    "nongye": "agriculture",
    "shipin": "food",
    "jinchukou": "import export",
    "nengyuan": "energy",
    "guangfu": "photovoltaic",
    "guiye": "silicon",
    "huagong": "chemical",
    "dianzi": "electronics",
    "mianye": "cotton",
    "zhipin": "product",
    "fazhan": "development",
    "touzi": "investment",
    "wuliu": "logistics",
    "zhizao": "manufacturing",
    "cailiao": "material",
    "kuangye": "mining",
    "lvye": "aluminum",
    "dianli": "power",
    "xinnengyuan": "energy",
    "bingtuan": "corps",
    "xpcc": "xinjiang production construction corps",
    "xjpcc": "xinjiang production construction corps",
}

# Chinese words replaced before romanisation: legal forms (dropped), branch words, generic words.
_HAN_WORDS: dict[str, str] = {
    "股份有限公司": "",
    "有限责任公司": "",
    "有限公司": "",
    "责任公司": "",
    "公司": "",
    "株式会社": "",
    "有限会社": "",
    "分公司": " branch ",
    "分厂": " branch ",
    "办事处": " office ",
    "总公司": "",
    "总厂": "",
    "工厂": " factory ",
    "厂": " factory ",
    "合作社": " cooperative ",
    "纺织品": " textile ",
    "纺织": " textile ",
    "棉纺": " cotton ",
    "棉业": " cotton ",
    "服装": " garment ",
    "县": " county ",
    "时尚": " fashion ",
    "发制品": " hair product ",
    "服饰": " garment ",
    "制衣": " garment ",
    "针织": " knitting ",
    "印染": " dyeing ",
    "贸易": " trading ",
    "商贸": " trading ",
    "进出口": " import export ",
    "实业": " industrial ",
    "工业": " industrial ",
    "科技": " technology ",
    "技术": " technology ",
    "集团": " group ",
    "控股": " holding ",
    "国际": " international ",
    "发展": " development ",
    "农业": " agriculture ",
    "食品": " food ",
    "番茄": " tomato ",
    "制品": " product ",
    "光伏": " photovoltaic ",
    "硅业": " silicon ",
    "新能源": " energy ",
    "能源": " energy ",
    "电子": " electronics ",
    "化工": " chemical ",
    "化学": " chemical ",
    "投资": " investment ",
    "物流": " logistics ",
    "电力": " power ",
    "材料": " material ",
    "铝业": " aluminum ",
    "矿业": " mining ",
    "机械": " machinery ",
    "制造": " manufacturing ",
    "中国": " china ",
    "兵团": " bingtuan ",
    "生产建设兵团": " production construction bingtuan ",
}

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Arabic script (Arabic, Persian, Urdu), letters and presentation forms.
_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+")
_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)


def _place_tables() -> tuple[dict[str, str], dict[str, str]]:
    """Chinese place name -> English token, and compact pinyin/Latin spelling -> English token."""
    han: dict[str, str] = {}
    latin: dict[str, str] = {}
    for reg in REGIONS:
        if reg.kind == "division":
            continue
        spellings = [n for n in reg.all_names if n]
        lat = [n for n in spellings if not _CJK_RE.search(n)]
        if not lat:
            continue
        canon = _compact_latin(lat[0])
        if not canon or (" " in lat[0] and len(canon) > 14):
            continue
        for n in spellings:
            if _CJK_RE.fullmatch(n) and len(n) >= 2:
                han.setdefault(n, f" {canon} ")
            elif not _CJK_RE.search(n):
                key = _compact_latin(n)
                if key and len(key) <= 14:
                    latin.setdefault(key, canon)
    return han, latin


def _compact_latin(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.casefold())
    return "".join(ch for ch in s if ch.isalnum() and not unicodedata.combining(ch))


_HAN_PLACES, _LATIN_PLACES = _place_tables()
_JOIN_STARTS: frozenset[str] = frozenset()  # filled below, once the tables exist
_HAN_TABLE: dict[str, str] = {**_HAN_PLACES, **_HAN_WORDS}
_HAN_RE = re.compile("|".join(re.escape(w) for w in sorted(_HAN_TABLE, key=len, reverse=True)))


@lru_cache(maxsize=100_000)
def _romanise_han_run(run: str) -> str:
    """Romanise a run of Han characters: dictionary words first, then pinyin by phrase (cached: a
    name's runs are read twice, for its words and for the words its characters read as)."""
    out: list[str] = []
    pos = 0
    for m in _HAN_RE.finditer(run):
        if m.start() > pos:
            out.append(_pinyin_words(run[pos : m.start()]))
        out.append(_HAN_TABLE[m.group(0)])
        pos = m.end()
    if pos < len(run):
        out.append(_pinyin_words(run[pos:]))
    return " " + " ".join(out) + " "


@lru_cache(maxsize=100_000)
def _word_pinyin(word: str) -> list[str]:
    if len(word) == 1 or word not in _PHRASES:
        # No phrase reading: the characters' own readings, from a cache.
        return [s for ch in word for s in _char_pinyin(ch)]
    return list(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))


@lru_cache(maxsize=50_000)
def _char_pinyin(ch: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(ch, style=Style.NORMAL, errors="ignore"))


@lru_cache(maxsize=100_000)
def _pinyin_words(text: str) -> str:
    words: list[str] = []
    single: list[str] = []
    for piece in _mmseg.cut(text):
        if len(piece) == 1:
            single.append(piece)
            continue
        if single:
            words.append("".join(single))
            single = []
        words.append(piece)
    if single:
        words.append("".join(single))
    out: list[str] = []
    for w in words:
        syllables = _word_pinyin(w)
        # A city the phrase dictionary did not know stays glued to the brand (苏州友联 -> suzhouyoulian):
        # split a leading Chinese place name off.
        for k in (4, 3, 2):
            if len(syllables) > k and "".join(syllables[:k]) in CHINA_PLACES:
                out.append("".join(syllables[:k]))
                syllables = syllables[k:]
                break
        out.append("".join(syllables))
    return " ".join(out)


def _pinyin_syllables() -> frozenset[str]:
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    # 40,000 characters share about 1,500 tone-marked readings: each is converted once (this runs
    # at import, in every process that screens).
    readings = {reading for value in pinyin_dict.values() for reading in value.split(",")}
    out: set[str] = set()
    for reading in readings:
        s = to_normal(reading).replace("\u00fc", "v")
        if s.isascii() and s.isalpha():
            out.add(s)
    # Interjections (嗯 ng, 呣 m, 哼 hng, 噷 hm, n) never spell a name: without them *Youngone* does
    # not read as you-ng-o-ne, and a typo in it is not "another syllable".
    return frozenset(out - _INTERJECTIONS)


_INTERJECTIONS = frozenset({"ng", "n", "m", "hm", "hng"})


_SYLLABLES = _pinyin_syllables()


@lru_cache(maxsize=100_000)
def pinyin_syllables(word: str) -> tuple[str, ...]:
    """``word`` split into the fewest pinyin syllables (``mingda`` -> ``ming``, ``da``), or ``()``."""
    n = len(word)
    best: list[tuple[str, ...] | None] = [()] + [None] * n
    for i in range(1, n + 1):
        for k in range(max(0, i - 6), i):
            prev = best[k]
            if prev is not None and word[k:i] in _SYLLABLES:
                cand = (*prev, word[k:i])
                cur = best[i]
                if cur is None or len(cand) < len(cur):
                    best[i] = cand
    return best[n] or ()


@lru_cache(maxsize=100_000)
def pinyin_syllable_count(word: str) -> int:
    """How many pinyin syllables spell ``word`` (fewest), or 0 if it is not pinyin."""
    n = len(word)
    best = [0] + [10_000] * n
    for i in range(1, n + 1):
        for k in range(max(0, i - 6), i):
            if best[k] < 10_000 and word[k:i] in _SYLLABLES and best[k] + 1 < best[i]:
                best[i] = best[k] + 1
    return best[n] if best[n] < 10_000 else 0


@pickled_by_position
@dataclass(frozen=True, slots=True)
class NormName:
    """A normalised name: comparison tokens in order and the spaceless key (optional tokens left out)."""

    tokens: tuple[str, ...]
    compact: str
    # Tokens that may be missing from the other name (a branch's place); empty when none are.
    optional: tuple[bool, ...] = ()
    # The name's distinctive Chinese characters (legal forms, trade words and places removed), when
    # it is written in characters: two such names compare as characters, not as their readings.
    han: str = ""
    # Tokens read from Chinese characters (a reading is exact: a different syllable is not a typo).
    romanised: frozenset[str] = frozenset()
    # "branch" or "subsidiary" when the name says it is one ("Shanghai Branch", "子公司").
    relation: str = ""
    # Initials of every word of three to six, legal forms included ("smic" for Semiconductor
    # Manufacturing International Corporation): what the name's acronym is usually made of.
    initials: str = ""
    # Tokens read from Arabic script, which leaves short vowels unwritten (``ملی`` -> ``mly``): they
    # compare with a Latin spelling by their consonants (``melli``).
    abjad: frozenset[str] = frozenset()
    # Tokens naming a Chinese place inside brackets (``Hoshine Silicon Industry (Shanshan)``): where the
    # company is registered, a qualifier that may be missing from the other name.
    places: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.tokens)


_T2S = OpenCC("t2s")


@lru_cache(maxsize=100_000)
def _simplified(run: str) -> str:
    return str(_T2S.convert(run))


def _to_simplified(text: str) -> str:
    """Traditional characters to simplified, run by run (Latin text is left alone)."""
    return _CJK_RE.sub(lambda m: _simplified(m.group(0)), text) if _CJK_RE.search(text) else text


def _latinise(text: str) -> str:
    text = _to_simplified(unicodedata.normalize("NFKC", text).casefold())
    if not text.isascii():
        # Legal forms in their own script (OOO (Cyrillic), ذ.م.م) are easier to catch before transliteration.
        text = strip_legal_forms(text)
    if _CJK_RE.search(text):
        text = _CJK_RE.sub(lambda m: _romanise_han_run(m.group(0)), text)
    if not text.isascii():
        text = _WORD_RE.sub(lambda m: _ascii_word(m.group(0)), text)
    return text


_WORD_RE = re.compile(r"[^\x00-\x7f]\S*|\S*[^\x00-\x7f]\S*")


@lru_cache(maxsize=200_000)
def _ascii_word(word: str) -> str:
    """Transliterate one word (cached: words repeat across a watchlist far more than names do)."""
    return str(ascii_text(word)).casefold()


_EDGE = " .,;:()[]-\u00ab\u00bb\"'"


# Legal forms written before the name (PT Maju, OOO Romashka); others only count at the end, as
# rigour also lists short words ("ay", "ege") that start ordinary names.
_PREFIX_FORMS = frozenset(
    {"pt", "ooo", "ao", "zao", "oao", "pao", "pjsc", "jsc", "ojsc", "cjsc", "cv", "ud", "tov"}
)


def strip_legal_forms(text: str) -> str:
    """Remove legal forms (rigour's database, every language) at the start or end of a name.

    Only the edges: inside a name the same letters are often a word or a pinyin syllable
    (``yu``, ``an``, ``ag``), which rigour's anywhere-removal would delete.
    """
    for _ in range(4):
        changed = False
        for matched, _compare in extract_org_types(text):
            tail = text.rstrip(_EDGE)
            if (
                (len(matched) >= 4 or "." in matched)
                and tail.endswith(matched)
                and (len(tail) == len(matched) or not tail[-len(matched) - 1].isalnum())
            ):
                text = tail[: -len(matched)]
                changed = True
                break
            head = text.lstrip(_EDGE)
            if (
                _compare in _PREFIX_FORMS
                and head.startswith(matched)
                and (len(head) == len(matched) or not head[len(matched)].isalnum())
            ):
                text = head[len(matched) :]
                changed = True
                break
        if not changed:
            break
    return text


def normalize_text_tokens(text: str) -> list[str]:
    """Latin tokens of any text (used for addresses): transliterated, punctuation-split."""
    return _TOKEN_RE.findall(_latinise(text))


def _canonical(key: str) -> str | None:
    """What a (possibly joined) token stands for: a place, a synonym, or ``""`` for a stopword."""
    place = _LATIN_PLACES.get(key)
    if place is not None:
        return place
    syn = SYNONYMS.get(key)
    if syn is not None:
        return syn
    return None


def _join_starts() -> frozenset[str]:
    """Every prefix of a known word that could be a token written apart (``wu`` of ``wulumuqi``)."""
    keys = [*_LATIN_PLACES, *SYNONYMS, *STOPWORDS]
    return frozenset(k[:n] for k in keys for n in range(1, min(len(k), 6) + 1))


_JOIN_STARTS = _join_starts()


def _join_known(tokens: list[str]) -> list[str]:
    """Map tokens, joining up to four that spell a known word when written apart.

    ``wu lu mu qi`` -> ``urumqi``, ``ke ji`` -> ``technology``, ``you xian gong si`` -> dropped.
    Scans from the end, where generic words and legal forms sit, so ``bo fu shi ye`` reads as
    ``bo fu | shiye`` and not ``bo | fushi | ye``.
    """
    out: list[tuple[str, ...]] = []
    j = len(tokens)
    starts = _JOIN_STARTS
    while j > 0:
        for i in range(max(j - 4, 0), j - 1):
            # Widths 4, 3, 2: the first token must begin a known word and none may be longer than 6.
            if tokens[i] not in starts or max(map(len, tokens[i:j])) > 6:
                continue
            key = "".join(tokens[i:j])
            canon = _canonical(key)
            if canon is None and key in STOPWORDS:
                canon = ""
            if canon is not None:
                out.append(_split(canon))
                j = i
                break
        else:
            out.append(_known_word(tokens[j - 1]))
            j -= 1
    return [t for group in reversed(out) for t in group]


@lru_cache(maxsize=100_000)
def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split())


@lru_cache(maxsize=200_000)
def _known_word(token: str) -> tuple[str, ...]:
    """One token as :func:`_join_known` maps it on its own (names repeat their words)."""
    canon = _canonical(token)
    return (token,) if canon is None else _split(canon)


_BRANCH_WORDS = frozenset({"branch", "office", "department", "dept", "fengongsi", "representative"})
_SUBSIDIARY_RE = re.compile(r"\bsubsidiar(?:y|ies)\b|子公司|\bfiliale\b|\bdochernee\b", re.IGNORECASE)
_BRANCH_RE = re.compile(r"\bbranch(?:es)?\b|分公司|分厂|\bfengongsi\b|\bfilial\b", re.IGNORECASE)

# Number words -> digits, so "Forty-Four" and "44", "First" and "1st" agree.
_UNITS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate(["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])
    if i > 1
}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "twentieth": 20,
    "thirtieth": 30,
}
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_ORDINALS)


def _numerals(tokens: list[str]) -> list[str]:
    """``forty four`` -> ``44``, ``first`` / ``1st`` -> ``1``; other tokens unchanged."""
    if _NUMBER_WORDS.isdisjoint(tokens) and not any(t[0].isdigit() and not t.isdigit() for t in tokens):
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        m = _ORDINAL_SUFFIX.match(t)
        if m:
            out.append(str(int(m.group(1))))
        elif t in _TENS:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            unit = _UNITS.get(nxt) or _ORDINALS.get(nxt)
            if unit and unit < 10:
                out.append(str(_TENS[t] + unit))
                i += 1
            else:
                out.append(str(_TENS[t]))
        elif t in _UNITS and t not in ("zero",):
            out.append(str(_UNITS[t]))
        elif t in _ORDINALS:
            out.append(str(_ORDINALS[t]))
        else:
            out.append(t)
        i += 1
    return out


def _join_letters(tokens: list[str]) -> list[str]:
    """Runs of single letters are one acronym: ``a b c`` (from ``A.B.C.``) -> ``abc``."""
    if all(len(t) > 1 for t in tokens):
        return tokens
    out: list[str] = []
    run: list[str] = []
    for t in [*tokens, ""]:
        if len(t) == 1 and t.isalpha():
            run.append(t)
            continue
        if run:
            out.append("".join(run) if len(run) > 1 else run[0])
            run = []
        if t:
            out.append(t)
    return out


def _join_split_words(tokens: list[str]) -> list[str]:
    """A word broken by a space (``indus trial``) is joined when the two halves spell a known word."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens):
            pair = tokens[i] + tokens[i + 1]
            if pair in GENERIC_WORDS or pair in SYNONYMS or pair in _LONG_STOPWORDS:
                out.append(pair)
                i += 2
                continue
        out.append(tokens[i])
        i += 1
    return out


# Short legal-form words; one wrong letter in one of these, at the end of a name, is still that word.
_SHORT_LEGAL = ("ltd", "llc", "inc", "corp", "plc", "joint", "stock", "company", "limited", "co")

# Legal forms glued to a camel-case name: "SiemensAG", "AcmeGmbH".
_GLUED_FORM = re.compile(
    r"(?<=[a-z]{3})(AG|GmbH|KG|LLC|LLP|Ltd|LTD|Inc|INC|SA|SRL|SpA|BV|NV|PLC|Plc|OOO|JSC|Corp|CORP|Co)\b"
)


# Legal-form words long enough that one wrong letter still identifies them.
_LONG_STOPWORDS = (
    "limited",
    "company",
    "private",
    "corporation",
    "incorporated",
    "sendirian",
    "berhad",
    "perseroan",
    "terbatas",
    "sociedad",
    "anonima",
    "anonyme",
    "department",
)


def _legal_typo(tokens: list[str]) -> list[bool]:
    """Which trailing tokens are legal-form words with one wrong letter (``joynt stock``, ``cs ltd``, ``ntd``).

    Only the tail of the name (every later token a legal form too) and never the first word, so a
    brand one letter from ``co`` or ``inc`` keeps its place.
    """
    flags = [False] * len(tokens)
    for i in range(len(tokens) - 1, 0, -1):
        t = tokens[i]
        if t in STOPWORDS:
            flags[i] = True
            continue
        if t.isdigit() or t in GENERIC_WORDS or len(t) < 2:
            break
        limit = 1 if len(t) >= 3 else 0
        followed = i + 1 < len(tokens) and flags[i + 1]
        if len(t) == 2 and followed:
            limit = 1
        if limit and any(
            abs(len(t) - len(w)) <= 1 and OSA.distance(t, w, score_cutoff=1) <= 1
            for w in _SHORT_LEGAL
            if len(w) >= 3 or followed
        ):
            flags[i] = True
            continue
        break
    return flags


@lru_cache(maxsize=200_000)
def _is_stopword(token: str) -> bool:
    """A stopword, or a long legal-form word with a typo ("Limiited", "Sendirrian")."""
    if token in STOPWORDS:
        return True
    if len(token) < 6 or token in GENERIC_WORDS:
        return False
    return any(
        abs(len(token) - len(w)) <= 1 and OSA.distance(token, w, score_cutoff=1) <= 1 for w in _LONG_STOPWORDS
    )


# Russian, Ukrainian and Belarusian patronymics, and Turkic "-oglu / -ogly" ("son of"): official lists
# give them, entry documents and the press mostly do not ("Sergey Viktorovich Lavrov" / "Sergei Lavrov").
_PATRONYMIC_RE = re.compile(r"^[a-z]{3,}(?:ovich|evich|ovna|evna|ichna|oglu|ogly|kyzy)$")


def _branch_optional(tokens: list[str]) -> list[bool]:
    """``X Co Ltd Hong Kong Branch`` is X: the (up to two) words naming a branch need not match; nor
    need a village or township a facility name adds (``Baijia Underwear - Huahai Village``)."""
    optional = [False] * len(tokens)
    for i, t in enumerate(tokens):
        if t in _BRANCH_WORDS:
            for j in range(max(1, i - 2), i):
                optional[j] = True
        elif t in _PLACE_MARKERS and i >= 2:
            optional[i] = optional[i - 1] = True
    return optional


_PLACE_MARKERS = frozenset({"village", "township"})


@lru_cache(maxsize=200_000)
def normalize_name(name: str) -> NormName:
    """Normalise a company or person name for matching (cached: entries repeat names a lot)."""
    if not name:
        return NormName((), "")
    relation = "branch" if _BRANCH_RE.search(name) else "subsidiary" if _SUBSIDIARY_RE.search(name) else ""
    # A zero-width non-joiner separates letters inside one Persian word (خامنه‌ای), not two words.
    name = _GLUED_FORM.sub(r" \1", name.replace("\u200c", ""))
    han = ""
    romanised: frozenset[str] = frozenset()
    abjad: frozenset[str] = frozenset()
    if _ARABIC_RE.search(name):
        abjad = frozenset(_TOKEN_RE.findall(_latinise(" ".join(_ARABIC_RE.findall(name)))))
    if _CJK_RE.search(name):
        name = _to_simplified(name)
        han = _han_brand(name)
        romanised = _romanised_words(name)
    text = _latinise(name)
    places = _bracketed_places(text)
    # "&" and "+" join words in names ("A&B" == "A and B"); a possessive is the word ("Bank's" == "Bank");
    # other apostrophes do not split words.
    text = text.replace("&", " and ").replace("+", " and ")
    text = re.sub(r"(?<=\w)['\u2019]s\b", "", text).replace("'", "").replace("\u2019", "")
    # Dotted acronyms stay one word: "a.b.c." -> "abc" (legal forms with dots are removed first).
    text = strip_legal_forms(text)
    text = re.sub(r"\b(?:[a-z]\.){2,}(?![a-z])", lambda m: m.group(0).replace(".", ""), text)
    # Legal forms are removed with their dots first ("s.a.", "sdn. bhd."), then again once split.
    text = strip_legal_forms(re.sub(r"[.,;:()\[\]{}\"/\\-]+", " ", text))
    raw = _join_split_words(_join_letters(_numerals(_TOKEN_RE.findall(text))))
    tokens = _join_known(raw)
    optional = _branch_optional(tokens)
    if len(tokens) >= 3:
        # A patronymic between or beside a given name and a surname may be left out.
        optional = [o or bool(_PATRONYMIC_RE.match(t)) for o, t in zip(optional, tokens, strict=True)]
    legal = _legal_typo(tokens)
    kept = [(t, o) for t, o, lg in zip(tokens, optional, legal, strict=True) if not lg and not _is_stopword(t)]
    if not kept:
        # A name made only of stopwords ("Trading Co.") keeps its words rather than vanishing.
        kept = [(w, False) for t in raw for w in SYNONYMS.get(t, t).split()]
    toks = tuple(t for t, _ in kept)
    opts = tuple(o for _, o in kept)
    words = [t for t in raw if t not in _ACRONYM_SKIP and not t.isdigit()]
    return NormName(
        toks,
        "".join(t for t, o in kept if not o),
        opts if any(opts) else (),
        han,
        frozenset(t for t in toks if t in romanised),
        relation,
        "".join(w[0] for w in words) if 3 <= len(words) <= 6 and not han else "",
        frozenset(t for t in toks if t in abjad),
        frozenset(t for t in toks if t in places),
    )


_BRACKET_RE = re.compile(r"\(([^()]*)\)")


def _bracketed_places(text: str) -> frozenset[str]:
    """Words in brackets that name a Chinese place in GeoNames (``(Shanshan)``, ``(鄯善)`` read ``shanshan``)."""
    if "(" not in text:
        return frozenset()
    known = geonames_cn_places()
    return frozenset(w for seg in _BRACKET_RE.findall(text) for w in _TOKEN_RE.findall(seg) if w in known)


_ACRONYM_SKIP = frozenset({"and", "of", "the", "for", "de"})


def _han_brand(name: str) -> str:
    """The Chinese characters of a name that are not legal forms, trade words, branch words or places."""
    runs = _CJK_RE.findall(unicodedata.normalize("NFKC", name))
    if not runs:
        return ""
    return "".join(_HAN_RE.sub("", r) for r in runs)


def _romanised_words(name: str) -> frozenset[str]:
    """The words the Chinese characters of a name read as (``宏嘉`` -> ``hongjia``)."""
    runs = _CJK_RE.findall(unicodedata.normalize("NFKC", name))
    return frozenset(w for r in runs for w in _romanise_han_run(r).split())
