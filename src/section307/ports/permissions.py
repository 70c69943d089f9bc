"""Object-level rules for entries and detentions. Deny by default.

Staff with ``ports.view_entry`` see every entry. A trade user's organization reaches an entry when
it is the entry's importer of record, when it filed the entry (the entry only, never its detention
file), or when the importer granted it, a customs broker, access to the entry
(``accounts.EntryAccessGrant``). ``entry_access_q`` is the one rule every list, page and service
uses, so anything built on it gets delegation too.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from django.db.models import Q, QuerySet

from section307.accounts.models import EntryAccessGrant, User
from section307.core.types import Actor
from section307.ports.models import Detention, Entry


def is_port_staff(user: Actor | None) -> TypeGuard[User]:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_perm("ports.view_entry"))


def is_trade_user(user: Actor | None) -> TypeGuard[User]:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.has_perm("trade.use_portal")
        and getattr(user, "organization_id", None)
    )


def entry_access_q(organization_id: int | None, *, prefix: str = "") -> Q:
    """The entries an organization acts on: its own as importer of record, and those an importer
    delegated to it as broker. ``prefix`` reaches the entry from another model ("entry__")."""
    if organization_id is None:
        return Q(pk__in=[])
    q = Q(**{f"{prefix}organization_id": organization_id})
    for grant in EntryAccessGrant.objects.filter(broker_id=organization_id, revoked_at__isnull=True):
        scope = Q(**{f"{prefix}organization_id": grant.importer_id})
        if not grant.all_entries:
            scope &= Q(**{f"{prefix}entry_number__in": list(grant.entry_numbers)})
        q |= scope
    return q


def entries_visible_to(user: Actor, qs: QuerySet[Entry] | None = None) -> QuerySet[Entry]:
    qs = Entry.objects.all() if qs is None else qs
    if is_port_staff(user):
        return qs
    if is_trade_user(user):
        org = user.organization_id
        return qs.filter(entry_access_q(org) | Q(filer_organization_id=org))
    return qs.none()


def detentions_visible_to(user: Actor, qs: QuerySet[Detention] | None = None) -> QuerySet[Detention]:
    qs = Detention.objects.all() if qs is None else qs
    if is_port_staff(user):
        return qs
    if is_trade_user(user):
        return qs.filter(entry_access_q(user.organization_id, prefix="entry__"))
    return qs.none()


def can_view_entry(user: Actor, entry: Entry) -> bool:
    return entries_visible_to(user).filter(pk=entry.pk).exists()


def can_act_for_entry(user: Actor, entry: Entry) -> bool:
    """The importer of record's trade users, and those of a broker it delegated the entry to."""
    return is_trade_user(user) and Entry.objects.filter(entry_access_q(user.organization_id), pk=entry.pk).exists()


def can_act_for_detention(user: Actor, detention: Detention) -> bool:
    """Who may respond to a detention (packages, requests, export): see ``can_act_for_entry``."""
    return can_act_for_entry(user, detention.entry)


def acting_for(user: Actor, entry: Entry) -> dict[str, Any]:
    """Who acted and for whom, for the audit trail: both organizations."""
    return {
        "acting_organization": getattr(getattr(user, "organization", None), "name", ""),
        "for_organization": getattr(entry.organization, "name", "") if entry.organization_id else entry.importer_name,
    }
