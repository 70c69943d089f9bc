"""Supply-chain benchmark: the upstream-risk query for one good, and re-screening after an order change.

It fills a fresh database (SQLite in a temporary directory unless ``DATABASE_URL`` is set) with
``--maps`` maps of ``--nodes-per-map`` nodes each (a layered chain: each node links to
``--links-per-node`` buyers in the tier below), marks one node in fifty as risky, then times, for
``--samples`` random maps:

- ``upstream``: the recursive query (``risk.upstream_risky``) alone;
- ``risk_paths``: the query plus each risky path with its ruling and reasons (``risk.risk_paths``, what
  the API's /risk, the case page and re-screening compute);
- ``map_risk``: the same plus the whole map read as objects (the map page, exports), on a quarter of the
  samples;

and, on ``--rescreen-links`` links' worth of maps, ``maps_rescreen`` (every node screened by the port's
screener against the demo registry, as after an order change).

    python bench/supplychain_bench.py --maps 1000 --nodes-per-map 1000 --links-per-node 6  # 1M nodes, 5M links
    python bench/supplychain_bench.py --maps 100 --nodes-per-map 200 --samples 50   # quick

Prints figures and writes ``bench/results/supplychain-<database>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))


def _setup(db_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "section307.config.settings")
    os.environ.setdefault("SECTION307_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("SECTION307_INPROCESS_WORKER", "0")
    os.environ.setdefault("SECTION307_SCHEDULER", "0")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{db_dir}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fill(args: argparse.Namespace, rng: random.Random) -> list[int]:
    """Bulk rows straight into the tables: maps through the ORM, then nodes and links with ids chosen
    here, in batches (``executemany`` on SQLite, ``COPY`` on PostgreSQL), each tier's suppliers linked to
    ``--links-per-node`` distinct buyers in the tier below."""
    from django.db import connection, transaction

    from section307.accounts.models import Organization
    from section307.supplychain.models import CustodyModel, Link, Node, SupplyChainMap

    org = Organization.objects.create(name="Bench Importer", kind=Organization.Kind.IMPORTER)
    custody = [c.value for c in CustodyModel]
    SupplyChainMap.objects.bulk_create(
        [SupplyChainMap(organization=org, title=f"Bench map {m}", risk_level="hit") for m in range(args.maps)],
        batch_size=1000,
    )
    map_ids = list(SupplyChainMap.objects.filter(organization=org).order_by("pk").values_list("pk", flat=True))
    tiers = args.tiers
    per_tier = max(1, (args.nodes_per_map - 1) // tiers)
    signals = json.dumps([{"kind": "region", "level": "hit", "detail": "bench", "list": "uflpa"}])
    node_cols = [
        "id",
        "map_id",
        "name",
        "key",
        "country_id",
        "address",
        "identifier",
        "tier",
        "match_status",
        "risk_level",
        "risk_signals",
    ]
    link_cols = ["id", "map_id", "supplier_id", "buyer_id", "tier", "good_key", "hts", "custody_model"]
    node_id = (Node.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    link_id = (Link.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    pg = connection.vendor == "postgresql"
    if not pg:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    batch = max(1, 50_000 // max(1, args.nodes_per_map))
    for first in range(0, len(map_ids), batch):
        node_rows: list[tuple[object, ...]] = []
        link_rows: list[tuple[object, ...]] = []
        for map_id in map_ids[first : first + batch]:
            node_rows.append((node_id, map_id, "Importer", "importer", None, "", "", 0, "unmatched", "clear", "[]"))
            by_tier: list[list[int]] = [[node_id]]
            node_id += 1
            for t in range(1, tiers + 1):
                ids = list(range(node_id, node_id + per_tier))
                node_id += per_tier
                by_tier.append(ids)
                for i, pk in enumerate(ids):
                    risky = rng.random() < 0.02
                    node_rows.append(
                        (
                            pk,
                            map_id,
                            f"Supplier {t}-{i}",
                            f"supplier {t} {i}",
                            "CN" if risky else "VN",
                            "",
                            "",
                            t,
                            "unmatched",
                            "hit" if risky else "clear",
                            signals if risky else "[]",
                        )
                    )
                below = by_tier[t - 1]
                k = min(len(below), args.links_per_node)
                for supplier in ids:
                    for buyer in rng.sample(below, k):
                        link_rows.append((link_id, map_id, supplier, buyer, t, "Cotton", "5201", rng.choice(custody)))
                        link_id += 1
        with transaction.atomic():
            _insert(Node._meta.db_table, node_cols, node_rows)
            _insert(Link._meta.db_table, link_cols, link_rows)
        done = min(first + batch, len(map_ids))
        if done % max(1, args.maps // 10) < batch:
            print(f"  filled {done}/{args.maps} maps", flush=True)
    if pg:
        with connection.cursor() as cursor:
            for model in (Node, Link):
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    return map_ids


def _insert(table: str, cols: list[str], rows: list[tuple[object, ...]]) -> None:
    from django.db import connection

    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(cols))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)  # noqa: S608


def _p50_p95(values: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(values), 2), "p95": round(_pct(values, 0.95), 2)}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--maps", type=int, default=100)
    parser.add_argument("--nodes-per-map", type=int, default=1000)
    parser.add_argument("--links-per-node", type=int, default=5)
    parser.add_argument("--tiers", type=int, default=5)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--rescreen-links", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=307)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="section307-sc-bench-") as db_dir:
        _setup(db_dir)
        from django.db import connection

        from section307.supplychain.models import Link, Node
        from section307.supplychain.risk import map_risk, risk_paths, upstream_risky

        t0, c0 = time.perf_counter(), time.process_time()
        map_ids = _fill(args, rng)
        fill_s, fill_cpu = time.perf_counter() - t0, time.process_time() - c0
        nodes, links = Node.objects.count(), Link.objects.count()
        with connection.cursor() as cursor:
            # PostgreSQL: VACUUM sets the visibility map, so the walk is an index-only scan.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(
            f"database: {connection.vendor}, {nodes:,} nodes, {links:,} links, "
            f"filled in {fill_s:.0f} s ({fill_cpu:.0f} CPU s in this process), load {os.getloadavg()}"
        )
        from section307.supplychain.models import SupplyChainMap

        query_load = os.getloadavg()
        sample = [rng.choice(map_ids) for _ in range(args.samples)]
        upstream_ms, paths_ms, risk_ms = [], [], []
        for map_id in sample:
            t = time.perf_counter()
            upstream_risky(map_id)
            upstream_ms.append((time.perf_counter() - t) * 1000)
        for map_id in sample:
            chain_map = SupplyChainMap.objects.get(pk=map_id)
            t = time.perf_counter()
            risk_paths(chain_map)
            paths_ms.append((time.perf_counter() - t) * 1000)
        for map_id in sample[: max(1, len(sample) // 4)]:
            chain_map = SupplyChainMap.objects.get(pk=map_id)
            t = time.perf_counter()
            map_risk(chain_map)
            risk_ms.append((time.perf_counter() - t) * 1000)
        result: dict[str, object] = {
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load": query_load},
            "database": connection.vendor,
            "nodes": nodes,
            "links": links,
            "maps": args.maps,
            "nodes_per_map": args.nodes_per_map,
            "links_per_map": links // max(1, args.maps),
            "fill_seconds": round(fill_s, 1),
            "fill_cpu_seconds": round(fill_cpu, 1),
            "upstream_ms": _p50_p95(upstream_ms),
            "risk_paths_ms": _p50_p95(paths_ms),
            "map_risk_ms": _p50_p95(risk_ms),
        }
        for key, label in (
            ("upstream_ms", "upstream query per good"),
            ("risk_paths_ms", "risk_paths (query + paths: the API's /risk)"),
            ("map_risk_ms", "map_risk (query + paths + the whole map)"),
        ):
            figures = result[key]
            assert isinstance(figures, dict)
            print(f"{label}: p50 {figures['p50']} ms, p95 {figures['p95']} ms")
        # Re-screening: enough maps for --rescreen-links links; the rest are set aside for this run.
        per_map = max(1, links // max(1, args.maps))
        keep = map_ids[: max(1, args.rescreen_links // per_map)]
        SupplyChainMap.objects.exclude(pk__in=keep).update(organization=None)
        SupplyChainMap.objects.filter(pk__in=keep).update(screened_version="")
        rescreen_links = Link.objects.filter(map_id__in=keep).count()
        rescreen_nodes = Node.objects.filter(map_id__in=keep).count()
        from section307.demo.world import build_demo_world
        from section307.supplychain.services import maps_rescreen

        build_demo_world(seed=1)  # a registry to screen against (orders, parties, DOL listings)
        SupplyChainMap.objects.filter(organization__name="Harborline Apparel Imports LLC").update(organization=None)
        load_before = os.getloadavg()
        t, c = time.perf_counter(), time.process_time()
        outcome = maps_rescreen(trigger="bench")
        rescreen_s, rescreen_cpu = time.perf_counter() - t, time.process_time() - c
        result["rescreen"] = {
            "maps": outcome.screened,
            "links": rescreen_links,
            "nodes": rescreen_nodes,
            "seconds": round(rescreen_s, 1),
            "cpu_seconds": round(rescreen_cpu, 1),
            "load_before": load_before,
        }
        print(
            f"re-screen after an order change: {outcome.screened} maps, {rescreen_links:,} links, "
            f"{rescreen_nodes:,} nodes in {rescreen_s:.1f} s ({rescreen_cpu:.1f} CPU s), load before {load_before}"
        )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / f"supplychain-{result['database']}.json").write_text(json.dumps(result, indent=2, default=str))
    print(f"wrote {out}/supplychain-{result['database']}.json")


if __name__ == "__main__":
    main()
