"""Protests denied by operation of law: the daily job over many pending protests.

Builds a fresh database (SQLite in a temporary directory unless ``DATABASE_URL`` is set) with
``--pending`` excluded entries whose protest is pending and not yet at its 30th day, and ``--due``
more whose 30th day has come (19 U.S.C. 1499(c)(5)(B)); then times ``protests_deem_denied`` (one
transaction per protest: status, clocks, court period, timeline, audit row, notice) and a second run
that finds nothing, printing wall and CPU time and the load average before each.

    python bench/protests_bench.py --pending 20000 --due 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _setup(var_dir: Path) -> None:
    os.environ.setdefault("SECTION307_VAR_DIR", str(var_dir))
    os.environ["DJANGO_SETTINGS_MODULE"] = "section307.config.settings"
    os.environ["SECTION307_INPROCESS_WORKER"] = "0"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fill(pending: int, due: int, today: dt.date) -> None:
    from django.db import transaction

    from section307.accounts.models import Organization
    from section307.ports import law
    from section307.ports.models import Clock, Detention, Entry, Protest

    org = Organization.objects.create(name="Bench Imports LLC", kind="importer")
    total = pending + due
    with transaction.atomic():
        entries = Entry.objects.bulk_create(
            [
                Entry(
                    entry_number=f"P{i:011d}",
                    port="2704",
                    mode="ocean",
                    importer_name=org.name,
                    organization=org,
                    date_of_import=today - dt.timedelta(days=200),
                    presented_on=today - dt.timedelta(days=200),
                    status="excluded",
                    decision="hit",
                )
                for i in range(total)
            ],
            batch_size=2000,
        )
        detentions = Detention.objects.bulk_create(
            [
                Detention(
                    entry=e,
                    regime="uflpa",
                    order_reference="UFLPA",
                    scope="-",
                    reasons="-",
                    status="excluded",
                    notice_date=today - dt.timedelta(days=195),
                    exclusion_date=today - dt.timedelta(days=100),
                )
                for e in entries
            ],
            batch_size=2000,
        )
        protests, clocks = [], []
        for i, (e, d) in enumerate(zip(entries, detentions, strict=True)):
            # The first ``due`` were filed 30 days ago or more; the others later.
            filed = today - dt.timedelta(days=30 + i % 5 if i < due else 1 + i % 29)
            protests.append(Protest(entry=e, detention=d, organization=org, filed_on=filed, grounds="-"))
            for kind in (law.PROTEST_DECISION, law.EXCLUSION_PROTEST):
                r = law.rule(kind)
                clocks.append(
                    Clock(
                        entry=e,
                        detention=d,
                        kind=kind,
                        citation=r.citation,
                        start_event=r.start_event,
                        calendar=r.calendar,
                        start_date=filed,
                        due_date=law.due_date(kind, filed),
                    )
                )
        Protest.objects.bulk_create(protests, batch_size=2000)
        Clock.objects.bulk_create(clocks, batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pending", type=int, default=20000)
    parser.add_argument("--due", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(Path(tmp))
        from django.db import connection
        from django.utils import timezone

        from section307.ports.services import protests_deem_denied

        today = timezone.localdate()
        t0 = time.perf_counter()
        _fill(args.pending, args.due, today)
        result: dict[str, object] = {
            "database": connection.vendor,
            "pending": args.pending,
            "due": args.due,
            "fill_s": round(time.perf_counter() - t0, 1),
        }
        for name in ("first_run", "second_run"):
            load = os.getloadavg()[0]
            w, c = time.perf_counter(), time.process_time()
            n = len(protests_deem_denied(today=today))
            result[name] = {
                "deemed_denied": n,
                "wall_s": round(time.perf_counter() - w, 2),
                "cpu_s": round(time.process_time() - c, 2),
                "load_1min": round(load, 1),
            }
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
