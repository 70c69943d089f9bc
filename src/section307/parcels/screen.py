"""Parcels through the screening engine (pure: no Django, usable by bench/ and Spark executors).

A parcel maps onto an entry line: the seller (or marketplace) and its address take the
manufacturer's place, the shipper keeps its own, and the description, HTS code and origin go
to the goods and area checks (descriptions in any language reach the goods keys
through the engine's multilingual goods detection). The tracking number is the entry number
and every parcel is line 1, so the engine's own batch path (one check per distinct value)
screens a manifest exactly as it screens entry files.

The consignee is not screened: on a low-value parcel it is the buyer, usually a private person
in the United States, not a party an order names; it is what parcels are grouped and noticed by.
Leaving it out also keeps the work per manifest to its few distinct sellers and shippers
instead of one name match per buyer.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from section307.parcels.goodswords import for_screening
from section307.screening import Screener

#: Manifest columns, in the template's order; the required ones must be present in every file.
COLUMNS: tuple[str, ...] = (
    "tracking_number",
    "master_bill",
    "carrier",
    "seller",
    "seller_address",
    "shipper",
    "shipper_address",
    "consignee",
    "consignee_address",
    "description",
    "value_usd",
    "quantity",
    "hts",
    "origin_country",
)
REQUIRED: tuple[str, ...] = ("tracking_number", "consignee", "description", "value_usd", "origin_country")

# Parcel column -> entry column the engine reads.
ENTRY_MAP: dict[str, str] = {
    "tracking_number": "entry_number",
    "seller": "manufacturer",
    "seller_address": "manufacturer_address",
    "shipper": "shipper",
    "shipper_address": "shipper_address",
    "description": "description",
    "hts": "hts",
    "origin_country": "country_of_origin",
    "value_usd": "value_usd",
}
# The engine names the seller "manufacturer"; parcels say seller.
FIELD_NAMES = {"manufacturer": "seller", "manufacturer_address": "seller_address"}

_SPACES = re.compile(r"\s+")


def entry_table(batch: pa.Table | pa.RecordBatch) -> pa.Table:
    """The parcel batch as entry columns (strings; the line is 1)."""
    n = batch.num_rows
    names = set(batch.schema.names)
    arrays, fields = [], []
    for src, dst in ENTRY_MAP.items():
        if src in names:
            col = batch.column(src)
            if isinstance(col, pa.ChunkedArray):
                col = col.combine_chunks()
            if col.type != pa.string():
                col = pc.cast(col, pa.string())
            col = pc.fill_null(col, "")
            if src == "description":
                col = _descriptions_for_screening(col)
        else:
            col = pa.array([""] * n, type=pa.string())
        arrays.append(col)
        fields.append(dst)
    arrays.append(pa.array(["1"] * n, type=pa.string()))
    fields.append("line")
    return pa.Table.from_arrays(arrays, names=fields)


def _descriptions_for_screening(col: pa.Array) -> pa.Array:
    """Foreign goods words mapped to English keywords, once per distinct description."""
    enc = pc.dictionary_encode(col)
    distinct = [for_screening(v) for v in enc.dictionary.to_pylist()]
    return pa.array(distinct, type=pa.string()).take(enc.indices)


def screen_batch(screener: Screener, batch: pa.Table | pa.RecordBatch) -> pa.Table:
    """Screening results (the engine's ``RESULT_COLUMNS``), one row per parcel, in order."""
    return screener.screen_arrow(entry_table(batch))


def field_name(engine_field: str | None) -> str:
    return FIELD_NAMES.get(engine_field or "", engine_field or "")


def reasons_text(reasons: str | None) -> str:
    """The engine's reasons in parcel words (the seller sits in the manufacturer's place)."""
    return (reasons or "").replace("Manufacturer address", "Seller address").replace("Manufacturer", "Seller")


def norm(value: str | None) -> str:
    return _SPACES.sub(" ", (value or "").strip()).casefold()


def group_key(*, decision: str, matched_id: str | None, order_id: str | None, seller: str, shipper: str) -> str:
    """Which decision a parcel joins: the listed party it matched, else its seller and shipper.

    Parcels from one listed seller join one group whatever the spelling of the seller on each
    parcel; hits on an area or goods rule join the group of their seller and shipper. Clear
    parcels join none.
    """
    if decision not in ("hit", "review"):
        return ""
    if matched_id:
        return f"party:{matched_id}|{order_id or ''}"[:400]
    return f"seller:{norm(seller)}|shipper:{norm(shipper)}|{order_id or ''}"[:400]


def signals_list(signals_json: str | None) -> list[dict[str, Any]]:
    if not signals_json:
        return []
    out = json.loads(signals_json)
    for s in out:
        if "field" in s:
            s["field"] = field_name(s["field"])
    return out


def screen_spark(df: Any, watchlist: Any, threshold: float = 0.85) -> tuple[Any, Any]:
    """The Spark path: a DataFrame of parcels screened by ``screening.spark`` on the same mapping.

    Returns (results DataFrame with ``entry_number`` = tracking number, malformed-row accumulator).
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    from section307.screening.spark import screen_dataframe

    # The same goods words as the local path (``entry_table``), applied on the executors.
    goods_words = F.udf(lambda v: for_screening(v or ""), StringType())
    cols = [
        (goods_words(F.col(src)) if src == "description" else F.col(src).cast("string")).alias(dst)
        for src, dst in ENTRY_MAP.items()
        if src in df.columns
    ]
    return screen_dataframe(df.select(*cols, F.lit("1").alias("line")), watchlist, threshold=threshold)
