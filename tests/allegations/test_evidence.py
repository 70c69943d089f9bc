"""Real type from content, metadata removal, encrypted storage."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from PIL import Image
from pypdf import PdfReader

from section307.allegations import evidence
from section307.allegations.evidence import RejectedFile, inspect_file, sanitize

from .conftest import docx_with_author, jpeg_with_gps, pdf_with_author, png_bytes

MB = 1024 * 1024


def test_type_comes_from_content_not_name() -> None:
    assert inspect_file(png_bytes(), max_bytes=MB).mime_type == "image/png"
    assert inspect_file(pdf_with_author(), max_bytes=MB).kind == "pdf"
    assert inspect_file(docx_with_author(), max_bytes=MB).extension == "docx"
    assert inspect_file("工资被扣留 wages withheld\n".encode(), max_bytes=MB).kind == "text"


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03" + b"\x00" * 200,  # a Windows executable, whatever it is called
        b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
        b"PK\x03\x04" + b"\x00" * 50,  # a broken zip
        bytes(range(256)) * 4,  # binary noise
    ],
)
def test_refuses_other_types(data: bytes) -> None:
    with pytest.raises(RejectedFile):
        inspect_file(data, max_bytes=MB)


def test_refuses_empty_and_oversize() -> None:
    with pytest.raises(RejectedFile):
        inspect_file(b"", max_bytes=MB)
    with pytest.raises(RejectedFile, match="larger"):
        inspect_file(png_bytes() + b"\x00" * MB, max_bytes=MB)


def test_sha256_of_bytes_as_sent() -> None:
    import hashlib

    data = png_bytes()
    assert inspect_file(data, max_bytes=MB).sha256 == hashlib.sha256(data).hexdigest()


def test_image_exif_and_gps_removed_pixels_kept() -> None:
    data = jpeg_with_gps()
    assert b"Jane Reporter" in data
    result = sanitize(data, inspect_file(data, max_bytes=MB))
    assert result.status == "cleaned"
    assert {"EXIF", "GPS"} <= set(result.removed)
    assert result.data is not None and b"Jane Reporter" not in result.data and b"Pixel 7" not in result.data
    with Image.open(io.BytesIO(result.data)) as clean:
        assert clean.size == (64, 48)
        assert not clean.getexif()
        assert not clean.getexif().get_ifd(0x8825)


def test_pdf_author_removed() -> None:
    data = pdf_with_author()
    result = sanitize(data, inspect_file(data, max_bytes=MB))
    assert result.status == "cleaned" and "Author" in result.removed
    assert result.data is not None
    meta = PdfReader(io.BytesIO(result.data)).metadata or {}
    assert "/Author" not in meta and "/Creator" not in meta
    assert b"Jane Reporter" not in result.data
    assert len(PdfReader(io.BytesIO(result.data)).pages) == 1


def test_docx_author_fields_removed_text_kept() -> None:
    data = docx_with_author()
    result = sanitize(data, inspect_file(data, max_bytes=MB))
    assert result.status == "cleaned"
    assert result.data is not None
    with zipfile.ZipFile(io.BytesIO(result.data)) as zf:
        everything = b"".join(zf.read(n) for n in zf.namelist())
        assert b"Jane Reporter" not in everything
        assert b"Cotton Workers Aid" not in everything
        assert b"Wages withheld" in zf.read("word/document.xml")
        assert b"<dc:title>Notes</dc:title>" in zf.read("docProps/core.xml")


def test_audio_is_kept_but_flagged_not_sanitized() -> None:
    mp3 = b"ID3\x03\x00\x00\x00\x00\x00\x21" + b"\x00" * 300
    inspected = inspect_file(mp3, max_bytes=MB)
    assert inspected.kind == "audio"
    assert sanitize(mp3, inspected).status == "not_supported"


def test_corrupt_image_reports_failure_instead_of_raising() -> None:
    data = png_bytes()[:40]  # header only
    inspected = inspect_file(data, max_bytes=MB)
    assert sanitize(data, inspected).status == "failed"


def test_stored_bytes_are_encrypted(settings) -> None:  # type: ignore[no-untyped-def]
    data = b"payroll ledger: Li Wen, 0 yuan"
    path = evidence.store_encrypted(data)
    try:
        with default_storage.open(path, "rb") as fh:
            on_disk = fh.read()
        assert data not in on_disk and b"Li Wen" not in on_disk
        assert evidence.read_encrypted(path) == data
    finally:
        evidence.delete_stored(path)
