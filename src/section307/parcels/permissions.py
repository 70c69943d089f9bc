"""Who reaches a parcel detention from the importer portal. Deny by default.

The importer of record's trade users (``ParcelDetention.organization``), and those of a customs
broker it granted access (``accounts.EntryAccessGrant``): to all its shipments, or to the tracking
numbers listed in the grant, as entry numbers are for entries.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from section307.accounts.models import EntryAccessGrant
from section307.core.types import Actor
from section307.parcels.models import ParcelDetention
from section307.ports.permissions import is_trade_user


def detention_access_q(organization_id: int | None) -> Q:
    if organization_id is None:
        return Q(pk__in=[])
    q = Q(organization_id=organization_id)
    for grant in EntryAccessGrant.objects.filter(broker_id=organization_id, revoked_at__isnull=True):
        scope = Q(organization_id=grant.importer_id)
        if not grant.all_entries:
            scope &= Q(group__parcels__tracking_number__in=list(grant.entry_numbers))
        q |= scope
    return q


def detentions_for_trade(user: Actor) -> QuerySet[ParcelDetention]:
    if not is_trade_user(user):
        return ParcelDetention.objects.none()
    ids = ParcelDetention.objects.filter(detention_access_q(user.organization_id)).values("pk")
    return ParcelDetention.objects.filter(pk__in=ids)


def can_act_for_detention(user: Actor, detention: ParcelDetention) -> bool:
    return detentions_for_trade(user).filter(pk=detention.pk).exists()
