"""The one upload checker: per-context types, and pixel and zip bombs refused from their headers."""

from __future__ import annotations

import io
import json
import struct
import tracemalloc
import zipfile
import zlib
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from section307.core.errors import InvalidInput
from section307.core.uploads import CONTEXTS, UploadRejected, check_upload

MB = 1024 * 1024


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width x height pixels but carries a few bytes of data: the shape of a pixel bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = chunk(b"IDAT", zlib.compress(b"\x00" * 64))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + data + chunk(b"IEND", b"")


def docx_with_member(size: int) -> bytes:
    """A .docx whose document.xml unpacks to ``size`` bytes (zeros compress about 1000 to 1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(size // MB):
                member.write(b"\x00" * MB)
    return out.getvalue()


def test_pixel_bomb_is_refused_from_the_header_with_little_memory() -> None:
    bomb = png_header_only(9500, 9500)
    assert len(bomb) < 200
    tracemalloc.start()
    try:
        with pytest.raises(UploadRejected) as exc:
            check_upload(bomb, context="allegation", field="files.0")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The image data is a few zero bytes, so decoding would fail as damaged: refusing it for its
    # size proves the decision came from the header. Decoding 90 megapixels would take 270 MB.
    assert exc.value.reason == "too_many_pixels" and "9500 × 9500" in exc.value.message
    assert exc.value.field == "files.0" and isinstance(exc.value, InvalidInput) and exc.value.status == 422
    assert peak < 5 * MB


def test_pixel_cap_is_a_setting(settings: Any) -> None:
    photo = png_header_only(2000, 2000)
    assert check_upload(photo, context="exam_photo").width == 2000
    settings.SECTION307_UPLOAD_LIMITS = {"max_pixels": 1_000_000}
    with pytest.raises(UploadRejected, match="limit is 1 megapixels"):
        check_upload(photo, context="exam_photo")


def test_zip_bomb_is_refused_from_the_directory_with_little_memory() -> None:
    bomb = docx_with_member(60 * MB)
    assert len(bomb) < 200 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(UploadRejected) as exc:
            check_upload(bomb, context="trade_document")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exc.value.reason == "zip_bomb" and "60 MB" in exc.value.message
    assert peak < 5 * MB + len(bomb)


@pytest.mark.parametrize(
    ("limits", "size", "detail"),
    [
        ({}, 2 * MB, "compressed more than 100 to 1"),
        ({"zip_max_ratio": 10_000, "zip_max_member_bytes": MB}, 2 * MB, "one part unpacks to 2 MB"),
        ({"zip_max_ratio": 10_000, "zip_max_total_bytes": MB}, 2 * MB, "2 MB unpacked"),
        ({"zip_max_members": 1}, MB, "2 parts, at most 1"),
    ],
)
def test_each_zip_limit_is_enforced(settings: Any, limits: dict[str, int], size: int, detail: str) -> None:
    settings.SECTION307_UPLOAD_LIMITS = limits
    with pytest.raises(UploadRejected, match=detail):
        check_upload(docx_with_member(size), context="allegation")


def test_one_table_declares_what_each_context_accepts() -> None:
    png = png_header_only(100, 100)
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", "<office:document-content/>")
    assert check_upload(png, context="exam_photo").mime_type == "image/png"
    for context in CONTEXTS:
        assert check_upload(png, context=context).kind == "image"
    # An allegation's files become case evidence: whatever the public may send, a case accepts.
    assert CONTEXTS["allegation"].types <= CONTEXTS["case_evidence"].types
    assert check_upload(odt.getvalue(), context="case_evidence").extension == "odt"
    with pytest.raises(UploadRejected, match=r"\(GIF\) is not accepted"):
        check_upload(gif.getvalue(), context="trade_document")


@pytest.mark.django_db
def test_bombs_get_a_4xx_naming_the_field_over_http(client: Client) -> None:
    from section307.geo.services import countries_sync

    countries_sync()
    cache.clear()
    body = {
        "reasons": "Workers at the spinning mill cannot leave and their passports were taken on arrival.",
        "source_type": "worker_testimony",
        "merchandise": "Combed cotton yarn, 40s count, shipped on cones.",
    }
    response = client.post(
        "/api/v1/allegations",
        data={
            "data": json.dumps(body),
            "files": [
                SimpleUploadedFile("photo.png", png_header_only(9500, 9500)),
                SimpleUploadedFile("report.docx", docx_with_member(60 * MB)),
            ],
        },
    )
    assert response.status_code == 422, response.content
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "megapixels" in errors["files.0"] and "unreasonable size" in errors["files.1"]


def test_refusals_are_translated_for_the_public_portal() -> None:
    from django.utils import translation

    with translation.override("es"), pytest.raises(UploadRejected, match="megapíxeles"):
        check_upload(png_header_only(9500, 9500), context="allegation")
    with translation.override("zh-hans"), pytest.raises(UploadRejected, match="解压后体积过大"):
        check_upload(docx_with_member(2 * MB), context="allegation")
