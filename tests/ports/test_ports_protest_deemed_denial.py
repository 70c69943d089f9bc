"""A protest of an exclusion not decided before the 30th day after its filing is denied by operation of
law on that day (19 U.S.C. 1499(c)(5)(B); 1515(b) for accelerated disposition), and the 180 days to
contest it in the Court of International Trade run from it (28 U.S.C. 2636(a)(2))."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from section307.core.auditwords import audit_line
from section307.core.errors import Conflict
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.models import AuditEvent
from section307.core.queue import queue_for
from section307.ports import law, services
from section307.ports.models import Clock, Detention, Determination, Entry, Notice, Protest
from section307.ports.tasks import clocks_tick

pytestmark = pytest.mark.django_db
D = dt.date
OLD = dt.timedelta(days=120)


def _kinds(user: Any, now: Any = None) -> dict[str, Any]:
    return {i.kind: i for i in queue_for(user, now=now)}


def _excluded(file_entry: Callable[..., Entry], officer: Any) -> Detention:
    detention = services.entry_detain(
        actor=officer, entry=file_entry(date=timezone.localdate() - OLD), reason="Labels name the WRO manufacturer"
    )
    services.detention_decide(actor=officer, detention=detention, outcome="exclude", reason="No proof")
    detention.refresh_from_db()
    return detention


@pytest.mark.parametrize(
    ("filed", "deemed"),
    [
        (D(2026, 1, 31), D(2026, 3, 2)),  # across February (28 days)
        (D(2028, 1, 31), D(2028, 3, 1)),  # a leap year
        (D(2026, 12, 15), D(2027, 1, 14)),  # across the year end; holidays do not move a calendar-day period
    ],
)
def test_19_usc_1499c5b_a_protest_not_decided_before_the_30th_day_is_denied_on_it(filed: D, deemed: D) -> None:
    periods = [(law.PROTEST_DECISION, law.due_date(law.PROTEST_DECISION, filed))]
    assert law.protest_deemed_denied_on(periods) is None  # 1515(a) alone denies nothing by itself
    periods.append((law.EXCLUSION_PROTEST, law.due_date(law.EXCLUSION_PROTEST, filed)))
    assert law.protest_deemed_denied_on(periods) == (deemed, "19 U.S.C. 1499(c)(5)(B)")
    assert not law.protest_is_deemed_denied(deemed, deemed - dt.timedelta(days=1))  # a decision is in time
    assert law.protest_is_deemed_denied(deemed, deemed)
    assert not law.protest_is_deemed_denied(None, deemed)


def test_19_usc_1515b_accelerated_disposition_denies_on_the_30th_day_after_mailing() -> None:
    # A request mailed before the protest's own 30th day denies it earlier.
    periods = [
        (law.EXCLUSION_PROTEST, D(2026, 3, 2)),
        (law.ACCELERATED_DISPOSITION, law.due_date(law.ACCELERATED_DISPOSITION, D(2026, 1, 20))),
    ]
    assert law.protest_deemed_denied_on(periods) == (D(2026, 2, 19), "19 U.S.C. 1515(b)")


def test_19_usc_1499c5b_the_daily_job_records_the_denial_notifies_and_starts_the_court_period(
    registry: Any,
    file_entry: Callable[..., Entry],
    officer: Any,
    importers: Any,
    reviewers: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    detention = _excluded(file_entry, officer)
    filed = timezone.localdate()
    protest = services.protest_file(actor=importers[0], detention=detention, grounds="The mill is not Tianshan's")
    deemed = filed + dt.timedelta(days=30)
    # Headquarters is asked to decide before the 30th day.
    item = _kinds(reviewers[0])["hq.protest"]
    assert item.due == deemed - dt.timedelta(days=1) and item.rule == "19 U.S.C. 1499(c)(5)(B)"
    assert deemed.isoformat() in item.why and "operation of law" in item.why
    assert services.protests_deem_denied(today=deemed - dt.timedelta(days=1)) == []
    with pytest.raises(Conflict) as early:
        services.protest_deem_denied(actor=None, protest=protest, today=deemed - dt.timedelta(days=1))
    assert early.value.rule == law.DEEMED_DENIAL_CITATION
    # On the 30th day (the job runs late: the record still says the 30th day).
    with django_capture_on_commit_callbacks(execute=True):
        done = services.protests_deem_denied(today=deemed + dt.timedelta(days=3))
    assert done == [protest]
    protest.refresh_from_db()
    assert protest.status == Protest.Status.DEEMED_DENIED and protest.decided_on == deemed
    assert "1499(c)(5)(B)" in protest.decision_reasons
    clocks = {c.kind: c for c in detention.clocks.all()}
    assert not any(clocks[k].running for k in (law.PROTEST_DECISION, law.EXCLUSION_PROTEST))
    suit = clocks[law.CIVIL_ACTION]
    assert suit.running and suit.start_date == deemed and suit.due_date == deemed + dt.timedelta(days=180)
    assert suit.citation == "28 U.S.C. 2636(a)"
    # Audited as the system, with the citation; the sentence reads in words.
    event = AuditEvent.objects.get(action="protest.deem_denied")
    assert event.actor is None and event.actor_label == "system"
    assert event.data == {
        "deemed_on": deemed.isoformat(),
        "rule": "19 U.S.C. 1499(c)(5)(B)",
        "civil_action_due": suit.due_date.isoformat(),
    }
    assert "operation of law" in audit_line(event.action, event.data).sentence
    # The importer's notice (portal and e-mail) tells of the 180 days to sue.
    notice = Notice.objects.get(entry=detention.entry, subject__contains="operation of law")
    assert notice.kind == Notice.Kind.DECISION and notice.organization == detention.entry.organization
    assert suit.due_date.isoformat() in notice.body and "2636(a)(2)" in notice.body
    assert any("operation of law" in m.subject for m in mail.outbox)
    timeline = detention.entry.timeline.get(kind="protest.deemed_denied")
    assert timeline.shared and timeline.actor_label == "system"
    # Queues: headquarters' item is gone, the importer sees the court deadline.
    assert "hq.protest" not in _kinds(reviewers[0])
    court = _kinds(importers[0])["detention.civil_action"]
    assert court.due == suit.due_date and court.rule == "28 U.S.C. 2636(a)"
    c = Client()
    c.force_login(reviewers[0])
    page = c.get(reverse("hq:protest", args=[protest.pk])).content.decode()
    assert "Denied by operation of law" in page and "Propose the determination" not in page
    # Once only; and no decision can follow it.
    assert services.protests_deem_denied(today=deemed + dt.timedelta(days=4)) == []
    with pytest.raises(TransitionNotAllowed):
        services.protest_deem_denied(actor=None, protest=protest, today=deemed + dt.timedelta(days=4))
    with pytest.raises(Conflict) as refused:
        services.determination_propose(
            actor=reviewers[0],
            detention=detention,
            kind="protest",
            outcome="granted",
            reasons="Origin shown",
            protest=protest,
        )
    assert refused.value.rule == law.DEEMED_DENIAL_CITATION


def test_19_usc_1499c5b_no_decision_on_or_after_the_30th_day_even_before_the_job_runs(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any, reviewers: Any
) -> None:
    detention = _excluded(file_entry, officer)
    today = timezone.localdate()
    # Filed 29 days ago: headquarters may still decide today, and a reviewer proposes.
    protest = services.protest_file(
        actor=importers[0], detention=detention, grounds="Other mill", today=today - dt.timedelta(days=29)
    )
    proposed = services.determination_propose(
        actor=reviewers[0],
        detention=detention,
        kind="protest",
        outcome="granted",
        reasons="Origin shown",
        protest=protest,
    )
    # The concurrence comes a day late: the protest stands denied, whether recorded or not.
    Clock.objects.filter(entry=detention.entry, kind=law.EXCLUSION_PROTEST).update(due_date=today)
    Clock.objects.filter(entry=detention.entry, kind=law.ACCELERATED_DISPOSITION).delete()
    with pytest.raises(Conflict) as refused:
        services.determination_concur(actor=reviewers[1], determination=proposed)
    assert refused.value.rule == "19 U.S.C. 1499(c)(5)(B)"
    proposed.refresh_from_db()
    assert proposed.status == Determination.Status.AWAITING_CONCURRENCE  # nothing changed
    assert "hq.protest" not in _kinds(reviewers[0])
    # The system's run returns the proposal and records the denial.
    assert services.protests_deem_denied(today=today) == [protest]
    proposed.refresh_from_db()
    assert proposed.status == Determination.Status.RETURNED and "operation of law" in proposed.concurrence_note
    assert "hq.concurrence" not in _kinds(reviewers[1])
    # Abandonment applies again once the protest is no longer pending (19 CFR 12.44(a)).
    after = today + dt.timedelta(days=61)
    assert services.detentions_abandon_overdue(today=after) == [detention]


def test_a_reviewer_may_record_the_denial_and_an_importer_may_not(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any, reviewers: Any
) -> None:
    detention = _excluded(file_entry, officer)
    today = timezone.localdate()
    protest = services.protest_file(
        actor=importers[0], detention=detention, grounds="Other mill", today=today - dt.timedelta(days=30)
    )
    with pytest.raises(TransitionNotAllowed):
        services.protest_deem_denied(actor=importers[0], protest=protest)
    services.protest_deem_denied(actor=reviewers[0], protest=protest)
    event = AuditEvent.objects.get(action="protest.deem_denied")
    assert event.actor == reviewers[0]


def test_the_daily_ports_job_records_denials_by_operation_of_law(
    registry: Any, file_entry: Callable[..., Entry], officer: Any, importers: Any
) -> None:
    detention = _excluded(file_entry, officer)
    protest = services.protest_file(
        actor=importers[0],
        detention=detention,
        grounds="Other mill",
        accelerated=True,
        today=timezone.localdate() - dt.timedelta(days=31),
    )
    result = clocks_tick.call()
    assert result["protests_deemed_denied"] == 1
    protest.refresh_from_db()
    assert protest.status == Protest.Status.DEEMED_DENIED
    assert not detention.clocks.get(kind=law.ACCELERATED_DISPOSITION).running
