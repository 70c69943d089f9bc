"""Checks on uploaded documents through the one upload checker (``section307.core.uploads``)."""

from __future__ import annotations

from section307.allegations.crypto import decrypt_bytes
from section307.core.uploads import CheckedUpload, UploadRejected, check_upload, max_bytes_for
from section307.trade.models import RequestDocument

MAX_DOCUMENT_BYTES = max_bytes_for("trade_document")


def check_document(data: bytes, name: str) -> CheckedUpload:
    """The document's type as its content shows it, whatever its name says; raises UploadRejected."""
    try:
        return check_upload(data, context="trade_document")
    except UploadRejected as exc:
        raise UploadRejected(f"{name}: {exc.message}", field=exc.field or "file", reason=exc.reason) from None


def document_content(doc: RequestDocument) -> bytes:
    """The document as uploaded: stored encrypted, decrypted here."""
    with doc.file.open("rb") as fh:
        return decrypt_bytes(fh.read())
