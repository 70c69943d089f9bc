from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "section307.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from section307.core.scheduler import register_daily

        register_daily("core.files_sweep", "section307.core.storedfiles.files_sweep_daily")

        from section307.core import publiccache

        # The home page shows nothing from the database to anonymous visitors.
        publiccache.register("/", lambda: 0, exact=True)

        # The in-process task worker is started by our runserver command once the apps are ready
        # (core/management/commands/runserver.py): starting it here ran queries during app loading.
