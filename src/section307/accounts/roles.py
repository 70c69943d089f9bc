"""Roles are groups; this module is the one place that says which permissions each role has.

Groups are synchronised after every ``migrate`` (post_migrate), so a permission added by a
later app's migration reaches its roles without a hand-written data migration. A
permission named here that does not exist yet is skipped and picked up on the next migrate.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

TRADE_USER = "trade_user"
ANALYST = "analyst"
SUPERVISOR = "supervisor"
PORT_OFFICER = "port_officer"
PARTNER_AGENCY = "partner_agency"
ADMINISTRATOR = "administrator"
# Headquarters (Forced Labor Division): the Commissioner's determinations under 19 CFR 12.44,
# UFLPA sec. 3(b) and CAATSA 302A(b) exceptions, order modification and revocation petitions.
HQ_REVIEWER = "hq_reviewer"
# Programme managers follow outcomes: the metrics dashboard, its targets and reports (read-only elsewhere).
MANAGER = "manager"

# The public submitter has no account and no group: public pages are open to anyone.
PUBLIC_SUBMITTER = "public"

ROLE_LABELS: dict[str, str] = {
    TRADE_USER: "Trade user (importer or broker)",
    ANALYST: "Analyst",
    SUPERVISOR: "Supervisor",
    PORT_OFFICER: "Port officer",
    PARTNER_AGENCY: "Partner-agency viewer",
    HQ_REVIEWER: "Headquarters forced-labor reviewer",
    MANAGER: "Programme manager",
    ADMINISTRATOR: "Administrator",
}

_REGISTRY_READ = [
    "parties.view_party",
    "goods.view_good",
    "goods.view_dolgoodlisting",
    "geo.view_region",
    "geo.view_country",
    "geo.view_tipranking",
    "orders.view_enforcementorder",
]
_REGISTRY_WRITE = [
    "parties.add_party",
    "parties.change_party",
    "goods.add_good",
    "goods.change_good",
    "orders.add_enforcementorder",
    "orders.change_enforcementorder",
]

# Apps append their own permissions to these lists (role -> "app_label.codename").
ROLE_PERMISSIONS: dict[str, list[str]] = {
    TRADE_USER: [],
    ANALYST: [*_REGISTRY_READ, *_REGISTRY_WRITE, "refdata.view_refdataload"],
    SUPERVISOR: [*_REGISTRY_READ, *_REGISTRY_WRITE, "refdata.view_refdataload", "orders.publish_order"],
    PORT_OFFICER: [*_REGISTRY_READ],
    PARTNER_AGENCY: ["orders.view_enforcementorder"],
    # Headquarters modifies and revokes orders when it grants a petition.
    HQ_REVIEWER: [*_REGISTRY_READ, "orders.publish_order"],
    # The metrics app adds the dashboard, target and report permissions.
    MANAGER: [*_REGISTRY_READ],
    ADMINISTRATOR: [
        *_REGISTRY_READ,
        *_REGISTRY_WRITE,
        "refdata.view_refdataload",
        "refdata.add_refdataload",
        "core.view_auditevent",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_organization",
        "accounts.add_organization",
        "accounts.change_organization",
    ],
}


# Permissions that only a role grants: the superuser flag does not stand in for them, so a superuser
# account (kept for role management) cannot read what the docs reserve for named roles. Apps add
# theirs in ready() (allegations: reporter identities and original evidence).
ROLE_ONLY_PERMISSIONS: set[str] = set()


def role_grants(user: Any, perm: str) -> bool:
    """Whether one of the user's roles (groups) grants ``perm``, ignoring the superuser flag."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    cached = getattr(user, "_section307_role_perms", None)
    if cached is None:
        from django.contrib.auth.models import Permission

        rows = Permission.objects.filter(group__user=user).values_list("content_type__app_label", "codename")
        cached = {f"{app}.{codename}" for app, codename in rows}
        user._section307_role_perms = cached
    return perm in cached


def may_change_roles(actor: Any, user: Any | None) -> bool:
    """Only a superuser changes roles, permissions and staff/superuser status, and never its own."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_active and actor.is_superuser):
        return False
    return user is None or user.pk != actor.pk


def sync_roles() -> dict[str, int]:
    """Create the role groups and set exactly the permissions listed above. Idempotent."""
    from django.contrib.auth.models import Group, Permission

    counts: dict[str, int] = {}
    for role, perm_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted: list[Permission] = []
        for name in perm_names:
            app_label, codename = name.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is None:
                logger.debug("Permission %s not created yet; skipped for %s", name, role)
                continue
            wanted.append(perm)
        group.permissions.set(wanted)
        counts[role] = len(wanted)
    return counts


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    # Runs once per app; only the last app's signal sees every permission, and each run is cheap.
    using = kwargs.get("using", "default")
    if using != "default":
        return
    sync_roles()


def user_roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_section307_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(ADMINISTRATOR)
        user._section307_roles = cached
    return set(cached)


def staff_member(user: Any) -> bool:
    """Every account except trade users (and the public, who have none): these must pass MFA when required."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or (user_roles(user) - {TRADE_USER}))


def user_has_role(user: Any, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))
