"""Run the django-tasks database worker on a daemon thread of the web process.

This is the embedded default: no separate worker or broker to install. The daily
scheduler (``core.scheduler``) runs on a second thread so time moves by itself.
Larger installs turn both off (``SECTION307_INPROCESS_WORKER=0``) and run
``section307 db_worker`` and ``section307 scheduler`` processes instead.
"""

from __future__ import annotations

import logging
import threading

logger = logging.getLogger(__name__)
_started = threading.Event()


def start_inprocess_worker(*, interval: float = 1.0) -> threading.Thread | None:
    if _started.is_set():
        return None
    _started.set()
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="inprocess",
    )
    thread = threading.Thread(target=worker.run, name="section307-task-worker", daemon=True)
    thread.start()
    logger.info("In-process task worker started")
    from django.conf import settings

    if settings.SECTION307_SCHEDULER:
        from section307.core.scheduler import start_scheduler_thread

        start_scheduler_thread(interval=settings.SECTION307_SCHEDULER_INTERVAL)
    return thread
