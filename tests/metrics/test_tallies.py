"""The tallies the pages read: equal to the fact table's figures, kept in step in the saving transaction,
rebuilt and checked by ``metrics_refresh``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from section307.metrics import selectors
from section307.metrics.models import DetentionFact, DetentionTally
from section307.metrics.tallies import tallies_drift, tallies_rebuild
from section307.ports.models import Detention
from tests.metrics.conftest import add_detention

pytestmark = pytest.mark.django_db


def _stat_figures(source: str, **filters: Any) -> list[tuple[str, list[tuple[Any, ...]]]]:
    return [
        (
            t.dimension,
            [
                (r.key, r.label, r.stopped, r.released, r.denied, r.pending, r.value, sorted(r.suppressed))
                for r in [*t.rows, t.total]
            ],
        )
        for t in selectors.statistics_tables(source=source, **filters)
    ]


def _port_figures(source: str, fiscal_year: int | None) -> list[tuple[str, list[dict[str, Any]], list[Any]]]:
    return [(t.key, t.body(), t.links) for t in selectors.port_tables(fiscal_year=fiscal_year, source=source)]


def assert_tallies_read_as_facts() -> None:
    """Every public table and dashboard port table, and the decision median, read the same from both."""
    for filters in ({}, {"fiscal_year": 2024}, {"fiscal_year": 2025}, {"regime": "wro"}, {"regime": "uflpa"}):
        assert _stat_figures(selectors.TALLIES, **filters) == _stat_figures(selectors.FACTS, **filters), filters
    for year in (None, 2024, 2025, 2026):
        assert _port_figures(selectors.TALLIES, year) == _port_figures(selectors.FACTS, year), year
        assert selectors.decision_days_median(fiscal_year=year, source=selectors.TALLIES) == (
            selectors.decision_days_median(fiscal_year=year, source=selectors.FACTS)
        ), year
    assert tallies_drift() == {}


@pytest.mark.parametrize("minimum", [1, 3])
def test_tallies_give_the_fact_tables_figures(history: list[Detention], minimum: int) -> None:
    with override_settings(METRICS_MINIMUM_CELL=minimum):
        assert_tallies_read_as_facts()


@override_settings(METRICS_MINIMUM_CELL=1)
def test_tallies_match_the_hand_count(history: list[Detention]) -> None:
    # FY2024 by hand (tests/metrics/conftest.py): 6 stopped, released 3, denied 2, pending 1, value 6500.
    year = next(t for t in selectors.statistics_tables() if t.dimension == "fiscal_year")
    fy2024 = next(r for r in year.rows if r.key == "2024")
    assert (fy2024.stopped, fy2024.released, fy2024.denied, fy2024.pending, fy2024.value) == (
        6,
        3,
        2,
        1,
        Decimal("6500"),
    )
    # One row per detention and dimension: FY2024's six detentions in the "all" tallies.
    stored = DetentionTally.objects.filter(dimension="all", fiscal_year=2024)
    assert sum(stored.values_list("n", flat=True)) == 6
    # Decisions, each 20 days after its notice: five dated in FY2024, one (1 Oct 2024 + 20 days) in FY2025.
    decided = DetentionTally.objects.filter(dimension="decision_days")
    assert {(t.fiscal_year, t.key) for t in decided} == {(2024, "20"), (2025, "20")}
    assert sum(t.n for t in decided if t.fiscal_year == 2024) == 5
    assert selectors.decision_days_median(fiscal_year=2024) == 20.0


def test_a_decision_moves_the_tallies_in_the_saving_transaction(history: list[Detention]) -> None:
    pending = history[-1]  # FY2025, detained
    with transaction.atomic():
        pending.status = Detention.Status.SEIZED
        pending.decided_at = dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC)
        pending.save()
        # Inside the transaction, before any commit: the fact and the tallies already say so.
        assert DetentionFact.objects.get(detention=pending).outcome == "denied"
    assert_tallies_read_as_facts()
    year = next(t for t in selectors.statistics_tables(fiscal_year=2025) if t.dimension == "fiscal_year")
    assert (year.total.denied, year.total.pending) == (2, 2)
    # Saving again without a change leaves every tally as it was.
    before = list(DetentionTally.objects.order_by("pk").values_list("pk", "n", "value"))
    pending.save()
    assert list(DetentionTally.objects.order_by("pk").values_list("pk", "n", "value")) == before


def test_a_rolled_back_change_leaves_the_tallies_as_they_were(history: list[Detention]) -> None:
    before = sorted(DetentionTally.objects.values_list("dimension", "key", "month", "regime", "status", "n"))

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        add_detention(notice=dt.date(2025, 3, 1), status="released", country="TH")
        assert DetentionTally.objects.filter(dimension="country", key="TH").exists()
        raise Abort
    after = sorted(DetentionTally.objects.values_list("dimension", "key", "month", "regime", "status", "n"))
    assert after == before


def test_new_and_deleted_detentions_reach_the_tallies(history: list[Detention]) -> None:
    made = add_detention(notice=dt.date(2026, 1, 15), status="released", country="TH", hts="0304.87", port="5301")
    assert_tallies_read_as_facts()
    assert selectors.fiscal_years_with_data()[:1] == [max(2026, selectors.current_fiscal_year())]
    made.delete()
    assert not DetentionFact.objects.filter(detention_id=made.pk).exists()
    assert not DetentionTally.objects.filter(dimension="country", key="TH", n__gt=0).exists()
    assert_tallies_read_as_facts()


def test_the_public_cache_version_follows_every_change(history: list[Detention]) -> None:
    first = selectors.statistics_version()
    released = history[0]
    released.status = Detention.Status.EXPORTED  # same counts per year: only the status moves
    released.save()
    assert selectors.statistics_version() != first


def test_refresh_rebuilds_and_check_finds_drift(history: list[Detention]) -> None:
    out = StringIO()
    call_command("metrics_refresh", "--check", stdout=out)
    assert "agree" in out.getvalue()
    # Damage the tallies as a write outside the signals would (a raw UPDATE).
    DetentionTally.objects.filter(dimension="country", key="VN").update(n=7)
    DetentionTally.objects.filter(dimension="port", key="1001").delete()
    drift = tallies_drift()
    assert len(drift) == 2
    with pytest.raises(CommandError, match="2 tally row"):
        call_command("metrics_refresh", "--check", stdout=StringIO())
    call_command("metrics_refresh", "--tallies", stdout=StringIO())
    assert tallies_drift() == {}
    DetentionTally.objects.all().delete()
    call_command("metrics_refresh", stdout=StringIO())
    assert_tallies_read_as_facts()
    assert tallies_rebuild() == DetentionTally.objects.count()


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({}, None),
        ({5: 1}, 5.0),
        ({1: 1, 3: 1}, 2.0),
        ({1: 2, 9: 1}, 1.0),
        ({1: 1, 2: 2, 10: 1}, 2.0),
        ({-1: 1, 4: 1, 7: 2}, 5.5),
    ],
)
def test_weighted_median_is_the_median_of_the_expanded_list(counts: dict[int, int], expected: float | None) -> None:
    from section307.metrics.figures import median

    assert selectors.weighted_median(counts) == expected
    expanded = [float(v) for v, n in counts.items() for _ in range(n)]
    assert median(expanded) == expected
