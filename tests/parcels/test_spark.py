"""Parcels on Spark give the same screening as the local batch path (local[2])."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from section307.parcels.screen import screen_batch, screen_spark
from section307.screening import Screener
from tests.screening.conftest import build_watchlist

pyspark = pytest.importorskip("pyspark")
logging.getLogger("py4j").setLevel(logging.ERROR)

pytestmark = pytest.mark.spark

SELLERS = ["Hoshine Silicon Industry", "HOSHINE SILICON INDUSTRY CO LTD", "Garden Shop 1", "Lisbon Ceramics", "霍尼"]
DESCRIPTIONS = ["cotton T-shirt", "纯棉T恤", "camiseta de algodón", "ceramic pot", "solar panel"]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    from section307.screening.spark import local_worker_conf

    builder = SparkSession.builder
    for key, value in local_worker_conf().items():
        builder = builder.config(key, value)
    session = (
        builder.master("local[2]")
        .appName("section307-parcels-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _parcels(n: int = 60) -> pa.Table:
    return pa.table(
        {
            "tracking_number": [f"TRK{i:09d}" for i in range(n)],
            "seller": [SELLERS[i % len(SELLERS)] for i in range(n)],
            "seller_address": ["Shihezi, Xinjiang" if i % 4 == 0 else "Porto" for i in range(n)],
            "shipper": ["Consolidator Ltd"] * n,
            "shipper_address": ["Urumqi" if i % 7 == 0 else "Lisbon" for i in range(n)],
            "consignee": [f"C{i % 9}" for i in range(n)],
            "description": [DESCRIPTIONS[i % len(DESCRIPTIONS)] for i in range(n)],
            "value_usd": [f"{5 + i}.00" for i in range(n)],
            "hts": ["" if i % 3 else "6109.10" for i in range(n)],
            "origin_country": ["CN" if i % 2 else "PT" for i in range(n)],
        }
    )


def test_spark_and_local_paths_give_the_same_results(spark: Any, tmp_path: Path) -> None:
    compiled = build_watchlist().compile()
    table = _parcels()
    local = screen_batch(Screener(compiled, threshold=0.85), table)
    path = tmp_path / "parcels.parquet"
    pq.write_table(table, path)
    results, malformed = screen_spark(spark.read.parquet(str(path)), compiled, threshold=0.85)
    rows = {r["entry_number"]: r.asDict() for r in results.collect()}
    assert malformed.value == 0
    assert len(rows) == table.num_rows
    decisions = set()
    for expected in local.to_pylist():
        got = rows[expected["entry_number"]]
        for col in ("decision", "matched_id", "matched_field", "order_id", "reasons", "signals"):
            assert got[col] == expected[col], (expected["entry_number"], col)
        assert got["score"] == pytest.approx(expected["score"])
        decisions.add(expected["decision"])
    # The input is not trivial: it has hits and clear parcels.
    assert {"hit", "clear"} <= decisions
