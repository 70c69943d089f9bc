"""A small IPR world: two trademark owners with one recordation each, an importer, an officer and a
detained entry whose marks are one owner's."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from PIL import Image, ImageDraw

from section307.accounts import roles
from section307.accounts.models import Organization, User
from section307.ipr import services
from section307.ipr.models import IprDetention, Recordation
from section307.ports.models import Entry, EntryLine

D = dt.date


def photo(seed: int = 1, size: tuple[int, int] = (1280, 960)) -> bytes:
    """A generated photo that meets the quality standard: textured, with printed bars."""
    rng = random.Random(seed)
    w, h = size
    img = Image.new("RGB", size, (140, 120, 90))
    draw = ImageDraw.Draw(img)
    for _ in range(w * h // 300):
        x, y = rng.randrange(w), rng.randrange(h)
        shade = rng.randrange(90, 190)
        draw.point((x, y), fill=(shade, shade - 20, shade - 50))
    for i in range(30):
        x = 100 + i * 30
        draw.rectangle([x, 300, x + rng.choice((4, 8, 12)), 600], fill=(10, 10, 10))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=92)
    return out.getvalue()


@dataclass
class IprWorld:
    officer: User
    supervisor: User
    holder: User
    other_holder: User
    importer: User
    other_importer: User
    owner: Organization
    importer_org: Organization
    recordation: Recordation
    other_recordation: Recordation
    entry: Entry
    detention: IprDetention


def make_entry(number: str, org: Organization, *, presented: dt.date) -> Entry:
    entry = Entry.objects.create(
        entry_number=number,
        port="2704",
        mode=Entry.Mode.AIR,
        importer_name=org.name,
        organization=org,
        date_of_import=presented,
        presented_on=presented,
        status=Entry.Status.EXAM,
        source=Entry.Source.API,
    )
    EntryLine.objects.create(
        entry=entry,
        line=1,
        manufacturer="Everbright Bags Factory",
        manufacturer_address="12 Shibei Road, Guangzhou",
        shipper="Everbright Trading Ltd.",
        shipper_address="Kwun Tong, Hong Kong",
        country_of_origin="CN",
        description="Backpacks with SUMMIT PEAK marks",
        quantity=960,
        quantity_unit="PCS",
    )
    return entry


@pytest.fixture
def ipr(make_user: Callable[..., User], make_org: Callable[..., Organization]) -> IprWorld:
    owner = make_org("Summit Peak Outfitters", kind=Organization.Kind.RIGHTS_HOLDER)
    rival = make_org("Other Brand Co.", kind=Organization.Kind.RIGHTS_HOLDER)
    importer_org = make_org("Harborline Imports")
    other_org = make_org("Meridian Supply")
    admin = make_user(roles.ADMINISTRATOR)
    recordation = services.recordation_create(
        actor=admin, kind="trademark", number="TMK 24-00417", title="SUMMIT PEAK", owner=owner
    )
    other = services.recordation_create(
        actor=admin, kind="trademark", number="TMK 19-00022", title="OTHER BRAND", owner=rival
    )
    holder = make_user(roles.RIGHTS_HOLDER, organization=owner)
    recordation.holders.add(holder)
    other_holder = make_user(roles.RIGHTS_HOLDER, organization=rival)
    other.holders.add(other_holder)
    officer = make_user(roles.PORT_OFFICER)
    entry = make_entry("GCB-0002001-1", importer_org, presented=D(2026, 3, 2))
    detention = services.ipr_detain(
        actor=officer,
        entry=entry,
        recordations=[recordation],
        reasons="Misspelt marks on the hang tags",
        decided_on=D(2026, 3, 2),
        codes=[{"kind": "upc", "value": "084562319072"}, {"kind": "sku", "value": "SP-BP-30L"}],
    )
    return IprWorld(
        officer=officer,
        supervisor=make_user(roles.SUPERVISOR),
        holder=holder,
        other_holder=other_holder,
        importer=make_user(roles.TRADE_USER, organization=importer_org),
        other_importer=make_user(roles.TRADE_USER, organization=other_org),
        owner=owner,
        importer_org=importer_org,
        recordation=recordation,
        other_recordation=other,
        entry=entry,
        detention=detention,
    )


def add_required_photos(w: IprWorld, *, redact: bool = True) -> list[Any]:
    images = []
    for n, shot in enumerate(("product", "packaging", "labels")):
        image = services.image_add(
            actor=w.officer, detention=w.detention, data=photo(seed=n + 1), shot_type=shot, caption=f"{shot} photo"
        )
        if redact:
            image = services.image_redact(actor=w.officer, image=image, boxes=[(0.1, 0.25, 0.9, 0.7)])
        images.append(image)
    return images
