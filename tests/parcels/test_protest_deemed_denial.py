"""A parcel protest of an exclusion not decided before the 30th day after its filing is denied by
operation of law on that day (19 U.S.C. 1499(c)(5)(B)), as for entries; the 180 days to contest it in
the Court of International Trade run from it (28 U.S.C. 2636(a)(2))."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from section307.accounts import roles
from section307.accounts.models import Organization, User
from section307.core.errors import Conflict
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.models import AuditEvent
from section307.core.queue import queue_for
from section307.core.scheduler import DAILY_JOBS
from section307.parcels import services
from section307.parcels.models import Manifest, ParcelClock, ParcelDetention, ParcelProtest, ParcelReview
from section307.parcels.tasks import protests_tick
from section307.ports import law
from section307.ports.models import Notice

from .conftest import listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def trade(make_user: Callable[..., User], importer: Organization) -> User:
    user = make_user(roles.TRADE_USER, organization=importer)
    user.email = "compliance@harborline.example.com"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def excluded(registry: Any, receive: Callable[..., Manifest], officer: User, importer: Organization) -> ParcelDetention:
    m = receive([listed(i, consignee="HARBORLINE Apparel Imports LLC") for i in range(1, 5)])
    detention = services.group_detain(actor=officer, group=m.groups.get(), reason="Seller named in the WRO.")
    after = detention.clocks.get(kind=law.ADMISSIBILITY).due_date + dt.timedelta(days=1)
    services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="No proof.", today=after)
    detention.refresh_from_db()
    return detention


def _kinds(user: User, now: Any = None) -> dict[str, Any]:
    return {i.kind: i for i in queue_for(user, now=now)}


def test_19_usc_1499c5b_a_parcel_protest_not_decided_before_the_30th_day_is_denied_on_it(
    excluded: ParcelDetention,
    trade: User,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    protest = services.protest_file(actor=trade, detention=excluded, grounds="Made in Vietnam.")
    deemed = protest.filed_on + dt.timedelta(days=30)
    reviewer = make_user(roles.HQ_REVIEWER)
    item = _kinds(reviewer)["parcels.protest"]
    assert item.due == deemed - dt.timedelta(days=1) and item.rule == "19 U.S.C. 1499(c)(5)(B)"
    assert deemed.isoformat() in item.why
    assert services.protests_deem_denied(today=deemed - dt.timedelta(days=1)) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.protests_deem_denied(today=deemed + dt.timedelta(days=2)) == [protest]
    protest.refresh_from_db()
    assert protest.status == ParcelProtest.Status.DEEMED_DENIED and protest.decided_on == deemed
    clocks = {c.kind: c for c in excluded.clocks.all()}
    assert not clocks[law.PROTEST_DECISION].running and not clocks[law.EXCLUSION_PROTEST].running
    suit = clocks[law.CIVIL_ACTION]
    assert suit.running and suit.start_date == deemed and suit.due_date == deemed + dt.timedelta(days=180)
    event = AuditEvent.objects.get(action="parcels.protest_deem_denied")
    assert event.actor is None and event.data["rule"] == "19 U.S.C. 1499(c)(5)(B)"
    assert excluded.group.events.filter(kind="protest_deemed_denied").exists()
    notice = Notice.objects.get(entry=None, subject__contains="operation of law")
    assert notice.organization == excluded.organization and suit.due_date.isoformat() in notice.body
    assert [m.to for m in mail.outbox if "operation of law" in m.subject] == [["compliance@harborline.example.com"]]
    # Headquarters' item is gone; the importer sees the court deadline.
    assert "parcels.protest" not in _kinds(reviewer)
    court = _kinds(trade)["parcels.civil_action"]
    assert court.due == suit.due_date and "2636(a)(2)" in court.why
    c = Client()
    c.force_login(trade)
    page = c.get(reverse("parcels_portal:detention_detail", args=[excluded.pk])).content.decode()
    assert "denied by operation of law on " + deemed.isoformat() in page and suit.due_date.isoformat() in page
    # No decision follows it.
    with pytest.raises(Conflict):
        services.review_propose(
            actor=reviewer, detention=excluded, kind="protest", outcome="granted", reasons="Origin shown."
        )
    with pytest.raises(TransitionNotAllowed):
        services.protest_deem_denied(actor=None, protest=protest, today=deemed)


def test_19_usc_1499c5b_a_late_concurrence_on_a_parcel_protest_is_refused_and_the_proposal_returned(
    excluded: ParcelDetention, trade: User, make_user: Callable[..., User]
) -> None:
    today = timezone.localdate()
    protest = services.protest_file(
        actor=trade, detention=excluded, grounds="Made in Vietnam.", today=today - dt.timedelta(days=29)
    )
    first, second = make_user(roles.HQ_REVIEWER), make_user(roles.HQ_REVIEWER)
    review = services.review_propose(
        actor=first, detention=excluded, kind="protest", outcome="granted", reasons="Origin shown."
    )
    # A day later the protest stands denied, recorded yet or not.
    ParcelClock.objects.filter(detention=excluded, kind=law.EXCLUSION_PROTEST).update(due_date=today)
    with pytest.raises(Conflict) as refused:
        services.review_concur(actor=second, review=review)
    assert refused.value.rule == "19 U.S.C. 1499(c)(5)(B)"
    assert "parcels.protest" not in _kinds(first)
    assert protests_tick.call() == {"protests_deemed_denied": 1}
    review.refresh_from_db()
    assert review.status == ParcelReview.Status.RETURNED and "operation of law" in review.note
    protest.refresh_from_db()
    assert protest.status == ParcelProtest.Status.DEEMED_DENIED


def test_the_parcel_protests_job_runs_every_day() -> None:
    assert "parcels.protests_tick" in {job.name for job in DAILY_JOBS}


def test_28_usc_2636a_a_parcel_protest_denied_by_headquarters_starts_the_180_days_to_sue(
    excluded: ParcelDetention,
    trade: User,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    protest = services.protest_file(actor=trade, detention=excluded, grounds="Made in Vietnam.")
    first, second = make_user(roles.HQ_REVIEWER), make_user(roles.HQ_REVIEWER)
    review = services.review_propose(
        actor=first, detention=excluded, kind="protest", outcome="denied", reasons="Origin not shown."
    )
    assert "parcels.civil_action" not in _kinds(trade)  # nothing runs before the concurrence
    with django_capture_on_commit_callbacks(execute=True):
        services.review_concur(actor=second, review=review)
    today = timezone.localdate()
    protest.refresh_from_db()
    assert protest.status == ParcelProtest.Status.DENIED and protest.decided_on == today
    clocks = {c.kind: c for c in excluded.clocks.all()}
    assert not clocks[law.PROTEST_DECISION].running and not clocks[law.EXCLUSION_PROTEST].running
    suit = clocks[law.CIVIL_ACTION]
    assert suit.running and suit.start_date == today and suit.due_date == today + dt.timedelta(days=180)
    assert suit.citation == "28 U.S.C. 2636(a)"
    event = AuditEvent.objects.get(action="parcels.review_concur")
    assert event.data["civil_action_due"] == suit.due_date.isoformat()
    assert excluded.group.events.filter(kind="protest_denied").exists()
    notice = Notice.objects.get(entry=None, subject__contains="denied")
    assert notice.organization == excluded.organization
    assert suit.due_date.isoformat() in notice.body and "Origin not shown." in notice.body
    assert [m.to for m in mail.outbox if "denied" in m.subject] == [["compliance@harborline.example.com"]]
    court = _kinds(trade)["parcels.civil_action"]
    assert court.due == suit.due_date and "2636(a)(1)" in court.why and "headquarters" in court.title
    c = Client()
    c.force_login(trade)
    page = c.get(reverse("parcels_portal:detention_detail", args=[excluded.pk])).content.decode()
    assert "Denied by headquarters on " + today.isoformat() in page and suit.due_date.isoformat() in page
    # The daily job finds nothing to deem denied: the protest is decided.
    assert services.protests_deem_denied(today=today + dt.timedelta(days=40)) == []


def test_an_allowed_parcel_protest_starts_no_period_to_sue(
    excluded: ParcelDetention, trade: User, make_user: Callable[..., User]
) -> None:
    services.protest_file(actor=trade, detention=excluded, grounds="Made in Vietnam.")
    first, second = make_user(roles.HQ_REVIEWER), make_user(roles.HQ_REVIEWER)
    review = services.review_propose(
        actor=first, detention=excluded, kind="protest", outcome="granted", reasons="Origin shown."
    )
    services.review_concur(actor=second, review=review)
    assert not excluded.clocks.filter(kind=law.CIVIL_ACTION).exists()
    assert "parcels.civil_action" not in _kinds(trade)
