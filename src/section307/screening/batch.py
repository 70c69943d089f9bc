"""The batch path: screen an Arrow batch by its distinct values, not line by line.

An entry line's decision is a function of a few of its values (the parties, the
addresses, the origin, the goods, the identifiers). Entry files repeat those
values heavily, so each check runs once per distinct value (or distinct tuple of
values) of the batch, and its signals are joined back to the lines by integer
ids computed with Arrow and numpy:

1. each entry column is dictionary-encoded (distinct values + one index per line);
2. each check ("slot") groups the lines by the values it depends on and runs the
   :class:`~section307.screening.engine.Screener`'s own check once per group;
   groups that raise no signal share id 0;
3. the lines are grouped by their tuple of slot ids; the decision, score and
   reasons are made once per tuple by ``Screener._decide`` with the signals in
   the order the line-by-line path produces them;
4. the result columns come out as dictionary arrays (the per-tuple values and one index per
   line), gathered into plain text by :func:`result_table`; the local pipeline's workers send them
   to the parent encoded: a batch's reasons and signals are a few thousand distinct strings
   repeated over 25,000 lines, 12 MB written out against 2 MB encoded.

The checks, their caches and the decision are the line-by-line path's own code,
so a line gets exactly the decision, score, reasons and signals that
``Screener.screen_one`` gives it. Polars is not used here (this runs in forked
workers and Spark executors).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from section307.gazetteer.goods import upstream_of

if TYPE_CHECKING:
    from section307.screening.engine import Screener, Signal

__all__ = ["result_table", "screen_table"]

_Signals = tuple["Signal", ...]


class _Column:
    """A string column as distinct values (stripped, as ``screen_one`` strips them) and one index per line."""

    __slots__ = ("indices", "values")

    def __init__(self, col: pa.Array | pa.ChunkedArray | None, n: int) -> None:
        if col is None:
            self.values: list[str] = [""]
            self.indices: np.ndarray = np.zeros(n, dtype=np.int64)
            return
        if isinstance(col, pa.ChunkedArray):
            col = col.combine_chunks()
        if col.type != pa.string() and col.type != pa.large_string():
            col = pc.cast(col, pa.string())
        enc = pc.dictionary_encode(col, null_encoding="encode")
        self.values = [v.strip() if v is not None else "" for v in enc.dictionary.to_pylist()]
        self.indices = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def _encode(key: np.ndarray) -> np.ndarray:
    """Dense ids of an integer array by hashing (Arrow), numbered in order of first appearance."""
    return pc.dictionary_encode(pa.array(key)).indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def _group(keys: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Group lines by a tuple of integer keys: (group id per line, first line of each group)."""
    key = _encode(keys[0])
    for k in keys[1:]:
        # Re-numbered after each step, so the combined key never overflows.
        key = _encode(key * (int(k.max()) + 1) + k)
    # Groups are numbered in order of first appearance: a group's first line is where the running maximum rises.
    top = np.maximum.accumulate(key)
    new = np.empty(len(key), dtype=bool)
    new[0] = True
    np.greater(top[1:], top[:-1], out=new[1:])
    return key, np.flatnonzero(new)


def _slot(keys: Sequence[np.ndarray], compute: Callable[[int], _Signals], table: list[_Signals]) -> np.ndarray:
    """Run ``compute`` once per group of lines; returns per line an index into ``table`` (0: no signal)."""
    inverse, first = _group(keys)
    ids = np.zeros(len(first), dtype=np.int64)
    for g, row in enumerate(first.tolist()):
        signals = compute(row)
        if signals:
            ids[g] = len(table)
            table.append(signals)
    return ids[inverse]


def screen_table(screener: Screener, batch: pa.RecordBatch | pa.Table) -> list[pa.Array]:
    """The decided result columns (``RESULT_COLUMNS`` from ``decision`` on) for every line of ``batch``.

    Only ``engine.CHECKED_COLUMNS`` are read; missing ones count as empty. The text columns are
    dictionary arrays (int32 indices) for :func:`result_table` to gather.
    """
    from section307.screening.engine import _FIELD_LABEL, _PARTY_FIELDS, CHECKED_COLUMNS, RESULT_COLUMNS

    n = batch.num_rows
    if n == 0:
        return [pa.array([], type=pa.float64() if c == "score" else pa.string()) for c in RESULT_COLUMNS[2:]]
    names = set(batch.schema.names)
    cols = {c: _Column(batch.column(c) if c in names else None, n) for c in CHECKED_COLUMNS}
    sc = screener
    table: list[_Signals] = [()]

    # Origin: one country code per distinct value.
    origin_col = cols["country_of_origin"]
    origin_codes = [sc._country(v) if v else None for v in origin_col.values]
    o = origin_col.indices

    slot_ids: list[np.ndarray] = []

    # Parties, in the line-by-line order: manufacturer, shipper, importer, consignee.
    for fld, addr_fld in _PARTY_FIELDS:
        name_col = cols[fld]
        # Names without any watchlist match give no signal whatever the address or country: fold them.
        matched = np.array([bool(v) and bool(sc.matcher.match(v)) for v in name_col.values], dtype=bool)
        has = matched[name_col.indices]
        keys = [np.where(has, name_col.indices + 1, 0)]
        addr_col = cols[addr_fld] if addr_fld else None
        if addr_col is not None:
            keys.append(np.where(has, addr_col.indices, 0))
        if fld == "manufacturer":
            keys.append(np.where(has, o, 0))

        def party(
            row: int, fld: str = fld, name_col: _Column = name_col, addr_col: _Column | None = addr_col
        ) -> _Signals:
            name = name_col.values[name_col.indices[row]]
            if not name or not sc.matcher.match(name):
                return ()
            address = addr_col.values[addr_col.indices[row]] if addr_col is not None else ""
            country = origin_codes[o[row]] if fld == "manufacturer" else None
            return sc._party_signals(fld, name, address, country, _FIELD_LABEL[fld])

        slot_ids.append(_slot(keys, party, table))

    sup_col = cols["suppliers"]

    def suppliers(row: int) -> _Signals:
        out: list[Signal] = []
        for sup in sup_col.values[sup_col.indices[row]].split("|"):
            sup = sup.strip()
            if sup:
                out.extend(sc._party_signals("suppliers", sup, "", None, "Supplier"))
        return tuple(out)

    slot_ids.append(_slot([sup_col.indices], suppliers, table))

    for fld, scheme in (("manufacturer_id", "MID"), ("identifiers", "ANY")):
        id_col = cols[fld]

        def identifiers(row: int, fld: str = fld, scheme: str = scheme, id_col: _Column = id_col) -> _Signals:
            value = id_col.values[id_col.indices[row]]
            return tuple(sc._identifier_signals(fld, value, scheme)) if value else ()

        slot_ids.append(_slot([id_col.indices], identifiers, table))

    # Goods: one classification per distinct (hts, description).
    hts_col, desc_col = cols["hts"], cols["description"]
    g, g_first = _group([hts_col.indices, desc_col.indices])
    goods_info: list[tuple[tuple[str, ...], frozenset[str], str]] = []
    for row in g_first.tolist():
        matches = sc._goods(hts_col.values[hts_col.indices[row]], desc_col.values[desc_col.indices[row]])
        keys_ = tuple(sorted({m.key for m in matches}))
        goods = frozenset().union(*(upstream_of(k) for k in keys_)) if keys_ else frozenset()
        goods_info.append((keys_, goods, ", ".join(m.key for m in matches) or "(none recognised)"))

    def origin_area(row: int) -> _Signals:
        origin = origin_codes[o[row]]
        if not origin:
            return ()
        _, goods, note = goods_info[g[row]]
        return sc._area_signals("country_of_origin", origin, origin, goods, note)

    def address_area(fld: str) -> Callable[[int], _Signals]:
        col = cols[fld]

        def area(row: int) -> _Signals:
            text = col.values[col.indices[row]]
            if not text:
                return ()
            _, goods, note = goods_info[g[row]]
            country = origin_codes[o[row]] if fld == "manufacturer_address" else None
            return sc._area_signals(fld, text, country, goods, note)

        return area

    def description_dol_tip(row: int) -> _Signals:
        origin = origin_codes[o[row]]
        desc = desc_col.values[desc_col.indices[row]]
        keys_, goods, note = goods_info[g[row]]
        out: list[Signal] = []
        if desc:
            out.extend(sc._area_signals("description", desc, origin, goods, note))
        if keys_:
            out.extend(sc._dol_signals(origin, keys_, tuple(sorted(goods))))
        tier = sc.wl.tip_tiers.get(origin) if origin else None
        if tier is not None:
            out.append(sc._tip_signal(origin or "", tier))
        return tuple(out)

    slot_ids.append(_slot([o, g], origin_area, table))
    # Addresses that name no place under a rule give no signal whatever the goods: fold them.
    ma, sa = cols["manufacturer_address"], cols["shipper_address"]
    ma_o, ma_first = _group([ma.indices, o])
    placed = np.array(
        [
            bool(text) and bool(sc._places(False, text, origin_codes[o[row]]))
            for row in ma_first.tolist()
            for text in (ma.values[ma.indices[row]],)
        ],
        dtype=bool,
    )[ma_o]
    keys = [np.where(placed, ma_o + 1, 0), np.where(placed, g, 0)]
    slot_ids.append(_slot(keys, address_area("manufacturer_address"), table))
    placed = np.array([bool(v) and bool(sc._places(False, v, None)) for v in sa.values], dtype=bool)[sa.indices]
    keys = [np.where(placed, sa.indices + 1, 0), np.where(placed, g, 0)]
    slot_ids.append(_slot(keys, address_area("shipper_address"), table))
    slot_ids.append(_slot([o, g], description_dol_tip, table))

    # One decision per distinct combination of signals.
    combo, combo_first = _group(slot_ids)
    decided: list[list[Any]] = [[] for _ in range(9)]
    for row in combo_first.tolist():
        signals = [s for ids in slot_ids for s in table[ids[row]]]
        r = sc._decide({}, signals)
        for out, value in zip(
            decided,
            (
                r.decision,
                r.score,
                r.matched_id,
                r.matched_name,
                r.matched_field,
                r.list,
                r.order_id,
                r.reasons,
                r.signals_json,
            ),
            strict=True,
        ):
            out.append(value)
    indices = pa.array(combo.astype(np.int32, copy=False), type=pa.int32())
    return [
        pa.array(values, type=pa.float64()).take(indices)
        if i == 1
        else pa.DictionaryArray.from_arrays(indices, pa.array(values, type=pa.string()))
        for i, values in enumerate(decided)
    ]


def result_table(batch: pa.RecordBatch | pa.Table, decided: Sequence[pa.Array]) -> pa.Table:
    """The results table of ``batch``: its identifying columns as given, the ``decided`` columns of
    :func:`screen_table` (dictionary arrays gathered into plain text), then its other columns as text."""
    from section307.screening.engine import ENTRY_COLUMNS, RESULT_COLUMNS

    n = batch.num_rows
    arrays: list[pa.Array] = [_raw(batch, "entry_number", n), _raw(batch, "line", n)]
    for a in decided:
        if isinstance(a, pa.ChunkedArray):
            a = a.combine_chunks()
        arrays.append(a.dictionary.take(a.indices) if isinstance(a, pa.DictionaryArray) else a)
    fields = [pa.field(c, pa.float64() if c == "score" else pa.string()) for c in RESULT_COLUMNS]
    for c in batch.schema.names:
        if c in ENTRY_COLUMNS or c in RESULT_COLUMNS or c.startswith("__"):
            continue
        col = batch.column(c)
        arrays.append(pc.cast(col, pa.string()) if col.type != pa.string() else col)
        fields.append(pa.field(c, pa.string()))
    return pa.Table.from_arrays(
        [a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a for a in arrays],
        schema=pa.schema(fields),
    )


def _raw(batch: pa.RecordBatch | pa.Table, name: str, n: int) -> pa.Array:
    """An identifying column as given (nulls as empty strings)."""
    if name not in batch.schema.names:
        return pa.array([""] * n, type=pa.string())
    col = batch.column(name)
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    if col.type != pa.string():
        col = pc.cast(col, pa.string())
    return pc.fill_null(col, "")
