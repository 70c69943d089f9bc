"""Compiled watchlists on disk: keyed by every input row and the engine version; a stale file is never used."""

from __future__ import annotations

import dataclasses
import os
import pickle
from pathlib import Path

import polars as pl
import pytest

from section307.screening import Party, Screener, Watchlist
from section307.screening import cache as wl_cache
from section307.screening.cache import compile_cached, watchlist_key

from .conftest import build_watchlist, entry


def _files(directory: Path) -> list[Path]:
    return sorted(directory.glob("compiled-*.pickle"))


def test_second_compile_reads_the_cache_and_screens_the_same(tmp_path: Path) -> None:
    first = compile_cached(build_watchlist(), directory=tmp_path)
    assert len(_files(tmp_path)) == 1
    second = compile_cached(build_watchlist(), directory=tmp_path)
    assert second is not first
    line = entry(manufacturer="XINJIANGHUAFU FANGZHI", country_of_origin="CN", hts="6109.10.0012")
    a, b = Screener(first).screen_one(line), Screener(second).screen_one(line)
    assert (a.decision, a.score, a.reasons, a.signals_json) == (b.decision, b.score, b.reasons, b.signals_json)
    assert a.decision == "hit"
    # The loaded copy still ships to Spark executors by its inputs.
    assert len(pickle.dumps(second)) < len(_files(tmp_path)[0].read_bytes())


@pytest.mark.parametrize(
    "change",
    [
        lambda wl: wl.parties.__setitem__(0, dataclasses.replace(wl.parties[0], list="risk")),
        lambda wl: wl.parties.__setitem__(1, dataclasses.replace(wl.parties[1], aliases=())),
        lambda wl: wl.add_party(Party(id="NEW", name="Kashgar Newco Textile", list="uflpa")),
        lambda wl: wl.set_tip_tier("Malaysia", "3"),
        lambda wl: wl.region_rules.pop(),
        lambda wl: wl.dol_goods.pop(),
    ],
    ids=["list", "aliases", "new-party", "tip", "rule", "dol"],
)
def test_any_changed_input_row_changes_the_key(change) -> None:  # type: ignore[no-untyped-def]
    wl = build_watchlist()
    before = watchlist_key(wl)
    change(wl)
    assert watchlist_key(wl) != before


def test_a_changed_party_is_never_screened_with_the_stale_cache(tmp_path: Path) -> None:
    compile_cached(build_watchlist(), directory=tmp_path)
    wl = build_watchlist()
    i = next(i for i, p in enumerate(wl.parties) if p.id == "P-HUAFU")
    wl.parties[i] = dataclasses.replace(wl.parties[i], list="risk", order_id=None)
    fresh = compile_cached(wl, directory=tmp_path)
    r = Screener(fresh).screen_one(entry(manufacturer="Xinjiang Huafu Textile Co., Ltd."))
    assert (r.decision, r.list) == ("review", "risk")
    assert len(_files(tmp_path)) == 2


def test_engine_version_is_part_of_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    wl = build_watchlist()
    before = watchlist_key(wl)
    monkeypatch.setattr(wl_cache, "engine_version", lambda: "another engine")
    assert watchlist_key(wl) != before


def test_engine_version_covers_the_normalisation_source() -> None:
    wl_cache.engine_version.cache_clear()
    v = wl_cache.engine_version()
    assert len(v) == 64
    # Derived from files, not a constant someone must remember to bump.
    root = Path(wl_cache.__file__).resolve().parents[1]
    assert (root / "screening" / "normalize.py").exists()
    assert wl_cache.engine_version() == v


def test_a_file_holding_another_key_is_ignored_and_replaced(tmp_path: Path) -> None:
    wl = build_watchlist()
    key = watchlist_key(wl)
    other = Watchlist()
    other.add_party(Party(id="X", name="Nothing Alike Ltd", list="wro", order_id="W"))
    planted = compile_cached(other, directory=tmp_path)
    # A file under this watchlist's name but compiled from other inputs (renamed, copied, tampered with).
    _files(tmp_path)[0].rename(tmp_path / f"compiled-{key}.pickle")
    got = compile_cached(wl, directory=tmp_path)
    assert len(got) == len(wl.parties) != len(planted)
    assert compile_cached(wl, directory=tmp_path).parties == got.parties


def test_a_truncated_file_is_recompiled(tmp_path: Path) -> None:
    wl = build_watchlist()
    compile_cached(wl, directory=tmp_path)
    path = _files(tmp_path)[0]
    path.write_bytes(path.read_bytes()[:100])
    assert len(compile_cached(wl, directory=tmp_path)) == len(wl.parties)
    assert path.stat().st_size > 100


def test_a_directory_others_can_write_is_not_trusted(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)  # noqa: S103 - the case under test
    wl = build_watchlist()
    compile_cached(wl, directory=shared)
    assert _files(shared) == []
    private = tmp_path / "private"
    compile_cached(wl, directory=private)
    (path,) = _files(private)
    os.chmod(path, 0o666)  # noqa: S103 - the case under test
    assert wl_cache._load(path, watchlist_key(wl)) is None


def _run_command(src: Path, wl_csv: Path, out: Path, cache: Path, *, workers: int) -> pl.DataFrame:
    """The screen command on ``src`` with ``cache`` as its cache directory; its results."""
    from section307.screening import cli

    from .test_cli import _args, _read

    argv = (str(src), "--watchlist", str(wl_csv), "--out", str(out), "--cache-dir", str(cache))
    assert cli.run(_args(*argv, "--workers", str(workers), "--quiet")) == 0
    return _read(out)


def test_command_reuses_compiled_watchlist_and_name_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second run against the same watchlist neither compiles it nor matches a known name again."""
    from section307.screening.matcher import NameMatcher

    from .test_cli import ENTRY_HEADER, ENTRY_ROWS, WATCHLIST_ROWS, _write_csv

    wl_csv = _write_csv(tmp_path / "watchlist.csv", WATCHLIST_ROWS)
    src = _write_csv(tmp_path / "entries.csv", [ENTRY_HEADER, *ENTRY_ROWS])
    cache = tmp_path / "cache"

    def run(out: str) -> pl.DataFrame:
        return _run_command(src, wl_csv, tmp_path / out, cache, workers=1)

    first = run("first.csv")
    assert len(list(cache.glob("compiled-*.pickle"))) == 1
    assert len(list(cache.glob("names-*.pickle"))) == 1

    def no_compile(self: Watchlist, workers: int = 1) -> None:
        raise AssertionError("compiled again")

    def no_match(self: NameMatcher, name: str) -> None:
        raise AssertionError(f"matched again: {name}")

    monkeypatch.setattr(Watchlist, "compile", no_compile)
    monkeypatch.setattr(NameMatcher, "_match", no_match)
    assert run("second.csv").equals(first)
    monkeypatch.undo()

    # Another watchlist row: another key, so neither stored file is read.
    wl_csv.write_text(wl_csv.read_text(encoding="utf-8").replace("uflpa", "risk", 1), encoding="utf-8")
    third = run("third.csv")
    assert len(list(cache.glob("compiled-*.pickle"))) == 2
    assert not third.equals(first)


def test_stored_name_results_keep_what_a_name_says_of_itself(tmp_path: Path) -> None:
    """A branch named in an entry file is still a branch when its match is read back from the store,
    and a store that cannot say so for every matched name says nothing."""
    from section307.screening.cache import load_name_store, store_name_results

    from .test_cli import ENTRY_HEADER, ENTRY_ROWS, WATCHLIST_ROWS, _write_csv

    branch = "Xinjiang Huafu Textile Co., Ltd. Aksu Branch"
    rows = [ENTRY_HEADER, *ENTRY_ROWS, ["E9", "1", "Acme Imports LLC", branch, *ENTRY_ROWS[0][4:]]]
    wl_csv = _write_csv(tmp_path / "watchlist.csv", WATCHLIST_ROWS)
    src = _write_csv(tmp_path / "entries.csv", rows)
    cache = tmp_path / "cache"

    def run(out: str) -> pl.DataFrame:
        return _run_command(src, wl_csv, tmp_path / out, cache, workers=2)

    first = run("first.csv")
    (stored,) = cache.glob("names-*.pickle")
    with stored.open("rb") as f:
        payload = pickle.load(f)  # noqa: S301 - written by this test
    assert payload["relations"] == {branch: "branch"}
    assert "branch" in first.filter(pl.col("entry_number") == "E9")["signals"][0].lower()
    assert run("second.csv").equals(first)

    compiled = compile_cached(Watchlist.from_file(str(wl_csv)), directory=cache)
    floor = Screener(compiled).matcher.floor
    matches, relations = load_name_store(compiled, floor, [branch, "Unknown Name"])
    assert matches[branch] and relations == {branch: "branch"}
    # Results stored without the relation of a matched name: none is kept, none is invented.
    store_name_results(compiled, floor, {"Huafu Xinjiang Aksu Branch": matches[branch]}, {})
    assert load_name_store(compiled, floor, [branch])[1] == {}


def test_records_pickle_by_position_and_restore_every_field() -> None:
    import pickle

    from section307.screening.normalize import NormName, normalize_name
    from section307.screening.records import pickled_by_position
    from section307.screening.watchlist import Party

    norm = normalize_name("新疆华孚纺织有限公司 (Shanghai Branch)")
    assert isinstance(norm, NormName) and norm.han and norm.relation
    assert pickle.loads(pickle.dumps(norm)) == norm  # noqa: S301 - bytes this test made
    party = Party(id="P1", name="Huafu", aliases=("华孚",), country="CN", list="uflpa", order_id="EL-1")
    back = pickle.loads(pickle.dumps(party))  # noqa: S301
    assert back == party and back.aliases == ("华孚",)
    from section307.screening.matcher import NameMatch

    match = NameMatch(name_id=7, party=3, score=0.91, method="fuzzy", relation="branch")
    assert pickle.loads(pickle.dumps(match)) == match  # noqa: S301
    assert NameMatch.__getstate__(match) == (7, 3, 0.91, "fuzzy", "branch")  # by position, not by name

    @dataclasses.dataclass(frozen=True, slots=True)
    class One:
        a: int

    with pytest.raises(TypeError, match="at least two fields"):
        pickled_by_position(One)


def _write_watchlist(path: Path, rows: list[tuple[str, str, str]]) -> None:
    path.write_text("id,name,list\n" + "".join(f"{i},\"{n}\",{lst}\n" for i, n, lst in rows), encoding="utf-8")


def test_unchanged_watchlist_files_load_the_compiled_form_without_being_read(tmp_path: Path) -> None:
    from section307.screening.cache import compile_files_cached

    src, dol, cache = tmp_path / "watchlist.csv", tmp_path / "dol.csv", tmp_path / "cache"
    _write_watchlist(src, [("P1", "Xinjiang Huafu Textile Co., Ltd.", "uflpa")])
    dol.write_text("country,good,child_labor,forced_labor\nChina,Cotton,,X\n", encoding="utf-8")
    reads: list[str] = []

    def build() -> Watchlist:
        reads.append(src.read_text(encoding="utf-8"))
        wl = Watchlist.from_file(src)
        wl.load_dol_table(dol)
        return wl

    def compiled(**kw: object):  # type: ignore[no-untyped-def]
        return compile_files_cached(src, build, dol=dol, directory=cache, **kw)  # type: ignore[arg-type]

    first = compiled()
    again = compiled()
    assert len(reads) == 1, "the same bytes are not read again"
    assert [p.name for p in again.parties] == [p.name for p in first.parties]
    assert wl_cache.cache_key_of(again) == wl_cache.cache_key_of(first), "names stored by run 1 reach run 2"

    compiled(statutory=False)
    assert len(reads) == 2, "another statutory switch is another input"
    dol.write_text("country,good,child_labor,forced_labor\nChina,Tomatoes,,X\n", encoding="utf-8")
    compiled()
    assert len(reads) == 3, "a changed DOL table is another input"

    _write_watchlist(src, [("P1", "Xinjiang Huafu Textile Co., Ltd.", "risk")])
    changed = compiled()
    assert len(reads) == 4 and changed.parties[0].list == "risk"

    # A pointer others could have written is not followed.
    for pointer in cache.glob("source-*.txt"):
        pointer.chmod(0o666)
    compiled()
    assert len(reads) == 5


def test_a_watchlist_directory_is_read_every_time(tmp_path: Path) -> None:
    from section307.screening.cache import compile_files_cached

    parts = tmp_path / "watchlist"
    parts.mkdir()
    pl.DataFrame({"id": ["P1"], "name": ["Golden Lion Garment Factory"], "list": ["wro"]}).write_parquet(
        parts / "part-0.parquet"
    )
    reads = []

    def build() -> Watchlist:
        reads.append(1)
        return Watchlist.from_file(parts)

    for _ in range(2):
        compile_files_cached(parts, build, directory=tmp_path / "cache")
    assert len(reads) == 2
    assert not list((tmp_path / "cache").glob("source-*"))
