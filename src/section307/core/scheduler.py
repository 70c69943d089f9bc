"""Time moves by itself: daily jobs are enqueued once per day without anyone starting them.

Apps register their daily jobs (``register_daily``) in ``AppConfig.ready()``. ``scheduler_tick``
enqueues each job at most once per local day, claimed by a ``ScheduledRun`` row whose (job, day)
is unique, so several web processes or scheduler processes can tick at the same time safely. The
in-process worker runs the scheduler on a thread; production runs ``section307 scheduler`` next
to ``section307 db_worker``. Queues and clock states are computed from dates when read, so a
missed or late tick delays no deadline: it only delays reminders and automatic steps.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DailyJob:
    name: str
    task: str  # dotted path of a django_tasks task


DAILY_JOBS: list[DailyJob] = []


def register_daily(name: str, task: str) -> None:
    """Add a daily job; registering the same name twice keeps the first."""
    if not any(job.name == name for job in DAILY_JOBS):
        DAILY_JOBS.append(DailyJob(name, task))


def scheduler_tick(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every daily job not yet enqueued today; returns the names enqueued by this call."""
    from section307.core.models import ScheduledRun

    day = timezone.localdate(now or timezone.now())
    enqueued = []
    for job in DAILY_JOBS:
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, day=day)
                result = import_string(job.task).enqueue()
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another process claimed this job today
        enqueued.append(job.name)
        logger.info("Enqueued daily job %s for %s", job.name, day)
    return enqueued


def run_scheduler(*, interval: float = 60.0, stop: threading.Event | None = None, once: bool = False) -> None:
    """Tick every ``interval`` seconds until ``stop`` is set (or once)."""
    stop = stop or threading.Event()
    while True:
        try:
            scheduler_tick()
        except Exception:  # a failed tick must not end the loop; the next one retries
            logger.exception("Scheduler tick failed")
        if once or stop.wait(interval):
            return


def start_scheduler_thread(*, interval: float = 60.0) -> threading.Thread:
    thread = threading.Thread(
        target=run_scheduler, kwargs={"interval": interval}, name="section307-scheduler", daemon=True
    )
    thread.start()
    logger.info("Scheduler thread started (every %ss)", interval)
    return thread
