"""Parsers for the official forced-labor reference lists, keyed by source name in PARSERS."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from section307.refdata.parsers.base import ParseResult
from section307.refdata.parsers.cbp_wro import parse_cbp_wro
from section307.refdata.parsers.dol_goods import parse_dol_goods, parse_eo13126
from section307.refdata.parsers.tip import parse_tip
from section307.refdata.parsers.uflpa import parse_uflpa

PARSERS: dict[str, Callable[[Path], ParseResult[Any]]] = {
    "cbp-wro": parse_cbp_wro,
    "uflpa": parse_uflpa,
    "dol-goods": parse_dol_goods,
    "tip": parse_tip,
    "dol-eo13126": parse_eo13126,
}

__all__ = [
    "PARSERS",
    "ParseResult",
    "parse_cbp_wro",
    "parse_dol_goods",
    "parse_eo13126",
    "parse_tip",
    "parse_uflpa",
]
