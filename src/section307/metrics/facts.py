"""The detention fact table: one row per detention with its grouping dimensions.

Rebuilt in full by ``facts_rebuild`` (daily, after the demo, ``section307 metrics_refresh``) and kept in
step between rebuilds by a signal on every detention save (``facts_update``), in the saving
transaction, so the figures never wait for the nightly run. Both keep the tallies
(``metrics.tallies``) in step with the facts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction

from section307.metrics import tallies
from section307.metrics.figures import fiscal_quarter, fiscal_year, hts4, industry_for_hts
from section307.metrics.models import DetentionFact, Outcome
from section307.ports.models import DECISION_RANK, Detention, EntryLine

RELEASED = {Detention.Status.RELEASED}
DENIED = {Detention.Status.EXCLUDED, Detention.Status.EXPORTED, Detention.Status.SEIZED, Detention.Status.ABANDONED}


def outcome_for(status: str) -> str:
    if status in RELEASED:
        return Outcome.RELEASED
    if status in DENIED:
        return Outcome.DENIED
    return Outcome.PENDING


def _fact(row: dict[str, Any], lines: list[dict[str, Any]]) -> DetentionFact:
    top = min(lines, key=lambda ln: (-DECISION_RANK.get(ln["decision"], -1), -ln["score"], ln["line"])) if lines else {}
    code = top.get("hts") or ""
    notice: dt.date = row["notice_date"]
    decided = row["decided_at"]
    return DetentionFact(
        detention_id=row["id"],
        notice_date=notice,
        fiscal_year=fiscal_year(notice),
        quarter=fiscal_quarter(notice),
        month=notice.replace(day=1),
        regime=row["regime"],
        country=(top.get("country_of_origin") or "").strip().upper()[:60],
        industry=industry_for_hts(code),
        hts4=hts4(code),
        port=row["entry__port"],
        status=row["status"],
        outcome=outcome_for(row["status"]),
        value=sum((ln["value_usd"] or Decimal("0") for ln in lines), Decimal("0")),
        decided_on=decided.date() if decided else None,
        days_to_decision=(decided.date() - notice).days if decided else None,
    )


_FIELDS = ["id", "notice_date", "regime", "status", "decided_at", "entry_id", "entry__port"]
_LINE_FIELDS = ["entry_id", "line", "decision", "score", "country_of_origin", "hts", "value_usd"]


def _facts_for(rows: list[dict[str, Any]]) -> list[DetentionFact]:
    lines: dict[int, list[dict[str, Any]]] = defaultdict(list)
    entry_ids = [r["entry_id"] for r in rows]
    for start in range(0, len(entry_ids), 900):  # under SQLite's bound-parameter limit
        for ln in EntryLine.objects.filter(entry_id__in=entry_ids[start : start + 900]).values(*_LINE_FIELDS):
            lines[ln["entry_id"]].append(ln)
    return [_fact(r, lines[r["entry_id"]]) for r in rows]


def _as_values(fact: DetentionFact) -> dict[str, Any]:
    return {name: getattr(fact, name) for name in tallies.FACT_FIELDS}


@transaction.atomic
def facts_update(detention_ids: Iterable[int]) -> int:
    """Write the facts of these detentions (insert or replace) and move the tallies by the difference."""
    ids = list(detention_ids)
    rows = list(Detention.objects.filter(pk__in=ids).values(*_FIELDS))
    facts = _facts_for(rows)
    stale = DetentionFact.objects.filter(detention_id__in=ids)
    old = list(stale.values(*tallies.FACT_FIELDS))
    stale.delete()
    DetentionFact.objects.bulk_create(facts)
    tallies.tallies_apply(tallies.delta_for(old=old, new=[_as_values(f) for f in facts]))
    return len(facts)


@transaction.atomic
def facts_forget(detention_ids: Iterable[int]) -> None:
    """Take these detentions (being deleted) out of the facts and the tallies."""
    gone = DetentionFact.objects.filter(detention_id__in=list(detention_ids))
    tallies.tallies_apply(tallies.delta_for(old=list(gone.values(*tallies.FACT_FIELDS)), new=[]))
    gone.delete()


@transaction.atomic
def facts_rebuild(*, batch: int = 5000) -> int:
    """Rebuild the whole table and the tallies in one transaction: readers see the old ones or the new."""
    DetentionFact.objects.all().delete()
    written = 0
    last = 0
    while True:
        rows = list(Detention.objects.filter(pk__gt=last).order_by("pk").values(*_FIELDS)[:batch])
        if not rows:
            break
        DetentionFact.objects.bulk_create(_facts_for(rows), batch_size=1000)
        written += len(rows)
        last = rows[-1]["id"]
    tallies.tallies_rebuild()
    return written
