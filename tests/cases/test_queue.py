"""The analyst's, supervisor's and headquarters reviewer's work queues (computed from dates when read)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from section307.accounts import roles
from section307.cases import services
from section307.cases.models import CaseTask
from section307.core.queue import queue_for
from section307.orders.models import OrderSource, OrderType
from section307.orders.services import order_create

from .conftest import World, draft_proposal, escalated_case, open_case


def kinds(user: Any, now: dt.datetime | None = None) -> list[str]:
    return [i.kind for i in queue_for(user, now=now)]


def test_task_appears_on_its_due_window_with_no_tick_run(world: World) -> None:
    """No background job is involved: the item is computed from the task's due date when the queue is read."""
    case = open_case(world)
    task = CaseTask.objects.filter(case=case).order_by("due_date").last()
    assert task is not None and task.due_date is not None
    CaseTask.objects.filter(case=case).exclude(pk=task.pk).update(status=CaseTask.Status.DONE)
    long_before = timezone.make_aware(dt.datetime.combine(task.due_date - dt.timedelta(days=30), dt.time(9)))
    assert "case.task" not in kinds(world.analyst, long_before)
    on_the_day = timezone.make_aware(dt.datetime.combine(task.due_date, dt.time(9)))
    items = [i for i in queue_for(world.analyst, now=on_the_day) if i.kind == "case.task"]
    assert [i.title for i in items] == [f"{case.reference}: {task.title}"] and items[0].due == task.due_date
    later = timezone.make_aware(dt.datetime.combine(task.due_date + dt.timedelta(days=3), dt.time(9)))
    assert [i.priority for i in queue_for(world.analyst, now=later) if i.kind == "case.task"] == [1]  # overdue


def test_supervisor_queue_shows_proposals_awaiting_approval_never_their_own(world: World) -> None:
    case = escalated_case(world)
    proposal = draft_proposal(world, case)
    proposal.author = world.supervisor
    proposal.save(update_fields=["author"])
    services.proposal_submit(actor=world.supervisor, proposal=proposal)
    assert "case.proposal_approval" not in kinds(world.supervisor)
    assert "case.proposal_approval" in kinds(world.supervisor2)
    assert "case.proposal_approval" not in kinds(world.foreign_supervisor)  # another agency
    approval = [i for i in queue_for(world.supervisor2) if i.kind == "case.task" and "Supervisor approval" in i.title]
    assert approval and "two-person" in approval[0].why


def test_hq_queue_lists_open_petitions_and_the_petitioner_sees_the_question(world: World, make_user: Any) -> None:
    hq = make_user(roles.HQ_REVIEWER)
    order = order_create(
        actor=None,
        order_type=OrderType.WRO,
        merchandise="Gloves",
        effective_date=dt.date(2024, 1, 1),
        source=OrderSource.CBP_LIST,
        source_key="WRO-Q",
        reference="WRO-Q",
    )
    petition = services.petition_file(actor=world.trader, order=order, kind="revoke", grounds="Stopped buying")
    assert "petition.decide" in kinds(hq)
    assert "petition.decide" not in kinds(world.supervisor)
    services.petition_request_info(actor=hq, petition=petition, question="Which ports?", due_date=dt.date(2030, 1, 2))
    assert "petition.decide" not in kinds(hq)  # waiting for the petitioner
    answer = [i for i in queue_for(world.trader) if i.kind == "petition.answer"]
    assert answer and answer[0].due == dt.date(2030, 1, 2) and "Which ports?" in answer[0].why


@pytest.mark.parametrize("role", [roles.ANALYST, roles.SUPERVISOR, roles.HQ_REVIEWER, roles.TRADE_USER])
def test_queue_page_and_api_for_each_role(world: World, client_as: Any, role: str) -> None:
    client: Client = client_as(role, organization=world.agency if role != roles.TRADE_USER else None)
    assert client.get("/queue/").status_code == 200
    response = client.get("/api/v1/queue")
    assert response.status_code == 200 and isinstance(response.json(), list)
    assert Client().get("/api/v1/queue").status_code == 401
    assert Client().get("/queue/").status_code == 302  # sign in first
