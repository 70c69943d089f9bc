"""Compiled watchlists kept on disk, keyed by their inputs and the engine version.

Compiling 100,000 parties costs several CPU-seconds (mostly name
normalisation); loading the compiled form back costs about one. The file name
is a SHA-256 of

* every input row (parties, region rules, DOL lines, TIP tiers, in order), and
* the engine version: the source of ``section307.screening`` and
  ``section307.gazetteer`` and the versions of the libraries that normalise
  names (rigour, pypinyin, rapidfuzz, numpy) and of Python,

so a changed watchlist row, a changed normalisation rule or an upgraded library
gives another key and the stale file is never read. The key is stored inside
the file as well and checked on load; a file that does not load is replaced.

The cache directory (``SECTION307_SCREENING_CACHE``, else
``$XDG_CACHE_HOME/section307/screening``, else ``~/.cache/section307/screening``)
is created private to the user: the files are pickles, so only the user who
writes them may be able to write there.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from section307.screening.watchlist import CompiledWatchlist, Watchlist

__all__ = ["cache_dir", "compile_cached", "engine_version", "watchlist_key"]

_LIBRARIES = ("rigour", "pypinyin", "rapidfuzz", "numpy")
_FORMAT = 1


def cache_dir() -> Path:
    """The default cache directory."""
    env = os.environ.get("SECTION307_SCREENING_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "section307" / "screening"


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A digest of everything besides the inputs that a compiled watchlist depends on."""
    h = hashlib.sha256(f"format {_FORMAT}; python {sys.version}".encode())
    for lib in _LIBRARIES:
        try:
            h.update(f"{lib} {metadata.version(lib)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib} -;".encode())
    root = Path(__file__).resolve().parents[1]
    for package in ("screening", "gazetteer"):
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and path.suffix not in (".pyc", ".pyo"):
                h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def watchlist_key(wl: Watchlist) -> str:
    """The cache key of a watchlist: its input rows and the engine version."""
    h = hashlib.sha256(engine_version().encode())
    for label, rows in (
        ("parties", wl.parties),
        ("rules", wl.region_rules),
        ("dol", wl.dol_goods),
        ("tip", sorted(wl.tip_tiers.items())),
    ):
        h.update(f"\0{label}:{len(rows)}\0".encode())
        for row in rows:
            h.update(repr(row).encode())
            h.update(b"\n")
    return h.hexdigest()


def _private(path: Path) -> bool:
    """Whether only this user can have written ``path`` and its directory (pickles run code on load)."""
    for p in (path.parent, path):
        st = p.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o022:
            return False
    return True


def _load(path: Path, key: str) -> CompiledWatchlist | None:
    try:
        if not _private(path):
            return None
        with path.open("rb") as f:
            # Hundreds of thousands of small objects: the collector would rescan them on every allocation burst.
            gc.disable()
            try:
                payload = pickle.load(f)  # noqa: S301 - written by this user in a private directory
            finally:
                gc.enable()
    except Exception:  # a truncated or foreign file: recompile and replace it
        return None
    if not isinstance(payload, dict) or payload.get("key") != key or not isinstance(payload.get("state"), dict):
        return None
    compiled = CompiledWatchlist.__new__(CompiledWatchlist)
    compiled.__dict__.update(payload["state"])
    return compiled


def _store(path: Path, key: str, compiled: CompiledWatchlist) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.parent.stat().st_mode & 0o022:
        return  # a directory others can write to: never trusted on load, so not worth writing
    state: dict[str, Any] = dict(compiled.__dict__)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".compiled-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump({"key": key, "state": state}, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def compile_cached(wl: Watchlist, *, directory: Path | None = None, workers: int = 1) -> CompiledWatchlist:
    """``wl.compile(workers)``, read from the cache when these inputs were compiled before.

    ``directory`` defaults to :func:`cache_dir`. A cache that cannot be written (read-only disk) is skipped.
    """
    key = watchlist_key(wl)
    path = (directory or cache_dir()) / f"compiled-{key}.pickle"
    compiled = _load(path, key)
    if compiled is not None:
        return compiled
    compiled = wl.compile(workers=workers)
    with contextlib.suppress(OSError):  # a read-only or full disk: work without the cache
        _store(path, key, compiled)
    return compiled
