"""Package-level promises: no Django, stable error text, a grammar that never raises."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from section307.refdata.errors import ParseFailed, RowError
from section307.refdata.parsers import PARSERS, ParseResult
from section307.refdata.parsers.entity_text import parse_entity_cell
from section307.refdata.records import PARTY_KINDS

SRC = Path(__file__).resolve().parents[2] / "src"


def test_importing_refdata_does_not_import_django() -> None:
    code = (
        "import sys; import section307.refdata.parsers, section307.refdata.sources, "
        "section307.refdata.countries; print('django' in sys.modules)"
    )
    out = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SRC)}
    )
    assert out.stdout.strip() == "False"


def test_parser_keys() -> None:
    assert {"cbp-wro", "uflpa", "dol-goods", "tip"} <= set(PARSERS)


def test_row_error_text() -> None:
    assert str(RowError("wro.csv", 7, "Effective Date", "not a date: '13/45/2020'")) == (
        "wro.csv, row 7, column 'Effective Date': not a date: '13/45/2020'"
    )
    assert str(RowError("wro.csv", None, None, "file not found")) == "wro.csv: file not found"
    assert str(RowError("wro.csv", 3, None, "duplicate")) == "wro.csv, row 3: duplicate"


def test_parse_failed_lists_every_error() -> None:
    exc = ParseFailed([RowError("a.csv", None, None, "one"), RowError("a.csv", 2, "X", "two")])
    assert exc.errors[1].row == 2
    assert str(exc) == "a.csv: one\na.csv, row 2, column 'X': two"
    assert ParseFailed(RowError("a.csv", None, None, "only")).errors == [
        RowError("a.csv", None, None, "only")
    ]


def test_parse_result_ok() -> None:
    assert ParseResult("tip", "t.csv", [], []).ok
    assert not ParseResult("tip", "t.csv", [], [RowError("t.csv", 2, None, "x")]).ok


PIECES = [
    "Hoshine Silicon Industry Co., Ltd.", "and its subsidiaries", "and its two subsidiaries from China,", ",",
    ";", "a/k/a", "(also known as", ")", "(", "Fishing Vessel:", "IMO 9123456", "and", "S.A. de C.V.",
    "Xinjiang Uyghur Autonomous Region (XUAR)", "Turkmenistan", "(or Wuling)", "f/k/a", "Ltd.", "Inc.",
    "located in Xinjiang", "&", "its", ":", "Top Glove Corporation Bhd.", "No. 2", "\u201c", "\u00a0", "",
]  # fmt: skip


def test_grammar_never_raises_and_is_deterministic() -> None:
    rng = random.Random(1307)
    for _ in range(2000):
        cell = " ".join(rng.choice(PIECES) for _ in range(rng.randint(0, 9)))
        parties = parse_entity_cell(cell, country="CN")
        assert parties == parse_entity_cell(cell, country="CN")
        for party in parties:
            assert party.name
            assert party.kind in PARTY_KINDS
            assert party.name not in party.aliases
