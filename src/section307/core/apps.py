from __future__ import annotations

import os
import sys

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "section307.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.conf import settings

        from section307.core.scheduler import register_daily

        register_daily("core.files_sweep", "section307.core.storedfiles.files_sweep_daily")

        from section307.core import publiccache

        # The home page shows nothing from the database to anonymous visitors.
        publiccache.register("/", lambda: 0, exact=True)

        # Only the serving process of runserver (the autoreloader's child) starts the worker.
        serving = len(sys.argv) > 1 and sys.argv[1] == "runserver" and os.environ.get("RUN_MAIN") == "true"
        if serving and settings.SECTION307_INPROCESS_WORKER:
            from section307.core.worker import start_inprocess_worker

            start_inprocess_worker()
