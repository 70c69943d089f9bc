"""Where the official reference lists live, and a careful downloader for them.

``fetch()`` copies a local file or downloads an ``https://`` URL into ``dest_dir`` atomically, with a
size cap, a timeout and a content-type check, and reports the SHA-256 so an import can record exactly
which file it applied.  Plain ``http://`` is only accepted for loopback hosts (local mirrors, tests).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.client import HTTPMessage
from pathlib import Path
from typing import IO

from section307 import __version__
from section307.refdata.errors import FetchError
from section307.refdata.parsers.base import sniff_kind


@dataclass(frozen=True)
class Source:
    """An official list: ``url`` is the direct file when one exists, else the page that links to it."""

    name: str  # key in PARSERS
    url: str
    formats: tuple[str, ...]  # what the parser accepts
    description: str
    direct: bool  # True when ``url`` is the file itself, False for a landing page to pick the file from


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            name="cbp-wro",
            url="https://www.cbp.gov/trade/programs-administration/forced-labor/withhold-release-orders-and-findings",
            formats=("csv", "xlsx"),
            description="CBP Withhold Release Orders and Findings list (19 U.S.C. 1307); the dashboard "
            "page links the current CSV/XLSX download.",
            direct=False,
        ),
        Source(
            name="uflpa",
            url="https://www.dhs.gov/uflpa-entity-list",
            formats=("html", "csv"),
            description="DHS UFLPA Entity List, tables grouped by section 2(d)(2)(B) of the Act; additions "
            "are also published as Federal Register notices.",
            direct=True,
        ),
        Source(
            name="dol-goods",
            url="https://raw.githubusercontent.com/USDepartmentofLabor/Child-Labor/"
            "48678c8e66b96c7b9070c631c1c9cb832c42ed51/Child%20Labor/goods_2016.xml",
            formats=("xml", "xlsx", "xls", "csv"),
            description="DOL ILAB List of Goods Produced by Child Labor or Forced Labor (TVPRA list), "
            "machine-readable data behind DOL's Sweat & Toil app (2022 edition, with derived-goods flags). "
            "Landing page: https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods",
            direct=True,
        ),
        Source(
            name="dol-eo13126",
            url="https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-products",
            formats=("xls", "xlsx", "csv"),
            description="DOL list of products produced by forced or indentured child labor "
            "(Executive Order 13126).",
            direct=False,
        ),
        Source(
            name="tip",
            url="https://www.state.gov/trafficking-in-persons-report/",
            formats=("html", "csv"),
            description="State Department Trafficking in Persons report; each year's report has a "
            "'Tier Placements' page.",
            direct=False,
        ),
    )
}

USER_AGENT = f"section307-refdata/{__version__} (reference-data import)"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_CHUNK = 64 * 1024

# Content types that mean "you got a web page" when a data file was expected.
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_ACCEPTED_TYPES: dict[str, set[str]] = {
    "csv": {
        "text/csv",
        "text/plain",
        "text/x-csv",
        "text/comma-separated-values",
        "application/csv",
        "application/vnd.ms-excel",
        "application/octet-stream",
    },
    "xlsx": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel",
        "application/octet-stream",
        "application/zip",
    },
    "xls": {"application/vnd.ms-excel", "application/octet-stream"},
    "xml": {"application/xml", "text/xml", "text/plain", "application/octet-stream"},
    "html": _HTML_TYPES,
}


@dataclass(frozen=True)
class FetchedFile:
    """A file now on disk; usable wherever a path is (``os.fspath``)."""

    path: Path
    sha256: str
    size: int
    content_type: str  # "" for local files
    origin: str  # the path or URL it came from

    def __fspath__(self) -> str:
        return str(self.path)


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file already on disk (the same digest fetch() reports)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and _is_loopback(parts.hostname):
        return
    if parts.scheme == "http":
        raise FetchError(f"{url}: plain http is only allowed for loopback hosts; use https")
    raise FetchError(f"{url}: unsupported URL scheme {parts.scheme!r}")


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to URLs we would have accepted in the first place (no https->http)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        _check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _safe_filename(name: str, fallback: str = "download") -> str:
    name = _SAFE_NAME.sub("_", os.path.basename(urllib.parse.unquote(name))).strip("._")
    return name[:150] or fallback


def _write_atomically(
    chunks: Iterator[bytes], dest_dir: Path, filename: str, max_bytes: int, origin: str
) -> tuple[Path, str, int]:
    dest_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=".part-", dir=dest_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{origin}: larger than the {max_bytes} byte limit")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        target = dest_dir / filename
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target, digest.hexdigest(), size


def _read_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK):
        yield chunk


def _check_kind(path: Path, expect: str | None, origin: str) -> None:
    """After download: refuse files whose bytes contradict the expected format (e.g. an HTML error page)."""
    if expect is None:
        return
    kind = sniff_kind(path)
    ok = {
        "csv": kind == "text",
        "xlsx": kind == "xlsx",
        "xls": kind == "xls",
        "xml": kind in {"xml", "text"},
        "html": kind == "html",
    }.get(expect, True)
    if not ok:
        path.unlink(missing_ok=True)
        raise FetchError(f"{origin}: expected a {expect} file but got a {kind}")


def fetch(
    url_or_path: str | Path,
    *,
    dest_dir: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = 60,
    expect: str | None = None,
    filename: str | None = None,
) -> FetchedFile:
    """Copy or download a source file into ``dest_dir`` and return it with its SHA-256.

    Accepts a local path, a ``file://`` URL or an ``https://`` URL (``http://`` for loopback only).
    ``expect`` ("csv", "xlsx", "xls", "xml", "html") turns on content-type and file-signature checks.
    Raises FetchError; never leaves a partial file behind.
    """
    dest_dir = Path(dest_dir)
    raw = str(url_or_path)
    parts = urllib.parse.urlsplit(raw)
    if (
        isinstance(url_or_path, Path)
        or parts.scheme in {"", "file"}
        or re.fullmatch(r"[A-Za-z]", parts.scheme)
    ):
        local = Path(urllib.request.url2pathname(parts.path)) if parts.scheme == "file" else Path(raw)
        if not local.is_file():
            raise FetchError(f"{raw}: no such file")
        if local.stat().st_size > max_bytes:
            raise FetchError(f"{raw}: larger than the {max_bytes} byte limit")
        name = _safe_filename(filename or local.name)
        with local.open("rb") as src:
            path, digest, size = _write_atomically(_read_chunks(src), dest_dir, name, max_bytes, raw)
        _check_kind(path, expect, raw)
        return FetchedFile(path, digest, size, "", raw)

    _check_url(raw)
    request = urllib.request.Request(raw, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})  # noqa: S310
    opener = urllib.request.build_opener(_SafeRedirects())
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = (response.headers.get_content_type() or "").lower()
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"{raw}: larger than the {max_bytes} byte limit ({length} bytes announced)")
            if expect and expect != "html" and content_type in _HTML_TYPES:
                raise FetchError(
                    f"{raw}: the server sent a web page ({content_type}), not a {expect} file; "
                    "is this the landing page rather than the download link?"
                )
            if expect and content_type not in _ACCEPTED_TYPES.get(expect, {content_type}):
                raise FetchError(f"{raw}: unexpected content type {content_type!r} for a {expect} file")
            name = (
                filename or response.headers.get_filename() or urllib.parse.urlsplit(response.geturl()).path
            )
            name = _safe_filename(name)
            if expect and "." not in name:
                name = f"{name}.{expect}"
            path, digest, size = _write_atomically(_read_chunks(response), dest_dir, name, max_bytes, raw)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{raw}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"{raw}: {exc.reason}") from None
    except TimeoutError:
        raise FetchError(f"{raw}: timed out after {timeout} s") from None
    _check_kind(path, expect, raw)
    return FetchedFile(path, digest, size, content_type, raw)
