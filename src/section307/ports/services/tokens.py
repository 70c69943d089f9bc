"""section307.ports.services: API tokens."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext

from section307.accounts.models import User
from section307.core.audit import audit_record
from section307.core.errors import NotPermitted
from section307.core.types import Actor
from section307.ports import images as photo
from section307.ports.models import (
    ApiToken,
)

# -- API tokens ------------------------------------------------------------------------------------------


def may_use_api(user: Actor) -> bool:
    """Trade users, filers and staff in any role use the API; a bare account does not."""
    from section307.accounts.roles import user_roles

    return bool(getattr(user, "is_active", False) and (user_roles(user) or user.has_perm("ports.file_entry")))


@transaction.atomic
def api_token_create(*, actor: Actor | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``user`` (their own, or any user's by an administrator or the console
    command, which acts as the system); returns the secret once: only its digest is stored."""
    if actor is not None and actor != user and not getattr(actor, "is_staff", False):
        raise NotPermitted(gettext("Only administrators create tokens for other users."))
    if not may_use_api(user):
        raise NotPermitted(gettext("%(username)s has no role that uses the API.") % {"username": user.get_username()})
    secret = "s307_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100] or "API token", prefix=secret[:12], digest=photo.sha256(secret.encode())
    )
    audit_record(actor=actor, action="api_token.create", target=token, data={"user": user.get_username()})
    return token, secret
