"""Goods words in the languages parcel descriptions come in, mapped to the English keywords the
screening engine's goods detection knows (``gazetteer.goods``).

Sellers on marketplaces describe parcels in their own language ("纯棉T恤", "camiseta de
algodón", "T-shirt en coton"). Before a description reaches the engine the English keywords of
the words found here are appended, so it maps to the same goods keys as an English one. The
parcel keeps its description as sent. Pure: no Django.
"""

from __future__ import annotations

import re
from functools import cache

# English keyword (known to gazetteer.goods) -> words in other languages (es, fr, de, pt, it, zh, vi, tr).
GLOSSARY: dict[str, tuple[str, ...]] = {
    "cotton": (
        "algodón",
        "algodon",
        "coton",
        "baumwolle",
        "algodão",
        "algodao",
        "cotone",
        "pamuk",
        "vải bông",
        "纯棉",
        "全棉",
        "棉质",
        "棉",
    ),
    "apparel": (
        "camiseta",
        "camisa",
        "camisas",
        "pantalón",
        "pantalones",
        "vestido",
        "ropa",
        "sudadera",
        "chaqueta",
        "chemise",
        "robe",
        "vêtement",
        "vêtements",
        "veste",
        "hemd",
        "kleid",
        "bekleidung",
        "jacke",
        "roupa",
        "roupas",
        "maglietta",
        "vestito",
        "áo thun",
        "áo sơ mi",
        "tişört",
        "gömlek",
        "t恤",
        "衬衫",
        "连衣裙",
        "衣服",
        "卫衣",
        "外套",
        "裤子",
        "袜子",
    ),
    "gloves": ("guantes", "gants", "handschuhe", "luvas", "guanti", "găng tay", "eldiven", "手套"),
    "shoes": (
        "zapatos",
        "zapatillas",
        "chaussures",
        "baskets",
        "schuhe",
        "sapatos",
        "scarpe",
        "giày",
        "ayakkabı",
        "鞋",
        "运动鞋",
    ),
    "tomato paste": ("salsa de tomate", "pasta de tomate", "sauce tomate", "concentré de tomate", "tomatenmark"),
    "tomatoes": ("tomate", "tomates", "pomodoro", "cà chua", "domates"),
    "solar panel": (
        "panel solar",
        "paneles solares",
        "módulo fotovoltaico",
        "panneau solaire",
        "panneaux solaires",
        "solarmodul",
        "solarpanel",
        "painel solar",
        "pannello solare",
        "tấm pin mặt trời",
        "güneş paneli",
        "光伏组件",
        "光伏板",
        "太阳能板",
    ),
    "aluminum": ("aluminio", "alumínio", "alluminio", "nhôm", "alüminyum"),
    "seafood": (
        "mariscos",
        "pescado",
        "camarón",
        "camarones",
        "fruits de mer",
        "poisson",
        "crevette",
        "crevettes",
        "meeresfrüchte",
        "garnelen",
        "frutos do mar",
        "camarão",
        "hải sản",
        "tôm",
        "海鲜",
        "虾",
    ),
    "sugar": ("azúcar", "azucar", "sucre", "zucker", "açúcar", "zucchero", "şeker", "白糖", "蔗糖"),
    "palm oil": ("aceite de palma", "huile de palme", "palmöl", "óleo de palma", "olio di palma", "棕榈油"),
}

_CJK = re.compile(r"[\u3400-\u9fff]")


@cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    lookup: dict[str, str] = {}
    for english, words in GLOSSARY.items():
        for w in words:
            lookup.setdefault(w.casefold(), english)
    alts = []
    for w in sorted(lookup, key=len, reverse=True):
        # CJK words stand without spaces; others must be whole words.
        alts.append(re.escape(w) if _CJK.search(w) else rf"(?<!\w){re.escape(w)}(?!\w)")
    return re.compile("|".join(alts)), lookup


def english_keywords(description: str) -> list[str]:
    """The English goods keywords for the foreign goods words in ``description`` (in order, once each)."""
    pattern, lookup = _pattern()
    out: list[str] = []
    for m in pattern.finditer(description.casefold()):
        kw = lookup[m.group(0)]
        if kw not in out:
            out.append(kw)
    return out


def for_screening(description: str) -> str:
    """The description the engine reads: as sent, followed by the English keywords found."""
    words = english_keywords(description)
    return f"{description} [{'; '.join(words)}]" if words else description
