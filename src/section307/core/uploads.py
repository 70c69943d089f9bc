"""The one upload checker: real type from the content, size caps, and refusal of decompression bombs.

Every app that accepts files (allegation evidence, case evidence, trade documents, exam photos)
calls ``check_upload`` with its context; what each context accepts is declared in ``CONTEXTS``.
The checks read headers only (image dimensions, zip directory), so a pixel bomb or a zip bomb is
refused before anything is decoded or unpacked.
"""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from section307.core.errors import InvalidInput

# Detected MIME type -> (kind, extension, label). A context accepts a subset of these.
TYPES: dict[str, tuple[str, str, str]] = {
    "application/pdf": ("pdf", "pdf", "PDF"),
    "image/jpeg": ("image", "jpg", "JPEG"),
    "image/png": ("image", "png", "PNG"),
    "image/gif": ("image", "gif", "GIF"),
    "image/webp": ("image", "webp", "WebP"),
    "image/tiff": ("image", "tif", "TIFF"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("office", "docx", "Word"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("office", "pptx", "PowerPoint"),
    "application/vnd.oasis.opendocument.text": ("office", "odt", "OpenDocument text"),
    "application/vnd.oasis.opendocument.presentation": ("office", "odp", "OpenDocument presentation"),
    "application/msword": ("office", "doc", "Word 97"),
    "application/vnd.ms-powerpoint": ("office", "ppt", "PowerPoint 97"),
    "application/rtf": ("office", "rtf", "RTF"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("spreadsheet", "xlsx", "Excel"),
    "application/vnd.oasis.opendocument.spreadsheet": ("spreadsheet", "ods", "OpenDocument spreadsheet"),
    "application/vnd.ms-excel": ("spreadsheet", "xls", "Excel 97"),
    "text/plain": ("text", "txt", "plain text"),
    "audio/mpeg": ("audio", "mp3", "MP3"),
    "audio/mp4": ("audio", "m4a", "M4A"),
    "audio/ogg": ("audio", "ogg", "Ogg"),
    "audio/x-wav": ("audio", "wav", "WAV"),
    "audio/x-flac": ("audio", "flac", "FLAC"),
    "audio/aac": ("audio", "aac", "AAC"),
    "audio/amr": ("audio", "amr", "AMR"),
    "video/mp4": ("video", "mp4", "MP4"),
    "video/quicktime": ("video", "mov", "QuickTime"),
    "video/webm": ("video", "webm", "WebM"),
    "video/x-matroska": ("video", "mkv", "Matroska"),
    "video/3gpp": ("video", "3gp", "3GP"),
    "video/x-msvideo": ("video", "avi", "AVI"),
}
# filetype reports some containers under other names.
_ALIASES = {"audio/x-m4a": "audio/mp4", "audio/m4a": "audio/mp4", "video/x-m4v": "video/mp4"}
# Office formats that are zip archives: their directory is checked before anything is unpacked.
ZIP_BASED = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}

_ALL = frozenset(TYPES)
_PHOTOS = frozenset({"image/jpeg", "image/png", "image/webp", "image/tiff"})
_TRADE = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/tiff",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/plain",
    }
)


@dataclass(frozen=True)
class Context:
    """What one upload point accepts. ``max_bytes_setting`` names the setting that overrides the cap."""

    types: frozenset[str]
    max_bytes: int
    max_bytes_setting: str = ""
    pdf_must_open: bool = False


MB = 1024 * 1024
# One table for every upload point. Case evidence accepts whatever the public may send, because
# an allegation's files become case evidence when the allegation is escalated.
CONTEXTS: dict[str, Context] = {
    "allegation": Context(_ALL, 25 * MB),
    "case_evidence": Context(_ALL, 50 * MB, "CASES_EVIDENCE_MAX_BYTES"),
    "trade_document": Context(_TRADE, 25 * MB, pdf_must_open=True),
    "exam_photo": Context(_PHOTOS, 25 * MB),
}

DEFAULT_LIMITS: dict[str, int] = {
    # Decoded image size: 40 megapixels (7300 x 5500) is above the 12 to 24 megapixels phone cameras
    # save by default, and well below Pillow's own bomb threshold (about 89 megapixels).
    "max_pixels": 40_000_000,
    # Zip-based office files: members, unpacked size per member and in all, compression ratio.
    "zip_max_members": 1000,
    "zip_max_member_bytes": 50 * MB,
    "zip_max_total_bytes": 100 * MB,
    "zip_max_ratio": 100,
}


class UploadRejected(InvalidInput):
    """The file cannot be accepted; the message is safe to show and ``field`` names the input."""

    default_code = "upload_rejected"

    def __init__(self, message: str, *, field: str = "file", reason: str = "invalid") -> None:
        super().__init__(message, field=field, code=reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    mime_type: str
    extension: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None


def limits() -> dict[str, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "SECTION307_UPLOAD_LIMITS", {})}


def max_bytes_for(context: str) -> int:
    ctx = CONTEXTS[context]
    return int(getattr(settings, ctx.max_bytes_setting, ctx.max_bytes)) if ctx.max_bytes_setting else ctx.max_bytes


def accepted_labels(context: str) -> str:
    labels = sorted({TYPES[m][2] for m in CONTEXTS[context].types})
    return ", ".join(labels)


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data[:65536]:
        return False
    sample = data[:1_000_000]
    try:
        sample.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the sample boundary is still text.
        return exc.start >= len(sample) - 4 and len(data) > len(sample)
    return True


def _office_zip_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if "ppt/presentation.xml" in names:
        return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    return None


def sniff(data: bytes) -> str:
    """The MIME type the content shows ("" when unknown); never the name or the browser's claim."""
    guess = filetype.guess(data)
    mime = _ALIASES.get(guess.mime, guess.mime) if guess is not None else ""
    if mime in ("application/zip", "") or "officedocument" in mime:
        mime = _office_zip_type(data) or mime
    if not mime and _looks_like_text(data):
        mime = "text/plain"
    return mime


def check_image_header(data: bytes, *, field: str = "file") -> tuple[int, int] | None:
    """Width and height from the header alone (None if unreadable); refuses images over the pixel cap."""
    cap = limits()["max_pixels"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
    except Image.DecompressionBombError:
        raise UploadRejected(
            _("The image has more pixels than %(mp)d megapixels.") % {"mp": cap // 1_000_000},
            field=field,
            reason="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        # Unreadable is not dangerous: nothing will be decoded. The caller decides (a reporter's damaged
        # photo is kept as an original that could not be sanitized; an exam photo is refused on reading).
        return None
    if width * height > cap:
        raise UploadRejected(
            _("The image is %(w)d × %(h)d pixels; the limit is %(mp)d megapixels.")
            % {"w": width, "h": height, "mp": cap // 1_000_000},
            field=field,
            reason="too_many_pixels",
        )
    return width, height


def check_zip(zf: zipfile.ZipFile, *, field: str = "file") -> None:
    """Refuse archives that would unpack to far more than they weigh (zip bombs), from the directory."""
    lim = limits()
    infos = zf.infolist()

    def refuse(detail: str) -> UploadRejected:
        return UploadRejected(
            _("The document expands to an unreasonable size (%(detail)s).") % {"detail": detail},
            field=field,
            reason="zip_bomb",
        )

    if len(infos) > lim["zip_max_members"]:
        raise refuse(_("%(n)d parts, at most %(max)d") % {"n": len(infos), "max": lim["zip_max_members"]})
    total = 0
    for info in infos:
        if info.file_size > lim["zip_max_member_bytes"]:
            raise refuse(_("one part unpacks to %(mb)d MB") % {"mb": info.file_size // MB})
        # Small members compress well and mean nothing; a ratio matters only on a sizeable part.
        if info.file_size > MB and info.file_size > lim["zip_max_ratio"] * max(info.compress_size, 1):
            raise refuse(_("one part is compressed more than %(r)d to 1") % {"r": lim["zip_max_ratio"]})
        total += info.file_size
    if total > lim["zip_max_total_bytes"]:
        raise refuse(_("%(mb)d MB unpacked") % {"mb": total // MB})


def check_archive(source: bytes | str, *, field: str = "file") -> None:
    """``check_zip`` on an archive given as bytes or a file path; an unreadable archive is refused too."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
            check_zip(zf, field=field)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRejected(_("The document cannot be read."), field=field, reason="unreadable") from None


def _check_pdf_opens(data: bytes, *, field: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except (PyPdfError, ValueError, KeyError, OSError, TypeError):
        raise UploadRejected(_("The PDF cannot be read."), field=field, reason="unreadable") from None
    if pages == 0:
        raise UploadRejected(_("The PDF has no pages."), field=field, reason="unreadable")


def check_upload(data: bytes, *, context: str, field: str = "file", max_bytes: int | None = None) -> CheckedUpload:
    """Check one file for an upload point; raises ``UploadRejected`` (field, reason) or returns its facts."""
    ctx = CONTEXTS[context]
    cap = max_bytes if max_bytes is not None else max_bytes_for(context)
    if not data:
        raise UploadRejected(_("The file is empty."), field=field, reason="empty")
    if len(data) > cap:
        raise UploadRejected(
            _("The file is larger than %(mb)s MB.") % {"mb": cap // MB}, field=field, reason="too_large"
        )
    mime = sniff(data)
    if mime not in ctx.types:
        shown = TYPES[mime][2] if mime in TYPES else (mime or _("unknown"))
        raise UploadRejected(
            _("This type of file (%(type)s) is not accepted here. Send %(accepted)s.")
            % {"type": shown, "accepted": accepted_labels(context)},
            field=field,
            reason="type_not_accepted",
        )
    kind, extension, _label = TYPES[mime]
    width = height = None
    if kind == "image":
        width, height = check_image_header(data, field=field) or (None, None)
    elif extension in ZIP_BASED:
        check_archive(data, field=field)
    elif kind == "pdf" and ctx.pdf_must_open:
        _check_pdf_opens(data, field=field)
    return CheckedUpload(kind, mime, extension, len(data), hashlib.sha256(data).hexdigest(), width, height)


def read_limited(stream: Any, *, limit: int, field: str = "file") -> bytes:
    """Read an uploaded stream up to ``limit`` bytes; refuses a larger one without reading it all."""
    if hasattr(stream, "seek"):
        stream.seek(0)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // MB}, field=field, reason="too_large"
        )
    return bytes(data)


class UploadLimitMiddleware:
    """Refuse a multipart request larger than ``SECTION307_UPLOAD_MAX_REQUEST_BYTES`` from its
    Content-Length, before any byte of the body is read (413, with the field and the reason)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.content_type == "multipart/form-data":
            cap = int(getattr(settings, "SECTION307_UPLOAD_MAX_REQUEST_BYTES", 110 * MB))
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > cap:
                return _too_large(request, cap)
        return self.get_response(request)


def _too_large(request: HttpRequest, cap: int) -> HttpResponse:
    message = _("The upload is larger than %(mb)d MB in all. Send fewer or smaller files.") % {"mb": cap // MB}
    if request.path.startswith("/api/"):
        body = {"detail": message, "code": "too_large", "field": "files"}
        return JsonResponse(body, status=413)
    return render(request, "core/upload_too_large.html", {"message": message}, status=413)
