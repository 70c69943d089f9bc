"""HTSUS codes: '6109.10.0012', '6109100012' and '6109.10' are the same code or a prefix of it."""

from __future__ import annotations

import re

from django.utils.translation import gettext

_SEPARATORS = re.compile(r"[\s.\-]")
VALID_LENGTHS = (2, 4, 6, 8, 10)


class InvalidHts(ValueError):
    pass


def normalize_hts(code: str) -> str:
    digits = _SEPARATORS.sub("", code or "")
    if not digits.isdigit():
        raise InvalidHts(gettext("HTS code %(code)r: only digits, dots and spaces are allowed") % {"code": code})
    if len(digits) not in VALID_LENGTHS:
        raise InvalidHts(
            gettext("HTS code %(code)r: expected 2, 4, 6, 8 or 10 digits, got %(value)s")
            % {"code": code, "value": len(digits)}
        )
    return digits


def format_hts(digits: str) -> str:
    """Display form: 6109.10.00.12 (chapter-heading.subheading.statistical)."""
    parts = [digits[:4], digits[4:6], digits[6:8], digits[8:10]]
    return ".".join(p for p in parts if p)


def hts_covers(prefix: str, code: str) -> bool:
    return normalize_hts(code).startswith(normalize_hts(prefix))
