"""Metrics benchmark: the managers' dashboard and the public statistics with 1M entries and 50k detentions.

Builds a fresh database (SQLite in a temporary directory unless ``DATABASE_URL`` is set), writes
``--entries`` entries of which ``--detentions`` are detained (each detained entry with 1-3 lines,
its decision and notice clocks, and its final decision when it has one), rebuilds the detention
fact table and its tallies, times the incremental update one detention save makes, then times each
page through Django's test client (the whole request: middleware, queries, template) ``--runs``
times after two warm-up requests, and prints p50/p95/max of the wall time with the process's CPU
time beside it (the database server's CPU, with PostgreSQL, is not in it) and the load average
before each page.

    python bench/metrics_bench.py                         # 1,000,000 entries, 50,000 detentions
    python bench/metrics_bench.py --entries 100000 --detentions 5000 --runs 10

Results: ``bench/results/metrics-<database>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"

PORTS = ["2704", "1001", "5301", "3002", "1303", "1601", "2809", "3901", "4601", "0901"]
HTS = ["6205.20", "6109.10", "8541.43", "2804.61", "4015.12", "0304.87", "7601.10", "2002.90", "8507.60", "5201.00"]
COUNTRIES = ["CN", "CN", "CN", "VN", "MY", "TH", "ID", "IN", "BD", "MX"]
STATUSES = ["released"] * 3 + ["excluded"] * 3 + ["exported", "seized", "abandoned", "detained", "under_review"]


def _setup(var_dir: Path) -> None:
    os.environ.setdefault("SECTION307_VAR_DIR", str(var_dir))
    os.environ["DJANGO_SETTINGS_MODULE"] = "section307.config.settings"
    os.environ["SECTION307_INPROCESS_WORKER"] = "0"
    # The statistics' per-client rate limit would answer 429 to a benchmark's hundreds of requests.
    os.environ.setdefault("SECTION307_METRICS_STATISTICS_RATE", "1000000/m")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fill(n_entries: int, n_detentions: int, seed: int) -> dict[str, float]:
    from django.db import connection, transaction
    from django.utils import timezone

    from section307.ports import law

    rng = random.Random(seed)
    now = timezone.now()
    start = dt.date(2022, 10, 1)
    span = (timezone.localdate() - start).days
    detained = set(rng.sample(range(n_entries), n_detentions))
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        batch: list[tuple[Any, ...]] = []
        for i in range(n_entries):
            day = start + dt.timedelta(days=rng.randrange(span))
            status = "detained" if i in detained else "cleared"
            batch.append(
                (
                    now,
                    now,
                    f"B{i:011d}",
                    rng.choice(PORTS),
                    "ocean",
                    "BEN",
                    f"Importer {i % 5000}",
                    "",
                    day,
                    day,
                    status,
                    "hit" if i in detained else "clear",
                    "batch",
                )
            )
            if len(batch) == 20000:
                cur.executemany(
                    "INSERT INTO ports_entry (created_at, updated_at, entry_number, port, mode, filer, importer_name,"
                    " importer_number, date_of_import, presented_on, status, decision, source)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    batch,
                )
                batch = []
        if batch:
            cur.executemany(
                "INSERT INTO ports_entry (created_at, updated_at, entry_number, port, mode, filer, importer_name,"
                " importer_number, date_of_import, presented_on, status, decision, source)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                batch,
            )
    timings["entries_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT id, date_of_import FROM ports_entry WHERE status = 'detained' ORDER BY id")
        rows = cur.fetchall()
        lines, detentions = [], []
        for entry_id, day in rows:
            if isinstance(day, str):
                day = dt.date.fromisoformat(day)
            for n in range(1, rng.choice([1, 1, 2, 3]) + 1):
                lines.append(
                    (
                        entry_id,
                        n,
                        "Maker",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        rng.choice(COUNTRIES),
                        rng.choice(HTS),
                        "",
                        rng.randrange(5000, 400000),
                        "hit" if n == 1 else "clear",
                        0.9 if n == 1 else 0.0,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "[]",
                    )
                )
            status = rng.choice(STATUSES)
            notice = day + dt.timedelta(days=2)
            decided = None if status in ("detained", "under_review") else now - dt.timedelta(days=rng.randrange(1, 900))
            detentions.append(
                (
                    now,
                    now,
                    entry_id,
                    "uflpa" if rng.random() < 0.7 else "wro",
                    "TEST",
                    "",
                    "",
                    status,
                    notice,
                    False,
                    decided,
                    False,
                )
            )
        cur.executemany(
            "INSERT INTO ports_entryline (entry_id, line, manufacturer, manufacturer_address, manufacturer_id, shipper,"
            " shipper_address, consignee, suppliers, identifiers, country_of_origin, hts, description, value_usd,"
            " decision, score, matched_name, matched_field, watch_list, order_reference, reasons, signals,"
            " quantity_unit)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '')",
            lines,
        )
        cur.executemany(
            "INSERT INTO ports_detention (created_at, updated_at, entry_id, regime, order_reference, scope, reasons,"
            " status, notice_date, deemed_exclusion, decided_at, proof_untimely)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            detentions,
        )
        cur.execute("SELECT id, entry_id, notice_date FROM ports_detention")
        clocks = []
        for det_id, entry_id, notice in cur.fetchall():
            if isinstance(notice, str):
                notice = dt.date.fromisoformat(notice)
            for kind in (law.DECISION, law.NOTICE):
                due = notice + dt.timedelta(days=5)
                stopped = timezone.make_aware(
                    dt.datetime.combine(due + dt.timedelta(days=rng.choice([-2, -1, 0, 0, 1])), dt.time(12))
                )
                clocks.append((entry_id, det_id, kind, "", "", "", True, notice, due, False, stopped, "", None))
        cur.executemany(
            "INSERT INTO ports_clock (entry_id, detention_id, kind, citation, start_event, calendar, statutory,"
            " start_date, due_date, running, stopped_at, stop_reason, last_reminded_on)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            clocks,
        )
    timings["detentions_s"] = time.perf_counter() - t0
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return timings


def _rebuild() -> dict[str, float]:
    """The nightly rebuild (facts, then tallies), and the tallies alone (``metrics_refresh --tallies``)."""
    from section307.metrics.facts import facts_rebuild
    from section307.metrics.tallies import tallies_rebuild

    timings = {}
    t0 = time.perf_counter()
    facts_rebuild()
    timings["facts_and_tallies_rebuild_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    timings["tally_rows"] = tallies_rebuild()
    timings["tallies_rebuild_s"] = time.perf_counter() - t0
    return timings


def _incremental(samples: int, seed: int) -> dict[str, float]:
    """What a detention save adds: its fact rewritten and the tallies moved (``facts_update``), for
    random detentions whose status changes, each in its own transaction, rolled back."""
    from django.db import transaction

    from section307.metrics.facts import facts_update
    from section307.ports.models import Detention

    rng = random.Random(seed)
    ids = list(Detention.objects.values_list("pk", flat=True))
    times = []
    for pk in rng.sample(ids, min(samples, len(ids))):

        class Undo(Exception):
            pass

        try:
            with transaction.atomic():
                det = Detention.objects.get(pk=pk)
                Detention.objects.filter(pk=pk).update(status="seized" if det.status != "seized" else "released")
                t0 = time.perf_counter()
                facts_update([pk])
                times.append((time.perf_counter() - t0) * 1000)
                raise Undo
        except Undo:
            pass
    times.sort()
    return {
        "facts_update_p50_ms": round(statistics.median(times), 1),
        "facts_update_p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
    }


def _time(client: Any, path: str, runs: int) -> dict[str, Any]:
    load = os.getloadavg()
    for _ in range(2):
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
    samples, cpu = [], []
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        answer = client.get(path)
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert answer.status_code == 200
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
        "max_ms": round(samples[-1], 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "load_before": [round(x, 2) for x in load],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--detentions", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=307)
    parser.add_argument("--keep", type=Path, help="a folder for the database, reused when it is already filled")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the facts and tallies of a reused database")
    parser.add_argument("--updates", type=int, default=200, help="detention saves timed (facts_update)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="metrics-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        _setup(folder)
        from django.contrib.auth.models import Group
        from django.db import connection
        from django.test import Client

        from section307.accounts import roles
        from section307.accounts.models import User
        from section307.metrics.selectors import current_fiscal_year
        from section307.ports.models import Detention, Entry

        if Entry.objects.exists():
            timings: dict[str, float] = {}
            print("reusing the filled database", flush=True)
        else:
            timings = _fill(args.entries, args.detentions, args.seed)
            print(f"filled: {timings}", flush=True)
        from section307.metrics.models import DetentionFact

        if args.rebuild or DetentionFact.objects.count() != Detention.objects.count():
            timings.update(_rebuild())
            print(f"rebuilt: {timings}", flush=True)
        timings.update(_incremental(args.updates, args.seed))
        print(f"incremental: {timings}", flush=True)
        roles.sync_roles()
        manager, _ = User.objects.get_or_create(username="bench-manager")
        manager.groups.add(Group.objects.get(name=roles.MANAGER))
        staff = Client()
        staff.force_login(manager)
        public = Client()
        # A session cookie skips the public page cache: these are the uncached figures.
        uncached = Client()
        uncached.cookies["sessionid"] = "none"
        fy = current_fiscal_year() - 1
        pages = {
            f"GET /metrics/?fy={fy} (manager)": (staff, f"/metrics/?fy={fy}"),
            "GET /metrics/?fy=all (manager)": (staff, "/metrics/?fy=all"),
            "GET /statistics/ (uncached)": (uncached, "/statistics/"),
            f"GET /statistics/?fy={fy} (uncached)": (uncached, f"/statistics/?fy={fy}"),
            "GET /api/v1/statistics (uncached)": (uncached, "/api/v1/statistics"),
            "GET /statistics/ (public cache)": (public, "/statistics/"),
        }
        results = {}
        for name, (client, path) in pages.items():
            results[name] = _time(client, path, args.runs)
            print(f"{name}: {results[name]}", flush=True)
        out = {
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "entries": Entry.objects.count(),
            "detentions": Detention.objects.count(),
            "database": connection.vendor,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
            "fill": {k: round(v, 1) for k, v in timings.items()},
            "machine_load_after": os.getloadavg(),
            "pages": results,
        }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"metrics-{out['database']}.json").write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
