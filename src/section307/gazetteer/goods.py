"""Risk goods: HTS prefixes, description keywords and downstream links.

Each :class:`GoodDef` names a good the enforcement lists speak of (``cotton``,
``polysilicon``, ``tomatoes``...), the HTS headings/subheadings that carry it
and the keywords that reveal it in a free-text description. ``inputs`` links a
good to the goods it is made from, so an order on cotton also reaches yarn,
fabric, apparel and home textiles; an order on polysilicon reaches wafers,
cells and modules; an order on tomatoes reaches paste and sauce.

HTS prefixes are real HTSUS headings (2-digit chapters, 4-digit headings,
6/8/10-digit subheadings); :class:`Hts` normalises any dotted or undotted
spelling so prefixes compare digit by digit. ``dol_names`` are the good names
used by the US Department of Labor's List of Goods Produced by Child Labor or
Forced Labor, so a DOL table can be joined to this knowledge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

__all__ = [
    "GOODS",
    "GoodDef",
    "GoodMatch",
    "Hts",
    "classify_goods",
    "downstream_of",
    "get_good",
    "upstream_of",
]


class Hts(str):
    """A Harmonized Tariff Schedule code reduced to its digits.

    ``Hts("6109.10.0012") == Hts("6109100012") == "6109100012"``. Prefixes are
    allowed (``Hts("61")`` is chapter 61); :meth:`startswith_any` tests an
    entry's code against heading prefixes.
    """

    __slots__ = ()

    def __new__(cls, code: str | int | None) -> Hts:
        digits = re.sub(r"\D", "", str(code or ""))
        return super().__new__(cls, digits)

    @property
    def chapter(self) -> str:
        return self[:2]

    @property
    def heading(self) -> str:
        return self[:4]

    def dotted(self) -> str:
        """The usual ``NNNN.NN.NNNN`` spelling."""
        parts = [self[:4], self[4:6], self[6:10]]
        head, *rest = [p for p in parts if p]
        return ".".join([head, *rest]) if len(self) > 4 else head

    def startswith_any(self, prefixes: tuple[str, ...] | list[str]) -> str | None:
        """The longest prefix in ``prefixes`` this code falls under, or ``None``."""
        best: str | None = None
        for p in prefixes:
            if self.startswith(p) and (best is None or len(p) > len(best)):
                best = p
        return best


@dataclass(frozen=True, slots=True)
class GoodDef:
    """A good under orders or on the DOL list."""

    key: str
    name: str
    hts: tuple[str, ...]
    keywords: tuple[str, ...]
    inputs: tuple[str, ...] = field(default=())
    dol_names: tuple[str, ...] = field(default=())


def _g(
    key: str,
    name: str,
    hts: list[str],
    keywords: list[str],
    inputs: list[str] | None = None,
    dol: list[str] | None = None,
) -> GoodDef:
    return GoodDef(
        key, name, tuple(Hts(h) for h in hts), tuple(keywords), tuple(inputs or ()), tuple(dol or ())
    )


GOODS: list[GoodDef] = [
    # Cotton chain (HTS chapter 52 is cotton; 61/62 apparel; 63 made-up textiles).
    _g(
        "cotton",
        "Cotton",
        ["5201", "5202", "5203"],
        ["cotton", "raw cotton", "cotton lint", "ginned cotton", "棉花"],
        dol=["Cotton"],
    ),
    _g(
        "cotton_yarn",
        "Cotton yarn and thread",
        ["5204", "5205", "5206", "5207"],
        ["cotton yarn", "cotton thread", "yarn", "sewing thread", "棉纱"],
        ["cotton"],
        ["Thread/Yarn"],
    ),
    _g(
        "cotton_fabric",
        "Cotton fabric",
        ["5208", "5209", "5210", "5211", "5212", "5801", "5802", "6001", "6006"],
        [
            "cotton fabric",
            "woven fabric",
            "knitted fabric",
            "denim",
            "greige",
            "poplin",
            "twill",
            "canvas",
            "棉布",
        ],
        ["cotton_yarn"],
        ["Textiles"],
    ),
    _g(
        "apparel",
        "Apparel",
        ["61", "62"],
        [
            "apparel",
            "garment",
            "garments",
            "t-shirt",
            "t shirt",
            "tee shirt",
            "shirt",
            "shirts",
            "jeans",
            "trousers",
            "dress",
            "dresses",
            "sweater",
            "hoodie",
            "jacket",
            "underwear",
            "socks",
            "knitwear",
            "服装",
        ],
        ["cotton_fabric", "cotton_yarn"],
        ["Garments"],
    ),
    _g(
        "home_textiles",
        "Home textiles",
        ["6301", "6302", "6303", "6304"],
        [
            "bed linen",
            "bedding",
            "bed sheet",
            "towel",
            "towels",
            "blanket",
            "duvet",
            "pillowcase",
            "curtain",
            "tablecloth",
        ],
        ["cotton_fabric"],
        ["Textiles"],
    ),
    _g(
        "gloves",
        "Gloves",
        ["401519", "6116", "6216"],
        ["glove", "gloves", "nitrile", "disposable gloves"],
        dol=["Gloves", "Rubber Gloves"],
    ),
    _g("footwear", "Footwear", ["64"], ["shoe", "shoes", "footwear", "sneakers", "boots"], dol=["Footwear"]),
    # Tomato chain.
    _g("tomatoes", "Tomatoes", ["0702"], ["tomato", "tomatoes", "番茄"], dol=["Tomatoes"]),
    _g(
        "tomato_products",
        "Tomato products",
        ["2002", "210320"],
        ["tomato paste", "tomato sauce", "ketchup", "catsup", "tomato puree", "passata", "番茄酱"],
        ["tomatoes"],
        ["Tomato Products"],
    ),
    # Solar chain: quartzite -> metallurgical silicon -> polysilicon -> ingot/wafer -> cell -> module.
    _g("quartzite", "Quartzite", ["2506"], ["quartzite", "quartz"]),
    _g(
        "silicon_metal",
        "Metallurgical-grade silicon",
        ["280469"],
        ["silicon metal", "metallurgical silicon", "metallurgical grade silicon", "工业硅", "金属硅"],
        ["quartzite"],
    ),
    _g(
        "polysilicon",
        "Polysilicon",
        ["280461"],
        ["polysilicon", "polycrystalline silicon", "多晶硅"],
        ["silicon_metal"],
        ["Polysilicon"],
    ),
    _g(
        "pv_wafers",
        "Photovoltaic ingots and wafers",
        ["3818"],
        ["silicon wafer", "silicon wafers", "wafer", "wafers", "ingot", "ingots"],
        ["polysilicon"],
        ["Photovoltaic Ingots", "Photovoltaic Wafers"],
    ),
    _g(
        "solar_cells",
        "Solar cells",
        ["854142"],
        ["solar cell", "solar cells", "photovoltaic cell", "photovoltaic cells", "pv cell", "pv cells"],
        ["pv_wafers"],
        ["Solar Cells"],
    ),
    _g(
        "solar_modules",
        "Solar modules",
        ["854143"],
        [
            "solar module",
            "solar modules",
            "solar panel",
            "solar panels",
            "photovoltaic module",
            "photovoltaic modules",
            "pv module",
            "pv modules",
            "pv panel",
            "太阳能电池板",
        ],
        ["solar_cells"],
        ["Solar Modules"],
    ),
    # Chemicals and metals linked to labour transfer programmes.
    _g(
        "pvc",
        "Polyvinyl chloride (PVC)",
        ["390410", "390421", "390422"],
        ["pvc", "polyvinyl chloride", "pvc resin", "聚氯乙烯"],
    ),
    _g(
        "pvc_products",
        "PVC products",
        ["3918", "391610", "391723"],
        ["pvc flooring", "vinyl flooring", "vinyl tile", "pvc pipe"],
        ["pvc"],
    ),
    _g("aluminum", "Aluminum", ["76"], ["aluminum", "aluminium", "alumina", "铝"]),
    _g("caustic_soda", "Caustic soda", ["281511", "281512"], ["caustic soda", "sodium hydroxide"]),
    # Food and fisheries.
    _g(
        "seafood",
        "Fish and seafood",
        ["03", "1604", "1605"],
        ["seafood", "fish", "squid", "shrimp", "prawn", "pollock", "cod", "tuna", "salmon", "crab"],
        dol=["Fish", "Shrimp"],
    ),
    _g("garlic", "Garlic", ["070320"], ["garlic"], dol=["Garlic"]),
    _g("stevia", "Stevia", ["293890", "1212"], ["stevia", "steviol", "stevioside"]),
    _g("sugar", "Sugar", ["1701"], ["sugar", "sugarcane", "cane sugar"], dol=["Sugarcane"]),
    _g(
        "palm_oil",
        "Palm oil",
        ["1511", "151321"],
        ["palm oil", "palm kernel oil", "crude palm oil"],
        dol=["Palm Fruit", "Palm Oil"],
    ),
    _g(
        "cocoa",
        "Cocoa",
        ["1801", "1803", "1804", "1805", "1806"],
        ["cocoa", "cacao", "chocolate"],
        dol=["Cocoa"],
    ),
    _g("tobacco", "Tobacco", ["24"], ["tobacco", "cigarette", "cigarettes"], dol=["Tobacco"]),
    _g("tea", "Tea", ["0902"], ["tea"], dol=["Tea"]),
    # Manufactured goods on the DOL list for China.
    _g(
        "electronics",
        "Electronics",
        ["8471", "8517", "8528", "8542"],
        ["electronics", "laptop", "smartphone", "mobile phone", "tablet computer", "integrated circuit"],
        dol=["Electronics"],
    ),
    _g(
        "li_batteries",
        "Lithium-ion batteries",
        ["850760"],
        ["lithium-ion", "lithium ion", "li-ion battery"],
        dol=["Lithium-Ion Batteries"],
    ),
    _g(
        "hair_products",
        "Hair products",
        ["6703", "6704"],
        ["wig", "wigs", "hair extension", "hair extensions", "human hair", "hairpiece"],
        dol=["Hair Products"],
    ),
    _g("toys", "Toys", ["9503"], ["toy", "toys", "doll", "dolls"], dol=["Toys"]),
    _g(
        "christmas_decorations",
        "Christmas decorations",
        ["950510"],
        ["christmas decoration", "christmas decorations", "christmas ornament", "christmas ornaments"],
        dol=["Christmas Decorations"],
    ),
    _g(
        "artificial_flowers",
        "Artificial flowers",
        ["6702"],
        ["artificial flower", "artificial flowers"],
        dol=["Artificial Flowers"],
    ),
    _g("fireworks", "Fireworks", ["3604"], ["firework", "fireworks"], dol=["Fireworks"]),
    _g("bricks", "Bricks", ["6901", "6904"], ["brick", "bricks"], dol=["Bricks"]),
    _g("nails", "Nails", ["731700"], ["nail", "nails"], dol=["Nails"]),
    _g("coal", "Coal", ["2701"], ["coal"], dol=["Coal"]),
    _g("gold", "Gold", ["7108"], ["gold"], dol=["Gold"]),
    _g("timber", "Timber", ["4403", "4407"], ["timber", "lumber", "logs"], dol=["Timber"]),
]

_BY_KEY: dict[str, GoodDef] = {g.key: g for g in GOODS}


def get_good(key: str) -> GoodDef | None:
    return _BY_KEY.get(key)


@dataclass(frozen=True, slots=True)
class GoodMatch:
    """A good recognised in an entry and how (``hts`` prefix or description ``keyword``)."""

    key: str
    via: str
    evidence: str


@cache
def upstream_of(key: str) -> frozenset[str]:
    """``key`` and every good it is (transitively) made from."""
    out = {key}
    good = _BY_KEY.get(key)
    for inp in good.inputs if good else ():
        out |= upstream_of(inp)
    return frozenset(out)


@cache
def downstream_of(key: str) -> frozenset[str]:
    """``key`` and every good (transitively) made from it."""
    return frozenset(g.key for g in GOODS if key in upstream_of(g.key))


def _kw_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    lookup: dict[str, str] = {}
    # Longer phrases are tried first so "tomato paste" beats "tomato".
    for g in GOODS:
        for kw in g.keywords:
            lookup.setdefault(kw.casefold(), g.key)
    alts = []
    for kw in sorted(lookup, key=len, reverse=True):
        if any("\u3400" <= ch <= "\u9fff" for ch in kw):
            alts.append(re.escape(kw))
        else:
            alts.append(rf"(?<![a-z0-9]){re.escape(kw)}(?![a-z0-9])")
    return re.compile("|".join(alts)), lookup


_KW, _KW_LOOKUP = _kw_pattern()
_HTS_INDEX: list[tuple[str, str]] = sorted(
    ((p, g.key) for g in GOODS for p in g.hts), key=lambda t: -len(t[0])
)


def classify_goods(hts: str | None, description: str | None) -> list[GoodMatch]:
    """Goods an entry line carries, from its HTS code (longest prefix) and description keywords."""
    out: dict[str, GoodMatch] = {}
    code = Hts(hts)
    if len(code) >= 2:
        for prefix, key in _HTS_INDEX:
            if code.startswith(prefix):
                out.setdefault(
                    key, GoodMatch(key, "hts", f"HTS {code.dotted()} under {Hts(prefix).dotted()}")
                )
                break
    if description:
        text = description.casefold()
        for m in _KW.finditer(text):
            key = _KW_LOOKUP[m.group(0)]
            out.setdefault(key, GoodMatch(key, "keyword", f"description mentions '{m.group(0)}'"))
    return list(out.values())
