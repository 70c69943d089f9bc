"""Languages of documents and reports: codes as stored, names as people read them."""

from __future__ import annotations

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext, gettext_noop

# Codes documents use that Django's table only knows by script (zh-hans, zh-hant).
EXTRA = {"zh": gettext_noop("Chinese")}


def _base_codes() -> list[str]:
    # Django's table holds each language once under its ISO 639 code, plus regional variants and
    # fallbacks; documents are tagged by language only, so variants and aliases are left out.
    return sorted({*(code for code, info in LANG_INFO.items() if "-" not in code and "name" in info), *EXTRA})


def language_name(code: str) -> str:
    """The language's English name translated into the reader's language; the code itself if unknown."""
    if not code:
        return ""
    if code.lower() in EXTRA:
        return gettext(EXTRA[code.lower()])
    info = LANG_INFO.get(code.lower()) or LANG_INFO.get(code.lower().split("-")[0])
    if info and "fallback" in info:
        info = LANG_INFO.get(info["fallback"][0], info)
    if not info or "name" not in info:
        return code
    return gettext(info["name"])


def language_choices(*, current: str = "") -> list[tuple[str, str]]:
    """Choices for a language select, by name; a stored code outside the list stays selectable."""
    choices = sorted(((code, language_name(code)) for code in _base_codes()), key=lambda c: c[1].casefold())
    if current and current not in {code for code, _ in choices}:
        choices.append((current, language_name(current)))
    return choices
