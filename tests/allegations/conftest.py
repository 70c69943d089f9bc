"""Fixtures for the allegations tests: countries, a clean cache (rate limits), valid input, sample files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from PIL import Image
from pypdf import PdfWriter

from section307.allegations.inputs import AllegationInput, IdentityInput, IndicatorInput, NamedPartyInput


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def countries(db: Any) -> None:
    from section307.geo.services import countries_sync

    countries_sync()


def valid_input(**overrides: Any) -> AllegationInput:
    data: dict[str, Any] = dict(
        reasons="Workers at the spinning mill cannot leave and their passports were taken on arrival.",
        source_type="worker_testimony",
        merchandise="Combed cotton yarn, 40s count, shipped on cones.",
        hts_code="5205.12",
        industry="apparel",
        country="CN",
        region_text="Aksu prefecture",
        supply_chain_stage="processing",
        parties=[NamedPartyInput("manufacturer", "Tianshan Harvest Textile Co., Ltd.", "88 Jiefang Road", "CN")],
        indicators=[IndicatorInput("retention_of_documents", "Passports collected by the dormitory manager.")],
        shipment_refs=[("container", "MSCU 765432 1")],
    )
    data.update(overrides)
    return AllegationInput(**data)


def identified_input(**overrides: Any) -> AllegationInput:
    return valid_input(
        identity=IdentityInput(name="Li Wen", organization="Cotton Workers Aid", email="liwen@example.org"),
        contact_allowed=True,
        contact_method="email",
        **overrides,
    )


def jpeg_with_gps(author: str = "Jane Reporter") -> bytes:
    img = Image.new("RGB", (64, 48), "navy")
    exif = img.getexif()
    exif[0x013B] = author  # Artist
    exif[0x0110] = "Pixel 7 Pro"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (41.0, 10.0, 0.0), "E", (80.0, 15.0, 0.0)
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "green").save(out, "PNG")
    return out.getvalue()


def pdf_with_author(author: str = "Jane Reporter") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": author, "/Creator": "Writer", "/Title": "Payroll"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_with_author(author: str = "Jane Reporter") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        zf.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        zf.writestr(
            "word/document.xml",
            f'<w:document><w:body><w:ins w:id="1" w:author="{author}"><w:p>Wages withheld</w:p></w:ins>'
            "</w:body></w:document>",
        )
        zf.writestr(
            "docProps/core.xml",
            f"<cp:coreProperties><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
            "<dc:title>Notes</dc:title></cp:coreProperties>",
        )
        zf.writestr("docProps/app.xml", "<Properties><Company>Cotton Workers Aid</Company></Properties>")
    return out.getvalue()
