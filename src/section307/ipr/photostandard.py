"""The IPR photo standard: one configuration read by the upload check, the upload page and the published PDF.

``SHOT_TYPES`` lists every kind of photograph an officer takes of goods detained for suspected
counterfeit marks; the ``required`` ones must all be on file before the rights holder is given the
unredacted images (``missing_shots``). Each photo also meets the general quality standard of
``ports.images`` (resolution, sharpness, exposure).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from section307.ports import images as photo


@dataclass(frozen=True)
class ShotType:
    key: str
    label: str | Promise
    what: str | Promise
    required: bool


SHOT_TYPES: tuple[ShotType, ...] = (
    ShotType(
        "product",
        _("Product"),
        _("The article itself, whole, with the mark visible; one photo per style or model."),
        True,
    ),
    ShotType(
        "packaging",
        _("Packaging"),
        _("The retail packaging and the outer carton, every side that carries a mark or text."),
        True,
    ),
    ShotType(
        "labels",
        _("Labels and markings"),
        _("Close-up of the mark, hang tags, sewn-in labels, serial numbers, UPC or SKU codes, legible."),
        True,
    ),
    ShotType(
        "documents",
        _("Documents"),
        _("Invoice or packing list lines for the goods, when they show the brand or model."),
        False,
    ),
    ShotType("other", _("Other"), _("Anything else the officer found relevant, captioned."), False),
)

SHOT_CHOICES = [(s.key, s.label) for s in SHOT_TYPES]
REQUIRED_SHOTS = tuple(s.key for s in SHOT_TYPES if s.required)
_BY_KEY = {s.key: s for s in SHOT_TYPES}


def shot(key: str) -> ShotType:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown shot type {key!r}") from None


def missing_shots(taken: Iterable[str]) -> list[ShotType]:
    """The required shot types not yet among ``taken``, in the standard's order."""
    have = set(taken)
    return [s for s in SHOT_TYPES if s.required and s.key not in have]


def quality_rules() -> list[str]:
    return [str(rule) for rule in photo.standard()]


def standard_pdf(*, today: dt.date | None = None) -> bytes:
    """The published standard as a PDF, built from ``SHOT_TYPES`` and the quality rules."""
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=LETTER, title=str(_("Photo standard for IPR detentions")), author="section307", lang="en"
    )
    story: list = [
        Paragraph(str(_("Photo standard for detentions of suspected counterfeit goods")), styles["Title"]),
        Paragraph(
            str(_("19 CFR 133.21: photographs shared with the importer and, redacted or not, the mark owner.")),
            styles["Normal"],
        ),
        Spacer(1, 12),
        Paragraph(str(_("Shot types")), styles["Heading2"]),
    ]
    rows = [[str(_("Shot type")), str(_("What it shows")), str(_("Required"))]]
    for s in SHOT_TYPES:
        rows.append(
            [
                Paragraph(str(s.label), styles["Normal"]),
                Paragraph(str(s.what), styles["Normal"]),
                str(_("Required")) if s.required else str(_("Optional")),
            ]
        )
    story.append(Table(rows, colWidths=[110, 300, 70], repeatRows=1))
    story += [Spacer(1, 12), Paragraph(str(_("Quality of every photo")), styles["Heading2"])]
    story.append(
        ListFlowable([ListItem(Paragraph(rule, styles["Normal"])) for rule in quality_rules()], bulletType="bullet")
    )
    when = (today or timezone.localdate()).isoformat()
    story += [Spacer(1, 12), Paragraph(str(_("Generated on %(date)s.")) % {"date": when}, styles["Italic"])]
    doc.build(story)
    return out.getvalue()
