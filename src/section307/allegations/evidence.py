"""Evidence files: the real type from content, metadata removal, and encrypted storage.

Pure functions over bytes (``inspect_file``, ``sanitize``) plus the two storage helpers.
Originals are kept encrypted for legal use (metadata can prove authenticity); the sanitized
copy is what analysts open and the only version that may leave the agency.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field

import filetype
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject

from section307.allegations.crypto import decrypt_bytes, encrypt_bytes, fernet
from section307.core.errors import InvalidInput

# Detected MIME type -> (kind, extension). Anything else is refused.
ALLOWED: dict[str, tuple[str, str]] = {
    "application/pdf": ("pdf", "pdf"),
    "image/jpeg": ("image", "jpg"),
    "image/png": ("image", "png"),
    "image/gif": ("image", "gif"),
    "image/webp": ("image", "webp"),
    "image/tiff": ("image", "tif"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("office", "docx"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("office", "pptx"),
    "application/vnd.oasis.opendocument.text": ("office", "odt"),
    "application/vnd.oasis.opendocument.presentation": ("office", "odp"),
    "application/msword": ("office", "doc"),
    "application/vnd.ms-powerpoint": ("office", "ppt"),
    "application/rtf": ("office", "rtf"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("spreadsheet", "xlsx"),
    "application/vnd.oasis.opendocument.spreadsheet": ("spreadsheet", "ods"),
    "application/vnd.ms-excel": ("spreadsheet", "xls"),
    "text/plain": ("text", "txt"),
    "audio/mpeg": ("audio", "mp3"),
    "audio/mp4": ("audio", "m4a"),
    "audio/ogg": ("audio", "ogg"),
    "audio/x-wav": ("audio", "wav"),
    "audio/x-flac": ("audio", "flac"),
    "audio/aac": ("audio", "aac"),
    "audio/amr": ("audio", "amr"),
    "video/mp4": ("video", "mp4"),
    "video/quicktime": ("video", "mov"),
    "video/webm": ("video", "webm"),
    "video/x-matroska": ("video", "mkv"),
    "video/3gpp": ("video", "3gp"),
    "video/x-msvideo": ("video", "avi"),
}
# filetype reports some containers under other names.
_ALIASES = {"audio/x-m4a": "audio/mp4", "audio/m4a": "audio/mp4", "video/x-m4v": "video/mp4"}

# Office archives are zip files: refuse ones that would expand absurdly (zip bombs).
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000


class RejectedFile(InvalidInput):
    """The file cannot be accepted; the message is safe to show to the reporter."""


@dataclass(frozen=True)
class Inspected:
    kind: str
    mime_type: str
    extension: str
    size: int
    sha256: str


@dataclass
class Sanitized:
    status: str  # one of Attachment.Sanitization values
    data: bytes | None
    removed: list[str] = field(default_factory=list)


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data[:65536]:
        return False
    try:
        data[:1_000_000].decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the sample boundary is still text.
        return exc.start >= len(data[:1_000_000]) - 4 and len(data) > 1_000_000
    return True


def inspect_file(data: bytes, *, max_bytes: int) -> Inspected:
    """Decide the real type from the content (never the file name) and hash it; raise RejectedFile."""
    if not data:
        raise RejectedFile(_("The file is empty."))
    if len(data) > max_bytes:
        raise RejectedFile(_("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)})
    guess = filetype.guess(data)
    mime = _ALIASES.get(guess.mime, guess.mime) if guess is not None else ""
    if not mime and _looks_like_text(data):
        mime = "text/plain"
    if mime == "application/zip":
        mime = _office_zip_type(data) or mime
    if mime not in ALLOWED:
        raise RejectedFile(
            _("This type of file is not accepted.")
            + " "
            + _("Send PDF, images, office documents, spreadsheets, plain text, audio or video.")
        )
    kind, extension = ALLOWED[mime]
    return Inspected(kind, mime, extension, len(data), hashlib.sha256(data).hexdigest())


def _office_zip_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        return None
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if "ppt/presentation.xml" in names:
        return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    return None


def sanitize(data: bytes, inspected: Inspected) -> Sanitized:
    """Derive a copy without identifying metadata. Never raises on bad content: reports FAILED instead."""
    try:
        if inspected.kind == "image":
            return _sanitize_image(data, inspected.extension)
        if inspected.kind == "pdf":
            return _sanitize_pdf(data)
        if inspected.extension in {"docx", "xlsx", "pptx"}:
            return _sanitize_ooxml(data)
        if inspected.extension in {"odt", "ods", "odp"}:
            return _sanitize_odf(data)
        if inspected.kind == "text":
            return Sanitized("none_found", data)
    except (RejectedFile, OSError, ValueError, KeyError, PyPdfError, zipfile.BadZipFile, Image.DecompressionBombError):
        return Sanitized("failed", None)
    # Legacy binary office formats, audio and video: no safe in-process cleaner; keep the original only.
    return Sanitized("not_supported", None)


_IMAGE_FORMATS = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP", "tif": "TIFF"}


# Image.info keys that describe encoding, not the picture's author, place or device.
_TECHNICAL_INFO = {
    "transparency", "gamma", "duration", "loop", "background", "jfif", "jfif_version", "jfif_unit",
    "jfif_density", "progressive", "progression", "adobe", "adobe_transform", "compression", "version",
    "lossless", "exif_offset", "dpi", "aspect", "interlace", "srgb", "chromaticity",
}  # fmt: skip


def _image_metadata(img: Image.Image) -> list[str]:
    found: set[str] = set()
    exif = img.getexif()
    if exif:
        found.add("EXIF")
        if exif.get_ifd(0x8825):  # GPSInfo
            found.add("GPS")
    labels = {"exif": "EXIF", "xmp": "XMP", "XML:com.adobe.xmp": "XMP", "icc_profile": "ICC profile"}
    for key in img.info:
        name = str(key)
        if name not in _TECHNICAL_INFO:
            found.add(labels.get(name, name))
    return sorted(found)


def _sanitize_image(data: bytes, extension: str) -> Sanitized:
    try:
        with Image.open(io.BytesIO(data)) as img:
            removed = _image_metadata(img)
            # Apply the EXIF orientation to the pixels, then rebuild the image from raw pixels alone,
            # so no metadata block (EXIF, GPS, XMP, comments, TIFF tags) can survive.
            upright = ImageOps.exif_transpose(img) or img
            fmt = _IMAGE_FORMATS[extension]
            mode = upright.mode
            if fmt == "JPEG" and mode not in {"RGB", "L", "CMYK"}:
                upright, mode = upright.convert("RGB"), "RGB"
            elif mode not in {"RGB", "RGBA", "L", "LA", "CMYK"}:
                upright, mode = upright.convert("RGBA"), "RGBA"
            clean = Image.frombytes(mode, upright.size, upright.tobytes())
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise RejectedFile(_("The image cannot be read.")) from exc
    out = io.BytesIO()
    options = {"quality": 95} if fmt == "JPEG" else {}
    clean.save(out, format=fmt, **options)
    return Sanitized("cleaned" if removed else "none_found", out.getvalue(), removed)


def _sanitize_pdf(data: bytes) -> Sanitized:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return Sanitized("not_supported", None)
    removed = {str(k).lstrip("/") for k in (reader.metadata or {})}
    if "/Metadata" in reader.root_object:
        removed.add("XMP")
    writer = PdfWriter()
    writer.append(reader)
    writer.metadata = None
    root = writer._root_object
    if NameObject("/Metadata") in root:
        del root[NameObject("/Metadata")]
    out = io.BytesIO()
    writer.write(out)
    return Sanitized("cleaned" if removed else "none_found", out.getvalue(), sorted(set(removed)))


# Fields in docProps/core.xml and app.xml that name people or organizations.
_OOXML_PEOPLE = re.compile(rb"<(dc:creator|cp:lastModifiedBy|Company|Manager|dc:contributor|cp:lastPrinted)>[^<]*</\1>")
_OOXML_AUTHOR_ATTR = re.compile(rb'\s(w:author|w:initials)="[^"]*"')
_XLSX_COMMENT_AUTHOR = re.compile(rb"<author>[^<]*</author>")
_ODF_PEOPLE = re.compile(rb"<(meta:initial-creator|dc:creator|meta:printed-by)>[^<]*</\1>")


def _check_zip(zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise RejectedFile(_("The document expands to an unreasonable size."))


def _rewrite_zip(data: bytes, clean: dict[str, list[re.Pattern[bytes]]], drop: set[str]) -> Sanitized:
    removed: set[str] = set()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        _check_zip(src)
        for info in src.infolist():
            if info.filename in drop:
                removed.add(info.filename)
                continue
            body = src.read(info.filename)
            patterns = [p for prefix, ps in clean.items() if info.filename.startswith(prefix) for p in ps]
            for pattern in patterns:
                body, n = pattern.subn(_blank, body)
                if n:
                    removed.add(info.filename)
            # ODF requires "mimetype" first and stored uncompressed; keep each entry's compression.
            dst.writestr(info, body, compress_type=info.compress_type)
    return Sanitized("cleaned" if removed else "none_found", out.getvalue(), sorted(removed))


def _blank(match: re.Match[bytes]) -> bytes:
    text = match.group(0)
    if text.startswith(b" "):
        return b""
    if text.startswith(b"<author>"):
        return b"<author></author>"
    tag = match.group(1)
    return b"<" + tag + b"></" + tag + b">"


def _sanitize_ooxml(data: bytes) -> Sanitized:
    return _rewrite_zip(
        data,
        {
            "docProps/": [_OOXML_PEOPLE],
            "word/": [_OOXML_AUTHOR_ATTR],
            "xl/comments": [_XLSX_COMMENT_AUTHOR],
            "ppt/commentAuthors": [re.compile(rb'\sname="[^"]*"'), re.compile(rb'\sinitials="[^"]*"')],
        },
        drop={"docProps/custom.xml", "word/people.xml", "xl/persons/person.xml"},
    )


def _sanitize_odf(data: bytes) -> Sanitized:
    return _rewrite_zip(data, {"meta.xml": [_ODF_PEOPLE]}, drop=set())


# --- storage: every stored byte is encrypted ------------------------------------------------------

_PREFIX = "allegations/evidence/"


def store_encrypted(data: bytes) -> str:
    name = f"{_PREFIX}{uuid.uuid4().hex}.bin"
    return default_storage.save(name, ContentFile(encrypt_bytes(data)))


def rotate_stored(path: str) -> str:
    """Write the file again encrypted under the newest key; returns the new path (the old one stays)."""
    with default_storage.open(path, "rb") as fh:
        token = fh.read()
    name = f"{_PREFIX}{uuid.uuid4().hex}.bin"
    return default_storage.save(name, ContentFile(fernet().rotate(token)))


def read_encrypted(path: str) -> bytes:
    with default_storage.open(path, "rb") as fh:
        return decrypt_bytes(fh.read())


def delete_stored(path: str) -> None:
    if path and default_storage.exists(path):
        default_storage.delete(path)


def delete_all(paths: list[str]) -> None:
    for path in paths:
        delete_stored(path)
