"""Roles are groups; this module is the one place that says which permissions each role has.

Groups are synchronised after every ``migrate`` (post_migrate), so a permission added by a
later app's migration reaches its roles without a hand-written data migration. A
permission named here that does not exist yet is skipped and picked up on the next migrate.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from section307.core.types import Actor, account

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
# The owner of a trademark or copyright recorded with CBP (19 CFR Part 133): an outside account, like
# a trade user, that sees only the detentions concerning its recordations (section307.ipr).
RIGHTS_HOLDER = "rights_holder"
# Programme managers follow outcomes: the metrics dashboard, its targets and reports (read-only elsewhere).
MANAGER = "manager"

# The public submitter has no account and no group: public pages are open to anyone.
PUBLIC_SUBMITTER = "public"

ROLE_LABELS: dict[str, StrOrPromise] = {
    TRADE_USER: gettext_lazy("Trade user (importer or broker)"),
    ANALYST: gettext_lazy("Analyst"),
    SUPERVISOR: gettext_lazy("Supervisor"),
    PORT_OFFICER: gettext_lazy("Port officer"),
    PARTNER_AGENCY: gettext_lazy("Partner-agency viewer"),
    HQ_REVIEWER: gettext_lazy("Headquarters forced-labor reviewer"),
    RIGHTS_HOLDER: gettext_lazy("Rights holder (recorded trademark or copyright)"),
    MANAGER: gettext_lazy("Programme manager"),
    ADMINISTRATOR: gettext_lazy("Administrator"),
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
    RIGHTS_HOLDER: [],
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


def role_grants(user: Actor, perm: str) -> bool:
    """Whether one of the user's roles (groups) grants ``perm``, ignoring the superuser flag."""
    acct = account(user)
    if acct is None:
        return False
    cached: set[str] | None = getattr(acct, "_section307_role_perms", None)
    if cached is None:
        from django.contrib.auth.models import Permission

        rows = Permission.objects.filter(group__user=acct).values_list("content_type__app_label", "codename")
        cached = {f"{app}.{codename}" for app, codename in rows}
        acct.__dict__["_section307_role_perms"] = cached
    return perm in cached


def may_change_roles(actor: Actor, user: Actor | None) -> bool:
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


def user_roles(user: Actor) -> set[str]:
    if isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return set()
    cached: set[str] | None = getattr(user, "_section307_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(ADMINISTRATOR)
        user.__dict__["_section307_roles"] = cached
    return set(cached)


def staff_member(user: Actor) -> bool:
    """Every account except trade users and rights holders (and the public, who have none): these must
    pass MFA when required."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or (user_roles(user) - {TRADE_USER, RIGHTS_HOLDER}))


def user_has_role(user: Actor, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))
