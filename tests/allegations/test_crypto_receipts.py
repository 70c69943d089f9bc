"""Receipt codes (entropy, format, keyed digest) and encryption at rest (keys, rotation)."""

from __future__ import annotations

import math

import pytest
from cryptography.fernet import Fernet

from section307.allegations import crypto
from section307.allegations.receipts import (
    ALPHABET,
    LENGTH,
    receipt_digest,
    receipt_display,
    receipt_generate,
    receipt_normalize,
)


def test_receipt_code_has_at_least_100_bits_and_no_ambiguous_symbols() -> None:
    assert LENGTH * math.log2(len(ALPHABET)) >= 100
    assert not set("ILOU") & set(ALPHABET)
    codes = {receipt_generate() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)


def test_receipt_is_shown_grouped_and_read_back_leniently() -> None:
    code = receipt_generate()
    shown = receipt_display(code)
    assert shown.count("-") == 4 and shown.replace("-", "") == code
    assert receipt_normalize(shown.lower()) == code
    assert receipt_normalize(" ".join(shown.split("-"))) == code
    assert receipt_normalize("OIL" + "0" * 17) == "011" + "0" * 17
    assert receipt_normalize("too-short") is None
    assert receipt_normalize("A" * 500) is None
    assert receipt_normalize("") is None


def test_digest_is_keyed(settings) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    code = receipt_generate()
    first = receipt_digest(code)
    assert first != hashlib.sha256(code.encode()).hexdigest()
    assert code not in first
    settings.SECTION307_RECEIPT_KEY = "another-server-key"
    assert receipt_digest(code) != first


def test_encrypt_round_trip_and_no_plaintext() -> None:
    token = crypto.encrypt_json({"name": "Li Wen", "email": "liwen@example.org"})
    assert "Li Wen" not in token and "liwen" not in token
    assert crypto.decrypt_json(token) == {"name": "Li Wen", "email": "liwen@example.org"}


def test_key_rotation_keeps_old_data_readable(settings) -> None:  # type: ignore[no-untyped-def]
    old_token = crypto.encrypt_text("secret identity")
    new_key = Fernet.generate_key().decode()
    settings.SECTION307_ENCRYPTION_KEYS = [new_key, *settings.SECTION307_ENCRYPTION_KEYS]
    assert crypto.decrypt_text(old_token) == "secret identity"
    rotated = crypto.rotate_token(old_token)
    # Once rotated, the new key alone decrypts it.
    settings.SECTION307_ENCRYPTION_KEYS = [new_key]
    assert crypto.decrypt_text(rotated) == "secret identity"
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt_text(old_token)


def test_bad_key_configuration_is_reported(settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ImproperlyConfigured

    settings.SECTION307_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt_text("x")


def test_production_refuses_to_start_without_keys(settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ImproperlyConfigured

    from section307.allegations.setup import require_keys

    settings.DEBUG = False
    settings.SECTION307_KEYS_FROM_ENVIRONMENT = False
    settings.SECTION307_PRODUCTION = False
    require_keys()  # the local run (DEBUG off too) keeps its generated keys under var/
    settings.SECTION307_PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="SECTION307_ENCRYPTION_KEYS"):
        require_keys()
    settings.SECTION307_KEYS_FROM_ENVIRONMENT = True
    require_keys()
