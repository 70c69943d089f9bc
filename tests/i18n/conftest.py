from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    """A request in another language leaves that language active in the thread; later tests expect English."""
    yield
    translation.deactivate()
