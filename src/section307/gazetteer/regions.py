"""Places under region-wide import orders and presumptions.

Covers the Xinjiang Uyghur Autonomous Region (XUAR): its prefecture-level
divisions, major cities and a few large cotton/tomato counties, and the
Xinjiang Production and Construction Corps (XPCC, "Bingtuan") with its 14
divisions and the cities they administer.

Each :class:`RegionDef` lists spellings in three tiers because many place
names are ambiguous outside Xinjiang:

``names``
    Specific enough to match anywhere (``Urumqi``, ``乌鲁木齐``, ``Kashgar``).
``cn_names``
    Match only when the text or the caller says the place is in China
    (``Aksu`` is also a district of Antalya, ``Altay`` a Russian republic).
``context_names``
    Match only next to an explicit Xinjiang/XPCC marker in the same text
    (``Xinxing`` is also a county in Guangdong, ``新星`` means "new star",
    ``1st Division`` is meaningless without "XPCC").

:func:`find_regions` returns the most specific regions found in a text, in any
script (English, pinyin with or without spaces, Chinese characters, Uyghur
Latin), matching whole words for Latin script so short names never match
inside longer words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["REGIONS", "RegionDef", "find_regions", "get_region", "normalize_place_text", "region_ancestors"]


@dataclass(frozen=True, slots=True)
class RegionDef:
    """A region, prefecture, city, county, corps or corps division."""

    code: str
    name: str
    kind: str  # region | prefecture | city | county | corps | division
    parent: str | None
    country: str
    names: tuple[str, ...]
    cn_names: tuple[str, ...] = field(default=())
    context_names: tuple[str, ...] = field(default=())

    @property
    def all_names(self) -> tuple[str, ...]:
        return self.names + self.cn_names + self.context_names


def _r(
    code: str,
    name: str,
    kind: str,
    parent: str | None,
    names: list[str],
    cn: list[str] | None = None,
    ctx: list[str] | None = None,
) -> RegionDef:
    return RegionDef(code, name, kind, parent, "CN", tuple(names), tuple(cn or ()), tuple(ctx or ()))


_XJ = "CN-XJ"
_XPCC = "CN-XJ-XPCC"

REGIONS: list[RegionDef] = [
    _r(
        _XJ,
        "Xinjiang Uyghur Autonomous Region",
        "region",
        None,
        [
            "Xinjiang",
            "Xin Jiang",
            "Xinjiang Uyghur Autonomous Region",
            "Xinjiang Uygur Autonomous Region",
            "Xinjiang Weiwuer Zizhiqu",
            "Xinjiang Uighur",
            "XUAR",
            "Sinkiang",
            "Shinjang",
            "East Turkestan",
            "East Turkistan",
            "新疆",
            "新疆维吾尔自治区",
            "新疆维吾尔族自治区",
        ],
    ),
    # Prefecture-level cities.
    _r(
        "CN-XJ-URUMQI",
        "Urumqi",
        "city",
        _XJ,
        [
            "Urumqi",
            "Urumchi",
            "Wulumuqi",
            "Wu Lu Mu Qi",
            "Ürümqi",
            "Ürümchi",
            "Urumtsi",
            "乌鲁木齐",
            "烏魯木齊",
        ],
    ),
    _r(
        "CN-XJ-KARAMAY", "Karamay", "city", _XJ, ["Karamay", "Kelamayi", "Ke La Ma Yi", "Qaramay", "克拉玛依"]
    ),
    _r("CN-XJ-TURPAN", "Turpan", "city", _XJ, ["Turpan", "Turfan", "Tulufan", "Tu Lu Fan", "吐鲁番"]),
    _r("CN-XJ-HAMI", "Hami", "city", _XJ, ["Kumul", "Qumul", "哈密"], cn=["Hami"]),
    # Autonomous prefectures and prefectures, with their main cities.
    _r(
        "CN-XJ-CHANGJI",
        "Changji Hui Autonomous Prefecture",
        "prefecture",
        _XJ,
        ["Changji", "Chang Ji", "Sanji", "昌吉", "昌吉回族自治州"],
    ),
    _r("CN-XJ-FUKANG", "Fukang", "city", "CN-XJ-CHANGJI", ["阜康"], ctx=["Fukang"]),
    _r("CN-XJ-MANAS", "Manas County", "county", "CN-XJ-CHANGJI", ["玛纳斯"], ctx=["Manas", "Manasi"]),
    _r("CN-XJ-HUTUBI", "Hutubi County", "county", "CN-XJ-CHANGJI", ["Hutubi", "呼图壁"]),
    _r(
        "CN-XJ-BORTALA",
        "Bortala Mongol Autonomous Prefecture",
        "prefecture",
        _XJ,
        ["Bortala", "Boertala", "Bo'ertala", "Borotala", "Börtala", "博尔塔拉", "博尔塔拉蒙古自治州"],
    ),
    _r("CN-XJ-BOLE", "Bole", "city", "CN-XJ-BORTALA", ["博乐"], cn=["Bole", "Bortala City"]),
    _r(
        "CN-XJ-BAYINGOLIN",
        "Bayingolin Mongol Autonomous Prefecture",
        "prefecture",
        _XJ,
        [
            "Bayingolin",
            "Bayingol",
            "Bayinguoleng",
            "Bayin Guoleng",
            "Bayingholin",
            "Bayin'gholin",
            "巴音郭楞",
            "巴州",
        ],
    ),
    _r("CN-XJ-KORLA", "Korla", "city", "CN-XJ-BAYINGOLIN", ["Korla", "Kuerle", "Ku Er Le", "库尔勒"]),
    _r("CN-XJ-YANQI", "Yanqi Hui Autonomous County", "county", "CN-XJ-BAYINGOLIN", ["焉耆"], ctx=["Yanqi"]),
    _r("CN-XJ-AKSU", "Aksu Prefecture", "prefecture", _XJ, ["Akesu", "Aqsu", "阿克苏"], cn=["Aksu"]),
    _r("CN-XJ-KUQA", "Kuqa", "city", "CN-XJ-AKSU", ["Kuqa", "Kuche", "Kucha", "库车"]),
    _r("CN-XJ-AWAT", "Awat County", "county", "CN-XJ-AKSU", ["阿瓦提"], cn=["Awat", "Awati"]),
    _r(
        "CN-XJ-KIZILSU",
        "Kizilsu Kyrgyz Autonomous Prefecture",
        "prefecture",
        _XJ,
        ["Kizilsu", "Kezilesu", "Qizilsu", "克孜勒苏", "克州"],
    ),
    _r("CN-XJ-ARTUX", "Artux", "city", "CN-XJ-KIZILSU", ["Artux", "Artush", "Atushi", "阿图什"]),
    _r(
        "CN-XJ-KASHGAR",
        "Kashgar Prefecture",
        "prefecture",
        _XJ,
        ["Kashgar", "Kashghar", "Kaxgar", "Qeshqer", "Kashi Prefecture", "喀什", "喀什地区"],
        cn=["Kashi"],
    ),
    _r(
        "CN-XJ-YARKAND", "Yarkant County", "county", "CN-XJ-KASHGAR", ["Yarkand", "Yarkant", "Shache", "莎车"]
    ),
    _r(
        "CN-XJ-KARGILIK", "Kargilik County", "county", "CN-XJ-KASHGAR", ["Kargilik", "Yecheng County", "叶城"]
    ),
    _r(
        "CN-XJ-HOTAN",
        "Hotan Prefecture",
        "prefecture",
        _XJ,
        ["Hotan", "Khotan", "Hetian", "Xoten"],
        cn=["和田"],
    ),
    _r("CN-XJ-KARAKAX", "Karakax County", "county", "CN-XJ-HOTAN", ["Karakax", "Moyu", "墨玉"]),
    _r("CN-XJ-LOP", "Lop County", "county", "CN-XJ-HOTAN", ["洛浦"], ctx=["Lop", "Luopu"]),
    _r(
        "CN-XJ-ILI",
        "Ili Kazakh Autonomous Prefecture",
        "prefecture",
        _XJ,
        ["Yili", "Ili Kazakh", "伊犁", "伊犁哈萨克自治州"],
        cn=["Ili"],
    ),
    _r("CN-XJ-YINING", "Yining", "city", "CN-XJ-ILI", ["Yining", "Ghulja", "Gulja", "Kulja", "伊宁"]),
    _r("CN-XJ-KUITUN", "Kuitun", "city", "CN-XJ-ILI", ["Kuitun", "Kuytun", "奎屯"]),
    _r("CN-XJ-HORGOS", "Horgos", "city", "CN-XJ-ILI", ["Horgos", "Khorgos", "Huoerguosi", "霍尔果斯"]),
    _r(
        "CN-XJ-TACHENG",
        "Tacheng Prefecture",
        "prefecture",
        _XJ,
        ["Tacheng", "Chuguchak", "Qoqek", "Tarbaghatay", "塔城"],
    ),
    _r("CN-XJ-WUSU", "Wusu", "city", "CN-XJ-TACHENG", ["乌苏"], ctx=["Wusu"]),
    _r("CN-XJ-SHAWAN", "Shawan", "city", "CN-XJ-TACHENG", [], ctx=["Shawan", "沙湾"]),
    _r("CN-XJ-ALTAY", "Altay Prefecture", "prefecture", _XJ, ["Aletai", "阿勒泰"], cn=["Altay"]),
    # Xinjiang Production and Construction Corps.
    _r(
        _XPCC,
        "Xinjiang Production and Construction Corps",
        "corps",
        _XJ,
        [
            "Xinjiang Production and Construction Corps",
            "Xinjiang Production & Construction Corps",
            "Production and Construction Corps",
            "XPCC",
            "XJPCC",
            "Bingtuan",
            "Bing Tuan",
            "Xinjiang Shengchan Jianshe Bingtuan",
            "新疆生产建设兵团",
            "生产建设兵团",
            "兵团",
        ],
    ),
]

# XPCC divisions: (number, English ordinal, Chinese numeral, administered city,
# city names, city context names)
_DIVISIONS: list[tuple[int, str, str, str, list[str], list[str]]] = [
    (1, "First", "一", "Aral", ["Aral", "Alaer", "Ala'er", "阿拉尔"], []),
    (2, "Second", "二", "Tiemenguan", ["Tiemenguan", "Tiemen Guan", "铁门关"], []),
    (3, "Third", "三", "Tumxuk", ["Tumxuk", "Tumshuq", "Tumushuke", "图木舒克"], []),
    (4, "Fourth", "四", "Kokdala", ["Kokdala", "Kekedala", "可克达拉"], []),
    (5, "Fifth", "五", "Shuanghe", [], ["Shuanghe", "Shuang He", "双河"]),
    (6, "Sixth", "六", "Wujiaqu", ["Wujiaqu", "Wu Jia Qu", "五家渠"], []),
    (7, "Seventh", "七", "Huyanghe", ["Huyanghe", "胡杨河"], []),
    (8, "Eighth", "八", "Shihezi", ["Shihezi", "Shi He Zi", "石河子"], []),
    (9, "Ninth", "九", "Baiyang", [], ["Baiyang", "白杨"]),
    (10, "Tenth", "十", "Beitun", [], ["Beitun", "北屯"]),
    (11, "Eleventh", "十一", "", [], []),
    (12, "Twelfth", "十二", "", [], []),
    (13, "Thirteenth", "十三", "Xinxing", [], ["Xinxing", "新星"]),
    (14, "Fourteenth", "十四", "Kunyu", [], ["Kunyu", "昆玉"]),
]


def _ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


for _n, _word, _zh, _city, _city_names, _city_ctx in _DIVISIONS:
    _code = f"{_XPCC}-D{_n}"
    REGIONS.append(
        _r(
            _code,
            f"XPCC {_n}{_ordinal_suffix(_n)} Division",
            "division",
            _XPCC,
            [
                f"农{_zh}师",
                f"兵团第{_zh}师",
                f"XPCC {_n}{_ordinal_suffix(_n)} Division",
                f"XPCC {_word} Division",
                f"Bingtuan {_word} Division",
            ],
            ctx=[
                f"第{_zh}师",
                f"{_n}{_ordinal_suffix(_n)} Division",
                f"{_word} Division",
                f"Division {_n}",
                f"Agricultural Division {_n}",
                f"Nong {_n} Shi",
            ],
        )
    )
    if _city:
        REGIONS.append(
            _r(
                f"{_code}-CITY",
                _city,
                "city",
                _code,
                [*_city_names, f"{_city} City"] if _city_names else [],
                ctx=[*_city_ctx, f"{_city} City"] if _city_ctx else [],
            )
        )

_BY_CODE: dict[str, RegionDef] = {r.code: r for r in REGIONS}

# Markers that put ambiguous names in a Xinjiang context.
_XJ_MARKERS = (
    "xinjiang",
    "xin jiang",
    "新疆",
    "xuar",
    "xpcc",
    "bingtuan",
    "兵团",
    "uyghur",
    "uygur",
    "uighur",
)
_CN_MARKERS = (" china ", " prc ", " p r c ", " peoples republic of china ", "中国", "中華", "中华")


def get_region(code: str) -> RegionDef | None:
    """The region with this code, or ``None``."""
    return _BY_CODE.get(code)


def region_ancestors(code: str) -> list[str]:
    """``code`` followed by its parents up to the top-level region."""
    out: list[str] = []
    cur: str | None = code
    while cur is not None and cur not in out:
        out.append(cur)
        reg = _BY_CODE.get(cur)
        cur = reg.parent if reg else None
    return out


def normalize_place_text(text: str) -> str:
    """Casefold, strip diacritics and apostrophes, turn punctuation into spaces; CJK kept."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("'", "").replace("\u2019", "").replace("&", " and ")
    text = re.sub(r"[^\w\u3400-\u9fff]+", " ", text)
    return f" {text.strip()} "


def _is_cjk(s: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in s)


@dataclass(frozen=True, slots=True)
class _Tier:
    """Spellings of one tier: Latin ones as word n-grams (dict lookups), CJK ones as one regex."""

    latin: dict[str, str]
    max_words: int
    cjk: re.Pattern[str] | None
    cjk_lookup: dict[str, str]


def _tier(attr: str) -> _Tier:
    latin: dict[str, str] = {}
    cjk: dict[str, str] = {}
    # Longer (more specific) codes win when two regions share a spelling.
    for reg in sorted(REGIONS, key=lambda r: len(r.code)):
        for n in getattr(reg, attr):
            norm = normalize_place_text(n).strip()
            if not norm:
                continue
            (cjk if _is_cjk(norm) else latin)[norm] = reg.code
    pattern = re.compile("|".join(re.escape(n) for n in sorted(cjk, key=len, reverse=True))) if cjk else None
    max_words = max((len(k.split()) for k in latin), default=1)
    return _Tier(latin, max_words, pattern, cjk)


@lru_cache(maxsize=1)
def _tiers() -> tuple[_Tier, _Tier, _Tier]:
    return _tier("names"), _tier("cn_names"), _tier("context_names")


def _scan(tier: _Tier, words: list[str], text: str, has_cjk: bool) -> list[str]:
    found: list[str] = []
    n = len(words)
    for i in range(n):
        for width in range(min(tier.max_words, n - i), 0, -1):
            code = tier.latin.get(" ".join(words[i : i + width]))
            if code is not None:
                found.append(code)
                break
    if has_cjk and tier.cjk is not None:
        found.extend(tier.cjk_lookup[m.group(0)] for m in tier.cjk.finditer(text))
    return found


def find_regions(text: str | None, country: str | None = None) -> list[RegionDef]:
    """Regions named in ``text`` (an address, a place, a description), most specific first.

    ``country`` is the ISO alpha-2 country the text is known to be in, if any;
    with ``CN`` the China-only spellings (``Aksu``, ``Altay``) are accepted.
    A region is dropped when one of its descendants is also found, so
    ``"Kashgar, Xinjiang"`` gives Kashgar only (callers walk up with
    :func:`region_ancestors`).
    """
    if not text:
        return []
    return list(_find_regions(text, (country or "").upper() or None))


@lru_cache(maxsize=100_000)
def _find_regions(text: str, country: str | None) -> tuple[RegionDef, ...]:
    norm = normalize_place_text(text)
    words = norm.split()
    has_cjk = _is_cjk(norm)
    strong, cn_tier, ctx_tier = _tiers()
    codes = _scan(strong, words, norm, has_cjk)
    in_xj = bool(codes) or any(m in norm for m in _XJ_MARKERS)
    in_cn = in_xj or country == "CN" or any(m in norm for m in _CN_MARKERS)
    if in_cn:
        codes += _scan(cn_tier, words, norm, has_cjk)
    if in_xj or codes:
        codes += _scan(ctx_tier, words, norm, has_cjk)
    if not codes:
        return ()
    found = dict.fromkeys(codes)
    ancestors_of_found = {a for c in found for a in region_ancestors(c)[1:]}
    specific = [c for c in found if c not in ancestors_of_found]
    specific.sort(key=lambda c: -len(region_ancestors(c)))
    return tuple(_BY_CODE[c] for c in specific)
