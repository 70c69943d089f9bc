"""Reads for parcels. Staff with ``parcels.view_parcel`` see everything; the account (or its
organization) that sent a manifest sees that manifest's parcels, without screening internals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from section307.core.types import Actor
from section307.parcels.models import Manifest, Parcel, ParcelDetention, ParcelGroup, ParcelRescreenFinding


def is_parcel_staff(user: Actor) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("parcels.view_parcel"))


def manifests_visible_to(user: Actor) -> QuerySet[Manifest]:
    qs = Manifest.objects.all()
    if is_parcel_staff(user):
        return qs
    if getattr(user, "is_authenticated", False) and user.has_perm("parcels.upload_manifest"):
        org = getattr(user, "organization_id", None)
        mine = Q(uploaded_by=user)
        if org:
            mine |= Q(uploaded_by__organization_id=org)
        return qs.filter(mine)
    return qs.none()


def parcel_get(*, user: Actor, tracking_number: str) -> Parcel | None:
    tn = tracking_number.replace(" ", "").upper()
    return (
        Parcel.objects.filter(tracking_number=tn, manifest__in=manifests_visible_to(user))
        .select_related("manifest", "group")
        .first()
    )


@dataclass(frozen=True)
class Step:
    kind: str
    occurred_at: Any
    actor: str
    summary: str


def parcel_timeline(parcel: Parcel) -> list[Step]:
    """The manifest's steps that concern the parcel, then its group's."""
    m = parcel.manifest
    steps = [Step("received", m.created_at, m.uploaded_by.username if m.uploaded_by else "", f"Manifest {m.pk}")]
    if m.finished_at:
        steps.append(Step("screened", m.finished_at, "system", f"Screened: {parcel.get_decision_display()}"))
    if parcel.group_id:
        steps += [Step(e.kind, e.occurred_at, e.actor_label, e.summary) for e in parcel.group.events.all()]  # type: ignore[union-attr]
    return steps


def parcel_detention(parcel: Parcel) -> ParcelDetention | None:
    if parcel.group_id is None:
        return None
    return ParcelDetention.objects.filter(group_id=parcel.group_id).prefetch_related("clocks").first()


def groups_pending() -> QuerySet[ParcelGroup]:
    return ParcelGroup.objects.filter(status=ParcelGroup.Status.PENDING, manifest__status="screened").select_related(
        "manifest"
    )


def group_breakdown(group: ParcelGroup, field: str, limit: int = 50) -> list[dict[str, Any]]:
    """Parcels of the group by consignee, seller or shipper (largest first)."""
    assert field in ("consignee", "seller", "shipper", "carrier")
    return list(
        group.parcels.values(field).annotate(n=Count("id"), value=Sum("value_usd")).order_by("-n", field)[:limit]
    )


def group_rescreen_findings(group: ParcelGroup, limit: int = 50) -> list[ParcelRescreenFinding]:
    """What re-screens after order changes found on the group's parcels, newest first."""
    return list(
        ParcelRescreenFinding.objects.filter(group=group)
        .select_related("run", "parcel")
        .order_by("-run__started_at", "-id")[:limit]
    )
