"""Parcels at volume: a day of low-value parcels screened with the entry engine.

Generates a watchlist and a day of parcels (default 4 million rows, Parquet, written in row
groups so generation is memory-bounded) in which a share of the parcels come from listed
sellers under the spellings a marketplace shows (case, legal form, typos, branches, Chinese,
pinyin) and some from hard negatives (other companies of the same place and trade). The
parcels are then screened batch by batch with ``section307.parcels.screen`` (the engine's
distinct-value batch path), only one batch in memory, optionally in worker processes. Reports
wall time, CPU-seconds, load average, peak memory, precision and recall of the seller hits, and
how many parcel groups (decisions) the hits make.

    python bench/parcels_bench.py                    # 4M parcels, 1,000 listed parties
    python bench/parcels_bench.py --parcels 1000000  # a smaller day
    python bench/parcels_bench.py --quick            # 200k parcels

Results are printed and written to ``bench/results/parcels-<timestamp>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from generate import HTS, Generator  # noqa: E402
from section307.parcels.screen import group_key, screen_batch  # noqa: E402
from section307.screening import Screener, Watchlist  # noqa: E402

DESCRIPTIONS = [
    *[d for _hts, d, _s in HTS],
    "纯棉T恤",
    "camiseta de algodón",
    "T-shirt en coton",
    "phone case",
    "USB cable",
    "ceramic mug",
    "hair clips",
    "LED strip lights",
    "yoga mat",
    "plastic storage box",
    "Handschuhe",
    "zapatillas deportivas",
]


def _rss_peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


# -- data ------------------------------------------------------------------------------------------------
def generate(data_dir: Path, parcels: int, parties: int, seed: int, planted_rate: float) -> tuple[Path, Path]:
    data_dir.mkdir(parents=True, exist_ok=True)
    wl_path = data_dir / f"parcels-watchlist-{parties}-s{seed}.csv"
    p_path = data_dir / f"parcels-{parcels}-{parties}-s{seed}.parquet"
    if wl_path.exists() and p_path.exists():
        return wl_path, p_path
    gen = Generator(seed)
    r = gen.rng
    companies, wl = gen.watchlist(parties)
    wl.write_csv(wl_path)
    lists = wl["list"].to_list()
    on_order = [i for i, lst in enumerate(lists) if lst != "risk"]
    # Sellers: listed companies under marketplace spellings (truth: hit), hard negatives, the rest.
    chosen = [companies[r.choice(on_order)] for _ in range(max(50, parties // 2))]
    planted = [gen.variant(c)[1] for c in chosen]
    addresses_planted = [c.address if r.random() < 0.5 else "" for c in chosen]
    negatives = [gen.hard_negative(companies[r.choice(on_order)]) for _ in range(max(50, parties // 2))]
    population = [gen.company() for _ in range(20_000)]
    seller_names = planted + [c.names["en"] for c in negatives] + [c.names["en"] for c in population]
    seller_addr = addresses_planted + [c.address for c in negatives] + [c.address for c in population]
    seller_truth = np.array([True] * len(planted) + [c.xinjiang for c in negatives] + [False] * len(population))
    seller_origin = [c.country for c in chosen] + [c.country for c in negatives] + [c.country for c in population]
    shippers = [gen.company().names["en"] for _ in range(2_000)]
    consignees = [f"Consignee {i}" for i in range(500_000)]
    n_planted, n_neg = len(planted), len(negatives)
    rng = np.random.default_rng(seed)
    writer = None
    chunk = 250_000
    done = 0
    while done < parcels:
        n = min(chunk, parcels - done)
        x = rng.random(n)
        seller = np.where(
            x < planted_rate,
            rng.integers(0, n_planted, n),
            np.where(
                x < planted_rate * 2,
                n_planted + rng.integers(0, n_neg, n),
                n_planted + n_neg + rng.integers(0, len(population), n),
            ),
        )
        desc = rng.integers(0, len(DESCRIPTIONS), n)
        table = pa.table(
            {
                "tracking_number": pa.array([f"LP{done + i:012d}" for i in range(n)]),
                "master_bill": pa.array([f"MB{(done + i) // 5000:08d}" for i in range(n)]),
                "carrier": pa.array(np.array(["Fast Air", "Post A", "Parcel Go"])[rng.integers(0, 3, n)]),
                "seller": pa.array(np.array(seller_names, dtype=object)[seller]),
                "seller_address": pa.array(np.array(seller_addr, dtype=object)[seller]),
                "shipper": pa.array(np.array(shippers, dtype=object)[rng.integers(0, len(shippers), n)]),
                "consignee": pa.array(np.array(consignees, dtype=object)[rng.integers(0, len(consignees), n)]),
                "description": pa.array(np.array(DESCRIPTIONS, dtype=object)[desc]),
                "value_usd": pa.array(np.round(rng.uniform(2, 400, n), 2).astype(str)),
                "origin_country": pa.array(np.array(seller_origin, dtype=object)[seller]),
                "truth": pa.array(seller_truth[seller]),
            }
        )
        if writer is None:
            writer = pq.ParquetWriter(p_path, table.schema)
        writer.write_table(table, row_group_size=chunk)
        done += n
    assert writer is not None
    writer.close()
    return wl_path, p_path


# -- screening -------------------------------------------------------------------------------------------
_SCREENER: Screener | None = None


def _init(wl_path: str) -> None:
    global _SCREENER
    _SCREENER = Screener(Watchlist.from_file(wl_path).compile())


def _screen_group(args: tuple[str, int]) -> dict[str, Any]:
    path, rg = args
    assert _SCREENER is not None
    c0 = time.process_time()
    batch = pq.ParquetFile(path).read_row_group(rg)
    res = screen_batch(_SCREENER, batch)
    seller_hit = np.asarray(
        pc.fill_null(pc.and_(pc.equal(res["decision"], "hit"), pc.equal(res["matched_field"], "manufacturer")), False),
        dtype=bool,
    )
    truth = np.asarray(batch["truth"], dtype=bool)
    hits = np.asarray(pc.fill_null(pc.equal(res["decision"], "hit"), False), dtype=bool)
    idx = np.flatnonzero(hits | np.asarray(pc.fill_null(pc.equal(res["decision"], "review"), False), dtype=bool))
    decision = res["decision"].to_pylist()
    matched = res["matched_id"].to_pylist()
    order = res["order_id"].to_pylist()
    seller = batch["seller"].to_pylist()
    shipper = batch["shipper"].to_pylist()
    keys = {
        group_key(decision=decision[i], matched_id=matched[i], order_id=order[i], seller=seller[i], shipper=shipper[i])
        for i in idx.tolist()
    }
    return {
        "rows": batch.num_rows,
        "tp": int((seller_hit & truth).sum()),
        "fp": int((seller_hit & ~truth).sum()),
        "fn": int((~seller_hit & truth).sum()),
        "hits": int(hits.sum()),
        "held": len(idx),
        "keys": sorted(keys),
        # This job's CPU in the worker (the pool's children are not always reaped before os.times()).
        "cpu": time.process_time() - c0,
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run(wl_path: Path, p_path: Path, workers: int) -> dict[str, Any]:
    groups = pq.ParquetFile(p_path).metadata.num_row_groups
    jobs = [(str(p_path), g) for g in range(groups)]
    t0, c0 = time.perf_counter(), _cpu_seconds()
    if workers > 1:
        with mp.get_context("spawn").Pool(workers, initializer=_init, initargs=(str(wl_path),)) as pool:
            parts = pool.map(_screen_group, jobs, chunksize=1)
    else:
        _init(str(wl_path))
        parts = [_screen_group(j) for j in jobs]
    wall, cpu = time.perf_counter() - t0, _cpu_seconds() - c0
    tp, fp, fn = (sum(p[k] for p in parts) for k in ("tp", "fp", "fn"))
    keys = set().union(*(p["keys"] for p in parts))
    rows = sum(p["rows"] for p in parts)
    return {
        "rows": rows,
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "cpu_seconds_screening_in_workers": round(sum(p["cpu"] for p in parts), 1),
        "worker_peak_rss_mb": round(max(p["worker_peak_rss_mb"] for p in parts)),
        "rows_per_second": round(rows / wall),
        "seller_precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "seller_recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "seller_tp_fp_fn": [tp, fp, fn],
        "hits": sum(p["hits"] for p in parts),
        "parcels_held": sum(p["held"] for p in parts),
        "groups_across_batches": len(keys),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parcels", type=int, default=4_000_000)
    ap.add_argument("--parties", type=int, default=1000)
    ap.add_argument("--planted-rate", type=float, default=0.005)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "section307-bench")
    args = ap.parse_args()
    if args.quick:
        args.parcels = 200_000
    t0 = time.perf_counter()
    wl_path, p_path = generate(args.data_dir, args.parcels, args.parties, args.seed, args.planted_rate)
    gen_s = time.perf_counter() - t0
    load_before = os.getloadavg()
    result = run(wl_path, p_path, args.workers)
    result.update(
        {
            "parcels": args.parcels,
            "parties": args.parties,
            "planted_rate": args.planted_rate,
            "workers": args.workers,
            "generate_seconds": round(gen_s, 1),
            "peak_rss_mb": round(_rss_peak_mb()),
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in os.getloadavg()],
            "cpus": os.cpu_count(),
            "machine": platform.platform(),
            "python": platform.python_version(),
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
    )
    print(json.dumps(result, indent=2))
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / f"parcels-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
