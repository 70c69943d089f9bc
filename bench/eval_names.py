"""Real-name evaluation: labelled match / no-match pairs the engine is not tuned on.

Data: ``bench/eval/pairs.csv`` (columns ``id, listed, query, match, class, kind,
source, split``): names from the public CBP WRO/Findings list, the UFLPA Entity
List and consolidated sanctions lists, with variants and look-alikes derived
from them (the ``source`` column says which). ``split`` is fixed by a hash of
the pair (rows from ``p260`` on: ``test`` when the first byte of SHA-256 of
``listed + "\x1f" + query`` is divisible by 3, see :func:`split_of`): ``tune``
pairs may be used to choose scoring values (``--tune``), ``test`` pairs are held
out and never used to choose anything.

When the Open Apparel Registry's labelled facility pairs are present beside the
repository (``../shared/data/oar-facilities/dedupe_training_pairs.json``) they
are read at run time as the ``facility`` class (held out); they are not copied
into the repository.

Each pair is decided three ways in the same run:

* ``engine``: a watchlist holding every listed name (all on an order list), the
  query screened with :class:`~section307.screening.Screener`; the pair's
  decision is the level of the signal naming the pair's listed party;
* ``rapidfuzz``: ``token_sort_ratio`` (default processor) >= 90 is ``hit``, >= 80 ``review``;
* ``logic-v2``: nomenklatura's matcher (``pip install .[bench]``), score >= 0.7
  ``hit``, >= 0.5 ``review``; skipped with a message when not installed.

    python bench/eval_names.py              # table + bench/results/eval-names-<timestamp>.json
    python bench/eval_names.py --tune       # search scoring values on the tuning split only
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import itertools
import json
import os
import platform
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from rapidfuzz import fuzz, utils  # noqa: E402

from section307.screening import Party, Screener, Watchlist  # noqa: E402
from section307.screening.config import DEFAULT_SCORING, ScoringConfig  # noqa: E402

PAIRS = HERE / "eval" / "pairs.csv"
OAR_PAIRS = Path("shared/data/oar-facilities/dedupe_training_pairs.json")
# Classes a name matcher cannot decide from the two names (the link is an alias only a list gives).
UNDECIDABLE = frozenset({"alias_only"})


@dataclass(frozen=True)
class Pair:
    id: str
    listed: str
    query: str
    match: bool
    cls: str
    kind: str
    source: str
    split: str


def split_of(listed: str, query: str) -> str:
    """The split of a new pair, fixed by its names (rows from ``p260`` on)."""
    return "test" if hashlib.sha256(f"{listed}\x1f{query}".encode()).digest()[0] % 3 == 0 else "tune"


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Pair(r["id"], r["listed"], r["query"], r["match"] == "1", r["class"], r["kind"], r["source"], r["split"])
            for r in csv.DictReader(fh)
        ]


def load_oar_pairs() -> list[Pair]:
    """The OAR dedupe training pairs, when the shared data directory is beside the repository."""
    for base in (ROOT.parent, ROOT.parent.parent, ROOT.parent.parent.parent):
        path = base / OAR_PAIRS
        if path.exists():
            break
    else:
        print(f"note: {OAR_PAIRS} not found beside the repository; the facility class is skipped")
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    out: list[Pair] = []
    for label in ("match", "distinct"):
        for n, pair in enumerate(data.get(label, [])):
            a, b = pair["__value__"] if isinstance(pair, dict) else pair
            out.append(
                Pair(
                    f"oar-{label}-{n}",
                    a["name"],
                    b["name"],
                    label == "match",
                    "facility",
                    "organization",
                    "open-apparel-registry training.json",
                    "test",
                )
            )
    return out


# -- deciders -------------------------------------------------------------------------------------------
Decider = Callable[[list[Pair]], list[str]]


def engine_decider(config: ScoringConfig = DEFAULT_SCORING) -> Decider:
    def decide(pairs: list[Pair]) -> list[str]:
        ids: dict[str, str] = {}
        wl = Watchlist()
        for p in pairs:
            if p.listed not in ids:
                ids[p.listed] = f"L{len(ids)}"
                wl.add_party(Party(id=ids[p.listed], name=p.listed, list="wro"))
        screener = Screener(wl.compile(), scoring=config)
        out = []
        for p in pairs:
            result = screener.screen_one({"manufacturer": p.query})
            levels = {s.level for s in result.signals if s.kind == "party" and s.matched_id == ids[p.listed]}
            out.append("hit" if "hit" in levels else "review" if "review" in levels else "clear")
        return out

    return decide


def rapidfuzz_decider(pairs: list[Pair]) -> list[str]:
    out = []
    for p in pairs:
        s = fuzz.token_sort_ratio(p.listed, p.query, processor=utils.default_process)
        out.append("hit" if s >= 90 else "review" if s >= 80 else "clear")
    return out


def logic_v2_decider() -> Decider | None:
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
    except ImportError:
        print("note: nomenklatura is not installed (pip install '.[bench]'); the logic-v2 column is skipped")
        return None
    algo = get_algorithm("logic-v2")
    if algo is None:
        print("note: this nomenklatura has no logic-v2; the column is skipped")
        return None
    schema = {"organization": "Company", "person": "Person", "vessel": "Vessel"}

    def decide(pairs: list[Pair]) -> list[str]:
        cfg = algo.default_config()
        out = []
        for n, p in enumerate(pairs):
            a = model.make_entity(schema.get(p.kind, "Company"))
            a.id = f"a{n}"
            a.add("name", p.listed)
            b = model.make_entity(schema.get(p.kind, "Company"))
            b.id = f"b{n}"
            b.add("name", p.query)
            score = algo.compare(b, a, cfg).score
            out.append("hit" if score >= 0.7 else "review" if score >= 0.5 else "clear")
        return out

    return decide


# -- metrics ------------------------------------------------------------------------------------------
def prf(truth: list[bool], pred: list[bool]) -> dict[str, float | int]:
    tp = sum(t and p for t, p in zip(truth, pred, strict=True))
    fp = sum(p and not t for t, p in zip(truth, pred, strict=True))
    fn = sum(t and not p for t, p in zip(truth, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": len(truth),
        "positives": sum(truth),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "false_hits": fp,
    }


def metrics(pairs: list[Pair], decisions: list[str]) -> dict[str, Any]:
    truth = [p.match for p in pairs]
    return {
        "hit": prf(truth, [d == "hit" for d in decisions]),
        "hit_or_review": prf(truth, [d != "clear" for d in decisions]),
    }


def groups(pairs: list[Pair]) -> dict[str, list[int]]:
    """Row indexes of each reported group: overall, organizations, each class, each split."""
    out: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        decidable = p.cls not in UNDECIDABLE
        if decidable:
            out["all (decidable)"].append(i)
            out[f"split:{p.split}"].append(i)
            if p.kind == "organization" and p.cls != "facility":
                out["organizations"].append(i)
                if p.split == "test":
                    out["organizations, held-out"].append(i)
        out[f"class:{p.cls}"].append(i)
    return dict(out)


def evaluate(pairs: list[Pair], deciders: dict[str, Decider]) -> dict[str, Any]:
    decided = {name: fn(pairs) for name, fn in deciders.items()}
    report: dict[str, Any] = {}
    for group, idx in groups(pairs).items():
        sub = [pairs[i] for i in idx]
        report[group] = {name: metrics(sub, [d[i] for i in idx]) for name, d in decided.items()}
    misses = [
        {
            "id": p.id,
            "class": p.cls,
            "listed": p.listed,
            "query": p.query,
            "match": p.match,
            "engine": decided["engine"][i],
        }
        for i, p in enumerate(pairs)
        if p.cls not in UNDECIDABLE and (decided["engine"][i] == "hit") != p.match
    ]
    return {"groups": report, "engine_errors": misses}


def print_table(report: dict[str, Any], columns: Iterable[str]) -> None:
    cols = list(columns)
    head = f"{'group':34} {'n':>4} {'pos':>4} | " + " | ".join(f"{c + ' hit P/R/F1':^22}" for c in cols)
    head += " | " + " | ".join(f"{c + ' h|r R':^12}" for c in cols)
    print(head)
    print("-" * len(head))
    order = sorted(report, key=lambda g: (g.startswith("class:"), g.startswith("split:"), g))
    for g in order:
        row = report[g]
        first = row[cols[0]]["hit"]
        cells = " | ".join(
            f"{row[c]['hit']['precision']:.2f} {row[c]['hit']['recall']:.2f} {row[c]['hit']['f1']:.2f}".center(22)
            for c in cols
        )
        rec = " | ".join(f"{row[c]['hit_or_review']['recall']:.2f}".center(12) for c in cols)
        print(f"{g:34} {first['pairs']:>4} {first['positives']:>4} | {cells} | {rec}")


# -- tuning -------------------------------------------------------------------------------------------
TUNE_GRID: dict[str, tuple[float, ...]] = {
    "threshold": (0.8, 0.82, 0.85, 0.88),
    "missing_word": (0.9, 0.95),
    "qualifier_extra": (0.93, 0.97),
    "replaced_word": (0.8, 0.85),
    "typo_short": (0.75, 0.8, 0.85),
    "common_word_zipf": (2.0, 2.5, 3.0),
}


def tune(pairs: list[Pair]) -> dict[str, Any]:
    """Grid search on the tuning split only: best ``hit`` F1 on decidable organization pairs."""
    tune_pairs = [p for p in pairs if p.split == "tune" and p.cls not in UNDECIDABLE and p.kind == "organization"]
    results = []
    keys = list(TUNE_GRID)
    for values in itertools.product(*(TUNE_GRID[k] for k in keys)):
        cfg = DEFAULT_SCORING.with_values(**dict(zip(keys, values, strict=True)))
        m = metrics(tune_pairs, engine_decider(cfg)(tune_pairs))["hit"]
        changed = sum(getattr(cfg, k) != getattr(DEFAULT_SCORING, k) for k in keys)
        results.append((m["f1"], m["precision"], -changed, dict(zip(keys, values, strict=True))))
    # Best F1, then precision; among equals the fewest changes from the defaults.
    results.sort(key=lambda r: (r[0], r[1], r[2]), reverse=True)
    for f1, precision, _, values in results[:5]:
        print(f"tune split hit F1 {f1:.3f} precision {precision:.3f}: {values}")
    return {"pairs": len(tune_pairs), "best": results[0][3], "top": results[:5]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--tune", action="store_true", help="search scoring values on the tuning split")
    ap.add_argument("--errors", action="store_true", help="print the engine's wrong hit decisions")
    ap.add_argument("--out", type=Path, default=HERE / "results")
    args = ap.parse_args(argv)

    pairs = load_pairs(args.pairs) + load_oar_pairs()
    if args.tune:
        tuned = tune(pairs)
        print(json.dumps(tuned["best"]))
        return 0
    deciders: dict[str, Decider] = {"engine": engine_decider(), "rapidfuzz": rapidfuzz_decider}
    lv2 = logic_v2_decider()
    if lv2 is not None:
        deciders["logic-v2"] = lv2
    result = evaluate(pairs, deciders)
    print(f"{len(pairs)} labelled pairs ({sum(p.match for p in pairs)} matches); held-out split never tuned on")
    print_table(result["groups"], deciders)
    if args.errors:
        for e in result["engine_errors"]:
            print(
                f"  {e['id']} {e['class']:16} {'MATCH' if e['match'] else 'no   '} {e['engine']:7} "
                f"{e['listed']!r} / {e['query']!r}"
            )
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out / f"eval-names-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "date": stamp,
                "machine": {
                    "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                },
                "pairs_file": str(args.pairs.relative_to(ROOT)) if args.pairs.is_relative_to(ROOT) else str(args.pairs),
                "scoring": DEFAULT_SCORING.as_dict(),
                **result,
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    print(f"written {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
