"""The batch path (``Screener.screen_arrow``, by distinct values) decides each line as ``screen_one`` does."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pyarrow as pa
import pytest

from section307.screening import RESULT_COLUMNS, CompiledWatchlist, Screener
from section307.screening.engine import ENTRY_COLUMNS

from .conftest import build_watchlist

_MANUFACTURERS = [
    "Xinjiang Huafu Textile Co., Ltd.",
    "XINJIANGHUAFU FANGZHI",
    "新疆华孚纺织有限公司",
    "  Hoshine Silicon Industry  ",
    "Hoshine Silicon Industri Co",
    "Maju Jaya Gloves Sdn Bhd",
    "Golden Lion Garments",
    "Braunstein Metallwerke",
    "Shanghai Hengli Trading Co., Ltd.",
    "Ningbo Meida Plantation Co",
    "XPCC",
    "Unlisted Apparel Maker",
    "",
]
_ADDRESSES = [
    "",
    "No. 1 Aksu Textile Industrial City, Aksu, Xinjiang",
    "Jiaxing, Zhejiang",
    "新疆喀什市解放北路88号",
    "Plot 12, Road 4, Konabari, Gazipur, Dhaka",
    "Pyongyang, DPRK",
    "Hotanville Road, Leeds",
]
_ORIGINS = ["CN", "China", " MY ", "KP", "BD", "DE", "", "Atlantis"]
_GOODS = [
    ("6109.10.0012", "cotton t-shirts"),
    ("2804.61", "polysilicon chunks"),
    ("4015.19", "nitrile gloves"),
    ("9403.60", "wooden furniture"),
    ("", "raw cotton from Xinjiang"),
    ("6204.62.4011", ""),
    ("", ""),
]
_SUPPLIERS = ["", "Xinjiang Huafu Textile | Unknown Spinner", " | 合盛硅业 | ", "Da Wang"]
_IDS = [("", ""), ("CNXINHUA123AKS", ""), ("", "IMO 9123456 | LEI:5493001KJTIIGC8Y1R12"), ("", "USCC:nope")]


def _rows(n: int, seed: int = 11) -> list[dict[str, str | None]]:
    rnd = random.Random(seed)
    rows: list[dict[str, str | None]] = []
    for i in range(n):
        hts, desc = rnd.choice(_GOODS)
        mid, ids = rnd.choice(_IDS)
        rows.append(
            {
                "entry_number": f"E{i}",
                "line": str(i % 7 + 1),
                "importer": rnd.choice(["Acme Imports", "Pacific Ocean Harvest Corp", ""]),
                "manufacturer": rnd.choice(_MANUFACTURERS),
                "manufacturer_address": rnd.choice(_ADDRESSES),
                "shipper": rnd.choice(["", "Hoshine Silicon", "Evergreen Logistics", None]),
                "shipper_address": rnd.choice(_ADDRESSES),
                "country_of_origin": rnd.choice(_ORIGINS),
                "hts": hts,
                "description": desc,
                "value_usd": "100",
                "date_of_import": "2025-01-15",
                "consignee": rnd.choice(["", "Golden Lion Garment Factory", None]),
                "suppliers": rnd.choice(_SUPPLIERS),
                "manufacturer_id": mid,
                "identifiers": ids,
            }
        )
    return rows


@pytest.fixture(scope="module")
def compiled_wl() -> CompiledWatchlist:
    return build_watchlist().compile()


def _as_dict(r: object) -> dict[str, object]:
    assert hasattr(r, "as_row")
    return dict(r.as_row())


def test_batch_path_equals_screen_one_line_by_line(compiled_wl: CompiledWatchlist) -> None:
    rows = _rows(1500)
    table = pa.Table.from_pylist(rows)
    batch = Screener(compiled_wl).screen_arrow(table).to_pylist()
    one = Screener(compiled_wl)  # a screener of its own: no cache shared with the batch
    assert len(batch) == len(rows)
    decisions = set()
    for row, got in zip(rows, batch, strict=True):
        want = _as_dict(one.screen_one(row))
        for col in RESULT_COLUMNS:
            assert got[col] == want[col], (col, row)
        decisions.add(got["decision"])
    # The sample reaches every decision and several kinds of signal.
    assert decisions == {"hit", "review", "clear"}
    kinds = {s["kind"] for r in batch for s in json.loads(r["signals"])}
    assert {"party", "identifier", "region", "dol", "tip"} <= kinds


def test_batch_path_handles_missing_optional_columns_and_types(compiled_wl: CompiledWatchlist) -> None:
    rows = _rows(200, seed=3)
    required = [c for c in ENTRY_COLUMNS if c not in ("consignee", "suppliers", "manufacturer_id", "identifiers")]
    trimmed = [{c: r[c] for c in required} for r in rows]
    table = pa.Table.from_pylist(trimmed).set_column(
        required.index("line"), "line", pa.array([int(r["line"] or 0) for r in trimmed])
    )
    got = Screener(compiled_wl).screen_arrow(table).to_pylist()
    one = Screener(compiled_wl)
    for row, res in zip(trimmed, got, strict=True):
        want = _as_dict(one.screen_one(row))
        assert {c: res[c] for c in RESULT_COLUMNS} == want


def test_batch_path_keeps_extra_columns_and_row_order(compiled_wl: CompiledWatchlist) -> None:
    rows = _rows(50, seed=5)
    for i, r in enumerate(rows):
        r["broker_ref"] = f"B{i}"
    out = Screener(compiled_wl).screen_arrow(pa.Table.from_pylist(rows))
    assert out.column_names == [*RESULT_COLUMNS, "broker_ref"]
    assert out.column("entry_number").to_pylist() == [r["entry_number"] for r in rows]
    assert out.column("broker_ref").to_pylist() == [f"B{i}" for i in range(50)]


def test_empty_batch(compiled_wl: CompiledWatchlist) -> None:
    table = pa.table({c: pa.array([], type=pa.string()) for c in ENTRY_COLUMNS})
    out = Screener(compiled_wl).screen_arrow(table)
    assert out.num_rows == 0
    assert out.column_names == list(RESULT_COLUMNS)


def test_reasons_name_the_goods_of_their_own_line() -> None:
    """Two lines in the same place whose goods reach the same order scope keep their own goods in the reasons.

    The region check is cached per place and goods; the goods as named belong to the key.
    """
    wl = build_watchlist().compile()
    base = {"manufacturer": "Unlisted Maker", "manufacturer_address": "Kashgar, Xinjiang", "country_of_origin": "CN"}
    yarn = {**base, "description": "cotton yarn"}
    both = {**base, "description": "raw cotton and cotton yarn"}
    shared = Screener(wl)
    shared.screen_one(yarn)
    after_yarn = shared.screen_one(both)
    alone = Screener(wl).screen_one(both)
    assert "goods cotton, cotton_yarn fall under its scope" in alone.signals_json
    assert after_yarn.signals_json == alone.signals_json
    assert after_yarn.reasons == alone.reasons


@pytest.mark.parametrize("size", [1, 7, 64])
def test_batches_of_any_size_agree(compiled_wl: CompiledWatchlist, size: int) -> None:
    rows = _rows(64, seed=size)
    whole = Screener(compiled_wl).screen_arrow(pa.Table.from_pylist(rows)).to_pylist()
    s = Screener(compiled_wl)
    parts = list(
        itertools.chain.from_iterable(
            s.screen_arrow(pa.Table.from_pylist(rows[i : i + size])).to_pylist() for i in range(0, 64, size)
        )
    )
    assert parts == whole


def test_grouping_of_lines_by_key_tuples() -> None:
    import numpy as np

    from section307.screening.batch import _group

    rng = np.random.default_rng(5)
    keys = [rng.integers(0, 4, 500), rng.integers(0, 3, 500), rng.integers(0, 2_000_000_000, 500) % 5]
    ids, first = _group(keys)
    tuples = list(zip(*(k.tolist() for k in keys), strict=True))
    assert len(first) == len(set(tuples))
    seen: dict[tuple[int, ...], int] = {}
    for row, (t, g) in enumerate(zip(tuples, ids.tolist(), strict=True)):
        if t not in seen:
            seen[t] = g
            assert first[g] == row  # a group's first line
        assert seen[t] == g  # one id per tuple
    assert len(set(seen.values())) == len(seen)  # distinct tuples, distinct ids


def test_prefetched_places_and_relations_give_the_same_results(
    compiled_wl: CompiledWatchlist, tmp_path: Path
) -> None:
    """Places and relations read once per distinct value in other processes seed the screener; the
    row pass then gives exactly what a screener that read everything itself gives."""
    import pyarrow.parquet as pq

    from section307.screening.parallel import (
        distinct_addresses,
        distinct_party_names,
        prefetch_names,
        prefetch_places,
    )

    rows = _rows(600, seed=5)
    rows.append({**rows[0], "manufacturer": "Xinjiang Huafu Textile Co., Ltd. Urumqi Branch"})
    table = pa.Table.from_pylist(rows)
    path = str(tmp_path / "entries.parquet")
    pq.write_table(table, path)

    addresses = distinct_addresses(path)
    assert addresses is not None
    # The manufacturer's address goes with the origin as written, the shipper's with none.
    assert ("No. 1 Aksu Textile Industrial City, Aksu, Xinjiang", "China") in addresses
    assert ("Pyongyang, DPRK", None) in addresses
    assert all(text == text.strip() and text for text, _ in addresses)

    seeded = Screener(compiled_wl)
    names = distinct_party_names(path)
    assert names is not None
    prefetch_names(seeded, names, workers=2, chunk=2)
    prefetch_places(seeded, addresses, workers=2, chunk=2)
    # Filled by the worker processes, before any line is screened here.
    assert seeded._places_cache[(False, "Pyongyang, DPRK", None)]
    assert seeded.matcher._relations["Xinjiang Huafu Textile Co., Ltd. Urumqi Branch"] == "branch"

    got = seeded.screen_arrow(table).to_pylist()
    want = Screener(compiled_wl).screen_arrow(table).to_pylist()
    assert got == want
    party = [s for s in json.loads(got[-1]["signals"]) if s["kind"] == "party" and s["field"] == "manufacturer"]
    assert party and "branch" in party[0]["detail"].lower()


def test_name_floor_keeps_every_match_that_can_give_a_signal(compiled_wl: CompiledWatchlist) -> None:
    """The engine's matcher drops names scoring below ``name_floor`` (the review threshold less the
    most the origin and address can add), and names in characters that differ from a listed one's
    characters (capped below it): the lines decide exactly as with every match down to 0.3 kept."""
    from section307.screening.config import DEFAULT_SCORING
    from section307.screening.engine import name_floor
    from section307.screening.matcher import NameMatcher

    floor = name_floor(DEFAULT_SCORING.review_threshold, DEFAULT_SCORING)
    assert floor == pytest.approx(
        DEFAULT_SCORING.review_threshold - DEFAULT_SCORING.country_agrees - DEFAULT_SCORING.address_agrees
    )
    assert floor > DEFAULT_SCORING.brand_differs_cap  # the characters cap is below the floor
    rows = _rows(1500, seed=5)
    rows += [
        {**rows[i], "manufacturer": name}
        for i, name in enumerate(["新疆华孚纺织", "新疆华夫纺织有限公司", "合盛硅业股份", "合胜硅业", "华孚时尚"])
    ]
    # A name scoring between the floor and the review threshold, lifted to review by its origin and address.
    lifted = {
        **rows[0],
        **dict.fromkeys(("importer", "shipper", "shipper_address", "consignee", "suppliers"), ""),
        **dict.fromkeys(("manufacturer_id", "identifiers"), ""),
        "hts": "9403.60",
        "description": "wooden furniture",
        "manufacturer": "Golden Lion Apparel Trading",
        "manufacturer_address": "Plot 12, Road 4, Konabari, Gazipur, Dhaka",
        "country_of_origin": "BD",
    }
    rows.append(lifted)
    table = pa.Table.from_pylist(rows)
    derived = Screener(compiled_wl)
    assert floor <= derived.matcher.match("Golden Lion Apparel Trading")[0].score < derived.review_threshold
    assert (derived.screen_one(lifted).decision, derived.screen_one(lifted).matched_id) == ("review", "P-GOLDEN")
    assert derived.matcher.floor == pytest.approx(floor)
    wide = Screener(compiled_wl)
    wide.matcher = NameMatcher(compiled_wl, floor=0.3, config=DEFAULT_SCORING)
    # The wide matcher does report matches the derived floor leaves out, so the comparison means something.
    dropped = [n for n in _MANUFACTURERS if n and len(wide.matcher.match(n)) > len(derived.matcher.match(n))]
    assert dropped
    assert derived.screen_arrow(table).to_pylist() == wide.screen_arrow(table).to_pylist()


def test_worker_pipeline_joins_encoded_decisions_back_to_each_line(compiled_wl: CompiledWatchlist) -> None:
    """The local pipeline sends the workers only the checked columns and gets the decisions back as
    dictionary arrays; joined back to the identifying and extra columns they give, line for line,
    what ``screen_arrow`` gives, whatever the batch (extra columns, integer lines, nulls, a missing
    optional column)."""
    import polars as pl

    from section307.screening.batch import result_table, screen_table
    from section307.screening.engine import CHECKED_COLUMNS
    from section307.screening.parallel import screen_batches

    rows = _rows(900, seed=8)
    for i, r in enumerate(rows):
        r["broker_ref"] = f"B{i}" if i % 5 else None
        del r["identifiers"]
    frames = [pl.DataFrame(rows[i : i + 250]).with_columns(pl.col("line").cast(pl.Int64)) for i in range(0, 900, 250)]
    want = [Screener(compiled_wl).screen_arrow(f.to_arrow()) for f in frames]

    got = list(screen_batches(Screener(compiled_wl), frames, workers=2))
    assert [g.height for g in got] == [250, 250, 250, 150]
    for g, w in zip(got, want, strict=True):
        assert g.columns == [*RESULT_COLUMNS, "broker_ref"]
        assert g.to_dicts() == pl.from_arrow(w).to_dicts()  # type: ignore[union-attr]

    # The encoded columns: one value per distinct combination of the checks' results and one index
    # per line (50 distinct lines repeated five times), gathered back as plain text.
    table = pa.concat_tables([frames[0].head(50).to_arrow()] * 5)
    checked = table.select([c for c in CHECKED_COLUMNS if c in table.column_names])
    encoded = screen_table(Screener(compiled_wl), checked)
    assert isinstance(encoded[0], pa.DictionaryArray) and encoded[0].type.index_type == pa.int32()
    assert len(encoded[0]) == 250 and len(encoded[0].dictionary) <= 50
    assert result_table(table, encoded).equals(Screener(compiled_wl).screen_arrow(table))
