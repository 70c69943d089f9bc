"""Demo allegations (filled in below)."""

from __future__ import annotations

from typing import Any


def build_allegations(world: Any) -> None:
    return None
