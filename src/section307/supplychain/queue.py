"""Work-queue items: unread monitoring alerts for the map's importer, registry matches to confirm, and
overdue remediation milestones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from section307.core.queue import WorkItem
from section307.core.types import Actor
from section307.ports.permissions import is_trade_user


def supplychain_items(user: Actor, now: dt.datetime) -> Iterator[WorkItem]:
    if not is_trade_user(user) or user.organization_id is None:
        return
    from section307.supplychain.models import MapAlert, MatchStatus, Node

    for alert in MapAlert.objects.filter(organization_id=user.organization_id, read_at__isnull=True).select_related(
        "map"
    )[:200]:
        yield WorkItem(
            kind="supplychain.alert",
            title=alert.subject,
            why=_("The map's risk changed after %(trigger)s") % {"trigger": alert.trigger},
            url=reverse("supplychain:detail", args=[alert.map_id]),
            due=timezone.localdate(alert.created_at),
            priority=2 if alert.risk_after == "hit" else 1,
            ref=f"supplychain.mapalert:{alert.pk}",
        )
    pending = (
        Node.objects.filter(map__organization_id=user.organization_id, match_status=MatchStatus.PENDING)
        .select_related("map", "party")
        .order_by("map_id", "tier")[:200]
    )
    for node in pending:
        yield WorkItem(
            kind="supplychain.match_pending",
            title=f"{node.name} ({node.map.title})",
            why=_("Possible registry match %(party)s to confirm or reject") % {"party": node.party},
            url=reverse("supplychain:detail", args=[node.map_id]) + "#nodes",
            due=None,
            ref=f"supplychain.node:{node.pk}",
        )


def diligence_items(user: Actor, now: dt.datetime) -> Iterator[WorkItem]:
    """Overdue milestones of the organization's open remediation plans, for its trade users."""
    if not is_trade_user(user) or user.organization_id is None:
        return
    from section307.supplychain.models import Milestone, RemediationPlan

    overdue = (
        Milestone.objects.filter(
            plan__organization_id=user.organization_id,
            plan__status=RemediationPlan.Status.OPEN,
            status=Milestone.Status.PENDING,
            due_date__lt=timezone.localdate(now),
        )
        .select_related("plan")
        .order_by("due_date", "id")[:200]
    )
    for milestone in overdue:
        yield WorkItem(
            kind="supplychain.milestone_overdue",
            title=f"{milestone.title} ({milestone.plan.title})",
            why=_("Remediation milestone overdue since %(date)s") % {"date": milestone.due_date.isoformat()},
            url=reverse("supplychain:plan", args=[milestone.plan_id]),
            due=milestone.due_date,
            priority=2,
            ref=f"supplychain.milestone:{milestone.pk}",
        )
