"""Decisions do not depend on the process: string hashing (set order) is salted per Python process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_SCRIPT = r"""
import itertools, json
from section307.screening import Party, Screener, Watchlist
from section307.screening.normalize import normalize_name

syllables = ["hua", "fu", "jin", "long", "tai", "xin", "sheng", "da", "feng", "yuan", "kang", "mei"]
wl = Watchlist()
# Many names sharing the query's words in different combinations: equally rare trigrams abound.
for i, (a, b, c) in enumerate(itertools.permutations(syllables, 3)):
    wl.add_party(Party(id=f"P{i}", name=f"{a}{b} {c}{a} Textile Co Ltd", country="CN", list="uflpa", order_id="O"))
screener = Screener(wl.compile())
out = []
for a, b, c in itertools.islice(itertools.permutations(syllables, 3), 0, None, 37):
    for name in (f"{a}{b} {c}{a} Textiles", f"{b}{a} {a}{c} Textile Co", f"{a}{b}{c} Trading"):
        cands = sorted(screener.matcher._candidates(normalize_name(name)))
        out.append([name, cands, screener.screen_one({"manufacturer": name}).reasons])
print(json.dumps(out))
"""


def _run(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    return subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, check=True, timeout=300
    ).stdout


def test_candidates_and_decisions_are_the_same_under_any_hash_seed() -> None:
    runs = {seed: _run(seed) for seed in ("0", "1", "2")}
    assert len(set(runs.values())) == 1
