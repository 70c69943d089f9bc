"""Evidence files: the real type from content, metadata removal, and encrypted storage.

Pure functions over bytes (``inspect_file``, ``sanitize``) plus the two storage helpers.
Originals are kept encrypted for legal use (metadata can prove authenticity); the sanitized
copy is what analysts open and the only version that may leave the agency.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf.errors import PyPdfError

from section307.allegations.crypto import decrypt_bytes, encrypt_bytes, fernet
from section307.core.uploads import CheckedUpload, UploadRejected, check_upload, check_zip

# The real type, size caps and bomb checks live in the one upload checker (section307.core.uploads).
RejectedFile = UploadRejected
Inspected = CheckedUpload


@dataclass
class Sanitized:
    status: str  # one of Attachment.Sanitization values
    data: bytes | None
    removed: list[str] = field(default_factory=list)


def inspect_file(data: bytes, *, max_bytes: int, field: str = "file") -> Inspected:
    """Decide the real type from the content (never the file name) and hash it; raise RejectedFile."""
    return check_upload(data, context="allegation", field=field, max_bytes=max_bytes)


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
        raise RejectedFile(str(_("The image cannot be read.")), reason="unreadable") from exc
    out = io.BytesIO()
    options = {"quality": 95} if fmt == "JPEG" else {}
    clean.save(out, format=fmt, **options)
    return Sanitized("cleaned" if removed else "none_found", out.getvalue(), removed)


def _sanitize_pdf(data: bytes) -> Sanitized:
    # Document metadata and every kind of active content (scripts, launch and URI actions, embedded
    # files, XFA, multimedia) go; the copy is re-read by a second parser to prove none is left.
    import pikepdf  # imported here: only the sanitizing task needs it

    from section307.core.pdfclean import ActiveContentRemains, strip_active_content

    try:
        cleaned, active, metadata = strip_active_content(data)
    except pikepdf.PasswordError:
        return Sanitized("not_supported", None)
    except (pikepdf.PdfError, ActiveContentRemains):
        return Sanitized("failed", None)
    removed = metadata + [f"active content: {name}" for name in active]
    return Sanitized("cleaned" if removed else "none_found", cleaned, removed)


# Fields in docProps/core.xml and app.xml that name people or organizations.
_OOXML_PEOPLE = re.compile(rb"<(dc:creator|cp:lastModifiedBy|Company|Manager|dc:contributor|cp:lastPrinted)>[^<]*</\1>")
_OOXML_AUTHOR_ATTR = re.compile(rb'\s(w:author|w:initials)="[^"]*"')
_XLSX_COMMENT_AUTHOR = re.compile(rb"<author>[^<]*</author>")
_ODF_PEOPLE = re.compile(rb"<(meta:initial-creator|dc:creator|meta:printed-by)>[^<]*</\1>")


def _rewrite_zip(data: bytes, clean: dict[str, list[re.Pattern[bytes]]], drop: set[str]) -> Sanitized:
    removed: set[str] = set()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        check_zip(src)
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
