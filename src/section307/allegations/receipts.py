"""Receipt codes: 20 symbols of Crockford base32 (100 bits), shown grouped, stored only as a keyed digest."""

from __future__ import annotations

import secrets

from section307.allegations.crypto import keyed_digest

# Crockford's alphabet: no I, L, O or U, so a code read aloud or copied by hand survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def receipt_generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def receipt_normalize(code: str) -> str | None:
    """Upper-case, drop spaces and dashes, read O as 0 and I/L as 1; None unless a well-formed code remains."""
    cleaned = "".join(ch for ch in (code or "")[:100].upper() if ch not in " -\t\r\n").translate(_READ_AS)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def receipt_display(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def receipt_digest(code: str) -> str:
    return keyed_digest(code, purpose="receipt")
