"""Size and count limits hold before the request body is read."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler

from section307.allegations.models import Allegation

pytestmark = pytest.mark.django_db(transaction=True)

BOUNDARY = "----section307boundary"
BODY = {
    "reasons": "Workers at the spinning mill cannot leave and their passports were taken on arrival.",
    "source_type": "worker_testimony",
    "merchandise": "Combed cotton yarn, 40s count, shipped on cones.",
}


class CountingInput(io.RawIOBase):
    """A request body that records how many bytes the server read from it."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._data.read(size)
        self.consumed += len(chunk)
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        line = self._data.readline(-1 if size is None else size)
        self.consumed += len(line)
        return line


def multipart(files: int, size: int) -> bytes:
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="data"\r\n\r\n{json.dumps(BODY)}\r\n'.encode()]
    for i in range(files):
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="n{i}.txt"\r\n'
        parts.append(head.encode() + b"Content-Type: text/plain\r\n\r\n" + b"w" * size + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def post(body: bytes, *, declared: int | None = None, path: str = "/api/v1/allegations") -> tuple[int, bytes, int]:
    stream = CountingInput(body)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(len(body) if declared is None else declared),
        "wsgi.input": stream,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    status: list[str] = []
    chunks = WSGIHandler()(environ, lambda s, headers, *a: status.append(s))
    content = b"".join(chunks)
    return int(status[0].split()[0]), content, stream.consumed


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def test_oversize_request_is_refused_from_its_content_length_before_reading(settings: Any) -> None:
    settings.SECTION307_UPLOAD_MAX_REQUEST_BYTES = 100_000
    body = multipart(files=2, size=80_000)
    status, content, consumed = post(body)
    assert status == 413 and consumed == 0
    assert json.loads(content)["field"] == "files" and json.loads(content)["code"] == "too_large"
    status, content, consumed = post(body, path="/report/")
    assert status == 413 and consumed == 0 and b"Upload too large" in content
    assert not Allegation.objects.exists()


def test_too_many_files_are_refused_at_the_first_extra_part(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 10
    size = 100_000
    body = multipart(files=20, size=size)
    status, _content, consumed = post(body)
    assert status == 400
    # Parsing stopped at the eleventh file's header: the nine files after it were never read.
    assert consumed < 11 * size + 10_000 < len(body)
    assert not Allegation.objects.exists()


def test_within_the_limits_the_submission_goes_through() -> None:
    from section307.geo.services import countries_sync

    countries_sync()
    status, content, _consumed = post(multipart(files=2, size=1000))
    assert status == 201, content
    assert Allegation.objects.get().attachments.count() == 2
