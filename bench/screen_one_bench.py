"""Single-entry screening latency: ``Screener.screen_one`` as the web apps call it.

One screener per process over the compiled watchlist (as ``ports.services.current_screener``
keeps it), then N entry lines drawn at random from the benchmark's entries file, each timed on
its own. The screener starts with empty name caches, so every name is matched when first met.

    python bench/screen_one_bench.py                       # 100k parties, 10,000 calls
    python bench/screen_one_bench.py --parties 1000 --calls 2000

Prints p50 / p95 / p99 / max in milliseconds (wall, and CPU time of each call) and writes JSON to ``bench/results/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from screening_bench import dataset  # noqa: E402
from section307.screening import Screener, Watchlist  # noqa: E402
from section307.screening.cache import compile_cached  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--parties", type=int, default=100_000)
    ap.add_argument("--entries", type=int, default=1_000_000, help="size of the entries file to sample from")
    ap.add_argument("--calls", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--data-dir", type=Path, default=HERE / "data")
    args = ap.parse_args()
    wl_path, en_path = dataset(args.data_dir, args.parties, args.entries, args.seed)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    compiled = compile_cached(Watchlist.from_file(wl_path), directory=args.data_dir / "cache")
    ready = time.perf_counter() - t0
    screener = Screener(compiled)
    rows = (
        pl.read_parquet(en_path)
        .drop("truth", "plant", strict=False)
        .sample(n=args.calls, seed=args.seed)
        .fill_null("")
        .to_dicts()
    )
    times: list[float] = []
    cpu_times: list[float] = []
    cpu0 = time.process_time()
    for row in rows:
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        screener.screen_one(row)
        cpu_times.append((time.thread_time_ns() - start_cpu) / 1e6)
        times.append((time.perf_counter_ns() - start) / 1e6)
    cpu = time.process_time() - cpu0
    times.sort()
    cpu_times.sort()

    def pct(p: float, values: list[float] = times) -> float:
        return round(values[min(len(values) - 1, int(p * len(values)))], 3)

    result = {
        "started": started,
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False
        ).stdout.strip(),
        "parties": args.parties,
        "calls": len(times),
        "watchlist_ready_s": round(ready, 2),
        "load_average_before": round(load_before, 2),
        "cpu_seconds": round(cpu, 2),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(times[-1], 3),
        "mean_ms": round(sum(times) / len(times), 3),
        # CPU time of each call: what the wall time would be on an idle core.
        "cpu_p50_ms": pct(0.50, cpu_times),
        "cpu_p95_ms": pct(0.95, cpu_times),
        "cpu_p99_ms": pct(0.99, cpu_times),
    }
    out = HERE / "results" / f"screen-one-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    print(f"saved {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
