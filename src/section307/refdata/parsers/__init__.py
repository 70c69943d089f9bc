"""Parsers for the official forced-labor reference lists, keyed by source name in PARSERS."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from section307.refdata.parsers.base import ParseResult
from section307.refdata.parsers.cbp_wro import parse_cbp_wro

PARSERS: dict[str, Callable[[Path], ParseResult[Any]]] = {
    "cbp-wro": parse_cbp_wro,
}

__all__ = ["PARSERS", "ParseResult", "parse_cbp_wro"]
