"""Object-level rules for entries and detentions. Deny by default.

Staff with ``ports.view_entry`` see every entry. A trade user sees an entry only when its
organization is the entry's importer of record (or the filer that filed it, for the entry
itself, never its detention file).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from section307.ports.models import Detention, Entry


def is_port_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("ports.view_entry"))


def is_trade_user(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_perm("trade.use_portal")
        and getattr(user, "organization_id", None)
    )


def entries_visible_to(user: Any, qs: QuerySet[Entry] | None = None) -> QuerySet[Entry]:
    qs = Entry.objects.all() if qs is None else qs
    if is_port_staff(user):
        return qs
    if is_trade_user(user):
        org = user.organization_id
        return qs.filter(Q(organization_id=org) | Q(filer_organization_id=org))
    return qs.none()


def detentions_visible_to(user: Any, qs: QuerySet[Detention] | None = None) -> QuerySet[Detention]:
    qs = Detention.objects.all() if qs is None else qs
    if is_port_staff(user):
        return qs
    if is_trade_user(user):
        return qs.filter(entry__organization_id=user.organization_id)
    return qs.none()


def can_view_entry(user: Any, entry: Entry) -> bool:
    return entries_visible_to(user).filter(pk=entry.pk).exists()


def can_act_for_detention(user: Any, detention: Detention) -> bool:
    """The importer of record's trade users may respond to a detention."""
    return is_trade_user(user) and detention.entry.organization_id == user.organization_id
