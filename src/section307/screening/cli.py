"""``screen`` command: screen an entries file against a watchlist.

Usable three ways with the same arguments:

* ``python -m section307.screening [screen] ENTRIES --watchlist WATCHLIST ...``
* from another argparse program (the web apps' management command)::

      from section307.screening import cli
      cli.add_arguments(parser)
      code = cli.run(args, watchlist=compiled_or_none)

  ``run`` uses ``--watchlist`` when given, else the ``watchlist`` passed in
  (a :class:`Watchlist` or :class:`CompiledWatchlist`), else fails with exit code 3.

Exit codes:

* 0 -- every row screened, results written;
* 1 -- results written, but malformed rows were reported and skipped;
* 2 -- bad command line (argparse);
* 3 -- an input cannot be used: missing/unreadable file, unknown format, bad
  encoding, missing required column, invalid watchlist, no watchlist;
* 4 -- the Spark engine is unavailable or failed.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path
from typing import Any

from section307.screening.cache import compile_cached, compile_files_cached, load_name_store, store_name_results
from section307.screening.engine import REQUIRED_COLUMNS, Screener
from section307.screening.io import (
    DEFAULT_BATCH_ROWS,
    InputError,
    ResultWriter,
    RowProblem,
    count_rows,
    iter_batches,
)
from section307.screening.parallel import (
    distinct_addresses,
    distinct_party_names,
    prefetch_names,
    prefetch_places,
    screen_batches,
    validate_batch,
)
from section307.screening.watchlist import CompiledWatchlist, Watchlist, WatchlistError

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_SKIPPED_ROWS", "EXIT_SPARK", "add_arguments", "main", "run"]

EXIT_OK = 0
EXIT_SKIPPED_ROWS = 1
EXIT_BAD_INPUT = 3
EXIT_SPARK = 4
_MAX_PROBLEMS_SHOWN = 50


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``screen`` arguments to ``parser``."""
    parser.add_argument("entries", metavar="ENTRIES", help="entries file: .csv, .parquet or .xlsx")
    parser.add_argument("--watchlist", metavar="WATCHLIST", help="watchlist file: .csv, .parquet or .xlsx")
    parser.add_argument(
        "--out", metavar="RESULTS", help="results file (.csv, .parquet, .xlsx); CSV on stdout if omitted"
    )
    parser.add_argument(
        "--engine", choices=("local", "spark"), default="local", help="where to run (default: local)"
    )
    parser.add_argument(
        "--workers", type=int, default=None, metavar="N", help="worker processes (default: all cores)"
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.85,
        metavar="T",
        help="party-match score for a hit (default 0.85; review from T-0.15)",
    )
    parser.add_argument(
        "--review-threshold",
        type=float,
        default=None,
        metavar="R",
        help="lowest party-match score reported for review (default T-0.15)",
    )
    parser.add_argument(
        "--dol", metavar="FILE", help="DOL goods table: good,country,child_labor,forced_labor"
    )
    parser.add_argument("--tip", metavar="FILE", help="TIP tier table: country,tier")
    parser.add_argument(
        "--no-statutory", action="store_true", help="do not add the built-in UFLPA/WRO/CAATSA region rules"
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_ROWS,
        metavar="ROWS",
        help=f"rows per batch (default {DEFAULT_BATCH_ROWS})",
    )
    parser.add_argument("--encoding", default="utf-8", help="CSV text encoding (default utf-8)")
    parser.add_argument(
        "--spark-master",
        default=None,
        metavar="URL",
        help="Spark master for --engine spark (default: from spark-submit, else local[*])",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        default=None,
        help="where compiled watchlists are kept between runs "
        "(default: $SECTION307_SCREENING_CACHE or ~/.cache/section307/screening)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="compile the watchlist without reading or writing the cache"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")


def _err(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr)


def build_watchlist(
    args: argparse.Namespace, watchlist: Watchlist | CompiledWatchlist | None
) -> CompiledWatchlist:
    """The compiled watchlist for a run: the file in ``--watchlist`` wins over the object passed in."""
    workers = args.workers or os.cpu_count() or 1
    use_cache = not getattr(args, "no_cache", False)
    cache = getattr(args, "cache_dir", None)
    directory = Path(cache) if cache else None
    if args.watchlist:
        if not use_cache:
            return _read_watchlist(args).compile(workers=workers)
        return compile_files_cached(
            Path(args.watchlist),
            lambda: _read_watchlist(args),
            dol=Path(args.dol) if args.dol else None,
            tip=Path(args.tip) if args.tip else None,
            statutory=not args.no_statutory,
            directory=directory,
            workers=workers,
        )
    if isinstance(watchlist, CompiledWatchlist):
        if args.dol or args.tip:
            raise InputError("--dol/--tip need --watchlist when a compiled watchlist is passed in")
        return watchlist
    if not isinstance(watchlist, Watchlist):
        raise InputError("no watchlist: pass --watchlist FILE")
    _add_tables(args, watchlist)
    if not use_cache:
        return watchlist.compile(workers=workers)
    return compile_cached(watchlist, directory=directory, workers=workers)


def _read_watchlist(args: argparse.Namespace) -> Watchlist:
    wl = Watchlist.from_file(args.watchlist, statutory=not args.no_statutory)
    _add_tables(args, wl)
    return wl


def _add_tables(args: argparse.Namespace, wl: Watchlist) -> None:
    if args.dol:
        wl.load_dol_table(args.dol)
    if args.tip:
        wl.load_tip_table(args.tip)


def run(args: argparse.Namespace, watchlist: Watchlist | CompiledWatchlist | None = None) -> int:
    """Run a screening as described by ``args``; returns the exit code."""
    # A run builds a million long-lived objects (the compiled watchlist, the name results) and makes
    # no reference cycles worth collecting: the first collection after loading the watchlist alone
    # took 0.3 s, rescanning everything just loaded. Workers are forked with the collector frozen.
    was = gc.isenabled()
    gc.disable()
    try:
        return _run(args, watchlist)
    finally:
        if was:
            gc.enable()


def _run(args: argparse.Namespace, watchlist: Watchlist | CompiledWatchlist | None) -> int:
    started = time.perf_counter()
    try:
        compiled = build_watchlist(args, watchlist)
    except (InputError, WatchlistError) as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    if args.engine == "spark":
        return _run_spark(args, compiled)
    screener = Screener(compiled, threshold=args.threshold, review_threshold=args.review_threshold)
    problems: list[RowProblem] = []

    def on_problem(p: RowProblem) -> None:
        problems.append(p)
        if len(problems) <= _MAX_PROBLEMS_SHOWN:
            print(f"skipped: {p}", file=sys.stderr)
        elif len(problems) == _MAX_PROBLEMS_SHOWN + 1:
            print("skipped: (further malformed rows are counted, not shown)", file=sys.stderr)

    counts = {"hit": 0, "review": 0, "clear": 0}
    names = distinct_party_names(args.entries)
    matcher = screener.matcher
    if names:
        # Names matched by earlier runs against this watchlist and engine are not matched again.
        known, relations = load_name_store(compiled, matcher.floor, names)
        matcher.reserve(len(names))
        matcher.seed(known.items())
        matcher.seed_relations(relations.items())
        if args.workers != 1:
            # Match each distinct party name once across all cores before the row pass.
            prefetch_names(screener, [n for n in names if n not in known], args.workers)
    if args.workers != 1:
        # The same for the places named in each distinct address (region rules).
        addresses = distinct_addresses(args.entries)
        if addresses:
            prefetch_places(screener, addresses, args.workers)
    writer = ResultWriter(args.out)
    progress = _progress(args, count_rows(args.entries))
    try:
        batches = (
            validate_batch(b, args.entries, on_problem)
            for b in iter_batches(
                args.entries,
                required=REQUIRED_COLUMNS,
                batch_size=args.batch_size,
                encoding=args.encoding,
                on_problem=on_problem,
            )
        )
        for result in screen_batches(screener, (b for b in batches if b.height), args.workers):
            writer.write(result)
            for decision, n in result["decision"].value_counts().iter_rows():
                counts[decision] = counts.get(decision, 0) + n
            if progress is not None:
                progress.update(result.height)
        if writer.rows == 0 and args.out:
            writer.write(screener.screen(_empty_entries()))
        if names:
            store_name_results(compiled, matcher.floor, matcher.cached(names), matcher.cached_relations(names))
    except InputError as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    finally:
        writer.close()
        if progress is not None:
            progress.close()
    elapsed = time.perf_counter() - started
    if not args.quiet:
        total = sum(counts.values())
        print(
            f"screened {total} line{'s' if total != 1 else ''} in {elapsed:.1f}s: {counts['hit']} hit, "
            f"{counts['review']} review, {counts['clear']} clear; "
            f"{len(problems)} malformed row{'s' if len(problems) != 1 else ''} skipped",
            file=sys.stderr,
        )
    elif problems:
        print(f"{len(problems)} malformed rows skipped", file=sys.stderr)
    return EXIT_SKIPPED_ROWS if problems else EXIT_OK


def _empty_entries() -> Any:
    import polars as pl

    return pl.DataFrame(schema=dict.fromkeys(REQUIRED_COLUMNS, pl.Utf8))


def _progress(args: argparse.Namespace, total: int | None) -> Any:
    if args.quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="rows", unit_scale=True, file=sys.stderr, desc="screening")


def _run_spark(args: argparse.Namespace, compiled: CompiledWatchlist) -> int:
    try:
        from section307.screening.spark import SparkUnavailable, screen_with_spark
    except ImportError as exc:  # pragma: no cover - import of our own module
        _err(f"Spark engine unavailable: {exc}")
        return EXIT_SPARK
    if not args.out:
        _err("--engine spark needs --out (a Parquet or CSV output path)")
        return EXIT_BAD_INPUT
    try:
        stats = screen_with_spark(
            args.entries,
            args.out,
            compiled,
            threshold=args.threshold,
            review_threshold=args.review_threshold,
            master=args.spark_master,
            workers=args.workers,
        )
    except InputError as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    except SparkUnavailable as exc:
        _err(str(exc))
        return EXIT_SPARK
    if not args.quiet:
        print(
            f"screened {stats['rows']} lines with Spark: {stats.get('hit', 0)} hit, "
            f"{stats.get('review', 0)} review, "
            f"{stats.get('clear', 0)} clear; {stats['malformed']} malformed rows skipped",
            file=sys.stderr,
        )
    return EXIT_SKIPPED_ROWS if stats["malformed"] else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: ``python -m section307.screening [screen] ENTRIES --watchlist WL``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "screen":
        argv = argv[1:]
    parser = argparse.ArgumentParser(
        prog="python -m section307.screening",
        description="Screen import entry lines against forced-labour orders, presumptions and risk lists.",
        epilog="exit codes: 0 ok; 1 malformed rows skipped; 2 bad command line; 3 unusable input; "
        "4 Spark unavailable or failed",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    if not Path(args.entries).exists() and not str(args.entries).startswith(("s3", "gs:", "abfs", "hdfs")):
        _err(f"{args.entries}: file not found")
        return EXIT_BAD_INPUT
    return run(args)
