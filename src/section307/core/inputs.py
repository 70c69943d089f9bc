"""Input rules that hold for every request, whatever view or API operation receives it.

PostgreSQL text cannot hold the NUL character (U+0000): a value carrying one fails inside the
database, after part of a request may already have been written. Such text is never a legitimate
answer in a form, a search box, a path or a JSON field, so it is refused before any view runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

NUL = "\x00"


def nul_paths(value: Any, path: str = "") -> Iterator[str]:
    """Dotted paths (``parties.0.name``) of the keys and strings in decoded JSON that hold NUL."""
    if isinstance(value, str):
        if NUL in value:
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                yield here
            else:
                yield from nul_paths(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_paths(item, f"{path}.{index}" if path else str(index))


def json_body_nul_field(body: bytes) -> str | None:
    """The first field of a JSON body whose text holds NUL (raw or as ``\\u0000``), else None."""
    if b"\\u0000" not in body and b"\x00" not in body:
        return None
    try:
        decoded = json.loads(body.decode("utf-8", errors="replace"), strict=False)
    except (ValueError, RecursionError):
        return "body"
    # Not every "\u0000" sequence is a NUL (an escaped backslash before it is text).
    return next(nul_paths(decoded), None)


def pairs_nul_field(pairs: Iterable[tuple[str, list[str]]]) -> str | None:
    """The first name in query or form pairs whose name or a value holds NUL, else None."""
    for name, values in pairs:
        if NUL in name or any(NUL in v for v in values):
            return name.replace(NUL, "\\u0000")
    return None
