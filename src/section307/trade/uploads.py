"""Checks on uploaded documents: real type from the content, size, readable PDFs and spreadsheets."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

import filetype

from section307.core.errors import InvalidInput

MAX_DOCUMENT_BYTES = 25 * 1024 * 1024

ACCEPTED: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
    "image/tiff": "TIFF image",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook",
    "text/plain": "Plain text or CSV",
}


class UploadRejected(InvalidInput, ValueError):
    pass


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str


def _office_type(data: bytes) -> str | None:
    """DOCX/XLSX are ZIP files; tell them apart by their main part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        return None
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def check_document(data: bytes, name: str) -> CheckedUpload:
    """The document's type as its content shows it, whatever its name says; raises UploadRejected."""
    if not data:
        raise UploadRejected(f"{name}: the file is empty")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UploadRejected(
            f"{name}: the file is {len(data) / 1024 / 1024:.1f} MB;"
            f" the limit is {MAX_DOCUMENT_BYTES // 1024 // 1024} MB"
        )
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime in ("application/zip", None) or (mime and "officedocument" in mime):
        mime = _office_type(data) or mime
    if mime is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UploadRejected(f"{name}: the file type is not recognised") from None
        if "\x00" in text:
            raise UploadRejected(f"{name}: the file type is not recognised")
        mime = "text/plain"
    if mime not in ACCEPTED:
        raise UploadRejected(
            f"{name}: {mime} files are not accepted; send PDF, JPEG, PNG, TIFF, Word, Excel or plain text"
        )
    if mime == "application/pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            pages = len(PdfReader(io.BytesIO(data)).pages)
        except (PdfReadError, ValueError, KeyError, OSError) as exc:
            raise UploadRejected(f"{name}: the PDF cannot be read ({exc.__class__.__name__})") from None
        if pages == 0:
            raise UploadRejected(f"{name}: the PDF has no pages")
    return CheckedUpload(content_type=mime, size=len(data), sha256=hashlib.sha256(data).hexdigest())
