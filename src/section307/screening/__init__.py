"""Forced-labour import screening engine (pure Python, no Django).

Public API::

    from section307.screening import Watchlist, Party, RegionRule, DolGood, Screener, statutory_rules

    compiled = Watchlist.from_file("watchlist.csv").compile()     # or build from objects
    screener = Screener(compiled, threshold=0.85)
    result = screener.screen_one({"manufacturer": "...", "country_of_origin": "CN", ...})
    frame = screener.screen(polars_frame_or_arrow_batch)
"""

from section307.screening.engine import (
    ENTRY_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    RESULT_COLUMNS,
    Screener,
    ScreeningResult,
    Signal,
)
from section307.screening.normalize import NormName, normalize_name
from section307.screening.statutory import statutory_rules
from section307.screening.watchlist import (
    ORDER_LISTS,
    CompiledWatchlist,
    DolGood,
    Party,
    RegionRule,
    Watchlist,
    WatchlistError,
    parse_identifiers,
)

__all__ = [
    "ENTRY_COLUMNS",
    "OPTIONAL_COLUMNS",
    "ORDER_LISTS",
    "REQUIRED_COLUMNS",
    "RESULT_COLUMNS",
    "CompiledWatchlist",
    "DolGood",
    "NormName",
    "Party",
    "RegionRule",
    "Screener",
    "ScreeningResult",
    "Signal",
    "Watchlist",
    "WatchlistError",
    "normalize_name",
    "parse_identifiers",
    "statutory_rules",
]
