"""How common an English word is: its Zipf frequency (``data/common_words_en.txt``).

Derived from wordfreq 3.1 (data CC BY-SA 4.0) by ``scripts/gazetteer_data.py``: words of three to
seven letters whose Zipf frequency (log10 of occurrences per billion words) is 2.0 or more. The name
matcher uses it to tell a typing error, which almost always makes a non-word (*Avom* for *Avon*),
from another real word one letter away, which names another company (*Carmel* / *Camel*).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["word_zipf"]

_DATA = Path(__file__).resolve().parent / "data" / "common_words_en.txt"


@cache
def _table() -> dict[str, float]:
    out: dict[str, float] = {}
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        zipf, words = line.split("\t", 1)
        z = float(zipf)
        for w in words.split():
            out[w] = z
    return out


def word_zipf(word: str) -> float:
    """The Zipf frequency of a lower-case word of 3-7 letters; 0.0 when it is rarer than 2.0 or unknown."""
    return _table().get(word, 0.0)
