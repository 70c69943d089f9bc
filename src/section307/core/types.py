"""Types shared by every app: who is acting.

``Actor`` is whoever makes a request: a signed-in account or the anonymous public. Services take an
``Actor`` and decide themselves what that caller may do (deny by default). ``Actor | None`` marks the
services the system itself also runs (the daily scheduler, background tasks, command-line loaders);
their audit rows say "system". ``account`` and ``signed_in`` narrow an actor to the account behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AnonymousUser

from section307.core.errors import NotPermitted

if TYPE_CHECKING:
    from section307.accounts.models import User

    Actor: TypeAlias = User | AnonymousUser
else:
    # Annotations are not evaluated at run time (``from __future__ import annotations``); the name
    # only has to exist for imports.
    Actor = object


def account(actor: Actor | None) -> User | None:
    """The active signed-in account behind ``actor``; None for the public and for the system."""
    if actor is None or isinstance(actor, AnonymousUser) or not actor.is_authenticated or not actor.is_active:
        return None
    return actor


def signed_in(actor: Actor | None) -> User:
    """The account behind ``actor``, or NotPermitted: for writes that record who did them."""
    user = account(actor)
    if user is None:
        raise NotPermitted("Sign in with an active account to do this.")
    return user


__all__ = ["Actor", "account", "signed_in"]
