"""The detention fact table: one row per detention with its grouping dimensions.

Rebuilt in full by ``facts_rebuild`` (daily, after the demo, ``section307 metrics_refresh``) and kept in
step between rebuilds by a signal on every detention save (``facts_update``), so the figures never
wait for the nightly run.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction

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


def facts_update(detention_ids: Iterable[int]) -> int:
    """Write the facts of these detentions (insert or replace)."""
    rows = list(Detention.objects.filter(pk__in=list(detention_ids)).values(*_FIELDS))
    facts = _facts_for(rows)
    with transaction.atomic():
        DetentionFact.objects.filter(detention_id__in=[f.detention_id for f in facts]).delete()
        DetentionFact.objects.bulk_create(facts)
    return len(facts)


@transaction.atomic
def facts_rebuild(*, batch: int = 5000) -> int:
    """Rebuild the whole table in one transaction: readers see the old table or the new one."""
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
    return written
