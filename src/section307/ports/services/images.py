"""section307.ports.services: images."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext

from section307.core.audit import audit_record
from section307.core.types import Actor
from section307.ports import images as photo
from section307.ports.models import (
    Entry,
    ExamImage,
)
from section307.ports.services._base import PortsError, _user, timeline_add

# -- images ----------------------------------------------------------------------------------------------


class ImageBelowStandard(PortsError):
    def __init__(self, report: photo.ImageReport) -> None:
        super().__init__("; ".join(report.problems))
        self.report = report


def image_add(
    *,
    actor: Actor,
    entry: Entry,
    data: bytes,
    original_name: str,
    caption: str,
    override_reason: str = "",
    shared_with_importer: bool = True,
) -> ExamImage:
    """Store an exam photo re-encoded as JPEG. A photo below the standard needs the officer's reason.

    Decoding, checking and re-encoding (which drops EXIF and GPS) run before the transaction opens,
    so no database lock is held while a large photo is processed; only the write is atomic.
    """
    if not caption.strip():
        raise PortsError(gettext("a caption is required (what the photo shows)"))
    report, upright = photo.assess(data)  # raises ImageRejected for unusable files
    if not report.passed and not override_reason.strip():
        raise ImageBelowStandard(report)
    encoded = photo.encode_jpeg(upright)
    return _image_store(
        actor=actor,
        entry=entry,
        encoded=encoded,
        original=data,
        report=report,
        original_name=original_name,
        caption=caption,
        override_reason=override_reason,
        shared_with_importer=shared_with_importer,
    )


@transaction.atomic
def _image_store(
    *,
    actor: Actor,
    entry: Entry,
    encoded: bytes,
    original: bytes,
    report: photo.ImageReport,
    original_name: str,
    caption: str,
    override_reason: str,
    shared_with_importer: bool,
) -> ExamImage:
    digest = photo.sha256(encoded)
    image = ExamImage(
        entry=entry,
        original_name=original_name[:255],
        caption=caption.strip()[:300],
        width=report.width,
        height=report.height,
        sha256=digest,
        original_sha256=photo.sha256(original),
        taken_at=report.taken_at,
        camera=report.camera,
        checks=report.as_dict(),
        passed=report.passed,
        override_reason="" if report.passed else override_reason.strip(),
        shared_with_importer=shared_with_importer,
        uploaded_by=_user(actor),
    )
    image.image.save(f"{digest[:16]}.jpg", ContentFile(encoded), save=False)
    image.save()
    note = "" if report.passed else f" (below standard, kept: {image.override_reason})"
    timeline_add(
        entry=entry,
        kind="image",
        summary=f"Exam photo added: {image.caption}{note}",
        actor=actor,
        data={"image": image.pk, "sha256": digest},
        shared=shared_with_importer,
    )
    audit_record(actor=actor, action="image.add", target=image, data={"checks": report.as_dict()})
    return image


@transaction.atomic
def image_redact(*, actor: Actor, image: ExamImage, boxes: list[tuple[float, float, float, float]]) -> ExamImage:
    """A redacted derived copy (for sharing with a rights holder); the original stays untouched."""
    if not boxes:
        raise PortsError(gettext("draw at least one box to redact"))
    with image.image.open("rb") as fh:
        original = fh.read()
    try:
        redacted = photo.redact(original, boxes)
    except ValueError as exc:
        raise PortsError(str(exc)) from None
    image.redaction_boxes = [list(b) for b in boxes]
    image.redacted.save(f"{image.sha256[:16]}-redacted.jpg", ContentFile(redacted), save=False)
    image.save(update_fields=["redacted", "redaction_boxes"])
    audit_record(actor=actor, action="image.redact", target=image, data={"boxes": image.redaction_boxes})
    return image
