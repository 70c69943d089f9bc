"""Encryption at rest for reporter identities and evidence files, and the keyed digest of receipt codes.

Keys come from settings (``SECTION307_ENCRYPTION_KEYS``, newest first, and ``SECTION307_RECEIPT_KEY``).
MultiFernet encrypts with the first key and decrypts with any, so keys can be rotated.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionFailed(Exception):
    pass


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("SECTION307_ENCRYPTION_KEYS is empty")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("SECTION307_ENCRYPTION_KEYS must hold url-safe base64 Fernet keys") from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SECTION307_ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as exc:
        raise DecryptionFailed("cannot decrypt with the configured keys") from exc


def encrypt_text(text: str) -> str:
    return encrypt_bytes(text.encode()).decode()


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode()).decode()


def encrypt_json(value: dict[str, Any]) -> str:
    return encrypt_text(json.dumps(value, ensure_ascii=False, sort_keys=True))


def decrypt_json(token: str) -> dict[str, Any]:
    value = json.loads(decrypt_text(token))
    return value if isinstance(value, dict) else {}


def rotate_token(token: str) -> str:
    """Re-encrypt under the newest key (after a new key is prepended to the list)."""
    return fernet().rotate(token.encode()).decode()


def keyed_digest(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of value under the receipt key, separated by purpose (receipt codes, client keys)."""
    key = hashlib.sha256(f"{purpose}:{settings.SECTION307_RECEIPT_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
