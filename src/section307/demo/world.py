"""Build the demo world. Every name here is fictional; places, laws and HTS headings are real."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.module_loading import import_string
from stdnum.cn import uscc

from section307.accounts import roles
from section307.accounts.models import Organization, User
from section307.geo.models import Country, Region, TipRanking
from section307.geo.services import countries_sync
from section307.goods.models import DolGoodListing, Good, GoodHtsCode
from section307.orders.models import EnforcementOrder, OrderSource, OrderType
from section307.orders.services import ScopedParty, order_create, order_transition
from section307.parties.models import Party
from section307.parties.services import party_link, party_resolve

# Later contexts (allegations, cases, ports...) append their own steps here.
STEPS: list[str] = []


@dataclass
class DemoWorld:
    seed: int
    rng: random.Random
    users: dict[str, tuple[User, str]] = field(default_factory=dict)
    orgs: dict[str, Organization] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)
    goods: dict[str, Good] = field(default_factory=dict)
    orders: dict[str, EnforcementOrder] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def imo_number(six_digits: str) -> str:
    """A seven-digit IMO number with a valid check digit (weights 7..2)."""
    check = sum(int(d) * w for d, w in zip(six_digits, range(7, 1, -1), strict=True)) % 10
    return f"{six_digits}{check}"


def uscc_number(seventeen: str) -> str:
    return seventeen + uscc.calc_check_digit(seventeen)


GOODS: list[tuple[str, list[str], list[str]]] = [
    # name, HTS prefixes, inputs
    ("Cotton", ["5201", "5203"], []),
    ("Cotton yarn", ["5205", "5206"], ["Cotton"]),
    ("Cotton fabric", ["5208", "5209", "5210", "5211", "5212"], ["Cotton yarn"]),
    ("Apparel", ["61", "62"], ["Cotton fabric"]),
    ("Tomatoes", ["0702"], []),
    ("Tomato products", ["2002"], ["Tomatoes"]),
    ("Polysilicon", ["280461"], []),
    ("Solar cells and modules", ["854142", "854143"], ["Polysilicon"]),
    ("Palm oil", ["1511", "1513"], []),
    ("Disposable rubber gloves", ["401511", "401519"], []),
    ("Fish and seafood", ["0302", "0303", "0304", "160414"], []),
    ("Sugar", ["1701"], []),
    ("Timber", ["4403", "4407"], []),
    ("Aluminum", ["7601"], []),
]

DOL: list[tuple[str, str, bool, bool]] = [
    # good, country, child labor, forced labor
    ("Cotton", "CN", True, True),
    ("Tomato products", "CN", False, True),
    ("Polysilicon", "CN", False, True),
    ("Solar cells and modules", "CN", False, True),
    ("Palm oil", "MY", True, True),
    ("Disposable rubber gloves", "MY", False, True),
    ("Fish and seafood", "TH", False, True),
    ("Cotton", "TM", True, True),
    ("Sugar", "DO", True, True),
    ("Timber", "KP", False, True),
]

TIP: list[tuple[str, str]] = [
    ("CN", "3"),
    ("KP", "3"),
    ("TM", "3"),
    ("MY", "2WL"),
    ("TH", "2"),
    ("DO", "2"),
    ("VN", "2WL"),
    ("RU", "3"),
    ("AE", "2"),
    ("MX", "2"),
    ("US", "1"),
    ("DE", "1"),
]

ORGS: list[tuple[str, str, str, str]] = [
    # key, name, kind, country
    ("harborline", "Harborline Apparel Imports LLC", Organization.Kind.IMPORTER, "US"),
    ("meridian", "Meridian Solar Supply Inc.", Organization.Kind.IMPORTER, "US"),
    ("gulfport", "Gulfport Customs Brokerage Co.", Organization.Kind.BROKER, "US"),
    ("agency", "Trade Enforcement Directorate", Organization.Kind.AGENCY, "US"),
    ("dol", "Department of Labor, Bureau of International Labor Affairs", Organization.Kind.PARTNER, "US"),
    ("state", "Department of State, Office to Monitor and Combat Trafficking", Organization.Kind.PARTNER, "US"),
    ("hsi", "Homeland Security Investigations", Organization.Kind.PARTNER, "US"),
]

USERS: list[tuple[str, str, str, str, str]] = [
    # username, full name, role, organization key, email
    ("admin", "Avery Admin", roles.ADMINISTRATOR, "agency", "admin@example.gov"),
    ("analyst", "Dana Analyst", roles.ANALYST, "agency", "analyst@example.gov"),
    ("analyst2", "Rafael Ortiz", roles.ANALYST, "agency", "rortiz@example.gov"),
    ("supervisor", "Sam Supervisor", roles.SUPERVISOR, "agency", "supervisor@example.gov"),
    ("officer", "Pat Officer", roles.PORT_OFFICER, "agency", "officer@example.gov"),
    ("importer", "Ivy Importer", roles.TRADE_USER, "harborline", "compliance@harborline.example.com"),
    ("importer2", "Max Meridian", roles.TRADE_USER, "meridian", "trade@meridian.example.com"),
    ("broker", "Bea Broker", roles.TRADE_USER, "gulfport", "desk@gulfport.example.com"),
    ("partner", "Lee Partner", roles.PARTNER_AGENCY, "dol", "ilab@example.gov"),
    # Headquarters (Forced Labor Division): one proposes a determination, the other concurs.
    ("hq", "Harper Quinn", roles.HQ_REVIEWER, "agency", "hq@example.gov"),
    ("hq2", "Jordan Reyes", roles.HQ_REVIEWER, "agency", "hq2@example.gov"),
    ("manager", "Morgan Manager", roles.MANAGER, "agency", "manager@example.gov"),
]


def _password(rng: random.Random, username: str) -> str:
    words = ["harbor", "cotton", "ledger", "signal", "meadow", "copper", "lantern", "summit", "delta", "orchid"]
    return f"{username}-{rng.choice(words)}-{rng.randrange(1000, 9999)}"


def _users(world: DemoWorld) -> None:
    for key, name, kind, country in ORGS:
        org, _ = Organization.objects.update_or_create(name=name, defaults={"kind": kind, "country": country})
        world.orgs[key] = org
    for username, full_name, role, org_key, email in USERS:
        first, _, last = full_name.partition(" ")
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.email = first, last, email
        user.organization = world.orgs[org_key]
        user.is_staff = role == roles.ADMINISTRATOR
        # Not a superuser: administrators manage users and reference data, not allegations.
        user.is_superuser = False
        password = _password(world.rng, username)
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        world.users[username] = (user, password)


def _goods(world: DemoWorld) -> None:
    for name, prefixes, inputs in GOODS:
        good, _ = Good.objects.get_or_create(name=name)
        for prefix in prefixes:
            GoodHtsCode.objects.get_or_create(good=good, code=prefix)
        good.inputs.add(*[world.goods[i] for i in inputs])
        world.goods[name] = good
    for good_name, code, child, forced in DOL:
        DolGoodListing.objects.update_or_create(
            good=world.goods[good_name],
            country_id=code,
            defaults={"child_labor": child, "forced_labor": forced, "year": 2024},
        )
    for code, tier in TIP:
        TipRanking.objects.update_or_create(country_id=code, year=2025, defaults={"tier": tier})


def _region(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def _parties(world: DemoWorld) -> None:
    cn, my, th, ru, ae, do, tw = (Country.objects.get(code=c) for c in ("CN", "MY", "TH", "RU", "AE", "DO", "TW"))
    xj = _region("CN-XJ")
    specs: list[dict[str, Any]] = [
        dict(
            key="tianshan",
            name="Tianshan Harvest Textile Co., Ltd.",
            original=["天山丰收纺织有限公司"],
            aliases=["Tianshan Fengshou Fangzhi Youxian Gongsi"],
            country=cn,
            region=xj,
            identifiers=[("MID", "CNTIAHAR88AKS"), ("USCC", uscc_number("91652900MA78TP0H1"))],
            addresses=["88 Jiefang Road, Aksu, Xinjiang, China", "新疆阿克苏市解放路88号"],
        ),
        dict(
            key="tianshan_spinning",
            name="Tianshan Harvest (Aksu) Spinning Co., Ltd.",
            original=["天山丰收(阿克苏)纺纱有限公司"],
            country=cn,
            region=xj,
            addresses=["12 Industrial Park, Aksu, Xinjiang"],
        ),
        dict(
            key="kashgar",
            name="Kashgar Golden Sands Apparel Co., Ltd.",
            original=["喀什金沙服装有限公司"],
            aliases=["Kashi Jinsha Fuzhuang"],
            country=cn,
            region=xj,
            identifiers=[("MID", "CNKASGOL5KAS")],
            addresses=["5 Renmin East Road, Kashgar, Xinjiang"],
        ),
        dict(
            key="silverline",
            name="Silverline Polysilicon Materials Co., Ltd.",
            original=["银线多晶硅材料有限公司"],
            country=cn,
            region=xj,
            identifiers=[("USCC", uscc_number("91659001MA79XL0P2"))],
            addresses=["Shihezi Economic Development Zone, Shihezi, Xinjiang"],
        ),
        dict(
            key="redhill",
            name="Changji Red Hill Tomato Products Co., Ltd.",
            original=["昌吉红山番茄制品有限公司"],
            country=cn,
            region=xj,
            addresses=["Changji Hui Autonomous Prefecture, Xinjiang"],
        ),
        dict(
            key="hami",
            name="Hami Bright Sun New Energy Co., Ltd.",
            original=["哈密明日新能源有限公司"],
            country=cn,
            region=xj,
            addresses=["Hami, Xinjiang"],
        ),
        dict(
            key="borneo",
            name="Borneo Crest Plantations Sdn. Bhd.",
            aliases=["Borneo Crest Plantations"],
            country=my,
            identifiers=[("MID", "MYBORCRE12SAN")],
            addresses=["Lot 12, Jalan Labuk, Sandakan, Sabah"],
        ),
        dict(
            key="selangor",
            name="Selangor Nitrile Industries Berhad",
            aliases=["SNI Berhad"],
            country=my,
            identifiers=[("MID", "MYSELNIT7KLA")],
            addresses=["7 Jalan Klang Lama, Klang, Selangor"],
        ),
        dict(
            key="oceanpearl",
            name="Ocean Pearl Fishing Co., Ltd.",
            original=["海珠漁業股份有限公司"],
            country=tw,
            addresses=["Qianzhen Fishing Port, Kaohsiung"],
        ),
        dict(
            key="pearldawn",
            name="Pearl Dawn No. 7",
            kind=Party.Kind.VESSEL,
            country=tw,
            identifiers=[("IMO", imo_number("931234"))],
        ),
        dict(
            key="severny",
            name="Severny Les LLC",
            original=["ООО «Северный Лес»"],
            aliases=["Severnyi Les"],
            country=ru,
            addresses=["ул. Лесная, 4, Архангельск"],
        ),
        dict(
            key="canaveral",
            name="Central Cañaveral S.A.",
            aliases=["Central Canaveral"],
            country=do,
            addresses=["Carretera La Romana km 3, La Romana"],
        ),
        dict(
            key="alnoor",
            name="Al Noor General Trading LLC",
            original=["شركة النور للتجارة العامة ذ.م.م"],
            country=ae,
            addresses=["Jebel Ali Free Zone, Dubai"],
        ),
        dict(
            key="siamstar",
            name="Siam Star Seafood Co., Ltd.",
            original=["บริษัท สยามสตาร์ ซีฟู้ด จำกัด"],
            country=th,
            addresses=["Mahachai, Samut Sakhon"],
        ),
    ]
    for spec in specs:
        party, _ = party_resolve(
            actor=None,
            name=spec["name"],
            kind=spec.get("kind", Party.Kind.ORGANIZATION),
            aliases=spec.get("aliases", []),
            original_names=spec.get("original", []),
            country=spec["country"],
            region=spec.get("region"),
            identifiers=spec.get("identifiers", []),
            addresses=spec.get("addresses", []),
        )
        world.parties[spec["key"]] = party
    party_link(actor=None, parent=world.parties["tianshan"], child=world.parties["tianshan_spinning"])
    party_link(actor=None, parent=world.parties["oceanpearl"], child=world.parties["pearldawn"], kind="branch")
    _background_parties(world, cn)


def _background_parties(world: DemoWorld, cn: Country) -> None:
    """Suppliers on no list, sharing common words with listed ones (what screening must not flag)."""
    places = [("Ningbo", "宁波"), ("Suzhou", "苏州"), ("Qingdao", "青岛"), ("Xiamen", "厦门"), ("Foshan", "佛山")]
    trades = [("Textile", "纺织"), ("Garment", "服装"), ("Trading", "贸易"), ("Industrial", "实业")]
    marks = [("Harmony", "和谐"), ("Evergreen", "长青"), ("Bright Star", "明星"), ("Golden Bridge", "金桥")]
    rng = world.rng
    for i in range(8):
        place, trade, mark = rng.choice(places), rng.choice(trades), rng.choice(marks)
        party, _ = party_resolve(
            actor=None,
            name=f"{place[0]} {mark[0]} {trade[0]} Co., Ltd.",
            original_names=[f"{place[1]}{mark[1]}{trade[1]}有限公司"],
            country=cn,
            addresses=[f"{rng.randrange(1, 300)} Binhai Road, {place[0]}, China"],
        )
        world.parties[f"background{i}"] = party


def _order(world: DemoWorld, key: str, **kwargs: Any) -> EnforcementOrder:
    existing = EnforcementOrder.objects.filter(source=OrderSource.DEMO, source_key=key).first()
    if existing is not None:
        world.orders[key] = existing
        return existing
    later = kwargs.pop("later", [])
    order = order_create(actor=None, source=OrderSource.DEMO, source_key=key, **kwargs)
    for transition, when, note in later:
        order = order_transition(
            actor=None, order=order, transition=transition, effective_date=when, note=note, source=OrderSource.DEMO
        )
    world.orders[key] = order
    return order


def _orders(world: DemoWorld) -> None:
    p, g = world.parties, world.goods
    xj = _region("CN-XJ")
    country = Country.objects.get
    _order(
        world,
        "uflpa-xuar",
        order_type=OrderType.UFLPA_REGION,
        country=country(code="CN"),
        effective_date=dt.date(2022, 6, 21),
        reference="UFR-2022-0001",
        merchandise="Goods mined, produced or manufactured wholly or in part in the Xinjiang Uyghur "
        "Autonomous Region (rebuttable presumption, UFLPA sec. 3)",
        legal_basis="Public Law 117-78, sec. 3",
        regions=[xj] if xj else [],
    )
    _order(
        world,
        "caatsa",
        order_type=OrderType.CAATSA,
        country=country(code="KP"),
        effective_date=dt.date(2017, 8, 2),
        reference="CAA-2017-0001",
        merchandise="Goods mined, produced or manufactured wholly or in part by the labor of North Korean "
        "nationals, wherever made (rebuttable presumption)",
        legal_basis="22 U.S.C. 9241a (CAATSA sec. 302A)",
        country_wide=True,
    )
    _order(
        world,
        "wro-tianshan",
        order_type=OrderType.WRO,
        country=country(code="CN"),
        effective_date=dt.date(2023, 3, 14),
        industry="Apparel",
        merchandise="Cotton yarn, fabric and garments",
        goods=[g["Cotton yarn"], g["Cotton fabric"], g["Apparel"]],
        parties=[ScopedParty(p["tianshan"], ("and its subsidiaries",)), ScopedParty(p["tianshan_spinning"])],
    )
    _order(
        world,
        "wro-borneo",
        order_type=OrderType.WRO,
        country=country(code="MY"),
        effective_date=dt.date(2021, 9, 30),
        industry="Agriculture",
        merchandise="Palm oil and palm oil products",
        goods=[g["Palm oil"]],
        parties=[ScopedParty(p["borneo"])],
    )
    _order(
        world,
        "wro-selangor",
        order_type=OrderType.WRO,
        country=country(code="MY"),
        effective_date=dt.date(2020, 7, 15),
        industry="Manufacturing",
        merchandise="Disposable nitrile gloves",
        goods=[g["Disposable rubber gloves"]],
        parties=[ScopedParty(p["selangor"])],
        later=[("modify", dt.date(2024, 2, 1), "Modified after remediation of recruitment fees at two plants")],
    )
    _order(
        world,
        "wro-pearldawn",
        order_type=OrderType.WRO,
        country=country(code="TW"),
        effective_date=dt.date(2020, 8, 18),
        industry="Fishing",
        merchandise="Seafood harvested by the vessel",
        goods=[g["Fish and seafood"]],
        parties=[ScopedParty(p["pearldawn"]), ScopedParty(p["oceanpearl"])],
        later=[("revoke", dt.date(2024, 5, 6), "Revoked: the owner showed forced-labor indicators were remedied")],
    )
    _order(
        world,
        "finding-canaveral",
        order_type=OrderType.FINDING,
        country=country(code="DO"),
        effective_date=dt.date(2023, 11, 20),
        industry="Agriculture",
        merchandise="Raw sugar and sugar-based products",
        goods=[g["Sugar"]],
        citation="Demo citation: 88 FR 00000; Customs Bulletin Vol. 57, No. 46",
        parties=[ScopedParty(p["canaveral"])],
    )
    _order(
        world,
        "wro-severny",
        order_type=OrderType.WRO,
        country=country(code="RU"),
        effective_date=dt.date(2019, 10, 1),
        industry="Timber",
        merchandise="Sawn timber",
        goods=[g["Timber"]],
        parties=[ScopedParty(p["severny"])],
        later=[("inactivate", dt.date(2022, 1, 10), "Entity dissolved")],
    )
    _order(
        world,
        "wro-xuar-cotton",
        order_type=OrderType.WRO,
        country=country(code="CN"),
        effective_date=dt.date(2021, 1, 13),
        industry="Agriculture",
        merchandise="Cotton and tomato products from the Xinjiang Uyghur Autonomous Region, and downstream "
        "products made with them",
        goods=[g["Cotton"], g["Tomato products"], g["Tomatoes"]],
        regions=[xj] if xj else [],
    )
    for key, party in (("uel-redhill", "redhill"), ("uel-hami", "hami"), ("uel-silverline", "silverline")):
        _order(
            world,
            key,
            order_type=OrderType.UFLPA_ENTITY,
            country=country(code="CN"),
            effective_date=dt.date(2024, 6, 11),
            merchandise="All goods mined, produced or manufactured wholly or in part by the listed entity",
            legal_basis="UFLPA sec. 2(d)(2)(B)(i)",
            parties=[ScopedParty(p[party])],
        )


@transaction.atomic
def build_demo_world(*, seed: int = 307) -> DemoWorld:
    from section307.accounts.roles import sync_roles

    sync_roles()
    countries_sync()
    try:
        from section307.geo.services import regions_sync

        regions_sync()
    except ImportError:  # the gazetteer ships with the screening engine
        pass
    world = DemoWorld(seed=seed, rng=random.Random(seed))
    _users(world)
    _goods(world)
    _parties(world)
    _orders(world)
    for path in STEPS:
        import_string(path)(world)
    return world


__all__ = ["STEPS", "DemoWorld", "build_demo_world"]
