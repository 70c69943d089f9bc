"""Checks on evidence files: the real type from the content, the size, and the SHA-256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings

from section307.core.errors import InvalidInput

# Types accepted as evidence, detected from content (never from the name or the browser's claim).
ALLOWED_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/tiff",
    "image/gif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "video/mp4",
    "audio/mpeg",
    "audio/x-wav",
    "text/plain",
}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class EvidenceFileError(InvalidInput, ValueError):
    pass


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "CASES_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 4:
            return False
    return True


def check_file(stream: IO[bytes]) -> CheckedFile:
    """Read the whole stream once: size, hash and type. Raises EvidenceFileError with a plain reason."""
    stream.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""
    limit = max_bytes()
    while chunk := stream.read(1024 * 1024):
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        size += len(chunk)
        if size > limit:
            raise EvidenceFileError(f"The file is larger than the {limit // (1024 * 1024)} MB limit.")
        digest.update(chunk)
    stream.seek(0)
    if size == 0:
        raise EvidenceFileError("The file is empty.")
    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
    elif _looks_like_text(head):
        mime = "text/plain"
    else:
        raise EvidenceFileError("The file's type could not be recognised from its content.")
    if mime not in ALLOWED_TYPES:
        raise EvidenceFileError(f"Files of type {mime} are not accepted as evidence.")
    return CheckedFile(content_type=mime, size=size, sha256=digest.hexdigest())


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    return digest.hexdigest()
