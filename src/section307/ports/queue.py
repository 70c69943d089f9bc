"""Work items of the port: the legal path of a detention (port officer, headquarters, importer), the
targeting queue, and detentions under an order modified or revoked after the goods were detained.

Computed from the records' dates when read (``ports.law`` and the clocks' states), so a missed
background run delays nothing: a deemed exclusion or an abandonment the daily task has not yet
recorded still shows as due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from section307.accounts.models import User
from section307.core.queue import WorkItem, register
from section307.orders.models import OrderEvent
from section307.ports import law
from section307.ports.calendars import business_calendar
from section307.ports.models import Clock, Detention, Determination, Protest
from section307.ports.permissions import detentions_visible_to, is_trade_user
from section307.ports.services import clock_state

# What each period asks of the port when it is running (CBP's own deadlines) or has ended.
_PORT_RUNNING = {
    law.DECISION: gettext_noop("Decide whether to release or detain"),
    law.NOTICE: gettext_noop("Send the detention notice"),
    law.DEEMED_EXCLUSION: gettext_noop("Reach a final admissibility decision, or the goods are deemed excluded"),
}
_PORT_ENDED = {
    law.ADMISSIBILITY: gettext_noop(
        "The proof period ended: exclude (WRO) or seize (Finding) unless timely proof is under review"
    ),
    law.RESPONSE: gettext_noop("The importer's documentation period ended"),
    law.ABANDONMENT: gettext_noop("Record the abandonment unless the goods were exported or a protest is pending"),
}
_IMPORTER = {
    law.ADMISSIBILITY: gettext_noop("Submit proof of admissibility"),
    law.RESPONSE: gettext_noop("Submit your documentation"),
    law.ABANDONMENT: gettext_noop("Export the goods or protest, or they are deemed abandoned"),
    law.PROTEST_FILING: gettext_noop("You may protest the exclusion until"),
    law.PETITION: gettext_noop("Petition for relief from the seizure"),
    law.CLAIM_BOND: gettext_noop("File a claim and cost bond"),
    law.CIVIL_ACTION: gettext_noop("You may contest the protest denial in court until"),
}


def _detention_url(clock: Clock, staff: bool) -> str:
    if clock.detention_id is None:
        return reverse("ports:entry_detail", args=[clock.entry.entry_number])
    return reverse("ports:detention_detail" if staff else "trade:detention_detail", args=[clock.detention_id])


def _clock_item(clock: Clock, state: Any, why: str, *, staff: bool, priority: int) -> WorkItem:
    return WorkItem(
        kind=f"detention.{clock.kind}",
        title=gettext("Entry %(number)s: %(kind)s")
        % {"number": clock.entry.entry_number, "kind": clock.get_kind_display()},
        why=gettext("%(why)s (%(period)s from the %(event)s, %(citation)s)")
        % {
            "why": gettext(why),
            "period": clock.rule.period,
            "event": gettext(clock.start_event),
            "citation": clock.citation,
        },
        url=_detention_url(clock, staff),
        due=state.due,
        rule=clock.citation,
        priority=priority + (10 if state.overdue else 0),
        ref=f"ports.clock:{clock.pk}",
    )


def _protest_why(deadline: Clock | None) -> str:
    if deadline is None:
        return gettext("Decide the protest")
    facts = {"kind": deadline.get_kind_display(), "citation": deadline.citation}
    if deadline.kind == law.PROTEST_DECISION:
        return gettext("Decide the protest (%(kind)s, %(citation)s)") % facts
    return gettext(
        "Decide the protest before %(date)s (%(kind)s, %(citation)s): on that day it is denied by operation of law"
    ) % {**facts, "date": f"{deadline.due_date:%Y-%m-%d}"}


def _clocks(qs: Any) -> Iterator[Clock]:
    yield from qs.select_related("entry", "detention").prefetch_related("suspensions", "extensions")


def port_items(user: User, today: dt.date) -> Iterator[WorkItem]:
    business = business_calendar()
    kinds = [*_PORT_RUNNING, *_PORT_ENDED]
    for clock in _clocks(Clock.objects.filter(running=True, kind__in=kinds)):
        state = clock_state(clock, today=today, business=business)
        if clock.kind in _PORT_RUNNING:
            yield _clock_item(clock, state, _PORT_RUNNING[clock.kind], staff=True, priority=5)
        elif state.overdue:
            pending = (
                clock.kind == law.ABANDONMENT
                and Protest.objects.filter(entry_id=clock.entry_id, status=Protest.Status.PENDING).exists()
            )
            if not pending:
                yield _clock_item(clock, state, _PORT_ENDED[clock.kind], staff=True, priority=3)
    effective = Determination.objects.filter(
        status=Determination.Status.EFFECTIVE, carried_out_at__isnull=True
    ).select_related("detention__entry")
    for d in effective:
        if not d.detention.is_open and d.detention.status != "excluded":
            continue
        yield WorkItem(
            kind="detention.carry_out",
            title=gettext("Entry %(number)s: headquarters determination to carry out")
            % {"number": d.detention.entry.entry_number},
            why=gettext("%(kind)s: %(outcome)s; record the port's decision")
            % {"kind": d.get_kind_display(), "outcome": d.outcome_label},
            url=reverse("ports:detention_detail", args=[d.detention_id]),
            due=d.effective_on,
            rule="19 CFR 12.44",
            priority=8,
            ref=f"ports.determination:{d.pk}",
        )


def hq_items(user: User, today: dt.date) -> Iterator[WorkItem]:
    awaiting = Determination.objects.filter(status=Determination.Status.AWAITING_CONCURRENCE).exclude(proposed_by=user)
    for d in awaiting.select_related("detention__entry", "proposed_by"):
        yield WorkItem(
            kind="hq.concurrence",
            title=gettext("Entry %(number)s: %(kind)s")
            % {"number": d.detention.entry.entry_number, "kind": d.get_kind_display()},
            why=gettext("%(who)s proposed “%(outcome)s”; a second reviewer must concur before it takes effect")
            % {"who": d.proposed_by, "outcome": d.outcome_label},
            url=reverse("hq:determination", args=[d.pk]),
            due=None,
            rule="two-person review",
            priority=6,
            ref=f"ports.determination:{d.pk}",
        )
    business = business_calendar()
    protests = Protest.objects.filter(status=Protest.Status.PENDING).exclude(
        determinations__status=Determination.Status.AWAITING_CONCURRENCE
    )
    for protest in protests.select_related("entry"):
        deadline = (
            Clock.objects.filter(entry=protest.entry, running=True)
            .filter(Q(kind=law.ACCELERATED_DISPOSITION) | Q(kind=law.EXCLUSION_PROTEST) | Q(kind=law.PROTEST_DECISION))
            .order_by("due_date")
            .first()
        )
        state = clock_state(deadline, today=today, business=business) if deadline else None
        due = state.due if state else None
        if deadline is not None and deadline.kind in law.DEEMED_DENIAL_KINDS:
            if law.protest_is_deemed_denied(deadline.due_date, today):
                continue  # denied by operation of law, whether the daily job has recorded it yet or not
            due = deadline.due_date - dt.timedelta(days=1)  # the last day a decision is in time
        yield WorkItem(
            kind="hq.protest",
            title=gettext("Entry %(number)s: protest of the exclusion") % {"number": protest.entry.entry_number},
            why=_protest_why(deadline),
            url=reverse("hq:protest", args=[protest.pk]),
            due=due,
            rule=deadline.citation if deadline else "19 U.S.C. 1515(a)",
            priority=7,
            ref=f"ports.protest:{protest.pk}",
        )
    for clock in _clocks(Clock.objects.filter(running=True, kind=law.CONGRESS_REPORT)):
        state = clock_state(clock, today=today, business=business)
        yield WorkItem(
            kind="hq.congress_report",
            title=gettext("Entry %(number)s: report on the UFLPA exception") % {"number": clock.entry.entry_number},
            why=gettext(
                "Report the exception to the congressional committees and the public, identifying the good "
                "and the evidence considered"
            ),
            url=reverse("hq:home"),
            due=state.due,
            rule=clock.citation,
            priority=4,
            ref=f"ports.clock:{clock.pk}",
        )


def importer_items(user: User, today: dt.date) -> Iterator[WorkItem]:
    if user.organization_id is None:
        return
    business = business_calendar()
    clocks = Clock.objects.filter(
        running=True, kind__in=list(_IMPORTER), entry__organization_id=user.organization_id
    ).exclude(detention__isnull=True)
    for clock in _clocks(clocks):
        state = clock_state(clock, today=today, business=business)
        yield _clock_item(clock, state, _IMPORTER[clock.kind], staff=False, priority=5)


def queue_items(user: User, now: dt.datetime) -> Iterable[WorkItem]:
    """The ``core.queue`` provider: each role's items from the legal path of its detentions."""
    today = timezone.localdate(now)
    items: list[WorkItem] = []
    if user.has_perm("ports.decide_detention"):
        items.extend(port_items(user, today))
    if user.has_perm("ports.review_detention"):
        items.extend(hq_items(user, today))
    if is_trade_user(user):
        items.extend(importer_items(user, today))
    return items


ORDER_CHANGE_RULE = "CBP WRO Modification/Revocation Processes Overview (2021)"


def targeting_items(user: User, now: dt.datetime) -> Iterator[WorkItem]:
    """Officers: hits and reviews waiting in the targeting queue, ranked by risk score and value."""
    if not user.has_perm("ports.target_entry"):
        return
    from section307.ports.selectors import targeting_queue

    entries = list(targeting_queue(user=user)[:200])
    for position, entry in enumerate(entries):
        why = _("%(decision)s on screening, risk score %(score).2f, value USD %(value).2f") % {
            "decision": entry.get_decision_display() or _("Flagged"),
            "score": getattr(entry, "risk_score", 0.0),
            "value": getattr(entry, "value_usd", 0),
        }
        if entry.status == entry.Status.EXAM:
            why = _("Held for exam; ") + why
        yield WorkItem(
            kind="entry.target",
            title=_("Entry %(number)s (%(importer)s)")
            % {"number": entry.entry_number, "importer": entry.importer_name},
            why=why,
            url=reverse("ports:entry_detail", args=[entry.entry_number]),
            due=None,
            priority=len(entries) - position,
            ref=f"ports.entry:{entry.pk}",
        )


def order_change_items(user: User, now: dt.datetime) -> Iterator[WorkItem]:
    """Officers: open detentions whose order was modified or revoked after the detention began."""
    if not user.has_perm("ports.decide_detention"):
        return
    open_statuses = [Detention.Status.DETAINED, Detention.Status.UNDER_REVIEW]
    detentions = list(
        detentions_visible_to(user)
        .filter(status__in=open_statuses, order__isnull=False)
        .select_related("entry", "order")
    )
    # The newest modification or revocation of each order, in one query (not one per detention):
    # a detention needs the port when that newest change came after the goods were detained.
    latest: dict[int, OrderEvent] = {}
    for change in OrderEvent.objects.filter(
        order_id__in={d.order_id for d in detentions},
        kind__in=[OrderEvent.Kind.MODIFIED, OrderEvent.Kind.REVOKED],
    ).order_by("order_id", "-recorded_at", "-pk"):
        latest.setdefault(change.order_id, change)
    for detention in detentions:
        assert detention.order is not None  # filtered above
        event = latest.get(detention.order.pk)
        if event is None or event.recorded_at <= detention.created_at:
            continue
        yield WorkItem(
            kind="detention.order_changed",
            title=_("Detention of %(number)s") % {"number": detention.entry.entry_number},
            why=_("%(order)s was %(change)s on %(date)s: decide whether the goods are still covered")
            % {
                "order": detention.order.reference,
                "change": event.get_kind_display().lower(),
                "date": f"{timezone.localdate(event.recorded_at):%Y-%m-%d}",
            },
            url=reverse("ports:detention_detail", args=[detention.pk]),
            due=timezone.localdate(event.recorded_at),
            rule=ORDER_CHANGE_RULE,
            priority=2,
            ref=f"ports.detention:{detention.pk}",
        )


def register_providers() -> None:
    register(targeting_items)
    register(order_change_items)
