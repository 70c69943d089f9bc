"""Redaction is real image processing: the marked region loses its detail, the rest is untouched."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageStat

from section307.ipr.redaction import redact_image


def _label() -> Image.Image:
    img = Image.new("RGB", (400, 300), (230, 230, 230))
    draw = ImageDraw.Draw(img)
    for i in range(0, 200, 8):  # a barcode: hard black/white edges
        draw.rectangle([100 + i, 100, 103 + i, 200], fill=(0, 0, 0))
    draw.rectangle([10, 10, 60, 60], fill=(200, 20, 20))
    return img


def _detail(img: Image.Image) -> float:
    return float(ImageStat.Stat(img.convert("L")).stddev[0])


def test_blur_removes_the_barcode_and_leaves_the_rest() -> None:
    img = _label()
    out = redact_image(img, [(0.25, 0.3, 0.8, 0.7)])
    box = (100, 90, 320, 210)
    assert _detail(img.crop(box)) > 100  # stripes
    assert _detail(out.crop(box)) < 30  # no readable stripes left
    # Outside the region every pixel is the same.
    assert out.crop((0, 0, 90, 80)).tobytes() == img.crop((0, 0, 90, 80)).tobytes()
    assert out.size == img.size and img.getpixel((101, 150)) == (0, 0, 0)  # the original is untouched


def test_box_paints_the_region_black() -> None:
    out = redact_image(_label(), [(0.0, 0.0, 0.5, 0.5)], style="box")
    assert out.getpixel((5, 5)) == (0, 0, 0) and out.getpixel((199, 149)) == (0, 0, 0)
    assert out.getpixel((210, 160)) != (0, 0, 0)


@pytest.mark.parametrize("box", [(0.5, 0.1, 0.4, 0.2), (-0.1, 0, 0.5, 0.5), (0, 0, 1.2, 0.5)])
def test_a_region_outside_the_image_is_refused(box: tuple[float, float, float, float]) -> None:
    with pytest.raises(ValueError, match="shares of the size"):
        redact_image(_label(), [box])
    with pytest.raises(ValueError, match="at least one"):
        redact_image(_label(), [])
