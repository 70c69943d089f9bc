"""Country codes from names: the one-dictionary lookup answers as pycountry's own lookup does."""

from __future__ import annotations

import pycountry
import pytest

from section307.screening.countries import _lookup_table, country_code


def _pycountry(value: str) -> str | None:
    try:
        return str(pycountry.countries.lookup(value).alpha_2)
    except LookupError:
        return None


def _values() -> list[str]:
    out: set[str] = {"Xinjiang", "Trading", "Textile", "Georgia", "Niger", "Guinea", "Congo", "İstanbul", "ß"}
    for c in pycountry.countries:
        for v in c._fields.values():
            if isinstance(v, str):
                out.update({v, v.lower(), v.upper(), v.title(), v[:-1], v + "s"})
    return sorted(out)


def test_lookup_table_answers_as_pycountry_lookup() -> None:
    table = _lookup_table()
    for value in _values():
        found = table.get(value.lower())
        assert (None if found is None else str(found.alpha_2)) == _pycountry(value), value


@pytest.mark.parametrize(
    ("value", "code"),
    [("China", "CN"), ("CHN", "CN"), ("cn", "CN"), ("Viet Nam", "VN"), ("Germany", "DE"), ("Trading", None)],
)
def test_country_code(value: str, code: str | None) -> None:
    assert country_code(value) == code
