"""Reads for port enforcement; every list is filtered by the object-level rules in permissions.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from section307.core.types import Actor
from section307.ports import clocks as rules
from section307.ports.calendars import business_calendar
from section307.ports.models import Clock, Detention, Entry, EntryLine, Notice, RescreenRun, TimelineEvent
from section307.ports.permissions import detentions_visible_to, entries_visible_to, entry_access_q, is_port_staff
from section307.ports.services import clock_state, soon_days


def entry_list(*, user: Actor, status: str = "", query: str = "") -> QuerySet[Entry]:
    qs = entries_visible_to(user).select_related("organization").prefetch_related("lines")
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(
            Q(entry_number__icontains=query)
            | Q(importer_name__icontains=query)
            | Q(lines__manufacturer__icontains=query)
        ).distinct()
    return qs


def targeting_queue(*, user: Actor) -> QuerySet[Entry]:
    """Entries waiting for an officer: flagged on arrival or re-screen, or held for exam; hits first,
    then by the highest line risk score, then by the value declared, then the oldest."""
    scores = EntryLine.objects.filter(entry=OuterRef("pk")).order_by("-score").values("score")[:1]
    values = (
        EntryLine.objects.filter(entry=OuterRef("pk")).values("entry").annotate(total=Sum("value_usd")).values("total")
    )
    return (
        entry_list(user=user)
        .filter(status__in=[Entry.Status.TARGETED, Entry.Status.EXAM])
        .annotate(
            rank=Case(When(decision="hit", then=Value(0)), default=Value(1), output_field=IntegerField()),
            risk_score=Coalesce(Subquery(scores, output_field=FloatField()), Value(0.0)),
            value_usd=Coalesce(Subquery(values, output_field=DecimalField()), Value(Decimal("0"))),
        )
        .order_by("rank", "-risk_score", "-value_usd", "created_at")
    )


def entry_get(*, user: Actor, entry_number: str) -> Entry | None:
    return (
        entries_visible_to(user)
        .select_related("organization", "filer_organization", "received_by")
        .prefetch_related(
            Prefetch("lines", queryset=EntryLine.objects.select_related("order")),
            "images",
        )
        .filter(entry_number=entry_number)
        .first()
    )


def entry_timeline(*, user: Actor, entry: Entry) -> QuerySet[TimelineEvent]:
    qs = entry.timeline.select_related("actor")
    return qs if is_port_staff(user) else qs.filter(shared=True)


@dataclass
class ClockRow:
    clock: Clock
    state: rules.ClockState


def clock_rows(detention: Detention, *, today: dt.date | None = None) -> list[ClockRow]:
    today = today or timezone.localdate()
    clocks = detention.clocks.prefetch_related("suspensions__actor", "extensions__actor")
    business = business_calendar()
    return [ClockRow(c, clock_state(c, today=today, business=business)) for c in clocks]


def detention_get(*, user: Actor, pk: int) -> Detention | None:
    return (
        detentions_visible_to(user)
        .select_related("entry__organization", "order", "detained_by")
        .prefetch_related("decisions__decided_by")
        .filter(pk=pk)
        .first()
    )


def detention_list(*, user: Actor, open_only: bool = False) -> QuerySet[Detention]:
    qs = detentions_visible_to(user).select_related("entry__organization").prefetch_related("clocks")
    if open_only:
        qs = qs.filter(status__in=[Detention.Status.DETAINED, Detention.Status.UNDER_REVIEW, Detention.Status.EXCLUDED])
    return qs


def clocks_due(*, user: Actor, today: dt.date | None = None) -> list[ClockRow]:
    """Running clocks that are overdue or due within the soon-due window, most urgent first."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=soon_days())
    visible = detentions_visible_to(user).values("pk")
    # Goods held for exam have a 1499(c)(1) decision clock before any detention exists.
    held = Q(detention__isnull=True, entry__in=entries_visible_to(user).values("pk")) if is_port_staff(user) else Q()
    clocks = (
        Clock.objects.filter(Q(detention__in=visible) | held, running=True)
        .filter(Q(due_date__lte=horizon) | Q(suspensions__end__isnull=True, suspensions__isnull=False))
        .select_related("entry__organization", "detention")
        .prefetch_related("suspensions", "extensions")
        .distinct()
    )
    business = business_calendar()
    rows = [ClockRow(c, clock_state(c, today=today, business=business)) for c in clocks]
    rows = [r for r in rows if r.state.overdue or r.state.soon_due or r.state.suspended]
    return sorted(rows, key=lambda r: (r.state.suspended, r.state.due))


def notices_for(*, user: Actor) -> QuerySet[Notice]:
    """The organization's notices, and a broker's notices on the entries delegated to it."""
    org = getattr(user, "organization_id", None)
    if org is None:
        return Notice.objects.none()
    delegated = Q(entry__isnull=False) & entry_access_q(org, prefix="entry__")
    return Notice.objects.filter(Q(organization_id=org) | delegated).select_related("entry")


def rescreen_runs() -> QuerySet[RescreenRun]:
    return RescreenRun.objects.prefetch_related("findings__entry_line__entry")


OPEN_STATUSES = (Detention.Status.DETAINED, Detention.Status.UNDER_REVIEW, Detention.Status.EXCLUDED)


def detentions_held_under(
    order: Any, *, statuses: tuple[str, ...] = OPEN_STATUSES, within: QuerySet[Detention] | None = None
) -> QuerySet[Detention]:
    """Detentions under ``order`` in ``statuses`` (of ``within``, default all), oldest notice first."""
    base = Detention.objects.all() if within is None else within
    return base.filter(order=order, status__in=statuses).select_related("entry").order_by("notice_date", "pk")


def detentions_under_order(*, user: Actor, order: Any) -> QuerySet[Detention]:
    """Shipments still held under ``order``: after a revocation or modification, each needs the port's action."""
    return detentions_held_under(order, within=detentions_visible_to(user))


def order_page_section(user: Actor, order: Any) -> tuple[str, dict[str, Any]] | None:
    if not is_port_staff(user):
        return None
    return (
        "ports/_order_detained.html",
        {
            "detentions": list(detentions_under_order(user=user, order=order)),
            "needs_port_action": not order.is_enforced,
        },
    )
