"""Reading manifest files: whole-file refusals and errors by row (no database)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from section307.parcels import ingest
from section307.parcels.goodswords import english_keywords, for_screening

from .conftest import csv_bytes, row


def _read(tmp_path: Path, data: bytes, fmt: str, size: int = 3) -> list[tuple[int, object]]:
    path = tmp_path / f"m.{fmt}"
    path.write_bytes(data)
    return [item for chunk in ingest.read_chunks(path, fmt, size=size) for item in chunk]


def test_a_missing_required_column_refuses_the_file_and_names_it(tmp_path: Path) -> None:
    data = csv_bytes([row(1)], columns=["tracking_number", "seller", "consignee", "description", "origin_country"])
    with pytest.raises(ingest.ManifestUnreadable) as exc:
        _read(tmp_path, data, "csv")
    assert exc.value.column == "value_usd"


def test_rows_keep_their_numbers_through_quoted_line_breaks_and_short_rows(tmp_path: Path) -> None:
    data = (
        b"tracking_number,seller,consignee,description,value_usd,origin_country\n"
        b'TRK000000001,Shop,"A.\nRivera",mug,5,PT\n'
        b"TRK000000002,Shop,B\n"
        b"\n"
        b"TRK000000003,Shop,C,mug,5,PT\n"
    )
    items = _read(tmp_path, data, "csv")
    # Row 1 is the first row under the header; a blank row is skipped but keeps its number, as in a spreadsheet.
    assert [n for n, _ in items] == [1, 2, 4]
    bad = items[1][1]
    assert isinstance(bad, ingest.RowError) and bad.row == 2 and "3 values for 6 columns" in bad.reason
    assert items[0][1]["consignee"] == "A.\nRivera"  # type: ignore[index]


def test_headers_are_matched_by_their_usual_names(tmp_path: Path) -> None:
    data = b"HAWB,Marketplace,Consignee,Description,Value,Country of Origin\nX1234567,Shop,C,mug,5,PT\n"
    [(_n, raw)] = _read(tmp_path, data, "csv")
    assert raw == {
        "tracking_number": "X1234567",
        "seller": "Shop",
        "consignee": "C",
        "description": "mug",
        "value_usd": "5",
        "origin_country": "PT",
    }


def test_a_row_reports_every_bad_column() -> None:
    clean, errors = ingest.check_row(
        7,
        {
            "tracking_number": "ab",
            "consignee": "",
            "description": "mug",
            "value_usd": "-1",
            "origin_country": "CN",
            "quantity": "1.5",
            "hts": "61x",
        },
        default_carrier="Post",
    )
    assert clean is None
    assert {(e.row, e.column) for e in errors} == {
        (7, "tracking_number"),
        (7, "consignee"),
        (7, "value_usd"),
        (7, "seller"),
        (7, "quantity"),
        (7, "hts"),
    }


def test_a_good_row_is_normalised() -> None:
    clean, errors = ingest.check_row(
        1, row(3, tracking_number=" ab-12345 ", value_usd="$1,234.5", hts="6109 10"), default_carrier="Post A"
    )
    assert errors == [] and clean is not None
    assert clean["tracking_number"] == "AB-12345"
    assert str(clean["value_usd"]) == "1234.50"
    assert clean["hts"] == "610910" and clean["carrier"] == "Post A" and clean["quantity"] == 1


def test_ndjson_reports_an_unreadable_line_by_its_row(tmp_path: Path) -> None:
    lines = [json.dumps(row(1)), "{not json", json.dumps(row(2))]
    items = _read(tmp_path, "\n".join(lines).encode(), "json")
    assert [type(x).__name__ for _, x in items] == ["dict", "RowError", "dict"]
    assert items[1][0] == 2


def test_a_json_array_and_parquet_are_read_in_chunks(tmp_path: Path) -> None:
    rows = [row(i) for i in range(7)]
    assert len(_read(tmp_path, json.dumps(rows).encode(), "json")) == 7
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), buf, row_group_size=2)
    path = tmp_path / "m.parquet"
    path.write_bytes(buf.getvalue())
    chunks = list(ingest.read_chunks(path, "parquet", size=3))
    assert [len(c) for c in chunks] == [3, 3, 1]
    assert chunks[2][0][0] == 7
    assert ingest.detect_format(buf.getvalue()[:8], buf.getvalue()[-4:], "x") == "parquet"


def test_a_damaged_parquet_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ingest.ManifestUnreadable):
        _read(tmp_path, b"PAR1" + b"\x00" * 20 + b"PAR1", "parquet")


def test_goods_words_in_other_languages_reach_english_keywords() -> None:
    assert english_keywords("纯棉T恤") == ["cotton", "apparel"]
    assert english_keywords("camiseta de algodón") == ["apparel", "cotton"]
    assert english_keywords("Handschuhe aus Baumwolle") == ["gloves", "cotton"]
    assert for_screening("ceramic pot") == "ceramic pot"
    # Whole words only outside CJK: "tomatensaft" is not "tomate".
    assert english_keywords("tomatensaft") == []
