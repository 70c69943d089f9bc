"""Exam photos: checks against the standard, override with a reason, orientation, storage, redaction."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from section307.ports import images
from section307.ports.demo import demo_photo
from section307.ports.models import Entry, ExamImage
from section307.ports.services import ImageBelowStandard, PortsError, image_add, image_redact


def _jpeg(img: Image.Image, **kwargs: Any) -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", **kwargs)
    return out.getvalue()


def test_a_sharp_well_exposed_photo_passes() -> None:
    report, upright = images.assess(demo_photo("LABEL"))
    assert report.passed, report.problems
    assert (report.width, report.height) == upright.size == (1600, 1200)


def test_blur_low_resolution_and_exposure_are_flagged() -> None:
    blurred, _ = images.assess(demo_photo("LABEL", blur=6))
    assert any("blurred" in p for p in blurred.problems)
    small, _ = images.assess(demo_photo("LABEL", size=(800, 600)))
    assert any("resolution 800 × 600" in p for p in small.problems)
    dark, _ = images.assess(_jpeg(Image.new("RGB", (1600, 1200), (2, 2, 2))))
    assert any("too dark" in p for p in dark.problems) and any("pure black" in p for p in dark.problems)
    bright, _ = images.assess(_jpeg(Image.new("RGB", (1600, 1200), (240, 240, 240))))
    assert any("too bright" in p for p in bright.problems)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a photo", r"\(PDF\) is not accepted"),
        (b"GIF89a" + b"\x00" * 100, r"\(GIF\) is not accepted"),
        (demo_photo("X")[:5000], "damaged or truncated"),
    ],
)
def test_unusable_files_are_rejected(data: bytes, message: str) -> None:
    with pytest.raises(images.ImageRejected, match=message):
        images.assess(data)


def test_gif_is_not_accepted() -> None:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (120, 120, 120)).save(out, format="GIF")
    with pytest.raises(images.ImageRejected, match=r"\(GIF\) is not accepted"):
        images.assess(out.getvalue())


def test_exif_orientation_is_applied_and_metadata_kept() -> None:
    img = Image.open(io.BytesIO(demo_photo("LABEL")))
    exif = img.getexif()
    exif[0x0112] = 6  # rotate 90 degrees on display
    exif[0x010F] = "PhoneMaker"
    exif[0x0132] = "2025:03:04 10:11:12"
    report, upright = images.assess(_jpeg(img, exif=exif.tobytes()))
    assert upright.size == (1200, 1600) and (report.width, report.height) == (1200, 1600)
    assert report.camera == "PhoneMaker" and report.taken_at is not None and report.taken_at.year == 2025


@pytest.mark.django_db
def test_below_standard_needs_a_reason_and_is_stored_as_jpeg(
    registry: Any, file_entry: Callable[..., Entry], officer: Any
) -> None:
    entry = file_entry()
    blurry = demo_photo("LABEL", blur=6)
    with pytest.raises(ImageBelowStandard) as exc:
        image_add(actor=officer, entry=entry, data=blurry, original_name="a.jpg", caption="Label")
    assert not exc.value.report.passed
    assert not ExamImage.objects.exists()
    with pytest.raises(PortsError, match="caption"):
        image_add(actor=officer, entry=entry, data=blurry, original_name="a.jpg", caption=" ")
    image = image_add(
        actor=officer, entry=entry, data=blurry, original_name="a.jpg", caption="Label", override_reason="Only view"
    )
    assert not image.passed and image.override_reason == "Only view"
    with image.image.open("rb") as fh:
        stored = fh.read()
    assert Image.open(io.BytesIO(stored)).format == "JPEG"
    assert images.sha256(stored) == image.sha256 and image.original_sha256 == images.sha256(blurry)
    assert entry.timeline.filter(kind="image", shared=True).exists()


@pytest.mark.django_db
def test_redaction_blacks_out_a_derived_copy(registry: Any, file_entry: Callable[..., Entry], officer: Any) -> None:
    image = image_add(
        actor=officer, entry=file_entry(), data=demo_photo("LABEL"), original_name="a.jpg", caption="Label"
    )
    with pytest.raises(PortsError, match="box"):
        image_redact(actor=officer, image=image, boxes=[(0.5, 0.5, 0.2, 0.9)])
    image_redact(actor=officer, image=image, boxes=[(0.0, 0.0, 0.5, 0.5)])
    with image.redacted.open("rb") as fh:
        red = Image.open(io.BytesIO(fh.read())).convert("L")
    assert red.getpixel((100, 100)) < 10  # inside the box
    with image.image.open("rb") as fh:
        assert images.sha256(fh.read()) == image.sha256  # original untouched


@pytest.mark.django_db(transaction=True)
def test_photo_is_decoded_and_re_encoded_outside_the_transaction(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    seen: list[bool] = []
    real = images.encode_jpeg

    def spy(img: Image.Image) -> bytes:
        seen.append(connection.in_atomic_block)
        return real(img)

    monkeypatch.setattr(images, "encode_jpeg", spy)
    image = image_add(
        actor=officer, entry=file_entry(), data=demo_photo("LABEL"), original_name="a.jpg", caption="Label"
    )
    assert seen == [False] and ExamImage.objects.filter(pk=image.pk).exists()
