from __future__ import annotations

import pytest

from section307.parties.identifiers import InvalidIdentifier, normalize_identifier


@pytest.mark.parametrize(
    ("scheme", "raw", "expected"),
    [
        ("LEI", "5493001kjtiigc8y1r12", "5493001KJTIIGC8Y1R12"),
        ("IMO", "IMO 9312341", "9312341"),
        ("IMO", "9074729", "9074729"),
        ("MID", "cn-tiahar-88-aks", "CNTIAHAR88AKS"),
        ("DUNS", "15-048-3782", "150483782"),
        ("USCC", "91652900MA78TP0H1X", None),  # computed below
    ],
)
def test_valid_identifiers_are_normalised(scheme: str, raw: str, expected: str | None) -> None:
    if scheme == "USCC":
        from stdnum.cn import uscc

        raw = raw[:17] + uscc.calc_check_digit(raw[:17])
        expected = raw
    assert normalize_identifier(scheme, raw) == expected


@pytest.mark.parametrize(
    ("scheme", "raw", "reason"),
    [
        ("LEI", "5493001KJTIIGC8Y1R13", "check-digit"),
        ("IMO", "9312342", "check-digit"),
        ("MID", "12345", "expected country code"),
        ("DUNS", "12345678", "9 digits"),
        ("USCC", "91652900MA78TP0H10", "check-digit"),
        ("XYZ", "1", "unknown identifier scheme"),
        ("LEI", "  ", "empty"),
    ],
)
def test_invalid_identifiers_say_why(scheme: str, raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason):
        normalize_identifier(scheme, raw)
