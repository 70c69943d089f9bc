"""The Spark engine gives the same results as the local engine (local[2])."""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from section307.screening import RESULT_COLUMNS, Screener

from .conftest import build_watchlist
from .test_cli import ENTRY_HEADER, ENTRY_ROWS

pyspark = pytest.importorskip("pyspark")

# py4j logs its shutdown after pytest has closed the captured streams; keep it quiet.
logging.getLogger("py4j").setLevel(logging.ERROR)

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    from section307.screening.spark import local_worker_conf

    builder = SparkSession.builder
    for key, value in local_worker_conf().items():
        builder = builder.config(key, value)
    session = (
        builder.master("local[2]")
        .appName("section307-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _entries(tmp_path: Path) -> Path:
    path = tmp_path / "entries.csv"
    rows = [[f"E{i}", *r[1:]] for i in range(25) for r in ENTRY_ROWS]
    rows.insert(7, ["", *ENTRY_ROWS[0][1:]])  # no entry number: malformed
    rows += [
        [
            "E99",
            "1",
            "Acme",
            "Hoshine Silicon Industry",
            "Shihezi, Xinjiang",
            "",
            "",
            "CN",
            "2804.61",
            "polysilicon",
            "5",
            "2025-01-01",
            "x",
        ],
        [
            "E98",
            "1",
            "Acme",
            "Unlisted Apparel Co",
            "Ningbo",
            "",
            "",
            "CN",
            "6204.62",
            "trousers",
            "1",
            "2025-01-01",
            "y",
        ],
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([ENTRY_HEADER, *rows])
    return path


def test_spark_equals_local(spark: Any, tmp_path: Path) -> None:
    from section307.screening.spark import screen_with_spark

    compiled = build_watchlist().compile()
    src = _entries(tmp_path)
    out = tmp_path / "results.parquet"
    stats = screen_with_spark(str(src), str(out), compiled, spark=spark)
    assert stats["malformed"] == 1
    spark_res = pl.read_parquet(out / "*.parquet").sort(["entry_number", "line"])
    local_in = pl.read_csv(src, infer_schema=False).filter(pl.col("entry_number").is_not_null())
    local_res = Screener(compiled).screen(local_in).sort(["entry_number", "line"])
    assert spark_res.columns == [*RESULT_COLUMNS, "broker_ref"]
    assert stats["rows"] == spark_res.height == local_res.height == 102
    assert spark_res.equals(local_res)
    assert set(spark_res["decision"].to_list()) == {"hit", "review", "clear"}


def test_spark_cli_engine(spark: Any, tmp_path: Path) -> None:
    import argparse

    from section307.screening import cli

    src = _entries(tmp_path)
    wl = tmp_path / "wl.csv"
    wl.write_text(
        "id,name,aliases,country,address,identifiers,list,order_id\nP1,Golden Lion Garment Factory,,BD,,,wro,WRO-1\n",
        encoding="utf-8",
    )
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    out = tmp_path / "out.csv"
    code = cli.run(
        parser.parse_args(
            [str(src), "--watchlist", str(wl), "--engine", "spark", "--out", str(out), "--quiet"]
        )
    )
    assert code == cli.EXIT_SKIPPED_ROWS  # the malformed row
    res = pl.read_csv(out / "*.csv", infer_schema=False)
    assert res.height == 102
    assert res.filter(pl.col("matched_id") == "P1").height == 25


def test_spark_equals_local_on_mixed_lines(spark: Any, tmp_path: Path) -> None:
    """Same decisions, scores, reasons and signals as the local batch path, line for line."""
    from section307.screening.spark import screen_with_spark

    from .test_batch import _rows

    compiled = build_watchlist().compile()
    src = tmp_path / "mixed.parquet"
    rows = _rows(600, seed=17)
    pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.Utf8)).write_parquet(src)
    out = tmp_path / "mixed-results.parquet"
    stats = screen_with_spark(str(src), str(out), compiled, spark=spark)
    assert stats["rows"] == 600
    spark_res = pl.read_parquet(out / "*.parquet").sort("entry_number")
    local_res = Screener(compiled).screen(pl.read_parquet(src)).sort("entry_number")
    assert spark_res.equals(local_res)
    assert set(local_res["decision"].to_list()) == {"hit", "review", "clear"}
