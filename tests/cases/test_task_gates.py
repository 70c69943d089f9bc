"""Case tasks follow the gates; supervisor approval goes to a supervisor who is not the author; closing
a case or issuing its order leaves no task open; the proposal overlap warning."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from section307.cases import services
from section307.cases.lifecycle import TASK_LIFECYCLE
from section307.cases.models import Case, CaseTask
from section307.cases.selectors import proposal_overlaps
from section307.core.audit import audit_trail
from section307.core.errors import Conflict

from .conftest import World, draft_proposal, escalated_case, open_case

T = CaseTask.Status


def _task(case: Case, title: str) -> CaseTask:
    return CaseTask.objects.get(case=case, title=title)


def test_tasks_tied_to_a_gate_are_done_when_the_gate_is_met(world: World) -> None:
    case = escalated_case(world)  # map, memo, engagement and ILO assessment recorded on the way
    for title in ("Draft the supply-chain map", "Write the validity memo", "Engage stakeholders", "Evidentiary review"):
        task = _task(case, title)
        assert task.status == T.DONE and task.completed_by == world.analyst, title
    assert _task(case, "Legal sufficiency review").status == T.OPEN  # no gate: done by hand
    assert "case.task_complete" in {e.action for e in audit_trail(case)}


def test_approval_goes_to_a_supervisor_who_did_not_write_the_proposal(world: World) -> None:
    case = escalated_case(world)
    proposal = draft_proposal(world, case)
    # The supervisor "sup" writes and submits: the approval task must go to someone else (two-person rule).
    proposal.author = world.supervisor
    proposal.save(update_fields=["author"])
    services.proposal_submit(actor=world.supervisor, proposal=proposal)
    approval = _task(case, "Supervisor approval")
    assert approval.assignee == world.supervisor2
    assert _task(case, "Write the WRO or Finding proposal").status == T.DONE


def test_no_task_stays_open_after_the_order_is_issued(world: World) -> None:
    case = escalated_case(world)
    proposal = draft_proposal(world, case)
    services.proposal_submit(actor=world.analyst, proposal=proposal)
    assert _task(case, "Supervisor approval").assignee == world.supervisor
    order = services.proposal_decide(actor=world.supervisor, proposal=proposal, approve=True).order
    assert order is not None
    assert not CaseTask.objects.filter(case=case, status=T.OPEN).exists()
    assert _task(case, "Supervisor approval").status == T.DONE
    assert _task(case, "Publication").status == T.DONE
    monitoring = _task(case, "Monitoring")
    assert monitoring.status == T.CANCELLED and order.reference in monitoring.cancel_reason


def test_closing_a_case_cancels_its_open_tasks_with_the_reason(world: World) -> None:
    case = open_case(world)
    services.case_close(actor=world.analyst, case=case, outcome="insufficient", closing_note="Nothing found")
    tasks = CaseTask.objects.filter(case=case)
    assert tasks.exists() and not tasks.filter(status=T.OPEN).exists()
    assert set(tasks.values_list("cancel_reason", flat=True)) == {"Case closed: Insufficient evidence"}
    cancelled = [e for e in audit_trail(case) if e.action == "case.task_cancel"]
    assert len(cancelled) == tasks.count() and cancelled[0].data["reason"].startswith("Case closed")


@pytest.mark.parametrize("source,name,target", sorted(TASK_LIFECYCLE.edges()))
def test_every_task_edge(world: World, source: str, name: str, target: str) -> None:
    """Each task move works from its sources and is refused from every other state."""
    case = open_case(world)
    task = CaseTask.objects.filter(case=case).first()
    assert task is not None
    for state in TASK_LIFECYCLE.states:
        CaseTask.objects.filter(pk=task.pk).update(status=state)
        task.refresh_from_db()
        if state in TASK_LIFECYCLE.transition(name).sources:
            moved = services._task_move(actor=world.analyst, task=task, transition=name, reason="r")
            assert moved.status == target
        else:
            with pytest.raises(Conflict):
                services._task_move(actor=world.analyst, task=task, transition=name)


def test_reopening_an_open_task_is_refused(world: World) -> None:
    case = open_case(world)
    task = CaseTask.objects.filter(case=case).first()
    assert task is not None
    with pytest.raises(Conflict):
        services.task_reopen(actor=world.analyst, task=task)
    services.task_complete(actor=world.analyst, task=task)
    assert services.task_reopen(actor=world.analyst, task=task).status == T.OPEN


def test_proposal_warns_when_an_order_already_covers_the_parties_and_goods(world: World) -> None:
    first = escalated_case(world)
    proposal = draft_proposal(world, first)
    services.proposal_submit(actor=world.analyst, proposal=proposal)
    order = services.proposal_decide(actor=world.supervisor, proposal=proposal, approve=True).order
    assert order is not None
    second = escalated_case(world)
    again = draft_proposal(world, second)
    assert proposal_overlaps(again) == [order]
    warning = [e for e in audit_trail(second) if e.action == "proposal.overlap_warning"]
    assert warning and warning[0].data["orders"] == [order.reference]
    client = Client()
    client.force_login(world.analyst)
    page = client.get(reverse("cases:proposal_edit", args=[second.reference]))
    assert b"overlap-warning" in page.content and order.reference.encode() in page.content
    services.proposal_submit(actor=world.analyst, proposal=again)  # a warning, not a refusal
    decide = Client()
    decide.force_login(world.supervisor)
    assert (
        order.reference.encode()
        in decide.get(reverse("cases:proposal_decide", args=[second.reference, again.pk])).content
    )
