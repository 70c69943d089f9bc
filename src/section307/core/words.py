"""Words for codes: the one place a stored code becomes what a person reads.

Model choices show their labels (``get_FOO_display`` or ``choice_label``); codes that are not model
choices go through here: goods keys become the good's name, watchlist ids the order they belong to,
other snake_case codes plain words. The template filters in ``core.templatetags.words`` call these.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db.models import Choices
from django.utils.translation import gettext, gettext_lazy

CODE_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
CODE_TOKEN_RE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# A watchlist entry id: the order reference, a colon and the party or area it names ("UEL-2024-0002:6").
WATCH_ID_RE = re.compile(r"\b([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+):[A-Za-z0-9_-]+\b")

# Data keys of audit entries and similar records that read better than their humanized code.
DETAIL_LABELS: dict[str, Any] = {
    "sha256": gettext_lazy("SHA-256 fingerprint"),
    "hts": gettext_lazy("HTS code"),
    "usd": gettext_lazy("US dollars"),
    "mfa": gettext_lazy("two-step sign-in"),
    "oidc": gettext_lazy("single sign-on"),
    "id": gettext_lazy("number"),
    "ilo": gettext_lazy("ILO"),
    "uflpa": gettext_lazy("UFLPA"),
    "caatsa": gettext_lazy("CAATSA"),
    "wro": gettext_lazy("WRO"),
    "dol": gettext_lazy("DOL"),
    "api": gettext_lazy("API"),
}


def humanize_code(value: str) -> str:
    """``cotton_yarn`` -> "Cotton yarn", ``uflpa_entity`` -> "UFLPA entity"; other text unchanged."""
    if not CODE_RE.match(value) and not re.fullmatch(r"[a-z][a-z0-9]*", value):
        return value
    words = [str(DETAIL_LABELS.get(w, w)) for w in value.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def choice_label(choices: type[Choices], value: Any) -> str:
    """The label of ``value`` in ``choices``; an unknown value in plain words (never the bare code)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return humanize_code(str(value))


def good_name(key: str) -> str:
    """A goods key of the screening knowledge base (``tomato_products``) as the good's name."""
    from section307.gazetteer.goods import get_good

    good = get_good(key)
    return good.name if good is not None else humanize_code(key)


def detail_label(key: str) -> str:
    label = DETAIL_LABELS.get(key)
    return str(label)[:1].upper() + str(label)[1:] if label is not None else humanize_code(key)


def value_words(value: Any) -> str:
    """Any JSON value as words: lists joined, mappings as "Label: value", yes/no, codes humanized."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, Mapping):
        return "; ".join(f"{detail_label(str(k))}: {value_words(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return ", ".join(value_words(v) for v in value) or "—"
    text = str(value)
    return humanize_code(text) if CODE_RE.match(text) else text


def balance_parentheses(text: str) -> str:
    """Close what a shortened text left open: "A (rebuttable presumption" -> "A (rebuttable presumption)"."""
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
    return text + ")" * depth


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word, with an ellipsis and no parenthesis left open."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:(")
    return balance_parentheses(cut + "…")


def plain_words(text: str) -> str:
    """Free text written by the system (screening reasons): goods keys as names, watchlist ids as
    their order reference, other snake_case codes as words, parentheses closed."""
    from section307.gazetteer.goods import get_good

    text = WATCH_ID_RE.sub(lambda m: m.group(1), text)

    def word(m: re.Match[str]) -> str:
        good = get_good(m.group(0))
        return good.name.lower() if good is not None else humanize_code(m.group(0)).lower()

    return balance_parentheses(CODE_TOKEN_RE.sub(word, text))
