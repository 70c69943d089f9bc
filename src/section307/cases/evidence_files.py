"""Checks on evidence files through the one upload checker (``section307.core.uploads``)."""

from __future__ import annotations

import hashlib
from typing import IO, TYPE_CHECKING

from section307.allegations.crypto import decrypt_bytes
from section307.core.uploads import CheckedUpload, UploadRejected, check_upload, max_bytes_for, read_limited

if TYPE_CHECKING:
    from section307.cases.models import Evidence

EvidenceFileError = UploadRejected
CheckedFile = CheckedUpload


def max_bytes() -> int:
    return max_bytes_for("case_evidence")


def check_file(stream: IO[bytes]) -> tuple[CheckedFile, bytes]:
    """Read the stream once (never past the size cap) and check it; returns the facts and the bytes."""
    data = read_limited(stream, limit=max_bytes())
    return check_upload(data, context="case_evidence"), data


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def evidence_content(evidence: Evidence) -> bytes:
    """The evidence file as received: stored encrypted, decrypted here (raises DecryptionFailed if altered)."""
    with evidence.file.open("rb") as fh:
        return decrypt_bytes(fh.read())
