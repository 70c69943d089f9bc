"""Name keys for exact lookups. Fuzzy matching belongs to the screening engine."""

from __future__ import annotations

import re
import unicodedata

from rigour.text.scripts import text_scripts

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def name_key(name: str) -> str:
    """Fold case, width and punctuation: 'ACME Co., Ltd.' and 'acme co ltd' share a key."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return _PUNCT.sub(" ", folded).strip()


def script_of(name: str) -> str:
    scripts = sorted(s for s in text_scripts(name) if s not in {"Common", "Inherited"})
    return "+".join(scripts)[:30]
