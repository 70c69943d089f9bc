"""The detention tallies: counts and values per month, regime, status and dimension value.

Every fact row (``metrics.facts``) contributes one count and its value to one tally row per dimension
(``contributions``). When facts change, ``tallies_apply`` adds the difference between the old rows'
contributions and the new ones in the same transaction, so the tallies and the facts commit or roll
back together. ``tallies_rebuild`` recomputes every tally from the facts (after the nightly fact
rebuild, and on demand for repair); ``tallies_drift`` lists the rows that differ from the facts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from section307.metrics.figures import fiscal_quarter, fiscal_year
from section307.metrics.models import DetentionFact, DetentionTally

Dimension = DetentionTally.Dimension
# (dimension, key, month, regime, status): one tally row.
TallyKey = tuple[str, str, dt.date, str, str]
Delta = dict[TallyKey, tuple[int, Decimal]]

# The fact fields a contribution reads.
FACT_FIELDS = [
    "month",
    "regime",
    "status",
    "country",
    "industry",
    "hts4",
    "port",
    "value",
    "decided_on",
    "days_to_decision",
]
_BY_NOTICE = {
    Dimension.COUNTRY: "country",
    Dimension.INDUSTRY: "industry",
    Dimension.HTS4: "hts4",
    Dimension.PORT: "port",
}


def contributions(fact: Mapping[str, Any]) -> list[tuple[TallyKey, Decimal]]:
    """The tally rows one fact counts in, each with the value it adds."""
    month, regime, status = fact["month"], fact["regime"], fact["status"]
    value = fact["value"] or Decimal("0")
    out: list[tuple[TallyKey, Decimal]] = [((Dimension.ALL.value, "", month, regime, status), value)]
    for dimension, field in _BY_NOTICE.items():
        out.append(((dimension.value, str(fact[field] or ""), month, regime, status), value))
    if fact["decided_on"] is not None and fact["days_to_decision"] is not None:
        decided_month = fact["decided_on"].replace(day=1)
        out.append(
            ((Dimension.DECISION_DAYS.value, str(fact["days_to_decision"]), decided_month, regime, status), value)
        )
    return out


def delta_for(*, old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]) -> Delta:
    """What replacing the ``old`` fact rows by the ``new`` ones changes in the tallies (zero changes left out)."""
    delta: dict[TallyKey, list[Any]] = defaultdict(lambda: [0, Decimal("0")])
    for sign, facts in ((-1, old), (1, new)):
        for fact in facts:
            for key, value in contributions(fact):
                delta[key][0] += sign
                delta[key][1] += sign * value
    return {k: (n, v) for k, (n, v) in delta.items() if n or v}


def tally_row(key: TallyKey, *, n: int, value: Decimal, now: dt.datetime, model: Any = DetentionTally) -> Any:
    """One tally row (``model``: the migration's historical model, or the current one)."""
    dimension, name, month, regime, status = key
    return model(
        dimension=dimension,
        key=name,
        month=month,
        fiscal_year=fiscal_year(month),
        quarter=fiscal_quarter(month),
        regime=regime,
        status=status,
        n=n,
        value=value,
        changed_at=now,
    )


def tallies_apply(delta: Delta) -> None:
    """Add ``delta`` to the tallies in the caller's transaction.

    Missing rows are inserted at zero first (a conflict with a concurrent insert is ignored), then each
    row is incremented in the database (``n = n + d``), in key order so that two transactions touching
    the same rows lock them in the same order.
    """
    if not delta:
        return
    now = timezone.now()
    with transaction.atomic():
        DetentionTally.objects.bulk_create(
            [tally_row(k, n=0, value=Decimal("0"), now=now) for k in sorted(delta)], ignore_conflicts=True
        )
        for key in sorted(delta):
            n, value = delta[key]
            dimension, name, month, regime, status = key
            DetentionTally.objects.filter(
                dimension=dimension, key=name, month=month, regime=regime, status=status
            ).update(n=F("n") + n, value=F("value") + value, changed_at=now)


def expected_from_facts() -> Delta:
    """Every tally as the fact table gives it, computed in one pass over the facts."""
    return delta_for(old=[], new=DetentionFact.objects.order_by().values(*FACT_FIELDS).iterator(chunk_size=5000))


@transaction.atomic
def tallies_rebuild() -> int:
    """Replace every tally by the fact table's figures; returns the number of tally rows."""
    now = timezone.now()
    expected = expected_from_facts()
    DetentionTally.objects.all().delete()
    DetentionTally.objects.bulk_create(
        [tally_row(k, n=n, value=v, now=now) for k, (n, v) in sorted(expected.items())], batch_size=1000
    )
    return len(expected)


def tallies_drift() -> dict[TallyKey, tuple[tuple[int, Decimal], tuple[int, Decimal]]]:
    """The tallies that differ from the fact table: {row: ((stored n, value), (expected n, value))}."""
    expected = expected_from_facts()
    stored: Delta = {
        (r.dimension, r.key, r.month, r.regime, r.status): (r.n, r.value)
        for r in DetentionTally.objects.exclude(n=0, value=0)
    }
    zero = (0, Decimal("0"))
    return {
        key: (stored.get(key, zero), expected.get(key, zero))
        for key in set(stored) | set(expected)
        if stored.get(key, zero) != expected.get(key, zero)
    }
