"""Who sees which IPR detention. Deny by default; every page, download and API call goes through here.

* CBP staff with ``ipr.view_iprdetention`` see every detention;
* a rights holder sees only the detentions that concern a recordation it holds an account for;
* the importer of record (and a broker it delegated the entry to) sees its own entry's detention.
"""

from __future__ import annotations

from typing import TypeGuard

from django.db.models import QuerySet

from section307.accounts.models import User
from section307.accounts.roles import RIGHTS_HOLDER, user_has_role
from section307.core.types import Actor
from section307.ipr.models import IprDetention, Recordation
from section307.ports.permissions import entry_access_q, is_trade_user

STAFF, HOLDER, IMPORTER = "staff", "rights_holder", "importer"


def is_ipr_staff(user: Actor) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("ipr.view_iprdetention"))


def is_ipr_officer(user: Actor) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("ipr.manage_iprdetention"))


def is_rights_holder(user: Actor) -> TypeGuard[User]:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user_has_role(user, RIGHTS_HOLDER))


def recordations_of(user: Actor) -> QuerySet[Recordation]:
    """The recordations a rights-holder account answers for (active ones only)."""
    if not is_rights_holder(user):
        return Recordation.objects.none()
    return Recordation.objects.filter(holders=user, active=True)


def detentions_visible_to(user: Actor, qs: QuerySet[IprDetention] | None = None) -> QuerySet[IprDetention]:
    qs = IprDetention.objects.all() if qs is None else qs
    if is_ipr_staff(user):
        return qs
    if is_rights_holder(user):
        ids = IprDetention.objects.filter(recordations__in=recordations_of(user)).values("pk")
        return qs.filter(pk__in=ids)
    if is_trade_user(user):
        return qs.filter(entry_access_q(user.organization_id, prefix="entry__"))
    return qs.none()


def viewer_kind(user: Actor, detention: IprDetention) -> str | None:
    """How ``user`` sees ``detention``: as staff, as the rights holder, as the importer, or not at all."""
    if is_ipr_staff(user):
        return STAFF
    if is_rights_holder(user) and detention.recordations.filter(pk__in=recordations_of(user)).exists():
        return HOLDER
    if (
        is_trade_user(user)
        and IprDetention.objects.filter(
            entry_access_q(user.organization_id, prefix="entry__"), pk=detention.pk
        ).exists()
    ):
        return IMPORTER
    return None
