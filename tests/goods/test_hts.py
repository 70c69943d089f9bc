from __future__ import annotations

import pytest

from section307.goods.hts import InvalidHts, format_hts, hts_covers, normalize_hts


def test_spellings_of_one_code_normalise_alike() -> None:
    assert normalize_hts("6109.10.0012") == normalize_hts("6109100012") == normalize_hts("6109 10 00 12")


def test_prefixes_cover_codes_under_them() -> None:
    assert hts_covers("61", "6109.10.0012")
    assert hts_covers("8541.43", "8541430010")
    assert not hts_covers("8541.42", "8541430010")


@pytest.mark.parametrize("bad", ["61A9", "610", "61091000123", ""])
def test_bad_codes_are_refused(bad: str) -> None:
    with pytest.raises(InvalidHts):
        normalize_hts(bad)


def test_display_form() -> None:
    assert format_hts("6109100012") == "6109.10.00.12"
    assert format_hts("5201") == "5201"
