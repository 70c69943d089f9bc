"""Writes to accounts: role and status changes, always audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from section307.accounts.models import User
from section307.accounts.roles import may_change_roles
from section307.core.audit import audit_record
from section307.core.errors import InvalidInput, NotPermitted


@transaction.atomic
def user_roles_set(
    *,
    actor: Any,
    user: User,
    roles: Iterable[Group | str],
    is_staff: bool,
    is_superuser: bool,
) -> User:
    """Set a user's roles (groups) and staff/superuser flags.

    Only a superuser may, and never on its own account (so no one raises their own access).
    Direct per-user permissions are cleared: access is granted through roles only.
    """
    if not may_change_roles(actor, user):
        raise NotPermitted(
            "Only a superuser may change roles, permissions or staff and superuser status, "
            "and not on their own account.",
            code="roles_forbidden",
        )
    names = sorted({r.name if isinstance(r, Group) else str(r) for r in roles})
    groups = list(Group.objects.filter(name__in=names))
    unknown = set(names) - {g.name for g in groups}
    if unknown:
        raise InvalidInput(f"Unknown roles: {', '.join(sorted(unknown))}.", field="groups")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
    }
    after = {"roles": names, "is_staff": bool(is_staff), "is_superuser": bool(is_superuser), "permissions": []}
    if before == after:
        return user
    user.is_staff, user.is_superuser = bool(is_staff), bool(is_superuser)
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.set(groups)
    user.user_permissions.clear()
    changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    audit_record(actor=actor, action="user.roles_set", target=user, data=changed)
    return user
