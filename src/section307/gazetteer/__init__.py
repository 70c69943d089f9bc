"""Built-in reference knowledge shared by the screening engine and the web apps.

Pure Python, no Django. ``regions`` holds places under region-wide orders and
presumptions (Xinjiang, its prefectures, cities and the XPCC); ``goods`` holds
HTS-prefix and keyword knowledge about risk goods and their downstream products;
``places_cn`` Chinese place names (curated, and GeoNames' towns and counties from ``data/``);
``words`` how common an English word is (wordfreq, from ``data/``), for the name matcher.
"""

from section307.gazetteer.goods import GOODS, GoodDef, Hts, classify_goods, downstream_of, upstream_of
from section307.gazetteer.regions import REGIONS, RegionDef, find_regions, get_region, region_ancestors

__all__ = [
    "GOODS",
    "REGIONS",
    "GoodDef",
    "Hts",
    "RegionDef",
    "classify_goods",
    "downstream_of",
    "find_regions",
    "get_region",
    "region_ancestors",
    "upstream_of",
]
