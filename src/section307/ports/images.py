"""Exam photographs: quality checks against the photographic standard, normalisation, redaction.

The standard (shown to officers on the upload page):

* resolution: at least ``MIN_LONG`` x ``MIN_SHORT`` pixels, so labels and markings are legible;
* sharpness: the variance of a Laplacian filter over a grayscale copy scaled to 800 px must
  reach ``MIN_SHARPNESS`` (blurred or shaken photos score low);
* exposure: mean brightness between ``MIN_MEAN`` and ``MAX_MEAN`` and at most ``MAX_CLIPPED``
  of pixels crushed to black or blown to white.

Photos are stored re-encoded as JPEG with the EXIF orientation applied (metadata such as GPS
is not carried into the stored copy); the taken-at time and camera are kept as fields.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFilter, ImageOps, ImageStat, UnidentifiedImageError

from section307.core.uploads import UploadRejected, check_upload

MIN_LONG = 1024
MIN_SHORT = 768
MIN_SHARPNESS = 100.0
MIN_MEAN = 40.0
MAX_MEAN = 215.0
MAX_CLIPPED = 0.25
MAX_BYTES = 25 * 1024 * 1024


def standard() -> list[str]:
    """The photographic standard as shown to officers, in the reader's language."""
    return [
        gettext("At least %(long)s × %(short)s pixels (long × short side), so labels and markings can be read.")
        % {"long": MIN_LONG, "short": MIN_SHORT},
        gettext("Sharp: hold still, focus on the label or marking; blurred photos are flagged."),
        gettext("Well exposed: no large areas of pure black or blown-out white; use light or flash in containers."),
        gettext("One subject per photo: the marking, the packaging, the goods, the container seal."),
        gettext("JPEG, PNG, WebP or TIFF, up to %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
    ]


_LAPLACIAN = ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128)


class ImageRejected(UploadRejected):
    """The file is not a usable image at all (no override possible)."""


@dataclass
class ImageReport:
    width: int
    height: int
    sharpness: float
    mean: float
    clipped: float
    format: str
    problems: list[str] = field(default_factory=list)
    taken_at: dt.datetime | None = None
    camera: str = ""

    @property
    def passed(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "sharpness": round(self.sharpness, 1),
            "min_sharpness": MIN_SHARPNESS,
            "mean_brightness": round(self.mean, 1),
            "clipped_share": round(self.clipped, 3),
            "format": self.format,
            "problems": list(self.problems),
        }


def _open(data: bytes) -> Image.Image:
    # Size, type from content and the pixel cap come first, from the header alone.
    try:
        check_upload(data, context="exam_photo", field="photo", max_bytes=MAX_BYTES)
    except UploadRejected as exc:
        raise ImageRejected(exc.message, field="photo", reason=exc.reason) from None
    try:
        img = Image.open(io.BytesIO(data))
        fmt = img.format or ""
        img.load()
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ImageRejected(
            gettext("the file is not a readable image (%(name)s)") % {"name": exc.__class__.__name__}, field="photo"
        ) from None
    except OSError as exc:
        raise ImageRejected(
            gettext("the image is damaged or truncated (%(exc)s)") % {"exc": exc}, field="photo"
        ) from None
    img.format = fmt
    return img


def _exif(img: Image.Image) -> tuple[dt.datetime | None, str]:
    exif = img.getexif()
    taken: dt.datetime | None = None
    raw = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)  # DateTimeOriginal, else DateTime
    if isinstance(raw, str):
        try:
            taken = dt.datetime.strptime(raw.strip(), "%Y:%m:%d %H:%M:%S").replace(tzinfo=dt.UTC)
        except ValueError:
            taken = None
    camera = " ".join(str(exif.get(t, "")).strip() for t in (0x010F, 0x0110)).strip()  # Make, Model
    return taken, camera[:200]


def assess(data: bytes) -> tuple[ImageReport, Image.Image]:
    """Check a photo against the standard; returns the report and the upright RGB image."""
    img = _open(data)
    taken, camera = _exif(img)
    fmt = img.format or ""
    upright = ImageOps.exif_transpose(img).convert("RGB")
    w, h = upright.size
    gray = upright.convert("L")
    gray.thumbnail((800, 800))
    sharpness = float(ImageStat.Stat(gray.filter(_LAPLACIAN)).var[0])
    hist = gray.histogram()
    total = sum(hist) or 1
    clipped = (sum(hist[:6]) + sum(hist[250:])) / total
    mean = float(ImageStat.Stat(gray).mean[0])
    problems: list[str] = []
    if max(w, h) < MIN_LONG or min(w, h) < MIN_SHORT:
        problems.append(f"resolution {w} × {h} is below the {MIN_LONG} × {MIN_SHORT} minimum")
    if sharpness < MIN_SHARPNESS:
        problems.append(f"the photo looks blurred (sharpness {sharpness:.0f}, minimum {MIN_SHARPNESS:.0f})")
    if mean < MIN_MEAN:
        problems.append(f"the photo is too dark (mean brightness {mean:.0f} of 255, minimum {MIN_MEAN:.0f})")
    elif mean > MAX_MEAN:
        problems.append(f"the photo is too bright (mean brightness {mean:.0f} of 255, maximum {MAX_MEAN:.0f})")
    if clipped > MAX_CLIPPED:
        problems.append(f"{clipped:.0%} of the photo is pure black or white (maximum {MAX_CLIPPED:.0%})")
    report = ImageReport(w, h, sharpness, mean, clipped, fmt, problems, taken, camera)
    return report, upright


def encode_jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=90, optimize=True)
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def redact(data: bytes, boxes: list[tuple[float, float, float, float]]) -> bytes:
    """A copy with each box (left, top, right, bottom as fractions of the size) painted solid black."""
    img = Image.open(io.BytesIO(data)).convert("RGB")
    w, h = img.size
    draw = ImageDraw.Draw(img)
    for left, top, right, bottom in boxes:
        if not (0 <= left < right <= 1 and 0 <= top < bottom <= 1):
            raise ValueError("each box needs 0 ≤ left < right ≤ 1 and 0 ≤ top < bottom ≤ 1")
        draw.rectangle([round(left * w), round(top * h), round(right * w), round(bottom * h)], fill=(0, 0, 0))
    return encode_jpeg(img)
