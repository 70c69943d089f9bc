"""API tokens from the command line: ``section307 tokens create USERNAME [--name N]``, ``tokens revoke
PREFIX_OR_ID``, ``tokens list [USERNAME]``. The secret of a new token is printed once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from section307.core.errors import ServiceError
from section307.ports.models import ApiToken
from section307.ports.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, revoke and list API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for a user and print its secret once")
        create.add_argument("username")
        create.add_argument("--name", default="API token")
        revoke = sub.add_parser("revoke", help="Revoke a token by its id or its prefix (s307_...)")
        revoke.add_argument("token")
        listing = sub.add_parser("list", help="List tokens (of one user, or all)")
        listing.add_argument("username", nargs="?", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        # The operator at the console acts as the system (actor None): the audit trail says so.
        admin = None
        try:
            if action == "create":
                user = get_user_model().objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"No user {options['username']!r}.")
                token, secret = api_token_create(actor=admin, user=user, name=options["name"])
                self.stdout.write(f"Token {token.pk} ({token.name}) for {user.get_username()}:\n{secret}")
            elif action == "revoke":
                value = options["token"]
                qs = (
                    ApiToken.objects.filter(pk=int(value)) if value.isdigit() else ApiToken.objects.filter(prefix=value)
                )
                found = qs.first()
                if found is None:
                    raise CommandError(f"No token {value!r}.")
                api_token_revoke(actor=admin, token=found)
                self.stdout.write(f"Token {found.pk} ({found.prefix}…) revoked.")
            else:
                tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
                if options["username"]:
                    tokens = tokens.filter(user__username=options["username"])
                for t in tokens:
                    state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                    used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
                    self.stdout.write(f"{t.pk}\t{t.user.get_username()}\t{t.prefix}…\t{t.name}\t{state}\t{used}")
        except ServiceError as exc:
            raise CommandError(exc.message) from None
