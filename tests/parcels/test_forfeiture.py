"""Forfeiture after the seizure of parcels under a Finding (19 CFR 12.42(f), 12.44(b); Part 162 subpart E,
Part 171) follows the rules entries follow (``ports.services.forfeiture_step_check``): each step once, after
the step it needs; the notice of seizure starts the 30 days to petition (19 CFR 171.2), the publication the
20 days to file a claim and cost bond (162.45); a step after its period is recorded and flagged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from section307.accounts import roles
from section307.accounts.models import Organization, User
from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.models import AuditEvent
from section307.core.queue import queue_for
from section307.parcels import services
from section307.parcels.models import Manifest, ParcelDetention, ParcelForfeitureStep
from section307.ports import law

from .conftest import row

pytestmark = pytest.mark.django_db

SUGAR = {
    "seller": "Central Cañaveral S.A.",
    "seller_address": "La Romana",
    "description": "raw cane sugar",
    "hts": "1701.14",
    "origin_country": "DO",
}


def _detain(receive: Callable[..., Manifest], officer: User) -> ParcelDetention:
    m = receive([row(i, consignee="Harborline Apparel Imports LLC", **SUGAR) for i in range(1, 4)])
    return services.group_detain(actor=officer, group=m.groups.get(), reason="Seller named in the Finding.")


@pytest.fixture
def seized(registry: Any, receive: Callable[..., Manifest], officer: User, importer: Organization) -> ParcelDetention:
    detention = _detain(receive, officer)
    assert detention.regime == "finding" and detention.organization == importer
    after = detention.clocks.get(kind=law.ADMISSIBILITY).due_date + dt.timedelta(days=1)
    services.detention_decide(actor=officer, detention=detention, outcome="seize", reason="No proof.", today=after)
    # The detention is two months old, so steps can be dated in the past.
    ParcelDetention.objects.filter(pk=detention.pk).update(detained_on=timezone.localdate() - dt.timedelta(days=60))
    detention.refresh_from_db()
    return detention


def test_19_cfr_12_44b_forfeiture_steps_follow_a_parcel_seizure_only(
    registry: Any, receive: Callable[..., Manifest], officer: User
) -> None:
    detention = _detain(receive, officer)
    with pytest.raises(Conflict) as exc:
        services.forfeiture_record(actor=officer, detention=detention, step="notice", on=timezone.localdate())
    assert exc.value.rule == "19 CFR 12.44(b)"
    assert not ParcelForfeitureStep.objects.exists()


def test_part_162_a_parcel_forfeiture_runs_the_petition_and_claim_periods_of_entries(
    seized: ParcelDetention, officer: User, trade: User
) -> None:
    today = timezone.localdate()
    mailed = today - dt.timedelta(days=40)
    # The notice of seizure comes first (19 CFR 162.45).
    with pytest.raises(Conflict) as exc:
        services.forfeiture_record(actor=officer, detention=seized, step="publication", on=mailed)
    assert exc.value.rule == "19 CFR 162.45"
    services.forfeiture_record(actor=officer, detention=seized, step="notice", on=mailed)
    petition = seized.clocks.get(kind=law.PETITION)
    assert petition.running and petition.start_date == mailed
    assert petition.due_date == law.due_date(law.PETITION, mailed)
    assert petition.citation == law.rule(law.PETITION).citation
    with pytest.raises(Conflict) as again:
        services.forfeiture_record(actor=officer, detention=seized, step="notice", on=mailed)
    assert again.value.rule == "19 CFR Part 162 subpart E"  # each step once
    services.forfeiture_record(actor=officer, detention=seized, step="publication", on=mailed)
    claim = seized.clocks.get(kind=law.CLAIM_BOND)
    assert claim.running and claim.due_date == law.due_date(law.CLAIM_BOND, mailed)
    # The importer sees both periods in its work queue.
    items = {i.kind: i for i in queue_for(trade) if i.kind.startswith("parcels.")}
    assert items["parcels.petition"].due == petition.due_date and items["parcels.claim_bond"].due == claim.due_date
    assert items["parcels.petition"].rule == petition.citation
    # The claim carries at least the cost bond (19 CFR 162.45: $250 floor on these parcels' value).
    with pytest.raises(InvalidInput) as bond:
        services.forfeiture_record(actor=officer, detention=seized, step="claim_bond", on=mailed, amount=Decimal("100"))
    assert bond.value.rule == "19 CFR 162.45" and "250.00" in bond.value.message
    services.forfeiture_record(actor=officer, detention=seized, step="claim_bond", on=mailed, amount=Decimal("250"))
    # A petition after the 30 days is recorded and flagged; it stops the period.
    late = services.forfeiture_record(actor=officer, detention=seized, step="petition", on=today, note="By counsel.")
    assert late.note == "By counsel. (after the period)"
    assert not seized.clocks.filter(running=True, kind__in=[law.PETITION, law.CLAIM_BOND]).exists()
    assert not [i for i in queue_for(trade) if i.kind in ("parcels.petition", "parcels.claim_bond")]
    services.forfeiture_record(actor=officer, detention=seized, step="decision", on=today, note="Forfeited.")
    assert list(seized.forfeiture_steps.values_list("step", flat=True)) == [
        "notice",
        "publication",
        "claim_bond",
        "petition",
        "decision",
    ]
    events = AuditEvent.objects.filter(action="parcels.forfeiture").order_by("pk")
    assert [e.data["step"] for e in events] == ["notice", "publication", "claim_bond", "petition", "decision"]
    assert events.filter(data__late=True).count() == 1
    assert seized.group.events.filter(kind="forfeiture_petition", summary__contains="after the period").exists()


def test_only_port_officers_record_parcel_forfeiture_steps(
    seized: ParcelDetention, trade: User, make_user: Callable[..., User]
) -> None:
    for actor in (trade, make_user(roles.HQ_REVIEWER)):
        with pytest.raises(NotPermitted):
            services.forfeiture_record(actor=actor, detention=seized, step="notice", on=timezone.localdate())


def test_the_officer_records_a_forfeiture_step_on_the_parcel_detention_page(
    seized: ParcelDetention, officer: User
) -> None:
    c = Client()
    c.force_login(officer)
    page = c.get(reverse("parcels:detention_detail", args=[seized.pk])).content.decode()
    assert reverse("parcels:detention_forfeiture", args=[seized.pk]) in page
    url = reverse("parcels:detention_forfeiture", args=[seized.pk])
    today = timezone.localdate()
    refused = c.post(url, {"step": "publication", "on": today.isoformat()})
    assert refused.status_code == 400 and "Notice of seizure mailed" in refused.content.decode()
    done = c.post(url, {"step": "notice", "on": today.isoformat(), "note": "Certified mail."})
    assert done.status_code == 302
    page = c.get(reverse("parcels:detention_detail", args=[seized.pk])).content.decode()
    assert "Certified mail." in page and law.rule(law.PETITION).citation in page


def test_the_parcel_api_lists_the_forfeiture_steps(seized: ParcelDetention, officer: User) -> None:
    today = timezone.localdate()
    services.forfeiture_record(actor=officer, detention=seized, step="notice", on=today)
    c = Client()
    c.force_login(officer)
    tn = seized.group.parcels.values_list("tracking_number", flat=True).first()
    body = c.get(f"/api/v1/parcels/{tn}").json()
    assert body["detention"]["forfeiture"] == [
        {"step": "notice", "label": str(ParcelForfeitureStep.Step.NOTICE_OF_SEIZURE.label), "on": today.isoformat()}
    ]
    assert {d["clock"] for d in body["detention"]["due"]} >= {law.PETITION}
