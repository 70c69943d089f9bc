"""``section307 audit verify``: check the audit trail's hash chain from the first row to the head."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from section307.core.audit import audit_chain_verify


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' recomputes the hash chain and reports the first broken link."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = audit_chain_verify()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at row {broken.row_id}: {broken.reason} ({checked} rows intact before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} rows."))
