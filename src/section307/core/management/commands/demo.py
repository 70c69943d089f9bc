from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from section307.accounts.roles import ROLE_LABELS


class Command(BaseCommand):
    help = "Load the demo world (fictional, deterministic for a seed, safe to run again) and print sign-ins."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=307)

    def handle(self, *args: Any, **options: Any) -> None:
        from section307.demo.world import build_demo_world

        world = build_demo_world(seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world ready: {len(world.parties)} parties, {len(world.goods)} goods, {len(world.orders)} orders."
            )
        )
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/ with:")
        for username, (user, password) in world.users.items():
            role = next((ROLE_LABELS[g] for g in user.groups.values_list("name", flat=True)), "")
            self.stdout.write(f"  {username:11} {password:24} {role}")
        for note in world.notes:
            self.stdout.write(note)
