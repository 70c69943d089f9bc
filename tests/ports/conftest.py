"""A small registry (a WRO, a Finding, a UFLPA entity) and helpers to file entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from section307.accounts import roles
from section307.accounts.models import Organization, User
from section307.geo.models import Country
from section307.geo.services import countries_sync
from section307.orders.models import EnforcementOrder, OrderType
from section307.orders.services import ScopedParty, order_create
from section307.parties.services import party_resolve
from section307.ports.intake import parse_entry
from section307.ports.models import Entry
from section307.ports.services import entries_receive

TIANSHAN = "Tianshan Harvest Textile Co., Ltd."


@pytest.fixture
def registry(db: Any) -> dict[str, EnforcementOrder]:
    countries_sync()
    cn, do = Country.objects.get(code="CN"), Country.objects.get(code="DO")
    tianshan, _ = party_resolve(
        actor=None,
        name=TIANSHAN,
        country=cn,
        identifiers=[("MID", "CNTIAHAR88AKS")],
        addresses=["88 Jiefang Road, Aksu, Xinjiang, China"],
    )
    canaveral, _ = party_resolve(actor=None, name="Central Cañaveral S.A.", country=do, addresses=["La Romana"])
    hami, _ = party_resolve(actor=None, name="Hami Bright Sun New Energy Co., Ltd.", country=cn, addresses=["Hami"])
    return {
        "wro": order_create(
            actor=None,
            order_type=OrderType.WRO,
            merchandise="Cotton yarn, fabric and garments",
            effective_date=dt.date(2023, 3, 14),
            country=cn,
            parties=[ScopedParty(tianshan)],
            reference="WRO-2023-0001",
        ),
        "finding": order_create(
            actor=None,
            order_type=OrderType.FINDING,
            merchandise="Raw sugar",
            effective_date=dt.date(2023, 11, 20),
            country=do,
            parties=[ScopedParty(canaveral)],
            reference="FND-2023-0001",
        ),
        "uflpa": order_create(
            actor=None,
            order_type=OrderType.UFLPA_ENTITY,
            merchandise="All goods by the listed entity",
            effective_date=dt.date(2024, 6, 11),
            country=cn,
            parties=[ScopedParty(hami)],
            reference="UEL-2024-0001",
        ),
    }


@pytest.fixture
def orgs(db: Any) -> tuple[Organization, Organization]:
    a = Organization.objects.create(
        name="Harborline Apparel Imports LLC", kind=Organization.Kind.IMPORTER, importer_number="84-2917365"
    )
    b = Organization.objects.create(
        name="Meridian Solar Supply Inc.", kind=Organization.Kind.IMPORTER, importer_number="46-1182093"
    )
    return a, b


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    user = make_user(roles.PORT_OFFICER)
    return User.objects.get(pk=user.pk)  # fresh: no cached permissions


@pytest.fixture
def importers(make_user: Callable[..., User], orgs: tuple[Organization, Organization]) -> tuple[User, User]:
    a = make_user(roles.TRADE_USER, organization=orgs[0])
    a.email = "compliance@harborline.example.com"
    a.save()
    b = make_user(roles.TRADE_USER, organization=orgs[1])
    return User.objects.get(pk=a.pk), User.objects.get(pk=b.pk)


_seq = iter(range(1000, 999999))


def payload(
    *,
    manufacturer: str = TIANSHAN,
    importer: str = "Harborline Apparel Imports LLC",
    importer_number: str = "84-2917365",
    number: str = "",
    date: dt.date | None = None,
    origin: str = "CN",
    description: str = "Men's woven cotton shirts",
    hts: str = "6205.20",
    lines: int = 1,
) -> dict[str, Any]:
    return {
        "entry_number": number or f"GCB-{next(_seq):07d}-0",
        "port": "2704",
        "mode": "ocean",
        "filer": "GCB",
        "importer": importer,
        "importer_number": importer_number,
        "date_of_import": (date or timezone.localdate() - dt.timedelta(days=5)).isoformat(),
        "lines": [
            {
                "line": i + 1,
                "manufacturer": manufacturer,
                "manufacturer_address": "88 Jiefang Road, Aksu, Xinjiang, China" if manufacturer == TIANSHAN else "",
                "country_of_origin": origin,
                "hts": hts,
                "description": description,
                "value_usd": "1000.50",
                "quantity": "120",
            }
            for i in range(lines)
        ],
    }


@pytest.fixture
def file_entry(officer: User, orgs: tuple[Organization, Organization]) -> Callable[..., Entry]:
    def factory(**kwargs: Any) -> Entry:
        parsed = parse_entry(payload(**kwargs), today=timezone.localdate())
        return entries_receive(actor=officer, entries=[parsed], source=Entry.Source.API)[0]

    return factory


@pytest.fixture
def reviewers(make_user: Callable[..., User]) -> tuple[User, User]:
    """Two headquarters reviewers: one proposes, the other concurs."""
    a, b = make_user(roles.HQ_REVIEWER), make_user(roles.HQ_REVIEWER)
    return User.objects.get(pk=a.pk), User.objects.get(pk=b.pk)


def hq_determine(detention: Any, reviewers: tuple[User, User], kind: str, outcome: str, **kwargs: Any) -> Any:
    """A determination proposed by the first reviewer and made effective by the second."""
    from section307.ports.services import determination_concur, determination_propose

    proposed = determination_propose(
        actor=reviewers[0], detention=detention, kind=kind, outcome=outcome, reasons="Reviewed the package", **kwargs
    )
    return determination_concur(actor=reviewers[1], determination=proposed)
