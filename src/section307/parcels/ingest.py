"""Reading manifest files in chunks and checking every row (pure: no Django).

CSV is read with Python's ``csv`` module so each row keeps its exact row number (quoted line
breaks included); Parquet is read batch by batch with Arrow; JSON is an array of objects or one
object per line (NDJSON, read line by line). Only one chunk of rows is in memory at a time.

A file that cannot be read at all (not the format it claims, no header, a required column
missing) is refused whole with ``ManifestUnreadable``. Otherwise every row is checked on its
own: a bad row becomes a ``RowError`` (row, column, reason) and the good rows go on.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from section307.parcels.screen import COLUMNS, REQUIRED

CHUNK_ROWS = 5000
TRACKING_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{4,39}$")
HTS_RE = re.compile(r"^[0-9]{4}(\.?[0-9]{2}){0,3}$")
MAX_VALUE = Decimal("9999999999.99")
LIMITS = {
    "master_bill": 40,
    "carrier": 120,
    "seller": 300,
    "seller_address": 500,
    "shipper": 300,
    "shipper_address": 500,
    "consignee": 300,
    "consignee_address": 500,
    "description": 2000,
    "origin_country": 60,
}
# Headers people write for the same column.
ALIASES = {
    "house_bill": "tracking_number",
    "house_air_waybill": "tracking_number",
    "hawb": "tracking_number",
    "tracking": "tracking_number",
    "master_air_waybill": "master_bill",
    "mawb": "master_bill",
    "marketplace": "seller",
    "seller_or_marketplace": "seller",
    "value": "value_usd",
    "origin": "origin_country",
    "country_of_origin": "origin_country",
    "hts_code": "hts",
}


class ManifestUnreadable(ValueError):
    """The whole file is refused; ``column`` names the missing column when that is the reason."""

    def __init__(self, message: str, *, column: str = "") -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


def header_name(raw: str) -> str:
    name = re.sub(r"[^a-z0-9]+", "_", raw.strip().lstrip("\ufeff").lower()).strip("_")
    return ALIASES.get(name, name)


def check_columns(names: Iterable[str]) -> None:
    present = set(names)
    missing = [c for c in REQUIRED if c not in present]
    if missing:
        raise ManifestUnreadable(
            f"required column(s) missing: {', '.join(missing)}; the template lists every column",
            column=missing[0],
        )
    if "seller" not in present and "shipper" not in present:
        raise ManifestUnreadable("the file needs a seller or a shipper column", column="seller")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_row(row: int, raw: dict[str, Any], *, default_carrier: str) -> tuple[dict[str, Any] | None, list[RowError]]:
    """A clean parcel row, or the reasons it is refused (every bad column at once)."""
    errors: list[RowError] = []
    clean: dict[str, Any] = {c: _text(raw.get(c)) for c in COLUMNS}
    tracking = clean["tracking_number"].replace(" ", "").upper()
    clean["tracking_number"] = tracking
    if not tracking:
        errors.append(RowError(row, "tracking_number", "required"))
    elif not TRACKING_RE.match(tracking):
        errors.append(RowError(row, "tracking_number", "5 to 40 letters, digits or hyphens"))
    for col in ("consignee", "description", "origin_country"):
        if not clean[col]:
            errors.append(RowError(row, col, "required"))
    if not clean["seller"] and not clean["shipper"]:
        errors.append(RowError(row, "seller", "a seller or a shipper is required"))
    for col, limit in LIMITS.items():
        if len(clean[col]) > limit:
            errors.append(RowError(row, col, f"at most {limit} characters"))
    try:
        value = Decimal(clean["value_usd"].replace(",", "").lstrip("$"))
        if not value.is_finite() or value < 0 or value > MAX_VALUE:
            raise InvalidOperation
        clean["value_usd"] = value.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors.append(
            RowError(row, "value_usd", "a number of US dollars, 0 or more" if clean["value_usd"] else "required")
        )
    qty = clean["quantity"] or "1"
    try:
        q = Decimal(qty)
        if q != q.to_integral_value() or q < 1 or q > 1_000_000:
            raise InvalidOperation
        clean["quantity"] = int(q)
    except (InvalidOperation, ValueError):
        errors.append(RowError(row, "quantity", "a whole number from 1"))
    hts = clean["hts"].replace(" ", "")
    if hts and not HTS_RE.match(hts):
        errors.append(RowError(row, "hts", "4 to 10 digits (dots allowed)"))
    clean["hts"] = hts
    clean["carrier"] = clean["carrier"] or default_carrier
    return (None, errors) if errors else (clean, [])


def _chunks(rows: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    chunk: list[tuple[int, Any]] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _csv_rows(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise ManifestUnreadable("the file is empty") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ManifestUnreadable(f"the header cannot be read ({exc})") from None
    names = [header_name(h) for h in header]
    check_columns(names)
    row = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise ManifestUnreadable(f"row {row + 1} is not UTF-8 text; save the file as UTF-8") from None
        except csv.Error as exc:
            row += 1
            yield row, RowError(row, "", f"unreadable row ({exc})")
            continue
        row += 1
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(names):
            yield row, RowError(row, "", f"{len(values)} values for {len(names)} columns")
            continue
        yield row, dict(zip(names, values, strict=True))


def _parquet_rows(path: Path | IO[bytes], size: int) -> Iterator[tuple[int, Any]]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # Arrow raises several types for a damaged file
        raise ManifestUnreadable(f"not a readable Parquet file ({type(exc).__name__})") from None
    names = [header_name(n) for n in pf.schema_arrow.names]
    check_columns(names)
    row = 0
    for batch in pf.iter_batches(batch_size=size):
        batch = batch.rename_columns(names)
        for record in batch.to_pylist():
            row += 1
            yield row, record


def _json_rows(stream: io.BufferedReader) -> Iterator[tuple[int, Any]]:
    buffered = stream
    head = buffered.peek(64).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"[":
        try:
            items = json.load(codecs.getreader("utf-8-sig")(buffered))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ManifestUnreadable(f"not valid JSON ({exc})") from None
        yield from json_items(items)
        return
    row = 0
    checked = False
    for line in buffered:
        if not line.strip():
            continue
        row += 1
        try:
            item = json.loads(line.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            yield row, RowError(row, "", "not a JSON object")
            continue
        if not isinstance(item, dict):
            yield row, RowError(row, "", "not a JSON object")
            continue
        item = {header_name(k): v for k, v in item.items()}
        if not checked:
            check_columns(item)
            checked = True
        yield row, item
    if row == 0:
        raise ManifestUnreadable("the file is empty")


def json_items(items: Any) -> Iterator[tuple[int, Any]]:
    """Rows given as a JSON list of objects (a file, or the API's ``rows``)."""
    if not isinstance(items, list) or not items:
        raise ManifestUnreadable("send a non-empty list of parcel objects")
    first = next((i for i in items if isinstance(i, dict)), None)
    if first is None:
        raise ManifestUnreadable("send a list of parcel objects")
    check_columns({header_name(k) for k in first})
    for row, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            yield row, RowError(row, "", "not a JSON object")
        else:
            yield row, {header_name(k): v for k, v in item.items()}


def read_chunks(
    source: Path | io.BufferedReader | list[Any], file_format: str, *, size: int = CHUNK_ROWS
) -> Iterator[list[tuple[int, Any]]]:
    """Chunks of (row number, raw row dict or RowError); raises ManifestUnreadable for the whole file.

    ``source`` is JSON rows, a path, or a seekable buffered binary stream (the decrypted view of a
    stored manifest, ``core.streamcrypt.open_decrypted``); the caller closes a stream it passes.
    """
    if file_format == "rows":
        assert isinstance(source, list)
        yield from _chunks(json_items(source), size)
        return
    assert not isinstance(source, list)
    if file_format == "parquet":
        yield from _chunks(_parquet_rows(source, size), size)
        return
    if isinstance(source, Path):
        with source.open("rb", buffering=1 << 20) as stream:
            assert isinstance(stream, io.BufferedReader)  # opened buffered: peek() sees the first byte
            yield from _read_text(stream, file_format, size)
    else:
        yield from _read_text(source, file_format, size)


def _read_text(stream: io.BufferedReader, file_format: str, size: int) -> Iterator[list[tuple[int, Any]]]:
    if file_format == "csv":
        yield from _chunks(_csv_rows(stream), size)
    elif file_format == "json":
        yield from _chunks(_json_rows(stream), size)
    else:
        raise ManifestUnreadable(f"unknown format {file_format!r}")


def detect_format(head: bytes, tail: bytes, name: str) -> str:
    """The format the content shows: Parquet by its magic bytes, JSON by its first character, else CSV."""
    if head[:4] == b"PAR1" and tail[-4:] == b"PAR1":
        return "parquet"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if stripped in (b"[", b"{"):
        return "json"
    return "csv"
