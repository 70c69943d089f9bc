"""The source registry and fetch(): local files, file:// URLs and a loopback-only HTTP server."""

from __future__ import annotations

import hashlib
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from section307.refdata.errors import FetchError
from section307.refdata.parsers import PARSERS
from section307.refdata.sources import SOURCES, USER_AGENT, fetch, file_sha256

CSV_BODY = b"Effective Date,Country\n9/30/2019,China\n"


def test_every_source_has_a_parser_and_an_official_url() -> None:
    assert set(SOURCES) == set(PARSERS)
    for source in SOURCES.values():
        assert source.url.startswith("https://")
        assert source.formats


def test_local_path_and_file_url(tmp_path: Path, fixtures: Path) -> None:
    src = fixtures / "cbp_wro.csv"
    got = fetch(src, dest_dir=tmp_path / "a", expect="csv")
    assert got.path == tmp_path / "a" / "cbp_wro.csv"
    assert got.path.read_bytes() == src.read_bytes()
    assert got.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    assert got.size == src.stat().st_size
    assert file_sha256(got) == got.sha256
    assert os.fspath(got) == str(got.path)
    again = fetch(src.as_uri(), dest_dir=tmp_path / "b")
    assert again.sha256 == got.sha256
    assert PARSERS["cbp-wro"](got.path).errors == []


def test_local_errors(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(FetchError, match="no such file"):
        fetch(tmp_path / "missing.csv", dest_dir=tmp_path)
    with pytest.raises(FetchError, match="larger than the 10 byte limit"):
        fetch(fixtures / "cbp_wro.csv", dest_dir=tmp_path / "out", max_bytes=10)
    png = tmp_path / "list.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    with pytest.raises(FetchError, match="expected a csv file but got a PNG image"):
        fetch(png, dest_dir=tmp_path / "out", expect="csv")
    assert list((tmp_path / "out").iterdir()) == []  # nothing half-written is left behind


@pytest.mark.parametrize(
    "url",
    ["http://example.com/list.csv", "ftp://127.0.0.1/list.csv", "gopher://localhost/x"],
)
def test_refused_urls_never_connect(tmp_path: Path, url: str) -> None:
    with pytest.raises(FetchError, match=r"plain http is only allowed for loopback|unsupported URL scheme"):
        fetch(url, dest_dir=tmp_path)


class _Handler(http.server.BaseHTTPRequestHandler):
    seen_agents: list[str] = []

    def do_GET(self) -> None:
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        routes = {
            "/wro.csv": (200, "text/csv; charset=utf-8", CSV_BODY, {}),
            "/download": (
                200,
                "text/csv",
                CSV_BODY,
                {"Content-Disposition": 'attachment; filename="WRO List.csv"'},
            ),
            "/landing": (200, "text/html", b"<html><body>Download the list</body></html>", {}),
            "/big.csv": (200, "text/csv", b"x" * 5000, {}),
            "/unsized.csv": (200, "text/csv", b"x" * 5000, {"X-No-Length": "1"}),
            "/lying.xlsx": (200, "application/octet-stream", b"<html>oops</html>", {}),
            "/moved": (302, "text/plain", b"", {"Location": "/wro.csv"}),
            "/away": (302, "text/plain", b"", {"Location": "http://example.com/wro.csv"}),
        }
        status, ctype, body, extra = routes.get(self.path, (404, "text/plain", b"not found", {}))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if "X-No-Length" not in extra:
            self.send_header("Content-Length", str(len(body)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_http_download(server: str, tmp_path: Path) -> None:
    got = fetch(f"{server}/wro.csv", dest_dir=tmp_path, expect="csv", timeout=5)
    assert got.path == tmp_path / "wro.csv"
    assert got.path.read_bytes() == CSV_BODY
    assert got.sha256 == hashlib.sha256(CSV_BODY).hexdigest()
    assert got.content_type == "text/csv"
    assert _Handler.seen_agents[-1] == USER_AGENT


def test_http_filename_from_content_disposition(server: str, tmp_path: Path) -> None:
    got = fetch(f"{server}/download", dest_dir=tmp_path, timeout=5)
    assert got.path.name == "WRO_List.csv"


def test_http_redirect_within_loopback(server: str, tmp_path: Path) -> None:
    assert fetch(f"{server}/moved", dest_dir=tmp_path, timeout=5).path.read_bytes() == CSV_BODY


def test_http_redirect_to_plain_http_elsewhere_is_refused(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="plain http is only allowed for loopback"):
        fetch(f"{server}/away", dest_dir=tmp_path, timeout=5)


def test_http_failures(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{server}/nothing", dest_dir=tmp_path, timeout=5)
    with pytest.raises(FetchError, match="sent a web page"):
        fetch(f"{server}/landing", dest_dir=tmp_path, expect="csv", timeout=5)
    with pytest.raises(FetchError, match="larger than the 100 byte limit"):
        fetch(f"{server}/big.csv", dest_dir=tmp_path, max_bytes=100, timeout=5)
    # Without Content-Length the cap is enforced while streaming.
    with pytest.raises(FetchError, match="larger than the 100 byte limit"):
        fetch(f"{server}/unsized.csv", dest_dir=tmp_path, max_bytes=100, timeout=5)
    with pytest.raises(FetchError, match="expected a xlsx file but got a html"):
        fetch(f"{server}/lying.xlsx", dest_dir=tmp_path, expect="xlsx", timeout=5)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
