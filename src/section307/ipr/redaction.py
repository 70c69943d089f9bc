"""Redacted derivatives of detention photos: the regions an officer marks are blurred beyond reading
and then covered, so neither the text nor its outline survives. Pure Pillow, no Django."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFilter

Box = tuple[float, float, float, float]

# Blur radius as a share of the box's shorter side; then the region is pixelated and boxed.
BLUR_SHARE = 0.5
BLOCK = 16


def check_box(box: Box) -> Box:
    left, top, right, bottom = (float(v) for v in box)
    if not (0 <= left < right <= 1 and 0 <= top < bottom <= 1):
        raise ValueError("each region needs 0 ≤ left < right ≤ 1 and 0 ≤ top < bottom ≤ 1 (shares of the size)")
    return left, top, right, bottom


def redact_image(img: Image.Image, boxes: list[Box], *, style: str = "blur") -> Image.Image:
    """A copy of ``img`` with each box (left, top, right, bottom as shares of the size) made unreadable.

    ``blur``: a strong Gaussian blur, then pixelated to ``BLOCK``-pixel cells (the shapes of the
    colours stay, no character does); ``box``: painted solid black.
    """
    if not boxes:
        raise ValueError("mark at least one region to redact")
    out = img.convert("RGB").copy()
    w, h = out.size
    draw = ImageDraw.Draw(out)
    for box in boxes:
        left, top, right, bottom = check_box(box)
        area = (
            round(left * w),
            round(top * h),
            max(round(right * w), round(left * w) + 1),
            max(round(bottom * h), round(top * h) + 1),
        )
        if style == "box":
            draw.rectangle([area[0], area[1], area[2] - 1, area[3] - 1], fill=(0, 0, 0))
            continue
        region = out.crop(area)
        radius = max(4.0, min(region.size) * BLUR_SHARE)
        region = region.filter(ImageFilter.GaussianBlur(radius))
        small = region.resize((max(1, region.width // BLOCK), max(1, region.height // BLOCK)), Image.Resampling.BOX)
        region = small.resize(region.size, Image.Resampling.NEAREST)
        out.paste(region, area[:2])
    return out


def redact_jpeg(data: bytes, boxes: list[Box], *, style: str = "blur") -> bytes:
    img = Image.open(io.BytesIO(data))
    result = redact_image(img, boxes, style=style)
    buf = io.BytesIO()
    result.save(buf, format="JPEG", quality=90)
    return buf.getvalue()
