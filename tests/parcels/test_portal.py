"""Parcel detentions in the importer portal: the importer of record (and its broker) sees them with
the notices and deadlines, sends proof (19 CFR 12.43), protests an exclusion (19 U.S.C. 1514, one per
decision, 180 days); headquarters decides the proof and the protest with a second reviewer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from section307.accounts import roles
from section307.accounts.models import EntryAccessGrant, Organization, User
from section307.core.errors import Conflict, NotPermitted
from section307.core.queue import queue_for
from section307.core.storedfiles import media_root
from section307.parcels import services
from section307.parcels.models import Manifest, ParcelDetention, ParcelProtest
from section307.ports import law

from .conftest import listed

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def detention(
    registry: Any, receive: Callable[..., Manifest], officer: User, importer: Organization
) -> ParcelDetention:
    m = receive([listed(i, consignee="HARBORLINE Apparel Imports LLC") for i in range(1, 5)])
    return services.group_detain(actor=officer, group=m.groups.get(), reason="Seller named in the WRO.")


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_importer_named_as_consignee_sees_its_detention_notice_and_deadline_in_its_queue(
    detention: ParcelDetention, trade: User, importer: Organization, make_user: Callable[..., User], make_org: Any
) -> None:
    assert detention.organization == importer
    c = _client(trade)
    assert f"Parcel detention {detention.pk}" in c.get(reverse("parcels_portal:detention_list")).content.decode()
    page = c.get(reverse("parcels_portal:detention_detail", args=[detention.pk])).content.decode()
    assert "WRO-2023-0001" in page and "19 CFR 12.43" in page and "TRK000000001" in page
    assert "Notice of detention" in page
    items = [i for i in queue_for(trade) if i.kind == "parcels.proof_due"]
    admissibility = detention.clocks.get(kind=law.ADMISSIBILITY)
    assert len(items) == 1 and items[0].due == admissibility.due_date and "12.43" in items[0].why
    stranger = make_user(roles.TRADE_USER, organization=make_org("Other Imports"))
    assert _client(stranger).get(reverse("parcels_portal:detention_detail", args=[detention.pk])).status_code == 404
    assert not [i for i in queue_for(stranger) if i.kind.startswith("parcels.")]


def test_a_broker_sees_the_detention_through_the_importers_grant_of_all_or_listed_shipments(
    detention: ParcelDetention, trade: User, importer: Organization, make_user: Callable[..., User], make_org: Any
) -> None:
    broker_org = make_org("Gulfport Customs Brokers", kind=Organization.Kind.BROKER)
    broker = make_user(roles.TRADE_USER, organization=broker_org)
    url = reverse("parcels_portal:detention_detail", args=[detention.pk])
    assert _client(broker).get(url).status_code == 404
    grant = EntryAccessGrant.objects.create(
        importer=importer, broker=broker_org, granted_by=trade, all_entries=False, entry_numbers=["TRK999999999"]
    )
    assert _client(broker).get(url).status_code == 404
    grant.entry_numbers = ["TRK000000002"]
    grant.save()
    assert _client(broker).get(url).status_code == 200
    proof = services.proof_submit(actor=broker, detention=detention, statement="Mill records.", files=[("a.png", PNG)])
    assert proof.organization == importer and proof.acting_organization == broker_org


def test_proof_sent_in_time_makes_exclusion_wait_for_headquarters_and_two_reviewers(
    detention: ParcelDetention, trade: User, officer: User, make_user: Callable[..., User]
) -> None:
    c = _client(trade)
    response = c.post(
        reverse("parcels_portal:proof_submit", args=[detention.pk]),
        {"statement": "Certificate of origin and mill records.", "document": SimpleUploadedFile("c.png", PNG)},
    )
    assert response.status_code == 302
    detention.refresh_from_db()
    assert detention.proof_received_on == timezone.localdate() and not detention.proof_untimely
    doc = detention.proofs.get().documents.get()
    assert PNG not in (media_root() / doc.file.name).read_bytes()  # encrypted at rest
    assert _client(officer).get(reverse("parcels_portal:document_file", args=[doc.pk])).content == PNG
    assert not [i for i in queue_for(trade) if i.kind == "parcels.proof_due"]
    # After the proof period, exclusion still needs headquarters: the proof was timely (19 CFR 12.44(a)).
    later = detention.clocks.get(kind=law.ADMISSIBILITY).due_date + dt.timedelta(days=1)
    with pytest.raises(Conflict, match="headquarters"):
        services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="x", today=later)
    first, second = make_user(roles.HQ_REVIEWER), make_user(roles.HQ_REVIEWER)
    assert [i.kind for i in queue_for(first) if i.kind.startswith("parcels.")] == ["parcels.proof_review"]
    review = services.review_propose(
        actor=first, detention=detention, kind="admissibility", outcome="denied", reasons="Mill records incomplete."
    )
    with pytest.raises(Conflict):
        services.review_concur(actor=first, review=review)  # the two-person rule
    with pytest.raises(NotPermitted):
        services.review_propose(actor=officer, detention=detention, kind="admissibility", outcome="denied", reasons="x")
    assert [i.kind for i in queue_for(second) if i.kind.startswith("parcels.")] == ["parcels.review_concurrence"]
    services.review_concur(actor=second, review=review)
    decision = services.detention_decide(
        actor=officer, detention=detention, outcome="exclude", reason="Proof insufficient.", today=later
    )
    assert decision.parcel_count == 4


def test_proof_after_the_period_is_accepted_and_flagged(detention: ParcelDetention, trade: User) -> None:
    late = detention.clocks.get(kind=law.ADMISSIBILITY).due_date + dt.timedelta(days=2)
    services.proof_submit(actor=trade, detention=detention, statement="Late.", files=[("a.png", PNG)], today=late)
    detention.refresh_from_db()
    assert detention.proof_untimely and detention.proofs.get().untimely


def test_only_the_importer_side_sends_proof(detention: ParcelDetention, officer: User) -> None:
    with pytest.raises(NotPermitted):
        services.proof_submit(actor=officer, detention=detention, statement="x", files=[("a.png", PNG)])


def _excluded(detention: ParcelDetention, officer: User) -> ParcelDetention:
    after = detention.clocks.get(kind=law.ADMISSIBILITY).due_date + dt.timedelta(days=1)
    services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="No proof.", today=after)
    detention.refresh_from_db()
    return detention


def test_a_protest_of_the_exclusion_runs_on_the_entry_rules_and_reaches_headquarters(
    detention: ParcelDetention, trade: User, officer: User, make_user: Callable[..., User]
) -> None:
    detention = _excluded(detention, officer)
    window = detention.clocks.get(kind=law.PROTEST_FILING)
    assert window.citation == "19 U.S.C. 1514(c)(3)" and window.due_date == law.due_date(
        law.PROTEST_FILING, detention.exclusion_date
    )
    assert [i.kind for i in queue_for(trade) if i.kind.startswith("parcels.")] == ["parcels.excluded"]
    c = _client(trade)
    assert (
        c.post(reverse("parcels_portal:protest_file", args=[detention.pk]), {"grounds": "Made in Vietnam."}).status_code
        == 302
    )
    protest = ParcelProtest.objects.get()
    assert protest.is_pending and protest.decision.outcome == "exclude"
    with pytest.raises(Conflict) as exc:
        services.protest_file(actor=trade, detention=detention, grounds="Again.")
    assert exc.value.rule == "19 U.S.C. 1514(c)(1)"  # one protest per decision
    clocks = {c.kind: c for c in detention.clocks.all()}
    assert not clocks[law.PROTEST_FILING].running and clocks[law.EXCLUSION_PROTEST].running
    reviewer, second = make_user(roles.HQ_REVIEWER), make_user(roles.HQ_REVIEWER)
    items = [i for i in queue_for(reviewer) if i.kind == "parcels.protest"]
    # Due the day before the 30th, when the protest is denied by operation of law (19 U.S.C. 1499(c)(5)(B)).
    assert len(items) == 1 and items[0].due == clocks[law.EXCLUSION_PROTEST].due_date - dt.timedelta(days=1)
    # A pending protest keeps the parcels from abandonment; release waits for the protest's outcome.
    with pytest.raises(Conflict):
        services.detention_decide(actor=officer, detention=detention, outcome="release", reason="x")
    review = services.review_propose(
        actor=reviewer, detention=detention, kind="protest", outcome="granted", reasons="Origin shown."
    )
    services.review_concur(actor=second, review=review)
    protest.refresh_from_db()
    assert protest.status == ParcelProtest.Status.ALLOWED
    services.detention_decide(actor=officer, detention=detention, outcome="release", reason="Protest allowed.")
    detention.refresh_from_db()
    assert detention.status == ParcelDetention.Status.RELEASED
    assert set(detention.group.parcels.values_list("status", flat=True)) == {"released"}


def test_a_protest_after_180_days_is_refused(detention: ParcelDetention, trade: User, officer: User) -> None:
    detention = _excluded(detention, officer)
    late = detention.clocks.get(kind=law.PROTEST_FILING).due_date + dt.timedelta(days=1)
    with pytest.raises(Conflict) as exc:
        services.protest_file(actor=trade, detention=detention, grounds="Late.", today=late)
    assert exc.value.rule == "19 U.S.C. 1514(c)(3)"
    assert not ParcelProtest.objects.exists()


def test_a_detention_that_is_not_excluded_cannot_be_protested(detention: ParcelDetention, trade: User) -> None:
    with pytest.raises(Conflict):
        services.protest_file(actor=trade, detention=detention, grounds="x")


def test_parcel_protests_and_proofs_are_listed_on_the_headquarters_page_beside_the_entries(
    detention: ParcelDetention, trade: User, officer: User, make_user: Callable[..., User]
) -> None:
    detention = _excluded(detention, officer)
    services.protest_file(actor=trade, detention=detention, grounds="Made in Vietnam.")
    page = _client(make_user(roles.HQ_REVIEWER)).get("/hq/").content.decode()
    assert f"Parcel detention {detention.pk}: protest of the exclusion" in page
    assert reverse("parcels:detention_detail", args=[detention.pk]) in page


def test_the_officer_is_asked_about_abandonment_only_while_no_protest_is_pending(
    detention: ParcelDetention, trade: User, officer: User
) -> None:
    detention = _excluded(detention, officer)
    after = detention.clocks.get(kind=law.ABANDONMENT).due_date + dt.timedelta(days=1)
    now = dt.datetime.combine(after, dt.time(12), tzinfo=dt.UTC)
    assert [i for i in queue_for(officer, now=now) if i.kind == "parcels.abandonment"]
    services.protest_file(actor=trade, detention=detention, grounds="Made in Vietnam.")
    assert not [i for i in queue_for(officer, now=now) if i.kind == "parcels.abandonment"]
