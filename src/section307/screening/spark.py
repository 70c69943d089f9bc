"""The screening engine on Spark (``--engine spark``).

The compiled watchlist is broadcast once; each executor's Python worker builds
one :class:`Screener` from it and screens Arrow batches through
``DataFrame.mapInArrow``, exactly the code path of the local engine. Input
and output are Parquet or CSV paths Spark can reach (local files, HDFS,
``s3a://``, ``gs://``, ``abfs://``); the output is a directory of part files.

Submitting to a cluster (see docs/screening.md)::

    python -m build --wheel                     # dist/section307-*.whl
    spark-submit --master yarn --deploy-mode cluster \\
        --py-files dist/section307-0.1.0-py3-none-any.whl \\
        bench/spark_entry.py s3a://bucket/entries/ --watchlist watchlist.csv \\
        --out s3a://bucket/results/ --engine spark

Executors need the package's dependencies (rapidfuzz, rigour, pypinyin,
pyarrow, numpy, pycountry); ship them with a packed virtualenv
(``--archives env.tar.gz#env`` and ``spark.pyspark.python=./env/bin/python``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from section307.screening.engine import ENTRY_COLUMNS, REQUIRED_COLUMNS, RESULT_COLUMNS, Screener
from section307.screening.io import InputError
from section307.screening.watchlist import CompiledWatchlist

__all__ = [
    "SparkUnavailable",
    "get_or_create_session",
    "local_worker_conf",
    "screen_dataframe",
    "screen_with_spark",
]

_CORRUPT = "_corrupt_record"


class SparkUnavailable(RuntimeError):
    """PySpark is not installed or the session cannot start."""


def get_or_create_session(master: str | None = None, cores: int | None = None) -> Any:
    """A SparkSession: the one spark-submit set up, else a local one (UI off, few shuffle partitions)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable("PySpark is not installed: pip install 'section307[spark]'") from exc
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    builder = SparkSession.builder.appName("section307-screening")
    if master or not _submitted():
        builder = builder.master(master or f"local[{cores or '*'}]")
        builder = builder.config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        for key, value in local_worker_conf().items():
            builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # Spark raises many kinds (Py4J, Java gateway) when it cannot start
        raise SparkUnavailable(f"cannot start Spark: {exc}") from exc


def local_worker_conf() -> dict[str, str]:
    """Settings so local Python workers run this interpreter and import this package."""
    import os
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    # Local workers are children of the JVM started from this process: they read these variables.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ["PYTHONPATH"] = path
    return {"spark.pyspark.python": sys.executable, "spark.executorEnv.PYTHONPATH": path}


def _submitted() -> bool:
    import os

    return "SPARK_ENV_LOADED" in os.environ or "PYSPARK_GATEWAY_PORT" in os.environ


def _result_schema(extra: list[str]) -> Any:
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    fields = [StructField(c, DoubleType() if c == "score" else StringType()) for c in RESULT_COLUMNS]
    fields += [StructField(c, StringType()) for c in extra]
    return StructType(fields)


_SCREENERS: dict[int, Screener] = {}


def screen_dataframe(
    df: Any, watchlist: CompiledWatchlist, threshold: float = 0.85, review_threshold: float | None = None
) -> tuple[Any, Any]:
    """Screen a Spark DataFrame of entries; returns (results DataFrame, malformed-row accumulator).

    Rows Spark could not parse (``_corrupt_record`` set) or without entry number
    or line are counted in the accumulator and left out.
    """
    spark = df.sparkSession
    sc = spark.sparkContext
    bc = sc.broadcast(watchlist)
    malformed = sc.accumulator(0)
    extra = [c for c in df.columns if c not in ENTRY_COLUMNS and c not in RESULT_COLUMNS and c != _CORRUPT]
    key = id(bc)

    def screen_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow.compute as pc

        screener = _SCREENERS.get(key)
        if screener is None:
            _SCREENERS.clear()
            screener = Screener(bc.value, threshold=threshold, review_threshold=review_threshold)
            _SCREENERS[key] = screener
        for batch in batches:
            bad = None
            if _CORRUPT in batch.schema.names:
                bad = pc.is_valid(batch.column(_CORRUPT))
            for col in ("entry_number", "line"):
                empty = pc.equal(pc.utf8_trim_whitespace(pc.fill_null(batch.column(col), "")), "")
                bad = empty if bad is None else pc.or_(bad, empty)
            if bad is not None:
                n_bad = pc.sum(bad).as_py() or 0
                if n_bad:
                    malformed.add(n_bad)
                    batch = batch.filter(pc.invert(bad))
            if batch.num_rows == 0:
                continue
            yield from screener.screen_arrow(batch).to_batches()

    return df.mapInArrow(screen_partition, _result_schema(extra)), malformed


def _read(spark: Any, path: str) -> Any:
    from pyspark.sql.types import StringType, StructField, StructType

    lower = path.lower().rstrip("/")
    if lower.endswith((".xlsx", ".xlsm")):
        raise InputError(f"{path}: the Spark engine reads Parquet or CSV; convert XLSX or use --engine local")
    try:
        if lower.endswith((".csv", ".tsv", ".txt", ".csv.gz")):
            header = spark.read.option("header", True).option("escape", '"').csv(path).columns
            schema = StructType(
                [StructField(c, StringType()) for c in header] + [StructField(_CORRUPT, StringType())]
            )
            df = (
                spark.read.option("header", True)
                .option("escape", '"')
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", _CORRUPT)
                .option("multiLine", True)
                .schema(schema)
                .csv(path)
            )
        else:
            df = spark.read.parquet(path)
    except Exception as exc:  # AnalysisException and friends
        raise InputError(f"{path}: cannot read ({str(exc).splitlines()[0]})") from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(
            f"{path}: missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )
    from pyspark.sql import functions as F

    return df.select([F.col(c).cast("string").alias(c) for c in df.columns])


def screen_with_spark(
    entries: str,
    out: str,
    watchlist: CompiledWatchlist,
    *,
    threshold: float = 0.85,
    review_threshold: float | None = None,
    master: str | None = None,
    workers: int | None = None,
    spark: Any = None,
) -> dict[str, int]:
    """Read ``entries``, screen on Spark, write ``out`` (Parquet unless it ends in .csv); returns counts."""
    spark = spark or get_or_create_session(master, workers)
    df = _read(spark, entries)
    results, malformed = screen_dataframe(df, watchlist, threshold, review_threshold)
    results = results.cache()
    try:
        writer = results.write.mode("overwrite")
        if out.lower().rstrip("/").endswith(".csv"):
            # RFC 4180 quoting (doubled quotes), as every other CSV tool expects.
            writer.option("header", True).option("escape", '"').csv(out)
        else:
            writer.parquet(out)
        counts = {str(r["decision"]): int(r["count"]) for r in results.groupBy("decision").count().collect()}
    finally:
        results.unpersist()
    counts["rows"] = sum(v for k, v in counts.items() if k in ("hit", "review", "clear"))
    counts["malformed"] = int(malformed.value)
    return counts
