"""ISO 3166-1 countries from pycountry, plus Kosovo (XK), which CBP and State use."""

from __future__ import annotations

from collections.abc import Iterator

EXTRA = [("XK", "XKX", "Kosovo", "Republic of Kosovo")]


def iso_countries() -> Iterator[tuple[str, str, str, str]]:
    """(alpha-2, alpha-3, common name, official name) for every country."""
    import pycountry

    for c in pycountry.countries:
        yield c.alpha_2, c.alpha_3, getattr(c, "common_name", None) or c.name, getattr(c, "official_name", "") or ""
    yield from EXTRA
