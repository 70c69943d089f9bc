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
from contextlib import contextmanager
from multiprocessing.pool import AsyncResult
from typing import Any

import polars as pl
import pyarrow as pa

from section307.screening.batch import result_table, screen_table
from section307.screening.engine import CHECKED_COLUMNS, Screener
from section307.screening.io import ROW_COL, RowProblem

__all__ = [
    "distinct_addresses",
    "distinct_party_names",
    "prefetch_names",
    "prefetch_places",
    "screen_batches",
    "validate_batch",
]

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
        parsed = d.str.strptime(pl.Datetime, _DATE_FORMATS[0], strict=False)
        if df.select(((d != "") & parsed.is_null()).any()).item():
            # Other formats are tried only when the usual one does not read every date of the batch.
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


def _decide_batch(columns: pa.Table) -> list[pa.Array]:
    """A worker's part of a batch: the decided columns, dictionary-encoded (screening.batch)."""
    assert _WORKER is not None
    with _no_collection():
        return screen_table(_WORKER, columns)


@contextmanager
def _no_collection() -> Iterator[None]:
    """No garbage collection during one unit of a worker's work.

    The work allocates hundreds of thousands of small objects (cache entries, signals) and makes
    no reference cycles worth collecting on the way; the collector would rescan the growing caches
    over and over (5-10 % of the CPU time of name matching). When it is enabled again, the
    next collection goes over what the unit left, once.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _worker_start() -> None:
    """A pool worker lives for one phase of one run: what it allocates is freed by reference
    counting, and the cycle collector would only rescan the caches it grows, batch after batch
    (5 % of a row-pass worker's time). Forked with the collector frozen, it runs without it."""
    gc.disable()


def screen_batches(
    screener: Screener, batches: Iterable[pl.DataFrame], workers: int | None = None
) -> Iterator[pl.DataFrame]:
    """Screen batches in order on ``workers`` processes (default: all cores; 1 = in this process)."""
    n = workers or os.cpu_count() or 1
    if n <= 1 or "fork" not in mp.get_all_start_methods():
        for b in batches:
            with _no_collection():
                result = screener.screen(b)
            yield result
        return
    # Batches cross the process boundary as Arrow tables: workers never touch Polars after fork.
    global _WORKER
    _WORKER = screener  # inherited by the forked workers; never pickled
    # Objects that exist now are never collected: the collector would otherwise write to every
    # page of the watchlist in each worker and turn the shared copy into private ones.
    gc.freeze()
    ctx = mp.get_context("fork")
    pool = ctx.Pool(n, initializer=_worker_start)
    try:
        # Only the columns the checks read go to the workers and only the decisions come back
        # (encoded); the identifying and extra columns stay here and are joined back in order.
        pending: deque[tuple[pa.Table, AsyncResult[list[pa.Array]]]] = deque()
        for b in batches:
            table = b.to_arrow()
            checked = table.select([c for c in CHECKED_COLUMNS if c in table.schema.names])
            pending.append((table, pool.apply_async(_decide_batch, (checked,))))
            while len(pending) >= 2 * n:
                table, decided = pending.popleft()
                yield _frame(result_table(table, decided.get()))
        while pending:
            table, decided = pending.popleft()
            yield _frame(result_table(table, decided.get()))
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _WORKER = None


# -- name prefetch -------------------------------------------------------------------------------------------
_PARTY_COLUMNS = ("manufacturer", "shipper", "importer", "consignee")


def _scan(path: str) -> pl.LazyFrame | None:
    """A lazy scan of an entries file (Parquet file or directory, CSV); ``None`` for other formats."""
    from section307.screening.io import InputError, detect_format

    try:
        fmt = detect_format(path)
    except InputError:
        return None
    if fmt == "parquet":
        return pl.scan_parquet(f"{path.rstrip('/')}/**/*.parquet" if os.path.isdir(path) else path)
    if fmt == "csv" and path.lower().endswith(".csv"):
        return pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True)
    return None


def distinct_party_names(path: str, limit: int = 3_000_000) -> list[str] | None:
    """Distinct party names of an entries file, read column-wise by Polars' streaming engine.

    ``None`` when the file cannot be scanned this way (XLSX, unusual CSV); the
    pipeline then matches names as it meets them.
    """
    try:
        lf = _scan(path)
        if lf is None:
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


def distinct_addresses(path: str, limit: int = 1_000_000) -> list[tuple[str, str | None]] | None:
    """Distinct (address, origin) pairs of an entries file: the manufacturer's address with the line's
    country of origin as written, the shipper's with ``None``. ``None`` when the file cannot be scanned."""
    try:
        lf = _scan(path)
        if lf is None:
            return None
        schema = lf.collect_schema().names()
        text = pl.col("t").cast(pl.Utf8).str.strip_chars()
        parts = []
        if "manufacturer_address" in schema:
            origin = pl.col("country_of_origin") if "country_of_origin" in schema else pl.lit("")
            parts.append(
                lf.select(
                    pl.col("manufacturer_address").cast(pl.Utf8).alias("t"),
                    origin.cast(pl.Utf8).fill_null("").str.strip_chars().alias("o"),
                    pl.lit(False).alias("shipper"),
                )
            )
        if "shipper_address" in schema:
            parts.append(
                lf.select(
                    pl.col("shipper_address").cast(pl.Utf8).alias("t"),
                    pl.lit("").alias("o"),
                    pl.lit(True).alias("shipper"),
                )
            )
        if not parts:
            return None
        found = (
            pl.concat(parts)
            .with_columns(text.alias("t"))
            .filter(pl.col("t").is_not_null() & (pl.col("t") != ""))
            .unique()
            .head(limit)
            .collect(engine="streaming")
        )
    except (pl.exceptions.PolarsError, OSError, ValueError):
        return None
    return [(t, None if shipper else o) for t, o, shipper in found.iter_rows()]


def _match_chunk(names: list[str]) -> tuple[list[tuple[str, Any]], list[tuple[str, str]]]:
    """Matches of each name, and what each name with a match says of itself (read while it is normalised)."""
    assert _WORKER is not None
    m = _WORKER.matcher
    with _no_collection():
        results = [(n, m.match(n)) for n in names]
    return results, [(n, m.relation(n)) for n, found in results if found]


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
        for start in range(0, len(names), chunk):
            # As in the workers: the collector would rescan the growing caches after every few names.
            with _no_collection():
                for name in names[start : start + chunk]:
                    if matcher.match(name):
                        matcher.relation(name)
        return
    global _WORKER
    _WORKER = screener
    gc.freeze()
    ctx = mp.get_context("fork")
    try:
        with ctx.Pool(n, initializer=_worker_start) as pool:
            chunks = [names[i : i + chunk] for i in range(0, len(names), chunk)]
            for result, relations in pool.imap_unordered(_match_chunk, chunks):
                matcher.seed(result)
                matcher.seed_relations(relations)
    finally:
        _WORKER = None


def _places_chunk(keys: list[tuple[str, str | None]]) -> list[tuple[tuple[bool, str, str | None], Any]]:
    assert _WORKER is not None
    sc = _WORKER
    with _no_collection():
        return [((False, t, c), sc._places(False, t, c)) for t, c in keys]


def prefetch_places(
    screener: Screener,
    addresses: list[tuple[str, str | None]],
    workers: int | None = None,
    chunk: int = 2_000,
) -> None:
    """Read the places in every distinct address once, spread over the workers, and seed the screener's cache.

    ``addresses`` are (address, origin as written, or ``None`` for a shipper's address) pairs
    (:func:`distinct_addresses`); the row pass then finds every address's places in the cache instead
    of each worker reading the addresses its batches share with the others'.
    """
    n = workers or os.cpu_count() or 1
    # The origin as the row pass reads it (batch.py: a country code, or None when empty).
    keys = sorted(
        {(t, screener._country(o) if o else None) for t, o in addresses},
        key=lambda k: (k[0], k[1] or ""),
    )
    if n <= 1 or len(keys) < 2 * chunk or "fork" not in mp.get_all_start_methods():
        return  # one process: the row pass fills the same cache as it goes
    global _WORKER
    _WORKER = screener
    gc.freeze()
    ctx = mp.get_context("fork")
    try:
        with ctx.Pool(n, initializer=_worker_start) as pool:
            chunks = [keys[i : i + chunk] for i in range(0, len(keys), chunk)]
            for result in pool.imap_unordered(_places_chunk, chunks):
                screener.seed_places(result)
    finally:
        _WORKER = None
