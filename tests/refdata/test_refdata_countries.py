"""The shared country-name mapping."""

from __future__ import annotations

import pytest

from section307.refdata.countries import country_code, country_name


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("China", "CN"),
        ("Burma", "MM"),
        ("North Korea", "KP"),
        ("Korea, North", "KP"),
        ("Korea, South", "KR"),
        ("Taiwan", "TW"),
        ("Dominican Republic", "DO"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Curaçao", "CW"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo, Democratic Republic of the", "CD"),
        ("Republic of the Congo", "CG"),
        ("Congo, Republic of the", "CG"),
        ("The Gambia", "GM"),
        ("Gambia, The", "GM"),
        ("Bahamas, The", "BS"),
        ("Türkiye", "TR"),
        ("Turkey (Türkiye)", "TR"),
        ("Turkey", "TR"),
        ("Macau", "MO"),
        ("Hong Kong", "HK"),
        ("Timor-Leste", "TL"),
        ("Kyrgyz Republic", "KG"),
        ("Russia", "RU"),
        ("Vietnam", "VN"),
        ("Eswatini", "SZ"),
        ("Kosovo", "XK"),
        ("  malaysia ", "MY"),
        ("TURKMENISTAN", "TM"),
        ("MY", "MY"),
        ("Boliva", "BO"),  # as spelled in DOL's EO 13126 list
    ],
)
def test_country_code(name: str, code: str) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize("name", ["", None, "Atlantis", "ZZ", "High Seas", "Xinjiang"])
def test_unknown_names_are_not_guessed(name: str | None) -> None:
    assert country_code(name) is None


def test_country_name() -> None:
    assert country_name("MM") == "Burma"
    assert country_name("tw") == "Taiwan"
    assert country_name("XK") == "Kosovo"
    assert country_name("DO") == "Dominican Republic"
    assert country_name("ZZ") is None
    assert country_name(None) is None
