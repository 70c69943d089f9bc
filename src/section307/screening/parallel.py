"""Row validation and the local (multi-process) batch pipeline.

Workers are forked once with the compiled watchlist already in memory (copy on
write; it is never pickled per batch). Batches go out and results come back in
order with at most ``2 * workers`` batches in flight, so memory stays flat on
inputs larger than RAM.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import AsyncResult
from typing import Any

import polars as pl
import pyarrow as pa

from section307.screening.engine import Screener
from section307.screening.io import ROW_COL, RowProblem

__all__ = ["distinct_party_names", "prefetch_names", "screen_batches", "validate_batch"]

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%Y%m%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


def validate_batch(df: pl.DataFrame, path: str, problem: Callable[[RowProblem], None]) -> pl.DataFrame:
    """Report and drop malformed rows: no entry number or line, a value that is not a number, a bad date."""
    checks: list[tuple[str, pl.Expr, str]] = []
    for col in ("entry_number", "line"):
        if col in df.columns:
            checks.append((col, pl.col(col).fill_null("").str.strip_chars() == "", "is empty"))
    if "value_usd" in df.columns:
        v = pl.col("value_usd").fill_null("").str.strip_chars().str.replace_all(r"[,$\s]", "")
        checks.append(
            ("value_usd", (v != "") & v.cast(pl.Float64, strict=False).is_null(), "is not a number")
        )
    if "date_of_import" in df.columns:
        d = pl.col("date_of_import").fill_null("").str.strip_chars()
        parsed = pl.coalesce([d.str.strptime(pl.Datetime, f, strict=False) for f in _DATE_FORMATS])
        checks.append(("date_of_import", (d != "") & parsed.is_null(), "is not a date (use YYYY-MM-DD)"))
    if not checks:
        return df
    flags = df.select([expr.alias(f"__bad_{i}") for i, (_, expr, _) in enumerate(checks)])
    bad_any = flags.select(pl.any_horizontal(pl.all())).to_series()
    if not bad_any.any():
        return df
    bad_rows = df.filter(bad_any)
    bad_flags = flags.filter(bad_any)
    for rec, values in zip(bad_rows.iter_rows(named=True), bad_flags.iter_rows(), strict=True):
        for (col, _, msg), is_bad in zip(checks, values, strict=True):
            if is_bad:
                value = rec.get(col) or ""
                problem(RowProblem(path, int(rec[ROW_COL]), col, f"{msg} ({value!r})" if value else msg))
                break
    return df.filter(~bad_any)


_WORKER: Screener | None = None


def _frame(table: pa.Table) -> pl.DataFrame:
    df = pl.from_arrow(table)
    assert isinstance(df, pl.DataFrame)
    return df


def _screen(batch: pa.Table) -> pa.Table:
    assert _WORKER is not None
    return _WORKER.screen_arrow(batch)


def screen_batches(
    screener: Screener, batches: Iterable[pl.DataFrame], workers: int | None = None
) -> Iterator[pl.DataFrame]:
    """Screen batches in order on ``workers`` processes (default: all cores; 1 = in this process)."""
    n = workers or os.cpu_count() or 1
    if n <= 1 or "fork" not in mp.get_all_start_methods():
        for b in batches:
            yield screener.screen(b)
        return
    # Batches cross the process boundary as Arrow tables: workers never touch Polars after fork.
    global _WORKER
    _WORKER = screener  # inherited by the forked workers; never pickled
    # Objects that exist now are never collected: the collector would otherwise write to every
    # page of the watchlist in each worker and turn the shared copy into private ones.
    gc.freeze()
    ctx = mp.get_context("fork")
    pool = ctx.Pool(n)
    try:
        pending: deque[AsyncResult[pa.Table]] = deque()
        for b in batches:
            pending.append(pool.apply_async(_screen, (b.to_arrow(),)))
            while len(pending) >= 2 * n:
                yield _frame(pending.popleft().get())
        while pending:
            yield _frame(pending.popleft().get())
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _WORKER = None


# -- name prefetch -------------------------------------------------------------------------------------------
_PARTY_COLUMNS = ("manufacturer", "shipper", "importer", "consignee")


def distinct_party_names(path: str, limit: int = 3_000_000) -> list[str] | None:
    """Distinct party names of an entries file, read column-wise by Polars' streaming engine.

    ``None`` when the file cannot be scanned this way (XLSX, unusual CSV); the
    pipeline then matches names as it meets them.
    """
    from section307.screening.io import InputError, detect_format

    try:
        fmt = detect_format(path)
    except InputError:
        return None
    try:
        if fmt == "parquet":
            lf = pl.scan_parquet(f"{path.rstrip('/')}/**/*.parquet" if os.path.isdir(path) else path)
        elif fmt == "csv" and path.lower().endswith(".csv"):
            lf = pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True)
        else:
            return None
        schema = lf.collect_schema().names()
        parts = [lf.select(pl.col(c).cast(pl.Utf8).alias("n")) for c in _PARTY_COLUMNS if c in schema]
        if "suppliers" in schema:
            parts.append(
                lf.select(
                    pl.col("suppliers").cast(pl.Utf8).str.split("|").explode().str.strip_chars().alias("n")
                )
            )
        if not parts:
            return None
        names = (
            pl.concat(parts)
            .filter(pl.col("n").is_not_null() & (pl.col("n").str.strip_chars() != ""))
            .unique()
            .head(limit)
            .collect(engine="streaming")
        )
    except (pl.exceptions.PolarsError, OSError, ValueError):
        return None
    return [s.strip() for s in names["n"].to_list()]


def _match_chunk(names: list[str]) -> list[tuple[str, Any]]:
    assert _WORKER is not None
    m = _WORKER.matcher
    return [(n, m.match(n)) for n in names]


def prefetch_names(
    screener: Screener, names: list[str], workers: int | None = None, chunk: int = 2_000
) -> None:
    """Match every distinct name once, spread over the workers, and seed the screener's cache.

    Workers forked afterwards inherit the filled cache, so no name is matched twice
    (per-worker caches would each match the names common to all batches).
    """
    n = workers or os.cpu_count() or 1
    matcher = screener.matcher
    matcher.reserve(len(names))
    if n <= 1 or len(names) < 2 * chunk or "fork" not in mp.get_all_start_methods():
        for name in names:
            matcher.match(name)
        return
    global _WORKER
    _WORKER = screener
    gc.freeze()
    ctx = mp.get_context("fork")
    try:
        with ctx.Pool(n) as pool:
            chunks = [names[i : i + chunk] for i in range(0, len(names), chunk)]
            for result in pool.imap_unordered(_match_chunk, chunks):
                matcher.seed(result)
    finally:
        _WORKER = None
