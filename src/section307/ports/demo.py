"""Demo step: entries for the demo importers (hits and clear ones), a detention with a notice and a photo."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from section307.ports.apps import FILER


def demo_photo(text: str, *, size: tuple[int, int] = (1600, 1200), seed: int = 7, blur: float = 0.0) -> bytes:
    """A synthetic photo of a carton label: textured card, printed lines. Meets the standard unless blurred."""
    rng = random.Random(seed)
    w, h = size
    img = Image.new("RGB", size, (150, 120, 85))
    draw = ImageDraw.Draw(img)
    for _ in range(w * h // 400):  # cardboard texture
        x, y = rng.randrange(w), rng.randrange(h)
        shade = rng.randrange(110, 170)
        draw.point((x, y), fill=(shade, shade - 25, shade - 60))
    draw.rectangle([w // 8, h // 6, w * 7 // 8, h * 5 // 6], fill=(205, 205, 195), outline=(20, 20, 20), width=6)
    y = h // 6 + 40
    for i, line in enumerate([text, "MADE IN CHINA", "CTN 12/48  G.W. 18.5 KG", "STYLE 4471-B  COTTON 100%"]):
        draw.text((w // 8 + 40, y + i * 90), line, fill=(15, 15, 15), font_size=56)
    for i in range(40):  # barcode
        x = w // 8 + 40 + i * 14
        draw.rectangle([x, h * 5 // 6 - 200, x + rng.choice((3, 6, 9)), h * 5 // 6 - 60], fill=(10, 10, 10))
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=92)
    return out.getvalue()


def _line(
    n: int, manufacturer: str, address: str, origin: str, hts: str, description: str, value: str
) -> dict[str, Any]:
    return {
        "line": n,
        "manufacturer": manufacturer,
        "manufacturer_address": address,
        "shipper": manufacturer,
        "shipper_address": address,
        "country_of_origin": origin,
        "hts": hts,
        "description": description,
        "value_usd": value,
        "quantity": "1200",
        "quantity_unit": "PCS",
    }


def demo_step(world: Any) -> None:
    from section307.ports.intake import parse_entry
    from section307.ports.models import Entry
    from section307.ports.services import entries_receive, entry_detain, entry_target, image_add

    harborline, meridian = world.orgs["harborline"], world.orgs["meridian"]
    for org, number in ((harborline, "84-2917365"), (meridian, "46-1182093")):
        if not org.importer_number:
            org.importer_number = number
            org.save(update_fields=["importer_number"])
    broker, _ = world.users["broker"]
    broker.groups.add(Group.objects.get_or_create(name=FILER)[0])
    officer, _ = world.users["officer"]
    today = timezone.localdate()
    specs = [
        (
            "GCB-0001001-3",
            harborline,
            today - dt.timedelta(days=12),
            [
                _line(
                    1,
                    "Tianshan Harvest Textile Co., Ltd.",
                    "88 Jiefang Road, Aksu, Xinjiang, China",
                    "CN",
                    "6205.20",
                    "Men's woven cotton shirts",
                    "48200",
                ),
            ],
        ),
        (
            "GCB-0001002-1",
            harborline,
            today - dt.timedelta(days=9),
            [
                _line(
                    1,
                    "Ningbo Harmony Garment Co., Ltd.",
                    "118 Binhai Road, Ningbo, China",
                    "VN",
                    "6109.10",
                    "Cotton T-shirts",
                    "21000",
                ),
            ],
        ),
        (
            "GCB-0001003-8",
            meridian,
            today - dt.timedelta(days=6),
            [
                _line(
                    1,
                    "Hami Bright Sun New Energy Co., Ltd.",
                    "Hami, Xinjiang",
                    "CN",
                    "8541.43",
                    "Photovoltaic modules",
                    "380000",
                ),
            ],
        ),
        (
            "GCB-0001004-6",
            meridian,
            today - dt.timedelta(days=3),
            [
                _line(
                    1,
                    "Evergreen Solar Components GmbH",
                    "Industriestrasse 4, Freiburg, Germany",
                    "DE",
                    "8504.40",
                    "Inverters",
                    "96000",
                ),
            ],
        ),
    ]
    for number, org, date, lines in specs:
        if Entry.objects.filter(entry_number=number).exists():
            continue
        parsed = parse_entry(
            {
                "entry_number": number,
                "port": "2704",
                "mode": "ocean",
                "filer": "GCB",
                "importer": org.name,
                "importer_number": org.importer_number,
                "date_of_import": date.isoformat(),
                "lines": lines,
            },
            today=today,
        )
        entries_receive(actor=broker, entries=[parsed], source=Entry.Source.DEMO)
    entry = Entry.objects.get(entry_number="GCB-0001001-3")
    if entry.status == Entry.Status.TARGETED:
        entry_target(actor=officer, entry=entry, action="exam", reason="WRO manufacturer named on the entry")
        image_add(
            actor=officer,
            entry=entry,
            data=demo_photo("TIANSHAN HARVEST TEXTILE AKSU"),
            original_name="carton-label.jpg",
            caption="Carton label naming Tianshan Harvest Textile, Aksu",
        )
        entry_detain(
            actor=officer,
            entry=entry,
            reason="The carton labels and the invoice name Tianshan Harvest Textile Co., Ltd., subject to the WRO.",
        )
    world.notes.append("Port: entries GCB-0001001-3 (detained, WRO) and GCB-0001003-8 (UFLPA hit, in the queue)")
