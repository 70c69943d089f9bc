"""python -m section307.refdata: parse/fetch/sources by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from section307.refdata.__main__ import main


def test_parse_clean_file(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "tip", str(fixtures / "tip_tiers.csv"), "--records"]) == 0
    out, err = capsys.readouterr()
    first = json.loads(out.splitlines()[0])
    assert first == {"country_name": "Australia", "country_code": "AU", "tier": "1", "year": 2024, "row": 2}
    assert err.strip().endswith("tip_tiers.csv: 15 records, 0 errors")


def test_parse_file_with_row_errors(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "cbp-wro", str(fixtures / "cbp_wro_bad.csv")]) == 1
    err = capsys.readouterr().err
    assert "error: cbp_wro_bad.csv, row 3, column 'Effective Date': not a date: '13/45/2020'" in err


def test_parse_unreadable_file(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "cbp-wro", str(fixtures / "cbp_wro_missing_cols.csv")]) == 2
    assert "missing required column(s)" in capsys.readouterr().err


def test_fetch_and_sources(fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", str(fixtures / "dol_goods.xml"), "--dest", str(tmp_path), "--expect", "xml"]) == 0
    assert (tmp_path / "dol_goods.xml").is_file()
    assert main(["fetch", "ftp://127.0.0.1/x", "--dest", str(tmp_path)]) == 2
    assert main(["sources"]) == 0
    assert "https://www.dhs.gov/uflpa-entity-list" in capsys.readouterr().out
