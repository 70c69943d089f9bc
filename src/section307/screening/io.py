"""Streaming readers and writers for CSV, Parquet and XLSX tables.

Readers yield Polars batches of string columns plus ``__row`` (the row number
in the file, header = row 1) so problems can name file, row and column.
Malformed rows are reported through a callback and left out of the batch;
problems that make the whole file unusable raise :class:`InputError`.
Writers append batch by batch, so memory stays flat whatever the input size.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = [
    "DEFAULT_BATCH_ROWS",
    "InputError",
    "ResultWriter",
    "RowProblem",
    "count_rows",
    "detect_format",
    "iter_batches",
    "read_table",
]

ROW_COL = "__row"
# Rows per batch: 1M x 100k parties on two cores ran in less time and less memory at 25,000 than at
# 50,000 (fewer rows' intermediate lists per worker, smaller batches in flight); 10,000 cost time.
DEFAULT_BATCH_ROWS = 25_000
csv.field_size_limit(10 * 1024 * 1024)


class InputError(Exception):
    """An input cannot be read at all: missing, unreadable, wrong format, missing columns, bad encoding."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A malformed row: where it is and what is wrong."""

    file: str
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


def detect_format(path: str | Path) -> str:
    """``csv``, ``parquet`` or ``xlsx`` from the file name."""
    name = str(path).lower()
    if name.endswith((".csv", ".txt", ".tsv", ".csv.gz")):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if Path(path).is_dir():
        return "parquet"
    raise InputError(f"{path}: unknown file type (use .csv, .parquet or .xlsx)")


def _check_columns(path: str, header: Sequence[str], required: Sequence[str]) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"{path}: missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
            f" (found: {', '.join(h for h in header if h) or 'none'})"
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decoded_lines(path: str, fh: IO[bytes], encoding: str) -> Iterator[str]:
    for n, raw in enumerate(fh, start=1):
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: line {n} is not valid {encoding} "
                f"(byte 0x{raw[exc.start]:02x} at position {exc.start + 1});"
                " save the file as UTF-8 or pass --encoding (e.g. cp1252)"
            ) from None


class _Batcher:
    """Collects rows as columns and flushes them as Polars frames."""

    def __init__(self, header: list[str], batch_size: int) -> None:
        self.header = header
        self.batch_size = batch_size
        self.rows: list[list[str]] = []
        self.numbers: list[int] = []

    def add(self, number: int, row: list[str]) -> pl.DataFrame | None:
        self.rows.append(row)
        self.numbers.append(number)
        return self.flush() if len(self.rows) >= self.batch_size else None

    def flush(self) -> pl.DataFrame | None:
        if not self.rows:
            return None
        cols = list(zip(*self.rows, strict=True))
        data: dict[str, Any] = {h: list(c) for h, c in zip(self.header, cols, strict=True)}
        data[ROW_COL] = self.numbers
        schema: dict[str, Any] = dict.fromkeys(self.header, pl.Utf8)
        schema[ROW_COL] = pl.Int64
        df = pl.DataFrame(data, schema=schema)
        self.rows, self.numbers = [], []
        return df


def _unique_header(path: str, header: list[str]) -> list[str]:
    header = [h.strip() for h in header]
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            raise InputError(f"{path}: column '{h}' appears twice in the header")
        seen.add(h)
    return [h or f"column_{i + 1}" for i, h in enumerate(header)]


def _iter_csv(
    path: str, required: Sequence[str], batch_size: int, encoding: str, problem: Callable[[RowProblem], None]
) -> Iterator[pl.DataFrame]:
    delimiter = "\t" if path.lower().endswith(".tsv") else ","
    try:
        fh: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed in finally, the generator outlives a with-block
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror or exc})") from None
    try:
        reader = csv.reader(_decoded_lines(path, fh, encoding), delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: the file is empty (no header row)") from None
        except csv.Error as exc:
            raise InputError(f"{path}: row 1: cannot parse the header ({exc})") from None
        header = _unique_header(path, header)
        _check_columns(path, header, required)
        width = len(header)
        batcher = _Batcher(header, batch_size)
        row_no = 1
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                row_no += 1
                problem(RowProblem(path, start, None, f"cannot parse the row ({exc})"))
                continue
            row_no += 1
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != width:
                problem(RowProblem(path, start, None, f"has {len(row)} fields, the header has {width}"))
                continue
            out = batcher.add(start, row)
            if out is not None:
                yield out
        out = batcher.flush()
        if out is not None:
            yield out
    finally:
        fh.close()


def _iter_parquet(path: str, required: Sequence[str], batch_size: int) -> Iterator[pl.DataFrame]:
    try:
        if Path(path).is_dir():
            import pyarrow.dataset as ds

            dataset = ds.dataset(path, format="parquet")
            schema = dataset.schema
            batches: Iterator[pa.RecordBatch] = dataset.to_batches(batch_size=batch_size)
        else:
            pf = pq.ParquetFile(path)
            schema = pf.schema_arrow
            batches = pf.iter_batches(batch_size=batch_size)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"{path}: cannot read as Parquet ({exc})") from None
    _check_columns(path, schema.names, required)
    offset = 1
    try:
        for batch in batches:
            df = pl.from_arrow(batch)
            assert isinstance(df, pl.DataFrame)
            df = df.with_columns(
                [
                    (
                        pl.col(c).dt.strftime("%Y-%m-%d")
                        if df.schema[c] in (pl.Date, pl.Datetime)
                        else pl.col(c)
                    )
                    .cast(pl.Utf8, strict=False)
                    .alias(c)
                    for c in df.columns
                ]
            ).with_columns(pl.int_range(offset + 1, offset + 1 + df.height, dtype=pl.Int64).alias(ROW_COL))
            offset += df.height
            yield df
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"{path}: cannot read row {offset + 1} onwards ({exc})") from None


def _iter_xlsx(
    path: str, required: Sequence[str], batch_size: int, problem: Callable[[RowProblem], None]
) -> Iterator[pl.DataFrame]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"{path}: cannot read as XLSX ({exc})") from None
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        try:
            header = _unique_header(path, [_cell(v) for v in next(rows)])
        except StopIteration:
            raise InputError(f"{path}: the sheet is empty (no header row)") from None
        while header and header[-1].startswith("column_"):
            header.pop()
        _check_columns(path, header, required)
        width = len(header)
        batcher = _Batcher(header, batch_size)
        for n, values in enumerate(rows, start=2):
            cells = [_cell(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                problem(RowProblem(path, n, None, f"has values beyond the {width} header columns"))
                continue
            cells = (cells + [""] * width)[:width]
            out = batcher.add(n, cells)
            if out is not None:
                yield out
        out = batcher.flush()
        if out is not None:
            yield out
    finally:
        wb.close()


def iter_batches(
    path: str | Path,
    *,
    required: Sequence[str] = (),
    batch_size: int = DEFAULT_BATCH_ROWS,
    encoding: str = "utf-8",
    on_problem: Callable[[RowProblem], None] | None = None,
) -> Iterator[pl.DataFrame]:
    """Stream a CSV, Parquet or XLSX table as string batches with a ``__row`` column."""
    path = str(path)
    fmt = detect_format(path)
    problem = on_problem or (lambda p: print(p, file=sys.stderr))
    if fmt != "parquet" and not Path(path).exists():
        raise InputError(f"{path}: file not found")
    if fmt == "csv":
        return _iter_csv(path, required, batch_size, encoding, problem)
    if fmt == "parquet":
        return _iter_parquet(path, required, batch_size)
    return _iter_xlsx(path, required, batch_size, problem)


def count_rows(path: str | Path) -> int | None:
    """Row count when cheap to know (Parquet metadata), else ``None``."""
    try:
        if detect_format(path) == "parquet" and Path(path).is_file():
            return int(pq.ParquetFile(str(path)).metadata.num_rows)
    except (InputError, OSError, pa.ArrowException):
        return None
    return None


def read_table(path: str | Path, required: Sequence[str] = ()) -> list[dict[str, str]]:
    """A small table (watchlist, DOL goods, TIP tiers) as a list of row dicts."""
    problems: list[RowProblem] = []
    rows: list[dict[str, str]] = []
    for batch in iter_batches(path, required=required, on_problem=problems.append):
        rows.extend(batch.drop(ROW_COL).fill_null("").to_dicts())
    if problems:
        raise InputError("; ".join(str(p) for p in problems[:5]) + (" ..." if len(problems) > 5 else ""))
    return rows


class ResultWriter:
    """Writes result batches to CSV, Parquet or XLSX as they come (or CSV to stdout for ``-``).

    CSV and Parquet batches are encoded and written on a thread of their own, in order, while the
    caller reads and screens the next ones (the encoders release the interpreter lock). At most
    ``pending`` batches wait; a write that failed raises at the next :meth:`write` or at :meth:`close`.
    """

    XLSX_MAX_ROWS = 1_048_575

    def __init__(self, path: str | Path | None, *, pending: int = 2) -> None:
        self.path = str(path) if path not in (None, "-") else None
        self.fmt = "csv" if self.path is None else detect_format(self.path)
        self._fh: IO[bytes] | None = None
        self._pq: pq.ParquetWriter | None = None
        self._wb: Any = None
        self._ws: Any = None
        self._schema: pa.Schema | None = None
        self.rows = 0
        self._pending = pending
        self._queued: deque[Future[None]] = deque()
        # XLSX rows are appended one by one in Python: a thread would gain nothing.
        self._thread = (
            ThreadPoolExecutor(1, thread_name_prefix="result-writer") if self.fmt in ("csv", "parquet") else None
        )

    def write(self, df: pl.DataFrame) -> None:
        if self._thread is None:
            self._write(df)
        else:
            while len(self._queued) >= self._pending:
                self._queued.popleft().result()
            self._queued.append(self._thread.submit(self._write, df))
        self.rows += df.height

    def _write(self, df: pl.DataFrame) -> None:
        if self.fmt == "csv":
            if self._fh is None:
                self._fh = sys.stdout.buffer if self.path is None else open(self.path, "wb")  # noqa: SIM115
                df.write_csv(self._fh, include_header=True)
            else:
                df.write_csv(self._fh, include_header=False)
        elif self.fmt == "parquet":
            table = df.to_arrow()
            if self._pq is None:
                self._schema = table.schema
                assert self.path is not None
                self._pq = pq.ParquetWriter(self.path, self._schema, compression="zstd")
            assert self._schema is not None
            self._pq.write_table(table.cast(self._schema))
        else:
            if self._wb is None:
                from openpyxl import Workbook

                self._wb = Workbook(write_only=True)
                self._ws = self._wb.create_sheet("results")
                self._ws.append(df.columns)
            if self.rows + df.height > self.XLSX_MAX_ROWS:
                raise InputError(
                    f"{self.path}: more than {self.XLSX_MAX_ROWS} rows do not fit in XLSX; use Parquet"
                )
            for row in df.iter_rows():
                self._ws.append(list(row))

    def _drain(self) -> None:
        """Wait for the queued batches; the first failure is raised once all have run."""
        first: BaseException | None = None
        while self._queued:
            try:
                self._queued.popleft().result()
            except BaseException as exc:  # noqa: BLE001 - re-raised below, after the rest is written
                first = first or exc
        if first is not None:
            raise first

    def close(self) -> None:
        try:
            self._drain()
        finally:
            if self._thread is not None:
                self._thread.shutdown()
            self._close_files()

    def _close_files(self) -> None:
        if self._fh is not None and self.path is not None:
            self._fh.close()
        elif self._fh is not None:
            self._fh.flush()
        if self._pq is not None:
            self._pq.close()
        if self._wb is not None:
            assert self.path is not None
            self._wb.save(self.path)
