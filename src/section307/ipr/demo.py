"""Demo step: a recorded trademark, its rights holder's sign-in and two counterfeit detentions, one
still inside the importer's 7 business days (redacted images only) and one disclosed (unredacted); a
recorded copyright of the same owner and a suspected piratical article under 19 CFR 133.42-133.43 as amended by
CBP Dec. 24-03: noticed, the importer's 7 business days run, disclosed to the copyright owner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone

from section307.accounts import roles
from section307.accounts.models import Organization, User
from section307.ports import law


def _business_days_back(today: dt.date, days: int) -> dt.date:
    day, left = today, days
    while left > 0:
        day -= dt.timedelta(days=1)
        if law.FEDERAL.is_business_day(day):
            left -= 1
    return day


def _receive(number: str, *, imported: dt.date, harborline: Any, broker: Any, line: dict[str, str]) -> Any:
    """One air entry of Harborline at port 2704 with one line of Chinese goods, received from its broker."""
    from section307.ports.intake import parse_entry
    from section307.ports.models import Entry
    from section307.ports.services import entries_receive

    parsed = parse_entry(
        {
            "entry_number": number,
            "port": "2704",
            "mode": "air",
            "filer": "GCB",
            "importer": harborline.name,
            "importer_number": harborline.importer_number,
            "date_of_import": imported.isoformat(),
            "lines": [{"line": 1, "country_of_origin": "CN", "quantity_unit": "PCS", **line}],
        },
        today=timezone.localdate(),
    )
    entries_receive(actor=broker, entries=[parsed], source=Entry.Source.DEMO)
    return Entry.objects.get(entry_number=number)


def demo_step(world: Any) -> None:
    from section307.ipr import services
    from section307.ipr.models import IprDetention, Recordation
    from section307.ports.demo import demo_photo
    from section307.ports.models import Entry

    owner, _ = Organization.objects.update_or_create(
        name="Summit Peak Outfitters Inc.", defaults={"kind": Organization.Kind.RIGHTS_HOLDER, "country": "US"}
    )
    world.orgs["summitpeak"] = owner
    recordation = Recordation.objects.filter(number="TMK 24-00417").first()
    if recordation is None:
        recordation = Recordation.objects.create(
            kind=Recordation.Kind.TRADEMARK,
            number="TMK 24-00417",
            registration_number="6,123,457",
            title="SUMMIT PEAK (word and mountain design)",
            owner=owner,
            goods="Backpacks, rucksacks (class 18); jackets, fleece tops (class 25)",
        )
    user, _ = User.objects.get_or_create(username="rightsholder")
    user.first_name, user.last_name, user.email = "Robin", "Holder", "brand-protection@summitpeak.example.com"
    user.organization = owner
    password = (
        f"rightsholder-{world.rng.choice(['alpine', 'ridge', 'glacier', 'trail'])}-{world.rng.randrange(1000, 9999)}"
    )
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=roles.RIGHTS_HOLDER)])
    recordation.holders.add(user)
    world.users["rightsholder"] = (user, password)

    broker, _ = world.users["broker"]
    officer, _ = world.users["officer"]
    harborline = world.orgs["harborline"]
    today = timezone.localdate()
    specs = [
        ("GCB-0001005-4", today - dt.timedelta(days=16), "Backpacks with SUMMIT PEAK marks and tags", 12),
        ("GCB-0001006-2", today - dt.timedelta(days=3), "Fleece jackets with SUMMIT PEAK labels", 1),
    ]
    for number, imported, description, notice_back in specs:
        if Entry.objects.filter(entry_number=number).exists():
            continue
        entry = _receive(
            number,
            imported=imported,
            harborline=harborline,
            broker=broker,
            line={
                "manufacturer": "Guangzhou Everbright Bags Factory",
                "manufacturer_address": "12 Shibei Road, Baiyun District, Guangzhou, China",
                "shipper": "Everbright Trading (HK) Ltd.",
                "shipper_address": "Kwun Tong, Hong Kong",
                "hts": "4202.92",
                "description": description,
                "value_usd": "18400",
                "quantity": "960",
            },
        )
        decided = _business_days_back(today, notice_back + 1)
        entry.presented_on = decided
        entry.save(update_fields=["presented_on"])
        detention = services.ipr_detain(
            actor=officer,
            entry=entry,
            recordations=[recordation],
            reasons="Marks misspelt on the hang tags, no authorised licensee, price far below retail.",
            decided_on=decided,
            codes=[
                {"kind": "upc", "value": "0 84562 31907 2", "where": "hang tag"},
                {"kind": "sku", "value": "SP-BP-30L-BLK", "where": "carton"},
                {"kind": "serial", "value": "SPK2409117730", "where": "sewn-in label"},
            ],
        )
        for n, (shot, caption) in enumerate(
            (
                ("product", "The article with the mark on the front"),
                ("packaging", "Retail bag and outer carton"),
                ("labels", "Hang tag with UPC and SKU"),
            )
        ):
            image = services.image_add(
                actor=officer,
                detention=detention,
                data=demo_photo(f"SUMMIT PEAK  {shot.upper()}", seed=40 + n),
                shot_type=shot,
                caption=caption,
            )
            services.image_redact(actor=officer, image=image, boxes=[(0.15, 0.18, 0.85, 0.5), (0.15, 0.6, 0.7, 0.84)])
        services.ipr_notice_send(actor=officer, detention=detention, on=_business_days_back(today, notice_back))
        if notice_back > 7:
            services.ipr_disclose(actor=officer, detention=detention)
    _piratical_step(world, owner=owner, holder=user, harborline=harborline, broker=broker, officer=officer)
    if IprDetention.objects.filter(entry__entry_number="GCB-0001005-4").exists():
        world.notes.append(
            "IPR: rights holder 'rightsholder' (TMK 24-00417); GCB-0001005-4 disclosed (unredacted), "
            "GCB-0001006-2 within the importer's 7 business days (redacted)"
        )


PIRATICAL_ENTRY = "GCB-0001007-0"


def _piratical_step(
    world: Any, *, owner: Organization, holder: User, harborline: Any, broker: Any, officer: Any
) -> None:
    """A copyright of Summit Peak and a suspected piratical article (19 CFR 133.42-133.43, CBP Dec. 24-03):
    noticed, the importer's information read, disclosed after its 7 business days; the rights holder's
    answer (or a request for a sample on a bond) is next."""
    from section307.ipr import services
    from section307.ipr.models import IprDetention, Recordation
    from section307.ports.demo import demo_photo
    from section307.ports.models import Entry

    copyright_ = Recordation.objects.filter(number="COP 23-01182").first()
    if copyright_ is None:
        copyright_ = Recordation.objects.create(
            kind=Recordation.Kind.COPYRIGHT,
            number="COP 23-01182",
            registration_number="VA 2-331-507",
            title="Summit Peak Ridge Trail Map (2-D artwork)",
            owner=owner,
            goods="Printed maps, posters, bandanas bearing the artwork",
        )
    copyright_.holders.add(holder)
    if Entry.objects.filter(entry_number=PIRATICAL_ENTRY).exists():
        return
    today = timezone.localdate()
    importer, _ = world.users["importer"]
    entry = _receive(
        PIRATICAL_ENTRY,
        imported=today - dt.timedelta(days=17),
        harborline=harborline,
        broker=broker,
        line={
            "manufacturer": "Dongguan Brightprint Co.",
            "manufacturer_address": "8 Chang'an Road, Dongguan, China",
            "shipper": "Brightprint Export Ltd.",
            "shipper_address": "Tsuen Wan, Hong Kong",
            "hts": "4905.91",
            "description": "Folded trail maps and bandanas printed with a ridge trail map",
            "value_usd": "3100",
            "quantity": "2400",
        },
    )
    entry.presented_on = today - dt.timedelta(days=16)
    entry.save(update_fields=["presented_on"])
    detention = services.ipr_detain(
        actor=officer,
        entry=entry,
        recordations=[copyright_],
        reasons="The map artwork reproduces the recorded work line for line; no licence on file.",
        decided_on=today - dt.timedelta(days=15),
        procedure=IprDetention.Procedure.PIRATICAL,
    )
    for n, (shot, caption) in enumerate(
        (
            ("product", "Folded map, front panel"),
            ("packaging", "Shrink wrap and carton"),
            ("labels", "Back panel with the printer's imprint"),
        )
    ):
        services.image_add(
            actor=officer,
            detention=detention,
            data=demo_photo(f"RIDGE TRAIL MAP  {shot.upper()}", seed=60 + n),
            shot_type=shot,
            caption=caption,
        )
    services.ipr_notice_send(actor=officer, detention=detention, on=today - dt.timedelta(days=14))
    services.ipr_importer_reply(
        actor=importer,
        detention=detention,
        text="The maps were printed under a 2024 licence from a regional trail association; not piratical copies.",
    )
    services.ipr_disclose(actor=officer, detention=detention)
    world.notes.append(
        f"IPR: {PIRATICAL_ENTRY} suspected piratical article of COP 23-01182 (19 CFR 133.42-133.43, CBP Dec. 24-03); "
        "disclosed after the importer's 7 business days, 'rightsholder' may answer or ask for a sample"
    )
