"""The case page as a workspace: summary and next action before the sections, tasks grouped by phase."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from section307.cases.models import CaseTask
from tests.cases.conftest import World, open_case


def _page(w: World, user: Any, path: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_summary_and_next_action_come_before_the_sections(world: World) -> None:
    case = open_case(world)
    html = _page(world, world.analyst, f"/cases/{case.reference}/")
    summary = html.index('class="usa-summary-box padding-2"')
    next_action = html.index('data-testid="next-action"')
    tabs = html.index("data-s307-tabs")
    assert summary < next_action < tabs
    # Every section sits in the tabbed workspace, each reachable by an anchor in its navigation.
    for anchor in ("tasks", "supply-chain", "memo", "stakeholders", "orders", "related", "comments"):
        assert f'href="#{anchor}"' in html
        assert html.index(f'id="{anchor}" data-s307-panel') > tabs


def test_next_action_names_the_earliest_task_from_the_owners_queue(world: World) -> None:
    case = open_case(world)
    task = CaseTask.objects.filter(case=case, phase=case.phase).order_by("position").first()
    assert task is not None
    CaseTask.objects.filter(pk=task.pk).update(assignee=world.analyst, due_date=dt.date(2020, 1, 2))
    html = _page(world, world.analyst, f"/cases/{case.reference}/")
    box = html[html.index('data-testid="next-action"') : html.index("data-s307-tabs")]
    assert task.title in box
    assert "2020-01-02" in box
    assert "overdue" in box


def test_tasks_of_later_phases_and_finished_tasks_are_folded_away(world: World) -> None:
    case = open_case(world)
    tasks = list(CaseTask.objects.filter(case=case))
    later = [t for t in tasks if t.phase != case.phase]
    current = [t for t in tasks if t.phase == case.phase]
    assert later and len(current) >= 2
    CaseTask.objects.filter(pk=current[0].pk).update(status=CaseTask.Status.DONE)
    html = _page(world, world.analyst, f"/cases/{case.reference}/")
    assert f"{len(later)} open tasks in later phases" in html
    assert "1 finished task" in html
    # The first table lists the open tasks of the current phase only.
    first_table = html[html.index('id="tasks" data-s307-panel') :]
    first_table = first_table[: first_table.index("</table>")]
    assert current[1].title in first_table
    assert current[0].title not in first_table
    assert later[0].title not in first_table


def test_a_reader_without_queue_items_sees_the_cases_earliest_task(world: World) -> None:
    case = open_case(world)
    first = CaseTask.objects.filter(case=case, phase=case.phase).order_by("position").first()
    assert first is not None
    CaseTask.objects.filter(pk=first.pk).update(due_date=dt.date(2021, 3, 4))
    html = _page(world, world.supervisor, f"/cases/{case.reference}/")
    box = html[html.index('data-testid="next-action"') : html.index("data-s307-tabs")]
    # Not in the supervisor's queue, so the box falls back to the case's own earliest task and its date.
    assert "Task assigned to you" not in box
    assert first.title in box and "2021-03-04" in box
