"""Pickling of the engine's frozen, slotted records by position.

A compiled watchlist holds a few hundred thousand of them (parties, their names, the names'
normalised forms). The pickling that ``dataclasses`` gives slotted classes looks every field up
again for each object it restores; loading a 100,000-party watchlist from the cache spent about a
quarter of its time there. These methods read and write the slots directly, in field order.
"""

from __future__ import annotations

import operator
from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T", bound=type)


def pickled_by_position(cls: T) -> T:
    """Give a frozen, slotted dataclass ``__getstate__``/``__setstate__`` that store its fields as a tuple."""
    names = tuple(f.name for f in fields(cls))
    if len(names) < 2:
        raise TypeError(f"{cls.__name__}: at least two fields (attrgetter of one gives no tuple)")
    get = operator.attrgetter(*names)
    # Slot descriptors set the value even on a frozen class (frozen only guards __setattr__).
    setters = tuple(getattr(cls, n).__set__ for n in names)

    def __getstate__(self: Any) -> tuple[Any, ...]:  # noqa: N807
        return get(self)  # type: ignore[no-any-return]

    def __setstate__(self: Any, state: tuple[Any, ...]) -> None:  # noqa: N807
        for put, value in zip(setters, state, strict=True):
            put(self, value)

    setattr(cls, "__getstate__", __getstate__)  # noqa: B010 - mypy does not allow assigning a method
    setattr(cls, "__setstate__", __setstate__)  # noqa: B010
    return cls
