from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from section307.allegations.services import allegation_rotate_keys, drafts_purge_expired


class Command(BaseCommand):
    help = (
        "Maintain allegations. `allegations rotate-keys` re-encrypts identities and evidence under the newest "
        "key; `allegations purge-drafts` deletes draft files never submitted."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rotate-keys", help="Re-encrypt under the first key of SECTION307_ENCRYPTION_KEYS")
        sub.add_parser("purge-drafts", help="Delete expired draft uploads")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rotate-keys":
            counts = allegation_rotate_keys(actor=None)
            self.stdout.write(f"Re-encrypted {counts['identities']} identities and {counts['files']} files.")
        elif options["action"] == "purge-drafts":
            self.stdout.write(f"Deleted {drafts_purge_expired(actor=None)} draft files.")
