"""The screen command: CSV/Parquet/XLSX round trips, workers, bad input and exit codes."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

from section307.screening import REQUIRED_COLUMNS, RESULT_COLUMNS, Watchlist, cli

from .conftest import build_watchlist

WATCHLIST_ROWS = [
    ["id", "name", "aliases", "country", "address", "identifiers", "list", "order_id"],
    [
        "P1",
        "Xinjiang Huafu Textile Co., Ltd.",
        "新疆华孚纺织有限公司 | Huafu Xinjiang",
        "CN",
        "Aksu, Xinjiang",
        "MID:CNXINHUA123AKS | USCC:91652900MA775X1234",
        "uflpa",
        "UFLPA-EL-0001",
    ],
    ["P2", "Golden Lion Garment Factory", "", "BD", "Gazipur", "", "wro", "WRO-2024-GL"],
    ["P3", "Shanghai Meida Trading Co., Ltd.", "", "CN", "", "", "risk", ""],
]

ENTRY_HEADER = [*REQUIRED_COLUMNS, "broker_ref"]
ENTRY_ROWS = [
    [
        "E1",
        "1",
        "Acme Imports LLC",
        "XINJIANGHUAFU FANGZHI",
        "Aksu",
        "HK Forwarders",
        "Hong Kong",
        "CN",
        "6109.10.0012",
        "cotton t-shirts",
        "1200.50",
        "2025-01-05",
        "r1",
    ],
    [
        "E1",
        "2",
        "Acme Imports LLC",
        "Golden Lion Garment",
        "Gazipur, Dhaka",
        "",
        "",
        "BD",
        "6205.20",
        "shirts",
        "300",
        "2025-01-05",
        "r2",
    ],
    [
        "E2",
        "1",
        "Acme Imports LLC",
        "Helvetia Uhren AG",
        "Biel",
        "",
        "",
        "CH",
        "9102.11",
        "watches",
        "99",
        "2025-01-06",
        "r3",
    ],
    [
        "E3",
        "1",
        "Acme Imports LLC",
        "Unlisted Tomato Co",
        "新疆昌吉市",
        "",
        "",
        "CN",
        "2002.90",
        "tomato paste",
        "50",
        "2025-01-07",
        "r4",
    ],
]


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows(rows)
    return path


def _write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(list(argv))


def _read(path: Path) -> pl.DataFrame:
    if path.suffix == ".csv":
        return pl.read_csv(path, infer_schema=False)
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    return _read_xlsx(path)


def _read_xlsx(path: Path) -> pl.DataFrame:
    from openpyxl import load_workbook

    ws = load_workbook(path, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    return pl.DataFrame([list(r) for r in rows[1:]], schema=[str(h) for h in rows[0]], orient="row")


@pytest.fixture()
def watchlist_csv(tmp_path: Path) -> Path:
    return _write_csv(tmp_path / "watchlist.csv", WATCHLIST_ROWS)


@pytest.mark.parametrize("in_fmt", ["csv", "parquet", "xlsx"])
@pytest.mark.parametrize("out_fmt", ["csv", "parquet", "xlsx"])
def test_round_trip(tmp_path: Path, watchlist_csv: Path, in_fmt: str, out_fmt: str) -> None:
    src = tmp_path / f"entries.{in_fmt}"
    if in_fmt == "csv":
        _write_csv(src, [ENTRY_HEADER, *ENTRY_ROWS])
    elif in_fmt == "parquet":
        pl.DataFrame(ENTRY_ROWS, schema=ENTRY_HEADER, orient="row").write_parquet(src)
    else:
        _write_xlsx(src, [ENTRY_HEADER, *ENTRY_ROWS])
    out = tmp_path / f"results.{out_fmt}"
    code = cli.run(
        _args(str(src), "--watchlist", str(watchlist_csv), "--out", str(out), "--workers", "1", "--quiet")
    )
    assert code == cli.EXIT_OK
    res = _read(out)
    assert res.columns == [*RESULT_COLUMNS, "broker_ref"]
    assert res["decision"].to_list() == ["hit", "hit", "clear", "hit"]
    assert res["matched_id"].to_list()[:2] == ["P1", "P2"]
    assert res["list"].to_list()[3] == "wro"  # XUAR tomato WRO (goods-scoped) over the UFLPA presumption
    assert res["broker_ref"].to_list() == ["r1", "r2", "r3", "r4"]
    signals = json.loads(res["signals"][0])
    assert signals[0]["kind"] == "party"


def test_workers_give_same_results(tmp_path: Path, watchlist_csv: Path) -> None:
    rows = [ENTRY_HEADER] + [[f"E{i}", *r[1:]] for i in range(60) for r in ENTRY_ROWS]
    src = _write_csv(tmp_path / "entries.csv", rows)
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"r{workers}.csv"
        assert (
            cli.run(
                _args(
                    str(src),
                    "--watchlist",
                    str(watchlist_csv),
                    "--out",
                    str(out),
                    "--workers",
                    workers,
                    "--batch-size",
                    "37",
                    "--quiet",
                )
            )
            == 0
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert outs[0].count(b"\n") == 241


def test_watchlist_object_when_no_file(tmp_path: Path) -> None:
    src = _write_csv(tmp_path / "entries.csv", [ENTRY_HEADER, *ENTRY_ROWS])
    out = tmp_path / "r.csv"
    wl: Watchlist = build_watchlist()
    assert cli.run(_args(str(src), "--out", str(out), "--workers", "1", "--quiet"), watchlist=wl) == 0
    assert cli.run(_args(str(src), "--out", str(out), "--quiet"), watchlist=wl.compile()) == 0
    assert pl.read_csv(out)["decision"].to_list()[0] == "hit"


def test_no_watchlist_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _write_csv(tmp_path / "entries.csv", [ENTRY_HEADER, *ENTRY_ROWS])
    assert cli.run(_args(str(src), "--quiet")) == cli.EXIT_BAD_INPUT
    assert "no watchlist" in capsys.readouterr().err


def test_missing_column(tmp_path: Path, watchlist_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = [c for c in ENTRY_HEADER if c != "hts"]
    rows = [[v for c, v in zip(ENTRY_HEADER, r, strict=True) if c != "hts"] for r in ENTRY_ROWS]
    src = _write_csv(tmp_path / "entries.csv", [header, *rows])
    assert cli.run(_args(str(src), "--watchlist", str(watchlist_csv), "--quiet")) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "entries.csv" in err and "missing required column hts" in err


def test_unreadable_files(tmp_path: Path, watchlist_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(_args(str(tmp_path / "nope.csv"), "--watchlist", str(watchlist_csv))) == cli.EXIT_BAD_INPUT
    assert "nope.csv: file not found" in capsys.readouterr().err
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    assert cli.run(_args(str(broken), "--watchlist", str(watchlist_csv))) == cli.EXIT_BAD_INPUT
    assert "broken.parquet: cannot read as Parquet" in capsys.readouterr().err
    fake_xlsx = tmp_path / "fake.xlsx"
    fake_xlsx.write_text("hello")
    assert cli.run(_args(str(fake_xlsx), "--watchlist", str(watchlist_csv))) == cli.EXIT_BAD_INPUT
    assert "fake.xlsx: cannot read as XLSX" in capsys.readouterr().err
    src = _write_csv(tmp_path / "entries.json", [ENTRY_HEADER])
    assert cli.run(_args(str(src), "--watchlist", str(watchlist_csv))) == cli.EXIT_BAD_INPUT
    assert "unknown file type" in capsys.readouterr().err
    bad_wl = _write_csv(tmp_path / "wl.csv", [["id", "nom"], ["1", "x"]])
    src = _write_csv(tmp_path / "entries.csv", [ENTRY_HEADER, *ENTRY_ROWS])
    assert cli.run(_args(str(src), "--watchlist", str(bad_wl))) == cli.EXIT_BAD_INPUT
    assert "wl.csv: missing required column name" in capsys.readouterr().err


def test_bad_encoding(tmp_path: Path, watchlist_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [ENTRY_HEADER, ENTRY_ROWS[0], [*ENTRY_ROWS[2][:3], "Société Générale", *ENTRY_ROWS[2][4:]]]
    src = _write_csv(tmp_path / "entries.csv", rows, encoding="cp1252")
    out = tmp_path / "r.csv"
    assert (
        cli.run(_args(str(src), "--watchlist", str(watchlist_csv), "--out", str(out))) == cli.EXIT_BAD_INPUT
    )
    err = capsys.readouterr().err
    assert "entries.csv: line 3 is not valid utf-8" in err and "--encoding" in err
    code = cli.run(
        _args(
            str(src),
            "--watchlist",
            str(watchlist_csv),
            "--out",
            str(out),
            "--encoding",
            "cp1252",
            "--quiet",
            "--workers",
            "1",
        )
    )
    assert code == cli.EXIT_OK
    assert pl.read_csv(out).height == 2


def test_malformed_rows_reported_and_skipped(
    tmp_path: Path, watchlist_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        ENTRY_HEADER,
        ENTRY_ROWS[0],
        ENTRY_ROWS[1][:5],  # row 3: too few fields
        [*ENTRY_ROWS[2][:10], "12 dollars", *ENTRY_ROWS[2][11:]],  # row 4: value not a number
        [*ENTRY_ROWS[3][:11], "2025-02-30", "r4"],  # row 5: impossible date
        ["", *ENTRY_ROWS[3][1:]],  # row 6: no entry number
        ENTRY_ROWS[3],
    ]
    src = _write_csv(tmp_path / "entries.csv", rows)
    out = tmp_path / "r.parquet"
    code = cli.run(_args(str(src), "--watchlist", str(watchlist_csv), "--out", str(out), "--workers", "1"))
    assert code == cli.EXIT_SKIPPED_ROWS
    err = capsys.readouterr().err
    assert "entries.csv: row 3: has 5 fields, the header has 13" in err
    assert "entries.csv: row 4, column 'value_usd': is not a number ('12 dollars')" in err
    assert "entries.csv: row 5, column 'date_of_import': is not a date" in err
    assert "entries.csv: row 6, column 'entry_number': is empty" in err
    assert "4 malformed rows skipped" in err
    assert pl.read_parquet(out)["entry_number"].to_list() == ["E1", "E3"]


def test_module_entry_point(tmp_path: Path, watchlist_csv: Path) -> None:
    import subprocess
    import sys

    src = _write_csv(tmp_path / "entries.csv", [ENTRY_HEADER, *ENTRY_ROWS])
    out = tmp_path / "r.csv"
    proc = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "section307.screening",
            "screen",
            str(src),
            "--watchlist",
            str(watchlist_csv),
            "--out",
            str(out),
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(Path(cli.__file__).parents[2]), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "screened 4 lines" in proc.stderr and "3 hit, 0 review, 1 clear" in proc.stderr
    assert pl.read_csv(out).height == 4


def test_dol_and_tip_tables(tmp_path: Path, watchlist_csv: Path) -> None:
    dol = _write_csv(
        tmp_path / "dol.csv",
        [["good", "country", "child_labor", "forced_labor"], ["Garments", "China", "No", "Yes"]],
    )
    tip = _write_csv(tmp_path / "tip.csv", [["country", "tier"], ["China", "Tier 3"]])
    src = _write_csv(
        tmp_path / "entries.csv",
        [
            ENTRY_HEADER,
            [
                "E9",
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
                "",
            ],
        ],
    )
    out = tmp_path / "r.csv"
    assert (
        cli.run(
            _args(
                str(src),
                "--watchlist",
                str(watchlist_csv),
                "--dol",
                str(dol),
                "--tip",
                str(tip),
                "--out",
                str(out),
                "--quiet",
                "--workers",
                "1",
            )
        )
        == 0
    )
    res = pl.read_csv(out)
    assert (res["decision"][0], res["list"][0]) == ("review", "dol")
    assert "TIP Tier 3" in res["signals"][0]


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_result_writer_keeps_batch_order_while_writing_in_the_background(tmp_path: Path, suffix: str) -> None:
    from section307.screening.io import ResultWriter

    out = tmp_path / f"results.{suffix}"
    writer = ResultWriter(out, pending=1)
    for start in range(0, 5000, 500):
        writer.write(pl.DataFrame({"line": [str(i) for i in range(start, start + 500)], "score": [0.5] * 500}))
    assert writer.rows == 5000
    writer.close()
    back = pl.read_parquet(out) if suffix == "parquet" else pl.read_csv(out, infer_schema=False)
    assert back["line"].to_list() == [str(i) for i in range(5000)]


def test_result_writer_reports_a_failed_background_write_at_close(tmp_path: Path) -> None:
    from section307.screening.io import ResultWriter

    writer = ResultWriter(tmp_path / "results.parquet")
    writer.write(pl.DataFrame({"line": ["1"], "score": [0.5]}))
    # A batch whose score cannot take the first batch's column type fails on the writer's thread.
    writer.write(pl.DataFrame({"line": ["2"], "score": ["not a number"]}))
    with pytest.raises(ValueError, match="not a number"):
        writer.close()


def test_second_run_on_the_same_watchlist_file_does_not_read_it(
    tmp_path: Path, watchlist_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _write_csv(tmp_path / "entries.csv", [ENTRY_HEADER, *ENTRY_ROWS])
    reads: list[str] = []
    original = Watchlist.from_file.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Watchlist], path: str, **kw: bool) -> Watchlist:
        reads.append(str(path))
        return original(cls, path, **kw)  # type: ignore[no-any-return]

    monkeypatch.setattr(Watchlist, "from_file", classmethod(counted))
    outs = []
    for n in range(3):
        out = tmp_path / f"results-{n}.csv"
        argv = [str(src), "--watchlist", str(watchlist_csv), "--out", str(out), "--workers", "1", "--quiet"]
        argv += ["--cache-dir", str(tmp_path / "cache")] + (["--no-statutory"] if n == 2 else [])
        assert cli.run(_args(*argv)) == cli.EXIT_OK
        outs.append(_read(out))
    assert len(reads) == 2, "read on the first run and again when the statutory rules are left out"
    assert outs[1].equals(outs[0])
    assert outs[2]["decision"].to_list() != outs[0]["decision"].to_list()  # the XUAR rules are gone


def test_a_run_leaves_the_cycle_collector_as_it_found_it(tmp_path: Path) -> None:
    """cli.run keeps the collector off while it runs (it builds a million long-lived objects) and
    turns it back on after, also when the run fails; a caller that had it off keeps it off."""
    import gc

    src = _write_csv(tmp_path / "entries.csv", [ENTRY_HEADER, *ENTRY_ROWS])
    out = tmp_path / "r.csv"
    seen: list[bool] = []
    original = cli._run

    def spy(*args: object, **kwargs: object) -> int:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    assert gc.isenabled()
    cli._run = spy  # type: ignore[assignment]
    try:
        args = _args(str(src), "--out", str(out), "--workers", "1", "--quiet")
        assert cli.run(args, watchlist=build_watchlist()) == 0
        assert gc.isenabled()
        assert cli.run(_args(str(tmp_path / "nope.csv"), "--quiet"), watchlist=build_watchlist()) != 0
        assert gc.isenabled()
        gc.disable()
        cli.run(_args(str(src), "--out", str(out), "--workers", "1", "--quiet"), watchlist=build_watchlist())
        assert not gc.isenabled()
    finally:
        gc.enable()
        cli._run = original  # type: ignore[assignment]
    assert seen == [False, False, False]
