"""With SECTION307_SCREENING_CACHE_DIR set, a new process loads the compiled registry instead of compiling it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import override_settings

from section307.geo.models import Country
from section307.orders import watchlist as registry_watchlist
from section307.orders.models import OrderType
from section307.orders.services import ScopedParty, order_create
from section307.parties.services import party_resolve
from section307.screening import Screener, Watchlist

pytestmark = pytest.mark.django_db


def test_compiled_registry_is_loaded_from_the_cache_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cn, _ = Country.objects.get_or_create(code="CN", defaults={"name": "China"})
    party, _ = party_resolve(actor=None, name="Aksu Cotton Spinning Co., Ltd.", country=cn)
    order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Cotton yarn",
        country=cn,
        effective_date=dt.date(2024, 1, 1),
        parties=[ScopedParty(party)],
    )
    line = {"manufacturer": "Aksu Cotton Spinning Co Ltd", "country_of_origin": "CN"}
    with override_settings(SECTION307_SCREENING_CACHE_DIR=str(tmp_path)):
        registry_watchlist._cache.clear()
        first = Screener(registry_watchlist.compiled_watchlist()).screen_one(line)
        assert len(list(tmp_path.glob("compiled-*.pickle"))) == 1
        # A restarted process: nothing in memory, and compiling is not allowed.
        registry_watchlist._cache.clear()

        def no_compile(self: Watchlist, workers: int = 1) -> None:
            raise AssertionError("compiled again")

        monkeypatch.setattr(Watchlist, "compile", no_compile)
        again = Screener(registry_watchlist.compiled_watchlist()).screen_one(line)
    registry_watchlist._cache.clear()
    assert first.decision == again.decision == "hit"
    assert (first.reasons, first.signals_json) == (again.reasons, again.signals_json)
