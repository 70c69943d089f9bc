"""Supply-chain benchmark: the upstream-risk query for one good, and re-screening after an order change.

It fills a fresh database (SQLite in a temporary directory unless ``DATABASE_URL`` is set) with
``--maps`` maps of ``--nodes-per-map`` nodes each (a layered chain: each node links to
``--links-per-node`` buyers in the tier below), marks one node in fifty as risky, then times, for
``--samples`` random maps:

- ``upstream``: the recursive query (``risk.upstream_risky``) alone;
- ``map_risk``: the query plus the paths and reasons (``risk.map_risk``, what the API's /risk returns);

and, on ``--rescreen-links`` links' worth of maps, ``maps_rescreen`` (every node screened by the port's
screener against the demo registry, as after an order change).

    python bench/supplychain_bench.py --maps 1000 --nodes-per-map 1000 --links-per-node 5
    python bench/supplychain_bench.py --maps 100 --nodes-per-map 200 --samples 50   # quick

Prints figures and writes ``bench/results/supplychain.json``.
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
    """Bulk rows through the ORM's bulk_create (one map at a time; each map is one good's chain)."""
    from django.db import transaction

    from section307.accounts.models import Organization
    from section307.supplychain.models import CustodyModel, Link, Node, SupplyChainMap

    org = Organization.objects.create(name="Bench Importer", kind=Organization.Kind.IMPORTER)
    custody = [c.value for c in CustodyModel]
    map_ids: list[int] = []
    tiers = args.tiers
    for m in range(args.maps):
        with transaction.atomic():
            chain_map = SupplyChainMap.objects.create(organization=org, title=f"Bench map {m}", risk_level="hit")
            per_tier = max(1, (args.nodes_per_map - 1) // tiers)
            nodes = [Node(map=chain_map, name="Importer", key="importer", tier=0)]
            for t in range(1, tiers + 1):
                for i in range(per_tier):
                    risky = rng.random() < 0.02
                    nodes.append(
                        Node(
                            map=chain_map,
                            name=f"Supplier {t}-{i}",
                            key=f"supplier {t} {i}",
                            tier=t,
                            country_id="CN" if risky else "VN",
                            risk_level="hit" if risky else "clear",
                            risk_signals=[{"kind": "region", "level": "hit", "detail": "bench", "list": "uflpa"}]
                            if risky
                            else [],
                        )
                    )
            Node.objects.bulk_create(nodes, batch_size=5000)
            by_tier: dict[int, list[int]] = {}
            for pk, tier in Node.objects.filter(map=chain_map).values_list("pk", "tier"):
                by_tier.setdefault(tier, []).append(pk)
            links = []
            for t in range(1, tiers + 1):
                below = by_tier[t - 1]
                for supplier in by_tier[t]:
                    buyers = below if len(below) <= args.links_per_node else rng.sample(below, args.links_per_node)
                    for buyer in buyers:
                        links.append(
                            Link(
                                map=chain_map,
                                supplier_id=supplier,
                                buyer_id=buyer,
                                tier=t,
                                good_key="Cotton",
                                hts="5201",
                                custody_model=rng.choice(custody),
                            )
                        )
            Link.objects.bulk_create(links, batch_size=5000)
            map_ids.append(chain_map.pk)
        if (m + 1) % max(1, args.maps // 10) == 0:
            print(f"  filled {m + 1}/{args.maps} maps", flush=True)
    return map_ids


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
        from section307.supplychain.risk import map_risk, upstream_risky

        t0 = time.perf_counter()
        map_ids = _fill(args, rng)
        fill_s = time.perf_counter() - t0
        nodes, links = Node.objects.count(), Link.objects.count()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"database: {connection.vendor}, {nodes:,} nodes, {links:,} links, filled in {fill_s:.0f} s")
        from section307.supplychain.models import SupplyChainMap

        sample = [rng.choice(map_ids) for _ in range(args.samples)]
        upstream_ms, risk_ms = [], []
        for map_id in sample:
            t = time.perf_counter()
            upstream_risky(map_id)
            upstream_ms.append((time.perf_counter() - t) * 1000)
        for map_id in sample:
            chain_map = SupplyChainMap.objects.get(pk=map_id)
            t = time.perf_counter()
            map_risk(chain_map)
            risk_ms.append((time.perf_counter() - t) * 1000)
        result: dict[str, object] = {
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load": os.getloadavg()},
            "database": connection.vendor,
            "nodes": nodes,
            "links": links,
            "maps": args.maps,
            "nodes_per_map": args.nodes_per_map,
            "links_per_map": links // max(1, args.maps),
            "fill_seconds": round(fill_s, 1),
            "upstream_ms": {"p50": round(statistics.median(upstream_ms), 2), "p95": round(_pct(upstream_ms, 0.95), 2)},
            "map_risk_ms": {"p50": round(statistics.median(risk_ms), 2), "p95": round(_pct(risk_ms, 0.95), 2)},
        }
        print(f"upstream query per good: p50 {result['upstream_ms']['p50']} ms, p95 {result['upstream_ms']['p95']} ms")  # type: ignore[index]
        print(f"map_risk (query + paths): p50 {result['map_risk_ms']['p50']} ms, p95 {result['map_risk_ms']['p95']} ms")  # type: ignore[index]
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
        t = time.perf_counter()
        outcome = maps_rescreen(trigger="bench")
        rescreen_s = time.perf_counter() - t
        result["rescreen"] = {
            "maps": outcome.screened,
            "links": rescreen_links,
            "nodes": rescreen_nodes,
            "seconds": round(rescreen_s, 1),
        }
        print(
            f"re-screen after an order change: {outcome.screened} maps, {rescreen_links:,} links, "
            f"{rescreen_nodes:,} nodes in {rescreen_s:.1f} s"
        )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "supplychain.json").write_text(json.dumps(result, indent=2, default=str))
    print(f"wrote {out / 'supplychain.json'}")


if __name__ == "__main__":
    main()
