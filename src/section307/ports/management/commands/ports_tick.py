"""Daily run: deadline reminders and abandonment of excluded goods past 60 days (cron this)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from section307.ports.services import clocks_remind, detentions_abandon_overdue


class Command(BaseCommand):
    help = "Send deadline reminders and deem overdue excluded goods abandoned."

    def handle(self, *args: Any, **options: Any) -> None:
        reminders = clocks_remind()
        abandoned = detentions_abandon_overdue()
        self.stdout.write(f"{len(reminders)} reminders, {len(abandoned)} detentions deemed abandoned")
