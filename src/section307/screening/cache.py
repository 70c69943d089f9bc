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

Reading a 100,000-party watchlist file only to work out that key costs more than a second, so
:func:`compile_files_cached` also keeps a small pointer named by a SHA-256 of the files' bytes
(watchlist, DOL and TIP tables), the statutory-rules switch and the engine version: the same
bytes read the same rows, so a run on unchanged files loads the compiled form without reading them.

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
import weakref
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from section307.screening.matcher import NameMatch
from section307.screening.watchlist import CompiledWatchlist, Watchlist

__all__ = [
    "cache_dir",
    "cache_key_of",
    "compile_cached",
    "compile_files_cached",
    "engine_version",
    "load_name_results",
    "load_name_store",
    "store_name_results",
    "watchlist_key",
]

_LIBRARIES = ("rigour", "pypinyin", "rapidfuzz", "numpy")
_FORMAT = 1
# Names kept per watchlist: about 100 bytes each on disk.
_MAX_NAMES = 2_000_000
_KEYS: weakref.WeakKeyDictionary[CompiledWatchlist, tuple[Path, str]] = weakref.WeakKeyDictionary()


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
    payload = _read(path)
    if not isinstance(payload, dict) or payload.get("key") != key or not isinstance(payload.get("state"), dict):
        return None
    compiled = CompiledWatchlist.__new__(CompiledWatchlist)
    compiled.__dict__.update(payload["state"])
    return compiled


def _read(path: Path) -> Any:
    try:
        if not _private(path):
            return None
        with path.open("rb") as f:
            # Hundreds of thousands of small objects: the collector would rescan them on every allocation burst.
            was = gc.isenabled()
            gc.disable()
            try:
                return pickle.load(f)  # noqa: S301 - written by this user in a private directory
            finally:
                if was:
                    gc.enable()
    except Exception:  # missing, truncated or foreign: the caller recomputes
        return None


def _write(path: Path, payload: dict[str, Any]) -> None:
    _write_atomic(path, lambda f: pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL))


def _write_atomic(path: Path, fill: Callable[[IO[bytes]], object]) -> None:
    """Write ``path`` whole or not at all (a temporary file renamed over it), in a private directory."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.parent.stat().st_mode & 0o022:
        return  # a directory others can write to: never trusted on load, so not worth writing
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            fill(f)
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
    if compiled is None:
        compiled = wl.compile(workers=workers)
        with contextlib.suppress(OSError):  # a read-only or full disk: work without the cache
            _write(path, {"key": key, "state": dict(compiled.__dict__)})
    _KEYS[compiled] = (path.parent, key)
    return compiled


def _files_key(files: Sequence[tuple[str, Path | None]], statutory: bool) -> str | None:
    """SHA-256 of the engine version, the statutory switch and each input file's bytes; ``None``
    when an input is not a regular file (a directory of Parquet parts, a pipe)."""
    h = hashlib.sha256(f"{engine_version()}\0statutory={statutory}".encode())
    for label, path in files:
        if path is None:
            h.update(f"\0{label}:-".encode())
            continue
        if not path.is_file():
            return None
        h.update(f"\0{label}:{path.stat().st_size}\0".encode())
        with path.open("rb") as f:
            while block := f.read(1 << 20):
                h.update(block)
    return h.hexdigest()


def compile_files_cached(
    watchlist: Path,
    build: Callable[[], Watchlist],
    *,
    dol: Path | None = None,
    tip: Path | None = None,
    statutory: bool = True,
    directory: Path | None = None,
    workers: int = 1,
) -> CompiledWatchlist:
    """The compiled watchlist of these input files: :func:`compile_cached` of ``build()``, except that
    files already compiled byte for byte are not read again (``build`` is not called)."""
    directory = directory or cache_dir()
    files = (("watchlist", watchlist), ("dol", dol), ("tip", tip))
    try:
        files_key = _files_key(files, statutory)
    except OSError:
        files_key = None  # unreadable now: build() reports it as it reads the file
    pointer = directory / f"source-{files_key}.txt" if files_key else None
    if pointer is not None:
        key = _read_pointer(pointer)
        if key is not None:
            path = directory / f"compiled-{key}.pickle"
            compiled = _load(path, key)
            if compiled is not None:
                _KEYS[compiled] = (directory, key)
                return compiled
    compiled = compile_cached(build(), directory=directory, workers=workers)
    # Files changed while they were read: their new bytes are not what was compiled; point at nothing.
    with contextlib.suppress(OSError):
        if pointer is not None and _files_key(files, statutory) != files_key:
            pointer = None
    if pointer is not None:
        _, key = _KEYS[compiled]
        with contextlib.suppress(OSError):  # a read-only or full disk: the next run reads the files again
            _write_atomic(pointer, lambda f: f.write(key.encode("ascii")))
    return compiled


def _read_pointer(path: Path) -> str | None:
    try:
        if not _private(path):
            return None
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return key if len(key) == 64 and all(c in "0123456789abcdef" for c in key) else None


def cache_key_of(compiled: CompiledWatchlist) -> tuple[Path, str] | None:
    """(cache directory, key) of a watchlist that came through :func:`compile_cached`."""
    return _KEYS.get(compiled)


def _names_path(directory: Path, key: str, floor: float) -> Path:
    return directory / f"names-{key}-{floor:.4f}.pickle"


def load_name_results(
    compiled: CompiledWatchlist, floor: float, names: Sequence[str]
) -> dict[str, tuple[NameMatch, ...]]:
    """Name-match results stored by earlier runs against the same watchlist and engine, for ``names``.

    Entry files of the same importers and ports name the same manufacturers day after day; their
    matches against an unchanged watchlist are the same, so they are kept beside the compiled form.
    """
    return load_name_store(compiled, floor, names)[0]


def load_name_store(
    compiled: CompiledWatchlist, floor: float, names: Sequence[str]
) -> tuple[dict[str, tuple[NameMatch, ...]], dict[str, str]]:
    """:func:`load_name_results`, and what each of those names says of itself
    (:meth:`NameMatcher.relation <section307.screening.matcher.NameMatcher.relation>`: ``"branch"``,
    ``"subsidiary"`` or ``""``) when it was stored with them."""
    where = _KEYS.get(compiled)
    if where is None:
        return {}, {}
    directory, key = where
    payload = _read(_names_path(directory, key, floor))
    if not isinstance(payload, dict) or payload.get("key") != key or not isinstance(payload.get("names"), dict):
        return {}, {}
    stored: dict[str, tuple[tuple[int, int, float, str, str], ...]] = payload["names"]
    # Only names that say something of themselves are stored; the others stored with it say nothing.
    said = payload.get("relations")
    said = said if isinstance(said, dict) else None
    out: dict[str, tuple[NameMatch, ...]] = {}
    relations: dict[str, str] = {}
    for name in names:
        hit = stored.get(name)
        if hit is not None:
            out[name] = tuple(NameMatch(*m) for m in hit)
            if said is not None and hit:
                relations[name] = said.get(name, "")
    return out, relations


def store_name_results(
    compiled: CompiledWatchlist,
    floor: float,
    results: Mapping[str, tuple[NameMatch, ...]],
    relations: Mapping[str, str] | None = None,
) -> None:
    """Add name-match results to the store of this watchlist (newest kept when it is full).

    ``relations``: what names with a match say of themselves (see :func:`load_name_store`); a store
    written once without them keeps none, so a name read back never gets a wrong one.
    """
    where = _KEYS.get(compiled)
    if where is None or not results:
        return
    directory, key = where
    path = _names_path(directory, key, floor)
    payload = _read(path)
    stored: dict[str, tuple[tuple[int, int, float, str, str], ...]] = {}
    said: dict[str, str] | None = {} if relations is not None else None
    if isinstance(payload, dict) and payload.get("key") == key and isinstance(payload.get("names"), dict):
        stored = payload["names"]
        old = payload.get("relations")
        said = old if isinstance(old, dict) and said is not None else None
    for name, matches in results.items():
        stored.pop(name, None)
        stored[name] = tuple((m.name_id, m.party, m.score, m.method, m.relation) for m in matches)
        if said is not None and relations is not None:
            if matches and name not in relations:
                said = None  # a name with a match whose relation is not known: keep none
            elif relations.get(name):
                said[name] = relations[name]
            else:
                said.pop(name, None)
    if len(stored) > _MAX_NAMES:
        stored = dict(list(stored.items())[-_MAX_NAMES:])
        if said is not None:
            said = {n: r for n, r in said.items() if n in stored}
    with contextlib.suppress(OSError):
        _write(path, {"key": key, "names": stored, **({"relations": said} if said is not None else {})})
