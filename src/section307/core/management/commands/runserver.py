"""``runserver`` that also runs the background task worker (and the daily scheduler) in development.

The worker starts in ``inner_run``, which runs in the serving process once every app is ready,
so no query runs during app initialization; with the autoreloader only the serving child gets here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver


class Command(StaticfilesRunserver):
    def inner_run(self, *args: Any, **options: Any) -> None:
        if settings.SECTION307_INPROCESS_WORKER:
            from section307.core.worker import start_inprocess_worker

            start_inprocess_worker()
        super().inner_run(*args, **options)
