"""Queue the overdue-task reminders (run daily from cron or a scheduler): `section307 cases_remind`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Queue reminders for overdue case tasks"

    def handle(self, *args: Any, **options: Any) -> None:
        from section307.cases.tasks import remind_overdue_tasks

        result = remind_overdue_tasks.enqueue()
        self.stdout.write(f"Queued overdue-task reminders ({result.id})")
