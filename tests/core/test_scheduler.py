"""Time moves by itself: daily jobs are enqueued once a day, however many processes tick."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from section307.core import scheduler
from section307.core.models import ScheduledRun


@pytest.mark.django_db
def test_each_daily_job_is_enqueued_once_per_day() -> None:
    names = {job.name for job in scheduler.DAILY_JOBS}
    assert {"ports.clocks_tick", "cases.remind_overdue_tasks"} <= names
    monday = dt.datetime(2026, 3, 2, 1, 0, tzinfo=timezone.get_current_timezone())
    assert set(scheduler.scheduler_tick(now=monday)) == names
    assert scheduler.scheduler_tick(now=monday + dt.timedelta(hours=5)) == []  # a second process, same day
    assert set(scheduler.scheduler_tick(now=monday + dt.timedelta(days=1))) == names
    assert ScheduledRun.objects.count() == 2 * len(names)


@pytest.mark.django_db
def test_scheduler_command_once(capsys: Any) -> None:
    call_command("scheduler", "--once")
    call_command("scheduler", "--once")
    out = capsys.readouterr().out
    assert "ports.clocks_tick" in out and "already done today" in out


def test_run_scheduler_stops(monkeypatch: Any) -> None:
    ticks: list[int] = []
    monkeypatch.setattr(scheduler, "scheduler_tick", lambda **_: ticks.append(1) or [])
    scheduler.run_scheduler(interval=0.01, once=True)
    assert ticks == [1]
