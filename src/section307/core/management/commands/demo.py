from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from section307.accounts.roles import ROLE_LABELS


def sign_in_url(address: str) -> str:
    """The sign-in page at the address runserver was given ("8080", "0.0.0.0:8080", "[::1]:8000")."""
    address = address.strip()
    host, port = "127.0.0.1", address
    if ":" in address:
        host, _, port = address.rpartition(":")
    if host in {"", "0.0.0.0", "0", "[::]"}:  # noqa: S104 - reading the address, not binding
        host = "127.0.0.1"  # listening everywhere: this machine answers on its own address
    return f"http://{host}:{port or '8000'}/accounts/login/"


class Command(BaseCommand):
    help = "Load the demo world (fictional, deterministic for a seed, safe to run again) and print sign-ins."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=307)
        parser.add_argument(
            "--address",
            default=os.environ.get("SECTION307_ADDRESS", "127.0.0.1:8000"),
            help="host:port the server will listen on, for the sign-in address printed (make run passes its own)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from section307.demo.world import build_demo_world

        world = build_demo_world(seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world ready: {len(world.parties)} parties, {len(world.goods)} goods, {len(world.orders)} orders."
            )
        )
        self.stdout.write(f"Sign in at {sign_in_url(options['address'])} with:")
        for username, (user, password) in world.users.items():
            role = next((ROLE_LABELS[g] for g in user.groups.values_list("name", flat=True)), "")
            self.stdout.write(f"  {username:11} {password:24} {role}")
        for note in world.notes:
            self.stdout.write(note)
