"""Screening benchmark: throughput, peak memory, precision and recall of ``hit``.

For each watchlist size (parties) it generates a watchlist and an entries file
(cached under ``--data-dir``), runs the real command line
(``python -m section307.screening``) on Parquet in a child process while
sampling the resident memory of the whole process tree, and scores the
results against the planted truth. A plain rapidfuzz baseline (and the
OpenSanctions nomenklatura name matcher when ``--nomenklatura-python`` points
to an interpreter that has it) runs on a subset of the same entries.

    python bench/screening_bench.py                       # 1k/10k/100k parties x 1M entries
    python bench/screening_bench.py --quick               # 1k parties x 20k entries
    python bench/screening_bench.py --parties 10000 --entries 200000
    python bench/screening_bench.py --parties 100000 --no-baseline --warm-watchlist-only   # headline

``--warm-watchlist-only`` runs each size from an empty cache (the watchlist is compiled and every
name matched), then twice with only the compiled watchlist cached (every name matched again): the
headline figure, timed in a run of its own and its memory sampled in the other (sampling the memory
of the run's processes costs it about a second). ``--warm`` adds a run with the name results of the
earlier run cached as well.

Results are printed and saved to ``bench/results/screening-<timestamp>.json``; the real-name
evaluation (``bench/eval_names.py``) follows unless ``--no-eval-names``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import polars as pl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from generate import Generator  # noqa: E402

ORDER_LISTS = {"wro", "finding", "uflpa", "caatsa"}


# -- data ----------------------------------------------------------------------------------------
def dataset(data_dir: Path, parties: int, entries: int, seed: int) -> tuple[Path, Path]:
    data_dir.mkdir(parents=True, exist_ok=True)
    wl_path = data_dir / f"watchlist-{parties}-s{seed}.csv"
    en_path = data_dir / f"entries-{parties}-{entries}-s{seed}.parquet"
    if wl_path.exists() and en_path.exists():
        return wl_path, en_path
    t0 = time.perf_counter()
    gen = Generator(seed)
    companies, wl = gen.watchlist(parties)
    wl.write_csv(wl_path)
    chunk = 250_000
    frames = []
    done = 0
    while done < entries:
        n = min(chunk, entries - done)
        frames.append(
            gen.entries(n, companies, wl).with_columns(
                (pl.col("entry_number").cast(pl.Int64) + done).cast(pl.Utf8).str.zfill(11).alias("entry_number")
            )
        )
        done += n
    pl.concat(frames).write_parquet(en_path, row_group_size=100_000)
    print(
        f"  generated {parties} parties / {entries} entries in {time.perf_counter() - t0:.1f}s",
        file=sys.stderr,
    )
    return wl_path, en_path


# -- memory sampling -----------------------------------------------------------------------------
def _tree_memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of a process and all its descendants, from /proc.

    RSS counts pages shared by forked workers once per process; PSS splits them, so the PSS
    sum is the memory the run really occupies.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    rss = pss = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except OSError:
            continue
    return rss, pss


def run_cli(
    argv: list[str], cache: Path | None = None, *, sample_memory: bool = True
) -> tuple[float, tuple[int, int], str, float]:
    """Run the screening command; returns (seconds, peak tree (RSS, PSS) bytes, stderr, CPU seconds).

    ``cache`` is the compiled-watchlist cache directory the command uses. Without
    ``sample_memory`` the peaks are 0: sampling costs the run about a second (see below).
    """
    import resource

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    if cache is not None:
        env["SECTION307_SCREENING_CACHE"] = str(cache)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "section307.screening", *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0, 0]
    stop = threading.Event()

    def sample() -> None:
        # Twice a second: reading smaps_rollup walks the page tables of every process of the tree
        # and holds their memory locks; ten times a second it took CPU and time from the run measured.
        # Even twice a second a sample of the 1M x 100k run costs 40-65 ms of CPU and 70-110 ms: the
        # headline time is taken from a run without sampling.
        while sample_memory and not stop.is_set():
            rss, pss = _tree_memory(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            stop.wait(0.5)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    stop.set()
    th.join()
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"screening failed ({proc.returncode}): {err}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, (peak[0], peak[1]), err, cpu


def scores(df: pl.DataFrame, predicted_hit: pl.Series) -> dict[str, Any]:
    truth = df["truth"] == "hit"
    tp = int((truth & predicted_hit).sum())
    fp = int((~truth & predicted_hit).sum())
    fn = int((truth & ~predicted_hit).sum())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "tp": tp, "fp": fp, "fn": fn}


def per_plant(df: pl.DataFrame) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for (plant,), grp in df.group_by(["plant"]):
        hit = grp["decision"] == "hit"
        want = grp["truth"] == "hit"
        out[str(plant)] = {
            "n": grp.height,
            "correct": int((hit == want).sum()),
            "rate": round(float((hit == want).mean() or 0.0), 4),
        }
    return dict(sorted(out.items()))


# -- baselines -----------------------------------------------------------------------------------
def rapidfuzz_baseline(wl_path: Path, entries: pl.DataFrame, cutoff: float) -> dict[str, Any]:
    """Plain rapidfuzz: best token_sort_ratio of the manufacturer over all names and aliases."""
    from rapidfuzz import fuzz, process, utils

    wl = pl.read_csv(wl_path, infer_schema=False).fill_null("")
    choices: list[str] = []
    lists: list[str] = []
    for name, aliases, lst in wl.select("name", "aliases", "list").iter_rows():
        for n in [name, *[a.strip() for a in aliases.split("|") if a.strip()]]:
            choices.append(n)
            lists.append(lst)
    t0 = time.perf_counter()
    hits = []
    for name in entries["manufacturer"].to_list():
        best = process.extractOne(
            name, choices, scorer=fuzz.token_sort_ratio, processor=utils.default_process, score_cutoff=cutoff
        )
        hits.append(best is not None and lists[best[2]] in ORDER_LISTS)
    elapsed = time.perf_counter() - t0
    res = scores(entries, pl.Series(hits))
    name_planted = entries["plant"].is_in(["identifier", "region", "hard_negative_in_xinjiang"]).not_()
    res_names = scores(entries.filter(name_planted), pl.Series(hits).filter(name_planted))
    return {
        "entries": entries.height,
        "seconds": round(elapsed, 2),
        "entries_per_s": round(entries.height / elapsed, 1),
        "cutoff": cutoff,
        **res,
        "names_only": res_names,
    }


_NK_SCRIPT = r"""
import json, sys, time
from followthemoney import model
from nomenklatura.matching import get_algorithm
algo = get_algorithm("logic-v2") or get_algorithm("logic-v1")
wl = json.load(open(sys.argv[1])); ents = json.load(open(sys.argv[2])); cutoff = float(sys.argv[3])
def mk(i, names, country):
    e = model.make_entity("Company"); e.id = str(i); e.add("name", names)
    if country: e.add("country", country)
    return e
cands = [(mk(i, n, c), lst) for i, (n, c, lst) in enumerate(wl)]
# Blocking is not part of the baseline: compare each entry with candidates sharing a name token.
index = {}
for k, (e, lst) in enumerate(cands):
    for n in e.get("name"):
        for t in set(n.lower().split()):
            if len(t) > 3: index.setdefault(t, set()).add(k)
t0 = time.time(); out = []
cfg = algo.default_config()
for qi, (name, country) in enumerate(ents):
    # A distinct id per query: the matcher caches name analysis by entity id.
    q = mk(f"q{qi}", [name], country)
    shared = {}
    for t in set(name.lower().split()):
        for k in (index.get(t, ()) if len(t) > 3 else ()):
            shared[k] = shared.get(k, 0) + 1
    best = 0.0; best_list = None
    for k in sorted(shared, key=shared.get, reverse=True)[:50]:
        r = algo.compare(q, cands[k][0], cfg)
        if r.score > best: best, best_list = r.score, cands[k][1]
    out.append(bool(best >= cutoff and best_list in ("wro", "finding", "uflpa", "caatsa")))
print(json.dumps({"hits": out, "seconds": time.time() - t0, "algorithm": algo.NAME}))
"""


def nomenklatura_baseline(python: str, wl_path: Path, entries: pl.DataFrame, cutoff: float) -> dict[str, Any]:
    wl = pl.read_csv(wl_path, infer_schema=False).fill_null("")
    rows = [
        [[name, *[a.strip() for a in aliases.split("|") if a.strip()]], country, lst]
        for name, aliases, country, lst in wl.select("name", "aliases", "country", "list").iter_rows()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        wp, ep, sp = Path(tmp, "wl.json"), Path(tmp, "e.json"), Path(tmp, "nk.py")
        wp.write_text(json.dumps(rows))
        ep.write_text(json.dumps(entries.select("manufacturer", "country_of_origin").rows()))
        sp.write_text(_NK_SCRIPT)
        proc = subprocess.run(
            [python, str(sp), str(wp), str(ep), str(cutoff)], capture_output=True, text=True, check=False
        )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    data = json.loads(proc.stdout)
    hits = pl.Series(data["hits"])
    res = scores(entries, hits)
    name_planted = entries["plant"].is_in(["identifier", "region", "hard_negative_in_xinjiang"]).not_()
    res["names_only"] = scores(entries.filter(name_planted), hits.filter(name_planted))
    return {
        "entries": entries.height,
        "seconds": round(data["seconds"], 2),
        "algorithm": data["algorithm"],
        "entries_per_s": round(entries.height / max(data["seconds"], 1e-9), 1),
        "cutoff": cutoff,
        **res,
    }


def _baselines(args: argparse.Namespace, run: dict[str, Any], wl_path: Path, en_path: Path, res: pl.DataFrame) -> None:
    subset = pl.read_parquet(en_path).head(args.baseline_subset)
    run["baseline_rapidfuzz"] = rapidfuzz_baseline(wl_path, subset, args.baseline_cutoff)
    head = res.head(args.baseline_subset)
    run["engine_on_subset"] = scores(head, head["decision"] == "hit")
    if Path(args.nomenklatura_python).exists():
        n = min(500, args.baseline_subset)
        run["baseline_nomenklatura"] = nomenklatura_baseline(args.nomenklatura_python, wl_path, subset.head(n), 0.7)
        run["engine_on_nomenklatura_subset"] = scores(res.head(n), res.head(n)["decision"] == "hit")


# -- main ----------------------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--parties", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="1k parties x 20k entries")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--baseline-subset", type=int, default=5_000)
    ap.add_argument("--baseline-cutoff", type=float, default=90.0)
    ap.add_argument("--nomenklatura-python", default="/work/venv-bench/bin/python")
    ap.add_argument("--data-dir", type=Path, default=HERE / "data")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--no-eval-names", action="store_true", help="skip the real-name evaluation")
    ap.add_argument(
        "--warm",
        action="store_true",
        help="after the first run (empty cache), run again with the compiled watchlist and the name results cached",
    )
    ap.add_argument(
        "--warm-watchlist-only",
        action="store_true",
        help=(
            "after the first run (empty cache), run again with only the compiled watchlist cached: every "
            "name is matched again (the headline figure; the name results of an earlier run of the same "
            "file are not a fair measure)"
        ),
    )
    ap.add_argument("--baselines-only", action="store_true", help="reuse the engine results of an earlier run")
    args = ap.parse_args()
    if args.quick:
        args.parties, args.entries = [1_000], 20_000
    results_dir = HERE / "results"
    results_dir.mkdir(exist_ok=True)
    report: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        },
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False
        ).stdout.strip(),
        "runs": [],
    }
    for parties in args.parties:
        print(f"== {parties} parties x {args.entries} entries", file=sys.stderr)
        wl_path, en_path = dataset(args.data_dir, parties, args.entries, args.seed)
        out_path = args.data_dir / f"results-{parties}-{args.entries}.parquet"
        argv = [str(en_path), "--watchlist", str(wl_path), "--out", str(out_path), "--quiet"]
        if args.workers:
            argv += ["--workers", str(args.workers)]
        if args.baselines_only:
            # Baselines against the results of an earlier engine run on the same data.
            res = pl.read_parquet(out_path, columns=["decision", "truth", "plant"])
            run = {"parties": parties, "entries": res.height, "baselines_only": True}
            _baselines(args, run, wl_path, en_path, res)
            report["runs"].append(run)
            continue
        cache = args.data_dir / "cache"
        shutil.rmtree(cache, ignore_errors=True)  # the first run compiles the watchlist
        load_before = os.getloadavg()[0]
        elapsed, peak, _err, cpu = run_cli(argv, cache)
        res = pl.read_parquet(out_path, columns=["decision", "truth", "plant"])
        run: dict[str, Any] = {
            "parties": parties,
            "entries": res.height,
            "seconds": round(elapsed, 2),
            "entries_per_s": round(res.height / elapsed, 1),
            "peak_pss_mib": round(peak[1] / 2**20, 1),
            "peak_rss_sum_mib": round(peak[0] / 2**20, 1),
            "cpu_seconds": round(cpu, 1),
            "load_average_before": round(load_before, 2),
            "load_average_after": round(os.getloadavg()[0], 2),
            "decisions": dict(res["decision"].value_counts().iter_rows()),
            **scores(res, res["decision"] == "hit"),
            "by_plant": per_plant(res),
        }
        cold = pl.read_parquet(out_path, columns=["decision", "score", "reasons", "signals"])
        if args.warm_watchlist_only:
            # Two runs of the target's case: one timed, with nothing else reading the run's memory,
            # then one with memory sampled (its time is reported apart).
            same = True
            load_wl = os.getloadavg()[0]
            for stored in cache.glob("names-*.pickle"):
                stored.unlink()  # name results of the earlier run: not used
            h_elapsed, _none, _err, h_cpu = run_cli(argv, cache, sample_memory=False)
            load_timed_after = os.getloadavg()[0]
            same = same and pl.read_parquet(out_path, columns=["decision", "score", "reasons", "signals"]).equals(cold)
            for stored in cache.glob("names-*.pickle"):
                stored.unlink()
            m_elapsed, h_peak, _err, _cpu = run_cli(argv, cache)
            same = same and pl.read_parquet(out_path, columns=["decision", "score", "reasons", "signals"]).equals(cold)
            run["watchlist_cached"] = {
                "seconds": round(h_elapsed, 2),
                "entries_per_s": round(res.height / h_elapsed, 1),
                "cpu_seconds": round(h_cpu, 1),
                "load_average_before": round(load_wl, 2),
                "load_average_after": round(load_timed_after, 2),
                "peak_pss_mib": round(h_peak[1] / 2**20, 1),
                "peak_rss_sum_mib": round(h_peak[0] / 2**20, 1),
                "seconds_while_sampling_memory": round(m_elapsed, 2),
                "same_results": same,
            }
        if args.warm:
            load_warm = os.getloadavg()[0]
            w_elapsed, w_peak, _err, w_cpu = run_cli(argv, cache)
            run["warm_cache"] = {
                "seconds": round(w_elapsed, 2),
                "entries_per_s": round(res.height / w_elapsed, 1),
                "peak_pss_mib": round(w_peak[1] / 2**20, 1),
                "cpu_seconds": round(w_cpu, 1),
                "load_average_before": round(load_warm, 2),
                "same_results": pl.read_parquet(
                    out_path, columns=["decision", "score", "reasons", "signals"]
                ).equals(cold),
            }
        if not args.no_baseline:
            _baselines(args, run, wl_path, en_path, res)
        report["runs"].append(run)
        print(json.dumps({k: v for k, v in run.items() if k != "by_plant"}, indent=1), file=sys.stderr)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = results_dir / f"screening-{stamp}.json"
    path.write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))
    print(f"saved {path}", file=sys.stderr)
    if not args.no_eval_names:
        # The real-name accuracy evaluation in the same run (bench/eval_names.py).
        from eval_names import main as eval_names

        eval_names([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
